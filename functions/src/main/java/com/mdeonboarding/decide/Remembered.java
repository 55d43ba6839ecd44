package com.mdeonboarding.decide;

import com.mdeonboarding.model.GuestCheckResult;
import java.time.Instant;
import java.util.Optional;

/**
 * What our own state remembers about a machine that its decision takes into account, already judged against the
 * facts of now by {@link ReconcileRules#remember}.
 *
 * @param extensionFailures how many of our deployments ended Failed, counting a failure that shows for the first time now
 * @param guestCheck        the stored guest check result, if it still counts (fresh, and taken after the last failure)
 * @param lastDeployAt      when we last wrote the extension
 * @param ourDeployInFlight our own extension PUT is recent and its extension is not visible yet: do not deploy twice
 * @param sensor            the sensor's grace period and re-onboarding, from {@link SensorRules#remember}
 */
public record Remembered(int extensionFailures, Optional<GuestCheckResult> guestCheck, Optional<Instant> lastDeployAt,
                         boolean ourDeployInFlight, SensorRules.SensorMemory sensor) {

    public Remembered {
        sensor = sensor == null ? SensorRules.SensorMemory.none() : sensor;
    }

    public Remembered(int extensionFailures, Optional<GuestCheckResult> guestCheck, Optional<Instant> lastDeployAt,
                      boolean ourDeployInFlight) {
        this(extensionFailures, guestCheck, lastDeployAt, ourDeployInFlight, SensorRules.SensorMemory.none());
    }

    /** A machine we have never recorded. */
    public static Remembered nothing() {
        return new Remembered(0, Optional.empty(), Optional.empty(), false);
    }

    /** The same memory with a check that was just run. */
    public Remembered withGuestCheck(GuestCheckResult result) {
        return new Remembered(extensionFailures, Optional.of(result), lastDeployAt, ourDeployInFlight, sensor);
    }

    /** The same memory with the sensor's. */
    public Remembered withSensor(SensorRules.SensorMemory memory) {
        return new Remembered(extensionFailures, guestCheck, lastDeployAt, ourDeployInFlight, memory);
    }
}
