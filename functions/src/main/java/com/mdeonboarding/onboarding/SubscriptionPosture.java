package com.mdeonboarding.onboarding;

import java.util.List;
import java.util.Optional;

/**
 * A subscription's Defender for Servers plan and MDE integration settings, as read from
 * {@code Microsoft.Security/pricings/VirtualMachines} (2024-01-01) and {@code Microsoft.Security/settings} (2022-05-01).
 * An empty Optional means the setting does not exist on the subscription (Azure treats that as off).
 *
 * @param subscriptionId  lower-case GUID
 * @param pricingTier     "Free" or "Standard"
 * @param subPlan         "P1" / "P2" (empty when Free, or Standard without a sub-plan, which is the legacy full plan = P2)
 * @param enforce         the pricing's {@code enforce} flag
 * @param extensions      plan extensions (e.g. AgentlessVmScanning) with their isEnabled flags
 * @param wdatp           {@code WDATP}: the MDE integration itself
 * @param unifiedSolution {@code WDATP_UNIFIED_SOLUTION}: needed for Windows Server 2012 R2 and 2016
 * @param excludeLinux    {@code WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW}; inverted: false means Linux IS included
 */
public record SubscriptionPosture(
        String subscriptionId,
        String pricingTier,
        Optional<String> subPlan,
        boolean enforce,
        List<PlanExtension> extensions,
        Optional<Boolean> wdatp,
        Optional<Boolean> unifiedSolution,
        Optional<Boolean> excludeLinux) {

    public boolean standard() {
        return "Standard".equalsIgnoreCase(pricingTier);
    }

    public boolean wdatpEnabled() {
        return wdatp.orElse(false);
    }

    public boolean unifiedSolutionEnabled() {
        return unifiedSolution.orElse(false);
    }

    /** Linux is included only when the exclusion flag exists and is false (the inverted setting). */
    public boolean linuxIncluded() {
        return excludeLinux.map(exclude -> !exclude).orElse(false);
    }

    public record PlanExtension(String name, boolean enabled) {
    }
}
