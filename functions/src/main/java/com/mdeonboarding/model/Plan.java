package com.mdeonboarding.model;

import java.util.List;
import java.util.Optional;

/**
 * A subscription's Defender for Servers plan ({@code Microsoft.Security/pricings/VirtualMachines}, 2024-01-01).
 *
 * @param pricingTier "Free" or "Standard"
 * @param subPlan     "P1" / "P2" (empty when Free, or Standard without a sub-plan, the legacy full plan = P2)
 * @param enforce     the pricing's {@code enforce} flag as Azure writes it ("True" / "False"), empty text when absent
 * @param extensions  plan extensions (e.g. AgentlessVmScanning) with their isEnabled flags
 */
public record Plan(String pricingTier, Optional<String> subPlan, String enforce, List<PlanExtension> extensions) {
    public Plan {
        extensions = List.copyOf(extensions);
    }

    /** What a subscription without a VirtualMachines pricing has. */
    public static Plan free() {
        return new Plan("Free", Optional.empty(), "False", List.of());
    }

    public boolean standard() {
        return "Standard".equalsIgnoreCase(pricingTier);
    }

    public record PlanExtension(String name, boolean enabled) {
    }
}
