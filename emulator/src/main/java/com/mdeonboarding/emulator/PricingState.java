package com.mdeonboarding.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/** A Defender plan at subscription or resource scope. Guarded by the TenantState lock. */
final class PricingState {
    final String name;
    String pricingTier;
    String subPlan;
    String enforce;
    ArrayNode extensions;
    String freeTrialRemainingTime = "PT0S";
    String enablementTime;
    boolean deprecated;
    List<String> replacedBy;

    PricingState(String name) {
        this.name = name;
    }

    boolean standard() {
        return "Standard".equalsIgnoreCase(pricingTier);
    }

    PricingState copy(String newName) {
        PricingState p = new PricingState(newName);
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
