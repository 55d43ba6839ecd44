package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.onboarding.MachineId;
import com.mdeonboarding.onboarding.OsType;
import com.mdeonboarding.onboarding.ResourcePricing;
import com.mdeonboarding.onboarding.SubscriptionPosture;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Microsoft.Security: Defender plans (pricings), MDE integration settings, and the onboarding package. */
public final class SecurityApi {
    public static final String WDATP = "WDATP";
    public static final String WDATP_UNIFIED_SOLUTION = "WDATP_UNIFIED_SOLUTION";
    public static final String WDATP_EXCLUDE_LINUX = "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArmClient arm;

    public SecurityApi(ArmClient arm) {
        this.arm = arm;
    }

    /** Plan and settings of one subscription: two reads (pricing, settings list). */
    public PostureReading posture(String subscriptionId) {
        JsonNode pricing = arm.get(pricingPath("/subscriptions/" + subscriptionId), ApiVersions.PRICINGS).path("properties");
        JsonNode settings = arm.get("/subscriptions/" + subscriptionId + "/providers/Microsoft.Security/settings", ApiVersions.SETTINGS);
        return new PostureReading(toPosture(subscriptionId, pricing, settings), fullyCovered(pricing));
    }

    /**
     * A subscription's posture plus whether its plan covers every machine. When it does, no machine
     * has a resource-level override, so the per-machine pricing read can be skipped.
     */
    public record PostureReading(SubscriptionPosture posture, boolean fullyCovered) {
    }

    /** Whether every machine of the subscription is covered by its plan (no resource-level overrides). */
    public static boolean fullyCovered(JsonNode pricingProperties) {
        return "FullyCovered".equalsIgnoreCase(pricingProperties.path("resourcesCoverageStatus").asText(""));
    }

    static SubscriptionPosture toPosture(String subscriptionId, JsonNode p, JsonNode settingsList) {
        List<SubscriptionPosture.PlanExtension> extensions = new ArrayList<>();
        for (JsonNode e : p.path("extensions")) {
            extensions.add(new SubscriptionPosture.PlanExtension(e.path("name").asText(), "true".equalsIgnoreCase(e.path("isEnabled").asText())));
        }
        Optional<Boolean> wdatp = Optional.empty();
        Optional<Boolean> unified = Optional.empty();
        Optional<Boolean> excludeLinux = Optional.empty();
        for (JsonNode s : settingsList.path("value")) {
            String name = s.path("name").asText("");
            JsonNode enabled = s.path("properties").path("enabled");
            if (enabled.isMissingNode()) {
                continue;
            }
            // The settings API returns booleans; the policy templates send strings. Accept both.
            Optional<Boolean> value = Optional.of(enabled.isBoolean() ? enabled.asBoolean() : "true".equalsIgnoreCase(enabled.asText()));
            if (name.equalsIgnoreCase(WDATP)) {
                wdatp = value;
            } else if (name.equalsIgnoreCase(WDATP_UNIFIED_SOLUTION)) {
                unified = value;
            } else if (name.equalsIgnoreCase(WDATP_EXCLUDE_LINUX)) {
                excludeLinux = value;
            }
        }
        String subPlan = p.path("subPlan").asText("");
        return new SubscriptionPosture(subscriptionId, p.path("pricingTier").asText("Free"),
                subPlan.isEmpty() ? Optional.empty() : Optional.of(subPlan),
                "true".equalsIgnoreCase(p.path("enforce").asText("")),
                extensions, wdatp, unified, excludeLinux);
    }

    /** Only the integration settings (one read); the plan fields of the result are not filled in. */
    public SubscriptionPosture settingsOnly(String subscriptionId) {
        JsonNode settings = arm.get("/subscriptions/" + subscriptionId + "/providers/Microsoft.Security/settings", ApiVersions.SETTINGS);
        return toPosture(subscriptionId, com.fasterxml.jackson.databind.node.MissingNode.getInstance(), settings);
    }

    /** Raw subscription pricing properties (for coverage and drift). */
    public JsonNode subscriptionPricing(String subscriptionId) {
        return arm.get(pricingPath("/subscriptions/" + subscriptionId), ApiVersions.PRICINGS).path("properties");
    }

    /** The machine's own pricing (inherited or set on the machine). Empty when Azure has none for it. */
    public Optional<ResourcePricing> resourcePricing(MachineId machine) {
        return arm.find(pricingPath(machine.id()), ApiVersions.PRICINGS).map(n -> n.path("properties"))
                .map(p -> new ResourcePricing(p.path("pricingTier").asText("Free"),
                        Optional.ofNullable(p.path("subPlan").textValue()).filter(s -> !s.isEmpty()),
                        !"false".equalsIgnoreCase(p.path("inherited").asText("true"))));
    }

    /** The onboarding package for the machine's OS. Never log the result. */
    public OnboardingPackage onboardingPackage(String subscriptionId, OsType os) {
        return onboardingPackages(subscriptionId).forOs(os);
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

    /** Enforce mode: switch one DataExportSettings setting. */
    public void putSetting(String subscriptionId, String name, boolean enabled) {
        ObjectNode body = JSON.createObjectNode();
        body.put("kind", "DataExportSettings");
        body.putObject("properties").put("enabled", enabled);
        arm.put("/subscriptions/" + subscriptionId + "/providers/Microsoft.Security/settings/" + name, ApiVersions.SETTINGS, body);
    }

    /** Enforce mode: set the subscription's Defender for Servers plan in one write. */
    public JsonNode putSubscriptionPricing(String subscriptionId, ObjectNode properties) {
        ObjectNode body = JSON.createObjectNode();
        body.set("properties", properties);
        return arm.put(pricingPath("/subscriptions/" + subscriptionId), ApiVersions.PRICINGS, body).body();
    }

    private static String pricingPath(String scope) {
        return scope + "/providers/Microsoft.Security/pricings/VirtualMachines";
    }
}
