package com.mdeonboarding.emulator.providers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The emulated API's rate limits over sliding windows (the strictest reading of "per minute" and "per hour"). A request
 * over a limit is refused with 429 and a Retry-After of the whole seconds until a slot frees; refused requests do not
 * count. Every refusal is remembered, so tests can check that a client waited out each Retry-After.
 */
public final class DefenderApiQuota {
    /** One refusal: when, and the Retry-After it carried. */
    public record Throttle(Instant at, int retryAfterSeconds) {
    }

    private final List<DefenderApiRateLimit> limits;
    private final ArrayDeque<Instant> accepted = new ArrayDeque<>();
    private final List<Throttle> throttles = new ArrayList<>();

    public DefenderApiQuota(List<DefenderApiRateLimit> limits) {
        this.limits = List.copyOf(limits);
    }

    /** 0 when the request is accepted (and counted); otherwise the Retry-After seconds (at least 1). */
    synchronized int admit(Instant now) {
        Duration longest = limits.stream().map(DefenderApiRateLimit::window).max(Duration::compareTo).orElse(Duration.ZERO);
        while (!accepted.isEmpty() && !accepted.peekFirst().isAfter(now.minus(longest))) {
            accepted.removeFirst();
        }
        long waitMillis = 0;
        for (DefenderApiRateLimit l : limits) {
            Instant from = now.minus(l.window());
            int n = 0;
            Instant nth = null;
            for (var it = accepted.descendingIterator(); it.hasNext(); ) {
                Instant t = it.next();
                if (!t.isAfter(from)) {
                    break;
                }
                if (++n == l.calls()) {
                    nth = t;
                }
            }
            if (n >= l.calls() && nth != null) {
                waitMillis = Math.max(waitMillis, Duration.between(now, nth.plus(l.window())).toMillis());
            }
        }
        if (waitMillis <= 0) {
            accepted.addLast(now);
            return 0;
        }
        int seconds = (int) Math.max(1, (waitMillis + 999) / 1000);
        throttles.add(new Throttle(now, seconds));
        return seconds;
    }

    public synchronized List<Throttle> throttles() {
        return List.copyOf(throttles);
    }
}
