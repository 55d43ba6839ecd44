package com.mdeonboarding.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rate budget keeps the documented limits over sliding windows (one second wider, for clock and network skew). */
class DefenderApiBudgetTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private DefenderApiBudget budget(Duration maxWait, DefenderApiBudget.Limit... limits) {
        return new DefenderApiBudget(List.of(limits), maxWait, now::get);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void theDocumentedLimitsAre100AMinuteAnd1500AnHour() {
        assertEquals(List.of(new DefenderApiBudget.Limit(100, Duration.ofMinutes(1)), new DefenderApiBudget.Limit(1_500, Duration.ofHours(1))),
                DefenderApiBudget.DOCUMENTED);
    }

    @Test
    void aHundredAndFirstCallInAMinuteWaitsUntilTheFirstLeavesTheWindow() {
        DefenderApiBudget b = budget(Duration.ZERO, DefenderApiBudget.DOCUMENTED.toArray(DefenderApiBudget.Limit[]::new));
        for (int i = 0; i < 100; i++) {
            b.acquire();
            advance(Duration.ofMillis(100));
        }
        // 10 s after the first call: the 101st would wait the rest of the minute plus the one-second margin.
        assertEquals(Duration.ofSeconds(51), b.waitNow());
        DefenderApiException e = assertThrows(DefenderApiException.class, b::acquire);
        assertEquals("NoCallToSpare", e.code());
        assertTrue(e.retryable(), "a later look may find a call to spare");
        advance(Duration.ofSeconds(51));
        b.acquire();
    }

    @Test
    void theHourWindowCountsToo() {
        DefenderApiBudget b = budget(Duration.ZERO, new DefenderApiBudget.Limit(3, Duration.ofSeconds(10)),
                new DefenderApiBudget.Limit(5, Duration.ofSeconds(60)));
        for (int i = 0; i < 5; i++) {
            b.acquire();
            advance(Duration.ofSeconds(6)); // never more than 2 in 10 s
        }
        // 30 s after the first: the hour-like window (60 s + 1 s) holds 5 calls, the first leaves at 61 s.
        assertEquals(Duration.ofSeconds(31), b.waitNow());
        assertThrows(DefenderApiException.class, b::acquire);
    }

    @Test
    void aRequestMaySayHowLongItWaits() {
        DefenderApiBudget b = budget(Duration.ofMinutes(5), new DefenderApiBudget.Limit(1, Duration.ofSeconds(10)));
        b.acquire();
        // A per-machine look waits at most a few seconds (DefenderEndpoint.LOOKUP_MAX_WAIT), the slot is 11 s away.
        assertThrows(DefenderApiException.class, () -> b.acquire(DefenderEndpoint.LOOKUP_MAX_WAIT));
        assertEquals(Duration.ofSeconds(5), DefenderEndpoint.LOOKUP_MAX_WAIT);
    }

    @Test
    void aCallWaitsForItsSlotWhenThatIsWithinMaxWait() throws Exception {
        DefenderApiBudget b = new DefenderApiBudget(List.of(new DefenderApiBudget.Limit(2, Duration.ofMillis(200))), Duration.ofSeconds(5));
        b.acquire();
        b.acquire();
        long t0 = System.nanoTime();
        b.acquire();
        long waited = System.nanoTime() - t0;
        assertTrue(waited >= Duration.ofMillis(1_150).toNanos(), "waited " + waited / 1_000_000 + " ms: the window plus the margin");
    }
}
