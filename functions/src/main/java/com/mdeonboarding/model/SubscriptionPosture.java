package com.mdeonboarding.model;

import java.util.Optional;

/**
 * A subscription's Defender for Servers plan and MDE integration settings: the one posture type of the reconciler
 * and the sweep.
 *
 * @param subscriptionId lower-case GUID
 * @param plan           the VirtualMachines plan
 * @param settings       the integration settings; empty when they have not been read (a sweep that could not read them)
 * @param fullyCovered   the plan covers every machine ({@code resourcesCoverageStatus} FullyCovered): no machine has a
 *                       resource-level override, so per-machine pricing reads can be skipped
 */
public record SubscriptionPosture(String subscriptionId, Plan plan, Optional<IntegrationSettings> settings, boolean fullyCovered) {

    public boolean standard() {
        return plan.standard();
    }

    /** The setting exists with the value that has the integration on; unknown settings are not. */
    public boolean satisfied(IntegrationSetting s) {
        return settings.map(x -> x.satisfied(s)).orElse(false);
    }

    public SubscriptionPosture withPlan(Plan p) {
        return new SubscriptionPosture(subscriptionId, p, settings, fullyCovered);
    }

    public SubscriptionPosture withSettings(IntegrationSettings s) {
        return new SubscriptionPosture(subscriptionId, plan, Optional.of(s), fullyCovered);
    }
}
