package com.mdeonboarding.model;

import java.util.Optional;

/**
 * Defender for Servers pricing as read at a machine's own scope
 * ({@code {machineId}/providers/Microsoft.Security/pricings/VirtualMachines}, api-version 2024-01-01).
 *
 * @param pricingTier "Free" or "Standard"
 * @param subPlan     "P1" / "P2" when Standard
 * @param inherited   true when the machine inherits the subscription's plan; false when set on the machine itself
 */
public record ResourcePricing(String pricingTier, Optional<String> subPlan, boolean inherited) {
    public boolean standard() {
        return "Standard".equalsIgnoreCase(pricingTier);
    }
}
