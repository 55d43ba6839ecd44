package com.mdeonboarding.emulator.providers;

import java.time.Duration;
import java.time.Instant;

/** Resource Graph's per-user quota: N queries per fixed window (default 15 per 5 seconds, as documented). */
public final class ResourceGraphQuota {
    record Grant(boolean allowed, int remaining, Duration resetsAfter) {
    }

    private final int limit;
    private final Duration window;
    private Instant windowStart;
    private int used;

    public ResourceGraphQuota(int limit, Duration window) {
        this.limit = limit;
        this.window = window;
    }

    synchronized Grant acquire(Instant now) {
        if (windowStart == null || !now.isBefore(windowStart.plus(window))) {
            windowStart = now;
            used = 0;
        }
        Duration resets = Duration.between(now, windowStart.plus(window));
        if (used >= limit) {
            return new Grant(false, 0, resets);
        }
        used++;
        return new Grant(true, limit - used, resets);
    }

    static String format(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        return String.format("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
