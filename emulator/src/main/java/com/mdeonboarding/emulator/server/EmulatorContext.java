package com.mdeonboarding.emulator.server;

import com.mdeonboarding.emulator.events.EventBus;
import com.mdeonboarding.emulator.faults.Faults;
import com.mdeonboarding.emulator.operations.Delays;
import com.mdeonboarding.emulator.operations.Operation;
import com.mdeonboarding.emulator.operations.Operations;
import com.mdeonboarding.emulator.providers.DefenderApiQuota;
import com.mdeonboarding.emulator.providers.DefenderApiRateLimit;
import com.mdeonboarding.emulator.providers.ResourceGraphQuota;
import com.mdeonboarding.emulator.state.EmulatedOnboardingPackages;
import com.mdeonboarding.emulator.state.EmulatorClock;
import com.mdeonboarding.emulator.state.ResourceStore;
import com.mdeonboarding.emulator.state.RunCommands;
import com.mdeonboarding.emulator.state.TenantState;
import java.time.Duration;
import java.time.Instant;

/** What the request handlers share. */
public final class EmulatorContext {
    public final TenantState state;
    /** The emulated tenant's time; see {@link EmulatorClock}. */
    public final EmulatorClock clock;
    /** The resource model; providers reach it only through {@link ResourceStore#read} and {@link ResourceStore#write}. */
    public final ResourceStore store;
    public final RunCommands runCommands;
    public final EmulatedOnboardingPackages packages;
    public final Operations operations;
    final EventBus events;
    public final RequestLog requestLog;
    public final Faults faults;
    public final ResourceGraphQuota graphQuota;
    /** How long Run Commands and extension operations stay in progress (per call). */
    public volatile Delays delays;
    /** Fixed Retry-After seconds on long-running operation responses; null: derive from the time left; -1: omit. */
    volatile Integer lroRetryAfterSeconds;
    public volatile int pageSize;
    /**
     * The {@code status} an operation reports while it runs. Resource Manager documents only Succeeded, Failed and
     * Canceled as terminal; providers report InProgress, Running, Creating, Updating, Provisioning... while running.
     */
    public volatile String runningStatus = "InProgress";
    /** Long-running responses carry only {@code Location} (202, no Azure-AsyncOperation), as some providers answer. */
    public volatile boolean locationOnly;
    public volatile String baseUrl;
    /** The Defender for Endpoint API's requests, limits, faults and whether the app holds Machine.Read.All. */
    public final RequestLog defenderRequestLog = new RequestLog();
    public final Faults defenderFaults = new Faults();
    public volatile DefenderApiQuota defenderQuota = new DefenderApiQuota(DefenderApiRateLimit.DOCUMENTED);
    public volatile boolean defenderPermission = true;

    public EmulatorContext(TenantState state, EventBus events, ResourceGraphQuota quota,
            Delays delays, Integer lroRetryAfterSeconds, int pageSize) {
        this.state = state;
        this.store = state.store();
        this.clock = store.clock();
        this.runCommands = state.runCommands();
        this.packages = state.packages();
        this.events = events;
        this.operations = new Operations(store, clock);
        this.requestLog = new RequestLog();
        this.faults = new Faults();
        this.graphQuota = quota;
        this.delays = delays;
        this.lroRetryAfterSeconds = lroRetryAfterSeconds;
        this.pageSize = pageSize;
    }

    /** The emulated tenant's "now". */
    public Instant now() {
        return clock.instant();
    }

    /** The Retry-After header value for a poll of this operation, or null to send none. */
    public String retryAfter(Operation op) {
        Integer fixed = lroRetryAfterSeconds;
        if (fixed != null) {
            return fixed < 0 ? null : fixed.toString();
        }
        long millisLeft = Duration.between(now(), op.dueTime).toMillis();
        return Long.toString(Math.max(1, (millisLeft + 999) / 1000));
    }
}
