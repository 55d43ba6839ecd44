package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.model.IntegrationSetting;
import com.mdeonboarding.model.IntegrationSettings;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OsType;
import com.mdeonboarding.model.Plan;
import com.mdeonboarding.model.ResourcePricing;
import com.mdeonboarding.model.SubscriptionPosture;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Microsoft.Security: Defender plans (pricings), MDE integration settings, and the onboarding package. */
public final class DefenderForCloud {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArmClient arm;
    private final Clock clock;

    DefenderForCloud(ArmClient arm, Clock clock) {
        this.arm = arm;
        this.clock = clock;
    }

    /** Plan and settings of one subscription: two reads (pricing, settings list), and one per setting the list leaves out. */
    public SubscriptionPosture posture(String subscriptionId) {
        JsonNode pricing = arm.get(pricingPath("/subscriptions/" + subscriptionId), ApiVersions.PRICINGS).path("properties");
        return new SubscriptionPosture(subscriptionId, plan(pricing), Optional.of(settings(subscriptionId)),
                "FullyCovered".equalsIgnoreCase(pricing.path("resourcesCoverageStatus").asText("")));
    }

    /**
     * Only the integration settings: one read of the settings list, then each setting it leaves out read by name. The
     * list does not always hold them all (Microsoft's own Settings_List example, Security 2022-05-01, has no
     * WDATP_UNIFIED_SOLUTION), and a setting absent from it is never taken for false. One Settings_Get answers 404 for a
     * setting the subscription really does not have; it stays unknown.
     */
    public IntegrationSettings settings(String subscriptionId) {
        String path = "/subscriptions/" + subscriptionId + "/providers/Microsoft.Security/settings";
        Map<IntegrationSetting, Boolean> values = new EnumMap<>(IntegrationSetting.class);
        for (JsonNode s : arm.get(path, ApiVersions.SETTINGS).path("value")) {
            IntegrationSetting.byName(s.path("name").asText("")).ifPresent(setting -> enabled(s).ifPresent(v -> values.put(setting, v)));
        }
        for (IntegrationSetting setting : IntegrationSetting.values()) {
            if (!values.containsKey(setting)) {
                arm.find(path + "/" + setting.settingName(), ApiVersions.SETTINGS).flatMap(DefenderForCloud::enabled)
                        .ifPresent(v -> values.put(setting, v));
            }
        }
        return new IntegrationSettings(values, clock.instant());
    }

    /** A setting's {@code properties.enabled}: the settings API returns booleans; the policy templates send strings. */
    private static Optional<Boolean> enabled(JsonNode setting) {
        JsonNode enabled = setting.path("properties").path("enabled");
        if (enabled.isMissingNode() || enabled.isNull()) {
            return Optional.empty();
        }
        return Optional.of(enabled.isBoolean() ? enabled.asBoolean() : "true".equalsIgnoreCase(enabled.asText()));
    }

    /** A pricing's plan, from Pricings_Get properties or a Resource Graph row with the same field names. */
    static Plan plan(JsonNode p) {
        List<Plan.PlanExtension> extensions = new ArrayList<>();
        for (JsonNode e : p.path("extensions")) {
            extensions.add(new Plan.PlanExtension(AzureText.name(e.path("name").asText()),
                    "true".equalsIgnoreCase(e.path("isEnabled").asText())));
        }
        // Printed by the sweep report and the command line: escaped and bounded where they enter (issue #23 item 4).
        String subPlan = AzureText.name(p.path("subPlan").asText(""));
        return new Plan(AzureText.name(p.path("pricingTier").asText("Free")), subPlan.isEmpty() ? Optional.empty() : Optional.of(subPlan),
                AzureText.name(p.path("enforce").asText("")), extensions);
    }

