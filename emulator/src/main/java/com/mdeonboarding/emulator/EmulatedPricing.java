package com.mdeonboarding.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/** A Defender plan at subscription or resource scope. Guarded by the TenantState lock. */
final class EmulatedPricing {
    final String name;
    String pricingTier;
    String subPlan;
    String enforce;
    ArrayNode extensions;
    String freeTrialRemainingTime = "PT0S";
    String enablementTime;
    boolean deprecated;
    List<String> replacedBy;

    EmulatedPricing(String name) {
        this.name = name;
    }

    boolean standard() {
        return "Standard".equalsIgnoreCase(pricingTier);
    }

    EmulatedPricing copy(String newName) {
        EmulatedPricing p = new EmulatedPricing(newName);
        p.pricingTier = pricingTier;
        p.subPlan = subPlan;
        p.enforce = enforce;
        p.extensions = extensions == null ? null : extensions.deepCopy();
        p.freeTrialRemainingTime = freeTrialRemainingTime;
        p.enablementTime = enablementTime;
        p.deprecated = deprecated;
        p.replacedBy = replacedBy;
        return p;
    }
}
