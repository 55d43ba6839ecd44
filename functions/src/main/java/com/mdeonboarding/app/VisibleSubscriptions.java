package com.mdeonboarding.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The subscriptions the app's identity can see, read once every {@link #TTL} (one Subscriptions_List call, shared by every
 * job of the process): the scope when none is configured. A read that fails counts as "cannot tell" (empty), so jobs go
 * on as before rather than being refused for a passing error; it is tried again on the next use.
 */
final class VisibleSubscriptions implements Supplier<Optional<Set<String>>> {
    static final Duration TTL = Duration.ofMinutes(10);
    private final Supplier<List<String>> list;
    private final Clock clock;
    private Set<String> cached;
    private Instant readAt = Instant.MIN;

    VisibleSubscriptions(Supplier<List<String>> list, Clock clock) {
        this.list = list;
        this.clock = clock;
    }

    /** Reads the list now (a sweep's enumeration) and keeps it for the scope checks that follow. */
    synchronized List<String> fresh() {
        List<String> read = list.get();
        cached = Set.copyOf(read);
        readAt = clock.instant();
        return read;
    }

    @Override
    public synchronized Optional<Set<String>> get() {
        Instant now = clock.instant();
        if (cached == null || readAt.plus(TTL).isBefore(now)) {
            try {
                cached = Set.copyOf(list.get());
                readAt = now;
            } catch (RuntimeException e) {
                return Optional.ofNullable(cached);
            }
        }
        return Optional.of(cached);
    }
}
