package com.mdeonboarding.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {
    /** A clock the test moves. */
    static final class Manual extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void saysDoneOfTotalTheRateAndTimeLeftAtMostEveryTwoSecondsAndAtTheEnd() {
        Manual clock = new Manual();
        List<String> lines = new ArrayList<>();
        ProgressMeter m = new ProgressMeter("reconcile", 300, clock, lines::add);
        for (int i = 0; i < 100; i++) {
            clock.now = clock.now.plusMillis(100); // 10 machines a second
            m.done();
        }
        // 100 done in 10 s: a line every 2 s, the last at 100 done.
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertEquals("reconcile progress: 100 of 300 machines done (33%), 10.0/s, about 20s left", lines.get(4));
        for (int i = 0; i < 200; i++) {
            clock.now = clock.now.plus(Duration.ofSeconds(1));
            m.done();
        }
        assertEquals("reconcile progress: 300 of 300 machines done (100%), 1.4/s, done", lines.get(lines.size() - 1));
        assertEquals("reconcile progress: 102 of 300 machines done (34%), 8.5/s, about 23s left", lines.get(5));
    }

    @Test
    void minutesLeft() {
        Manual clock = new Manual();
        List<String> lines = new ArrayList<>();
        ProgressMeter m = new ProgressMeter("reconcile", 1000, clock, lines::add);
        clock.now = clock.now.plusSeconds(2);
        m.done();
        assertEquals("reconcile progress: 1 of 1000 machines done (0%), 0.5/s, about 33m 18s left", lines.get(0));
    }
}
