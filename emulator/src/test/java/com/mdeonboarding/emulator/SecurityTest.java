package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SecurityTest {
    @RegisterExtension
    final EmulatorExtension emulator = EmulatorExtension.sampleTenant();
    private static final String SUB_PRICING = "/subscriptions/" + Sample.PROD + "/providers/Microsoft.Security/pricings/";

    private static String resourcePricing(String vmName) {
        return Sample.vm("rg-prod-web", vmName) + "/providers/Microsoft.Security/pricings/VirtualMachines" + Sample.PRICING_API;
    }

    @Test
    void subscriptionPricingNameIsCaseInsensitive() {
        JsonNode p = emulator.client().get(SUB_PRICING + "virtualmachines" + Sample.PRICING_API).json();
        assertEquals("VirtualMachines", p.path("name").asText());
        assertEquals("Standard", p.at("/properties/pricingTier").asText());
        assertEquals("P2", p.at("/properties/subPlan").asText());
        assertEquals("False", p.at("/properties/enforce").asText());
        assertEquals("PartiallyCovered", p.at("/properties/resourcesCoverageStatus").asText(),
                "vm-prod-resource-plan-free opts out at resource level");
        JsonNode list = emulator.client().get(SUB_PRICING.substring(0, SUB_PRICING.length() - 1) + Sample.PRICING_API
                + "&$filter=name%20in%20(VirtualMachines,SqlServers)").json();
        assertEquals(2, list.path("value").size());
        assertEquals("Free", emulator.client().get("/subscriptions/" + Sample.DEV + "/providers/Microsoft.Security/pricings/VirtualMachines"
                + Sample.PRICING_API).json().at("/properties/pricingTier").asText());
    }

    @Test
    void resourcePricingInheritsUnlessSetOnTheResource() {
        JsonNode inherited = emulator.client().get(resourcePricing("vm-prod-win2022-new")).json();
        assertEquals("True", inherited.at("/properties/inherited").asText());
        assertEquals("/subscriptions/" + Sample.PROD, inherited.at("/properties/inheritedFrom").asText());
        assertEquals("P2", inherited.at("/properties/subPlan").asText());
        JsonNode own = emulator.client().get(resourcePricing("vm-prod-resource-plan-free")).json();
        assertEquals("False", own.at("/properties/inherited").asText());
        assertTrue(own.at("/properties/inheritedFrom").isNull());
        assertEquals("Free", own.at("/properties/pricingTier").asText());
    }

    @Test
    void resourceLevelPlan2IsRefusedAndPlan1Accepted() {
        TestClient.Resp p2 = emulator.client().put(resourcePricing("vm-prod-win2022-new"),
                Map.of("properties", Map.of("pricingTier", "Standard", "subPlan", "P2")));
        assertEquals(400, p2.status());
        assertEquals("InvalidInputJson", p2.json().at("/error/code").asText());
        TestClient.Resp p1 = emulator.client().put(resourcePricing("vm-prod-win2022-new"),
                Map.of("properties", Map.of("pricingTier", "Standard", "subPlan", "P1")));
        assertEquals(201, p1.status(), p1.body());
        assertEquals("False", p1.json().at("/properties/inherited").asText());
        assertEquals("P1", emulator.client().get(resourcePricing("vm-prod-win2022-new")).json().at("/properties/subPlan").asText());
        assertEquals("P1", emulator.state().resourcePricing(Sample.vm("rg-prod-web", "vm-prod-win2022-new")).subPlan());
        assertEquals(200, emulator.client().put(resourcePricing("vm-prod-win2022-new"),
                Map.of("properties", Map.of("pricingTier", "Free"))).status());
        assertEquals(200, emulator.client().delete(resourcePricing("vm-prod-win2022-new")).status());
        assertEquals(204, emulator.client().delete(resourcePricing("vm-prod-win2022-new")).status());
        assertEquals("True", emulator.client().get(resourcePricing("vm-prod-win2022-new")).json().at("/properties/inherited").asText());
        String arcPricing = Sample.arc("arc-ubuntu2204-connected") + "/providers/Microsoft.Security/pricings/VirtualMachines" + Sample.PRICING_API;
        assertEquals(201, emulator.client().put(arcPricing, Map.of("properties", Map.of("pricingTier", "Standard", "subPlan", "P1"))).status());
        assertEquals(400, emulator.client().delete(SUB_PRICING + "VirtualMachines" + Sample.PRICING_API).status());
    }

    @Test
    void agentlessScanningWithPlan1IsRefusedWithTheServiceMessage() {
        TestClient.Resp r = emulator.client().put(SUB_PRICING + "VirtualMachines" + Sample.PRICING_API, Map.of("properties",
                Map.of("pricingTier", "Standard", "subPlan", "P1",
                        "extensions", List.of(Map.of("name", "AgentlessVmScanning", "isEnabled", "True")))));
        assertEquals(400, r.status());
        assertEquals("InvalidInputJson", r.json().at("/error/code").asText());
        assertEquals("Extension with name 'AgentlessVmScanning' is not supported for 'VirtualMachines' plan and 'P1' SubPlan",
                r.json().at("/error/message").asText());
        TestClient.Resp ok = emulator.client().put(SUB_PRICING + "VirtualMachines" + Sample.PRICING_API,
                Map.of("properties", Map.of("pricingTier", "Standard", "subPlan", "P1", "enforce", "True")));
        assertEquals(200, ok.status(), ok.body());
        assertTrue(ok.json().at("/properties/extensions").toString().indexOf("AgentlessVmScanning") < 0,
                "moving to P1 drops the P2-only extension");
        assertEquals("P1", emulator.state().pricing(Sample.PROD).subPlan());
        // Enforced at the subscription: resources can no longer override, and report the subscription's plan.
        assertEquals(400, emulator.client().put(resourcePricing("vm-prod-win2022-new"),
                Map.of("properties", Map.of("pricingTier", "Free"))).status());
        assertEquals("True", emulator.client().get(resourcePricing("vm-prod-resource-plan-free")).json().at("/properties/inherited").asText());
    }

    @Test
    void settingsReadAndWrite() {
        String base = "/subscriptions/" + Sample.LINUX + "/providers/Microsoft.Security/settings";
        JsonNode list = emulator.client().get(base + "?api-version=2022-05-01").json();
        assertEquals(5, list.path("value").size());
        JsonNode exclude = emulator.client().get(base + "/WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW?api-version=2022-05-01").json();
        assertEquals("DataExportSettings", exclude.path("kind").asText());
        assertTrue(exclude.at("/properties/enabled").asBoolean());
        assertEquals("AlertSyncSettings", emulator.client().get(base + "/Sentinel?api-version=2022-05-01").json().path("kind").asText());
        TestClient.Resp put = emulator.client().put(base + "/WDATP_UNIFIED_SOLUTION?api-version=2022-05-01",
                Map.of("kind", "DataExportSettings", "properties", Map.of("enabled", true)));
        assertEquals(200, put.status());
        assertTrue(emulator.state().setting(Sample.LINUX, "WDATP_UNIFIED_SOLUTION"));
        assertEquals(400, emulator.client().put(base + "/WDATP?api-version=2022-05-01",
                Map.of("kind", "AlertSyncSettings", "properties", Map.of("enabled", true))).status());
        assertEquals(400, emulator.client().get(base + "/WDATP?api-version=2021-10-01-preview").status());
    }

    @Test
    void mdeOnboardingPackagesAreThisTenantsFakePackage() {
        String base = "/subscriptions/" + Sample.PROD + "/providers/Microsoft.Security/mdeOnboardings";
        JsonNode def = emulator.client().get(base + "/default?api-version=2021-10-01-preview").json();
        byte[] windows = Base64.getDecoder().decode(def.at("/properties/onboardingPackageWindows").asText());
        assertArrayEquals(emulator.state().onboardingPackageWindows(), windows);
        assertTrue(new String(windows, StandardCharsets.UTF_8).contains(emulator.state().onboardingPackageMarker()));
        byte[] linux = Base64.getDecoder().decode(def.at("/properties/onboardingPackageLinux").asText());
        assertTrue(new String(linux, StandardCharsets.UTF_8).contains(emulator.state().onboardingPackageMarker()));
        assertEquals("Windows", emulator.client().get(base + "/windows?api-version=2021-10-01-preview").json().path("name").asText());
        assertEquals(1, emulator.client().get(base + "?api-version=2021-10-01-preview").json().path("value").size());
        assertEquals(404, emulator.client().get(base + "/other?api-version=2021-10-01-preview").status());
        try (TestEmulator emu = TestEmulator.start()) {
            assertTrue(!emu.state().onboardingPackageMarker().equals(emulator.state().onboardingPackageMarker()));
        }
    }
}
