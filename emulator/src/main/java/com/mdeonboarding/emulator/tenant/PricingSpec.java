package com.mdeonboarding.emulator.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A Defender plan ({@code Microsoft.Security/pricings}) as the tenant file states it.
 *
 * @param pricingTier            {@code Free} or {@code Standard}
 * @param subPlan                e.g. {@code P1} / {@code P2} for VirtualMachines
 * @param enforce                {@code "True"} / {@code "False"} (subscription scope only)
 * @param extensions             plan extensions, each {@code {"name": ..., "isEnabled": "True"|"False", "additionalExtensionProperties": {...}}}
 * @param freeTrialRemainingTime ISO-8601 duration, default {@code PT0S}
 * @param enablementTime         ISO-8601 instant; defaults to a fixed time when the tier is Standard
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PricingSpec(String pricingTier, String subPlan, String enforce, List<Map<String, Object>> extensions,
        String freeTrialRemainingTime, String enablementTime) {
    public PricingSpec {
        if (pricingTier == null) {
            throw new IllegalArgumentException("pricing.pricingTier is required (Free or Standard)");
        }
        extensions = extensions == null ? null : List.copyOf(extensions);
    }

    public static PricingSpec free() {
        return new PricingSpec("Free", null, null, null, null, null);
    }

    public static PricingSpec standard(String subPlan) {
        return new PricingSpec("Standard", subPlan, null, null, null, null);
    }
}
