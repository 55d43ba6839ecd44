package com.mdeonboarding.emulator;

import java.time.Duration;
import java.time.Instant;

/** What the request handlers share. */
final class EmulatorContext {
    final TenantState state;
    /** The resource model; providers reach it only through {@link ResourceStore#read} and {@link ResourceStore#write}. */
    final ResourceStore store;
    final RunCommands runCommands;
    final EmulatedOnboardingPackages packages;
    final Operations operations;
    final EventBus events;
    final RequestLog requestLog;
    final Faults faults;
    final QueryRegistry queries;
    final ResourceGraphQuota graphQuota;
    /** How long Run Commands and extension operations stay in progress (per call). */
    volatile Delays delays;
    /** Fixed Retry-After seconds on long-running operation responses; null: derive from the time left; -1: omit. */
    volatile Integer lroRetryAfterSeconds;
    volatile int pageSize;
    volatile String baseUrl;

    EmulatorContext(TenantState state, EventBus events, QueryRegistry queries, ResourceGraphQuota quota,
            Delays delays, Integer lroRetryAfterSeconds, int pageSize) {
        this.state = state;
        this.store = state.store();
        this.runCommands = state.runCommands();
        this.packages = state.packages();
        this.events = events;
        this.operations = new Operations(store);
        this.requestLog = new RequestLog();
        this.faults = new Faults();
        this.queries = queries;
        this.graphQuota = quota;
        this.delays = delays;
        this.lroRetryAfterSeconds = lroRetryAfterSeconds;
        this.pageSize = pageSize;
    }

    /** The Retry-After header value for a poll of this operation, or null to send none. */
    String retryAfter(Operation op) {
        Integer fixed = lroRetryAfterSeconds;
        if (fixed != null) {
            return fixed < 0 ? null : fixed.toString();
        }
        long millisLeft = Duration.between(Instant.now(), op.dueTime).toMillis();
        return Long.toString(Math.max(1, (millisLeft + 999) / 1000));
    }
}
