package com.mdeonboarding.emulator.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One subscription of the tenant file.
 *
 * @param state    {@code Enabled} (default), {@code Disabled}, {@code Warned}, ... (writes to a Disabled subscription are refused)
 * @param pricing  the {@code VirtualMachines} plan (Defender for Servers); default Free
 * @param pricings other plans by name (e.g. {@code "SqlServers"}); plans not listed are Free
 * @param settings Defender for Cloud settings by name ({@code WDATP}, {@code WDATP_UNIFIED_SOLUTION},
 *                 {@code WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW}, {@code MCAS}, {@code Sentinel}); defaults as for a new subscription
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionSpec(String subscriptionId, String displayName, String state, Map<String, String> tags,
        PricingSpec pricing, Map<String, PricingSpec> pricings, Map<String, Boolean> settings,
        List<VirtualMachineSpec> virtualMachines, List<ArcMachineSpec> arcMachines) {
    public SubscriptionSpec {
        VirtualMachineSpec.require(subscriptionId, "subscriptionId");
        displayName = displayName == null ? "Subscription " + subscriptionId : displayName;
        state = state == null ? "Enabled" : state;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        pricings = pricings == null ? Map.of() : Map.copyOf(pricings);
        settings = settings == null ? Map.of() : Map.copyOf(settings);
        virtualMachines = virtualMachines == null ? List.of() : List.copyOf(virtualMachines);
        arcMachines = arcMachines == null ? List.of() : List.copyOf(arcMachines);
    }
}
