package com.mdeonboarding.emulator.state;

import com.mdeonboarding.emulator.ArmEmulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The emulated tenant's "now": the system clock plus an offset that only grows. Everything the emulator reads the time
 * for goes through it: when a long-running operation is due and its Retry-After, the Defender for Endpoint API's and
 * Resource Graph's rate windows, when a sensor reports and its {@code lastSeen}, a VM still being created, event and
 * request-log times. So a test moves time forward ({@link ArmEmulator#advanceTime}, {@code POST /admin/time}) instead
 * of sleeping, while an emulator nobody advances (bin/run-local, the benchmark) runs in real time.
 *
 * <p>Not on it: the TLS certificates' validity (TLS clients check it against their own real clock) and delays that
 * stand for the network (fault latency, the webhook's retry back-off), which a client really waits for.
 */
public final class EmulatorClock extends Clock {
    private final Clock base;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    /** Real time (the system's UTC clock) until advanced. */
    public EmulatorClock() {
        this(Clock.systemUTC());
    }

    public EmulatorClock(Clock base) {
        this.base = Objects.requireNonNull(base);
    }

    /**
     * Moves the emulator's time forward by {@code d} (zero is allowed, negative is refused: Azure's time does not go
     * back, and an operation once due stays due). Returns the new offset from the system clock.
     */
    public Duration advance(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward; cannot advance by " + d);
        }
        return offset.updateAndGet(o -> o.plus(d));
    }

    /** How far ahead of the system clock the emulator's time is (zero unless advanced). */
    public Duration offset() {
        return offset.get();
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same clock: the emulator keeps its time in UTC, as Azure's timestamps are. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
