package com.mdeonboarding.sweep;

import com.mdeonboarding.config.Canary;
import com.mdeonboarding.config.DesiredPlan;
import com.mdeonboarding.config.Mode;
import com.mdeonboarding.config.PlanEnablement;
import com.mdeonboarding.config.PlanPrices;
import com.mdeonboarding.config.Settings;

/**
 * The part of the settings a sweep reads.
 *
 * @param desiredPlan     the Defender for Servers sub-plan drift is measured against (MDE_DESIRED_PLAN); never a downgrade
 * @param defaultMode     observe, onboard or enforce when the request does not say (MDE_MODE)
 * @param exclusionTag    the tag that excludes a machine (MDE_EXCLUSION_TAG)
 * @param sensorCheck     list the Defender for Endpoint devices and count machines by sensor health (MDE_SENSOR_CHECK)
 * @param canary          which machines of the subscriptions in scope are acted on (MDE_SCOPE_INCLUDE_TAG and the others)
 * @param planEnablement  whether enforce mode may enable or upgrade the billed plan, and up to which (MDE_PLAN_ENABLEMENT)
 * @param prices          list prices for the cost lines (MDE_PLAN_PRICE_P1 / _P2)
 */
public record SweepConfig(DesiredPlan desiredPlan, Mode defaultMode, String exclusionTag, boolean sensorCheck, Canary canary,
                          PlanEnablement planEnablement, PlanPrices prices) {
    public SweepConfig(DesiredPlan desiredPlan, Mode defaultMode, String exclusionTag, boolean sensorCheck) {
        this(desiredPlan, defaultMode, exclusionTag, sensorCheck, Canary.everything(), PlanEnablement.NEVER, PlanPrices.LIST);
    }

    public SweepConfig(DesiredPlan desiredPlan, Mode defaultMode, String exclusionTag) {
        this(desiredPlan, defaultMode, exclusionTag, false);
    }

    public static SweepConfig from(Settings s) {
        return new SweepConfig(s.desiredPlan(), s.mode(), s.exclusionTag(), s.sensorCheckEnabled(), s.canary(), s.planEnablement(),
                s.planPrices());
    }
}