    /** The machine's own pricing (inherited or set on the machine). Empty when Azure has none for it. */
    public Optional<ResourcePricing> resourcePricing(MachineId machine) {
        return arm.find(pricingPath(machine.id()), ApiVersions.PRICINGS).map(n -> n.path("properties"))
                .map(p -> new ResourcePricing(AzureText.name(p.path("pricingTier").asText("Free")),
                        Optional.ofNullable(p.path("subPlan").textValue()).filter(s -> !s.isEmpty()).map(AzureText::name),
                        !"false".equalsIgnoreCase(p.path("inherited").asText("true"))));
    }

    /**
     * Switches Defender for Servers off for one machine: resource-level pricing {@code VirtualMachines} = Free (api-version
     * 2024-01-01; azure-rest-api-specs specification/security/resource-manager/Microsoft.Security/stable/2024-01-01/examples/
     * Pricings/PutResourcePricingByNameVirtualMachines_example.json shows the PUT at a VM's scope). Defender for Cloud then
     * neither bills nor provisions MDE on it, so an exclusion tag holds for Defender for Cloud too.
     */
    public void putResourcePricingFree(MachineId machine) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("properties").put("pricingTier", "Free");
        arm.put(pricingPath(machine.id()), ApiVersions.PRICINGS, body);
    }

    /**
     * Removes the machine's own pricing so that it inherits its subscription's plan again (DeleteResourcePricing_example.json
     * of the same api-version: 200, or 204 when there was none).
     */
    public void deleteResourcePricing(MachineId machine) {
        arm.delete(pricingPath(machine.id()), ApiVersions.PRICINGS);
    }

    /** Both onboarding packages (one read returns both). Never log the result. */
    public OnboardingPackages onboardingPackages(String subscriptionId) {
        JsonNode n = arm.get("/subscriptions/" + subscriptionId + "/providers/Microsoft.Security/mdeOnboardings/default",
                ApiVersions.MDE_ONBOARDINGS);
        JsonNode p = n.path("properties");
        return new OnboardingPackages(p.path("onboardingPackageWindows").asText(""), p.path("onboardingPackageLinux").asText(""));
    }

    /** The Windows and Linux onboarding packages of a subscription, as one read returns them. {@link #toString()} is redacted. */
    public static final class OnboardingPackages {
        private final String windows;
        private final String linux;

        OnboardingPackages(String windows, String linux) {
            this.windows = windows;
            this.linux = linux;
        }

        /** The package for this OS (Windows for anything not Linux); fails when Azure returned none. */
        public OnboardingPackage forOs(OsType os) {
            return new OnboardingPackage(os == OsType.LINUX ? linux : windows);
        }

        @Override
        public String toString() {
            return "OnboardingPackages[redacted]";
        }
    }

    /** Writes one integration setting (kind DataExportSettings). */
    public void putSetting(String subscriptionId, IntegrationSetting setting, boolean enabled) {
        ObjectNode body = JSON.createObjectNode();
        body.put("kind", "DataExportSettings");
        body.putObject("properties").put("enabled", enabled);
        arm.put("/subscriptions/" + subscriptionId + "/providers/Microsoft.Security/settings/" + setting.settingName(),
                ApiVersions.SETTINGS, body);
    }

    /** Sets the subscription's Defender for Servers plan in one write: tier, sub-plan and the plan extensions to keep. */
    public void putPlan(String subscriptionId, Plan plan) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode p = body.putObject("properties");
        p.put("pricingTier", plan.pricingTier());
        plan.subPlan().ifPresent(s -> p.put("subPlan", s));
        if (!plan.extensions().isEmpty()) {
            ArrayNode ext = p.putArray("extensions");
            for (Plan.PlanExtension e : plan.extensions()) {
                ext.addObject().put("name", e.name()).put("isEnabled", e.enabled() ? "True" : "False");
            }
        }
        arm.put(pricingPath("/subscriptions/" + subscriptionId), ApiVersions.PRICINGS, body);
    }

    private static String pricingPath(String scope) {
        return scope + "/providers/Microsoft.Security/pricings/VirtualMachines";
    }

}
