package com.mdeonboarding.emulator.state;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import java.util.List;
import java.util.Map;

/** A Defender plan at subscription or resource scope. Reachable only through its owner, so only under the store's lock. */
public final class EmulatedPricing {
    /** Plans every subscription lists besides VirtualMachines (Free unless the tenant says otherwise). */
    public static final List<String> OTHER_PLANS = List.of("SqlServers", "AppServices", "StorageAccounts",
            "SqlServerVirtualMachines", "KeyVaults", "Arm", "OpenSourceRelationalDatabases", "CosmosDbs",
            "Containers", "CloudPosture", "Api", "AI");
    /** Listed as deprecated, replaced by Containers (as Pricings_List shows them). */
    public static final List<String> DEPRECATED_PLANS = List.of("KubernetesService", "ContainerRegistry");
    static final String DEFAULT_ENABLEMENT_TIME = "2024-05-01T08:00:00.0000000Z";

    public final String name;
    public String pricingTier;
    public String subPlan;
    public String enforce;
    public ArrayNode extensions;
    public String freeTrialRemainingTime = "PT0S";
    public String enablementTime;
    public boolean deprecated;
    public List<String> replacedBy;

    public EmulatedPricing(String name) {
        this.name = name;
    }

    public boolean standard() {
        return "Standard".equalsIgnoreCase(pricingTier);
    }

    /** A plan from the tenant file or an admin write; a Standard VirtualMachines plan defaults to P2 with P2's extensions. */
    public static EmulatedPricing from(String name, PricingSpec spec) {
        EmulatedPricing p = new EmulatedPricing(name);
        p.pricingTier = spec.pricingTier().equalsIgnoreCase("Standard") ? "Standard"
                : spec.pricingTier().equalsIgnoreCase("Free") ? "Free" : spec.pricingTier();
        if (!p.pricingTier.equals("Standard") && !p.pricingTier.equals("Free")) {
            throw new IllegalArgumentException("pricingTier must be Free or Standard, not '" + spec.pricingTier() + "'");
        }
        p.subPlan = p.standard() ? spec.subPlan() : null;
        if (p.standard() && p.subPlan == null && name.equalsIgnoreCase("VirtualMachines")) {
            p.subPlan = "P2";
        }
        p.enforce = spec.enforce() == null ? "False" : (spec.enforce().equalsIgnoreCase("True") ? "True" : "False");
        if (spec.extensions() != null) {
            ArrayNode ext = Json.arr();
            for (Map<String, Object> x : spec.extensions()) {
                ext.add(Json.toTree(x));
            }
            p.extensions = ext;
        } else if (p.standard() && "P2".equalsIgnoreCase(p.subPlan)) {
            p.extensions = defaultP2Extensions();
        }
        p.freeTrialRemainingTime = spec.freeTrialRemainingTime() == null ? "PT0S" : spec.freeTrialRemainingTime();
        p.enablementTime = p.standard()
                ? (spec.enablementTime() == null ? DEFAULT_ENABLEMENT_TIME : spec.enablementTime()) : null;
        return p;
    }

    public static EmulatedPricing free(String name) {
        return from(name, PricingSpec.free());
    }

    public static ArrayNode defaultP2Extensions() {
        ArrayNode ext = Json.arr();
        ext.addObject().put("name", "MdeDesignatedSubscription").put("isEnabled", "False");
        ext.addObject().put("name", "AgentlessVmScanning").put("isEnabled", "True");
        return ext;
    }
}
