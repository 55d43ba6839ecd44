package com.mdeonboarding.emulator;

import java.time.Duration;
import java.time.Instant;

/** What the request handlers share. */
final class EmulatorContext {
    final TenantState state;
    /** The emulated tenant's time; see {@link EmulatorClock}. */
    final EmulatorClock clock;
    /** The resource model; providers reach it only through {@link ResourceStore#read} and {@link ResourceStore#write}. */
    final ResourceStore store;
    final RunCommands runCommands;
    final EmulatedOnboardingPackages packages;
    final Operations operations;
    final EventBus events;
    final RequestLog requestLog;
    final Faults faults;
    final ResourceGraphQuota graphQuota;
    /** How long Run Commands and extension operations stay in progress (per call). */
    volatile Delays delays;
    /** Fixed Retry-After seconds on long-running operation responses; null: derive from the time left; -1: omit. */
    volatile Integer lroRetryAfterSeconds;
    volatile int pageSize;
    /**
     * The {@code status} an operation reports while it runs. Resource Manager documents only Succeeded, Failed and
     * Canceled as terminal; providers report InProgress, Running, Creating, Updating, Provisioning... while running.
     */
    volatile String runningStatus = "InProgress";
    /** Long-running responses carry only {@code Location} (202, no Azure-AsyncOperation), as some providers answer. */
    volatile boolean locationOnly;
    volatile String baseUrl;
    /** The Defender for Endpoint API's requests, limits, faults and whether the app holds Machine.Read.All. */
    final RequestLog defenderRequestLog = new RequestLog();
    final Faults defenderFaults = new Faults();
    volatile DefenderApiQuota defenderQuota = new DefenderApiQuota(DefenderApiRateLimit.DOCUMENTED);
    volatile boolean defenderPermission = true;

    EmulatorContext(TenantState state, EventBus events, ResourceGraphQuota quota,
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
    Instant now() {
        return clock.instant();
    }

    /** The Retry-After header value for a poll of this operation, or null to send none. */
    String retryAfter(Operation op) {
        Integer fixed = lroRetryAfterSeconds;
        if (fixed != null) {
            return fixed < 0 ? null : fixed.toString();
        }
        long millisLeft = Duration.between(now(), op.dueTime).toMillis();
        return Long.toString(Math.max(1, (millisLeft + 999) / 1000));
    }
}
