package com.mdeonboarding.model;

import java.time.Instant;
import java.util.Optional;

/**
 * What the state row remembers of the machine's sensor when it was last looked at (shown under {@code sensor} by
 * {@code status --json} and {@code GET /api/machines/state}).
 *
 * @param verified         the Defender for Endpoint API answered for this machine (false: the detail says why not)
 * @param deviceId         the record seen last, when there is one
 * @param onboardingStatus its onboarding status
 * @param healthStatus     its health status
 * @param lastSeen         its last full report
 * @param records          how many device records name this machine (more than one after a re-onboarding)
 */
public record Sensor(boolean verified, Optional<String> deviceId, Optional<String> onboardingStatus, Optional<String> healthStatus,
                     Optional<Instant> lastSeen, int records) {

    public static Sensor unverified() {
        return new Sensor(false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    /** The sensor as these facts show it; empty when they say nothing (not looked up). */
    public static Optional<Sensor> of(SensorFacts facts) {
        if (facts instanceof SensorFacts.Seen seen) {
            Optional<DeviceRecord> last = seen.latest();
            return Optional.of(new Sensor(true, last.map(DeviceRecord::deviceId), last.map(DeviceRecord::onboardingStatus),
                    last.map(DeviceRecord::healthStatus), last.flatMap(DeviceRecord::lastSeen), seen.records().size()));
        }
        if (facts instanceof SensorFacts.NotLooked) {
            return Optional.empty();
        }
        return Optional.of(unverified());
    }

    /** The health class the sweep compares between looks; empty when unverified or not seen. */
    public Optional<SensorHealth> health() {
        return verified && onboardingStatus.map(s -> s.equalsIgnoreCase("Onboarded")).orElse(false)
                ? healthStatus.map(SensorHealth::of) : Optional.empty();
    }
}
