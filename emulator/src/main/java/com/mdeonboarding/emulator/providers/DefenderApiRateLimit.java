package com.mdeonboarding.emulator.providers;

import java.time.Duration;
import java.util.List;

/**
 * One rate limit of the emulated Defender for Endpoint API: at most {@code calls} requests in any {@code window}.
 *
 * @param calls  requests accepted per window
 * @param window the sliding window
 */
public record DefenderApiRateLimit(int calls, Duration window) {
    /** "Rate limitations for this API are 100 calls per minute and 1,500 calls per hour" (defender-endpoint/api/get-machines.md). */
    public static final List<DefenderApiRateLimit> DOCUMENTED = List.of(new DefenderApiRateLimit(100, Duration.ofMinutes(1)),
            new DefenderApiRateLimit(1_500, Duration.ofHours(1)));

    public DefenderApiRateLimit {
        if (calls < 1 || window == null || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("a rate limit needs at least one call per positive window");
        }
    }
}
