package com.mdeonboarding.sweep;

import com.mdeonboarding.config.DesiredPlan;
import com.mdeonboarding.config.RemediationMode;
import com.mdeonboarding.config.Settings;

/**
 * The part of the settings a sweep reads.
 *
 * @param desiredPlan  the Defender for Servers sub-plan enforce mode sets (MDE_DESIRED_PLAN); never a downgrade
 * @param defaultMode  audit or enforce when the request does not say (MDE_REMEDIATION_MODE)
 * @param exclusionTag the tag that excludes a machine (MDE_EXCLUSION_TAG)
 * @param sensorCheck  list the Defender for Endpoint devices and count machines by sensor health (MDE_SENSOR_CHECK)
 */
public record SweepConfig(DesiredPlan desiredPlan, RemediationMode defaultMode, String exclusionTag, boolean sensorCheck) {
    public SweepConfig(DesiredPlan desiredPlan, RemediationMode defaultMode, String exclusionTag) {
        this(desiredPlan, defaultMode, exclusionTag, false);
    }

    public static SweepConfig from(Settings s) {
        return new SweepConfig(s.desiredPlan(), s.remediationMode(), s.exclusionTag(), s.sensorCheckEnabled());
    }
}
