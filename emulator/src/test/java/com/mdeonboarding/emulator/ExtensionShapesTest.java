package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * One renderer serves both providers; their real differences stay (published examples
 * Compute__VirtualMachineExtension_Get_MaximumSet_Gen.json and HybridCompute__Extension_Get.json).
 */
class ExtensionShapesTest {
    @Test
    void computeShowsTheInstanceViewOnlyOnRequestWithAStatusesArray() {
        try (TestEmulator emu = TestEmulator.start()) {
            TestClient c = emu.client();
            String ext = Sample.vm("rg-prod-web", "vm-prod-win2022-onboarded") + "/extensions/MDE.Windows" + Sample.COMPUTE_API;
            JsonNode plain = c.get(ext).json();
            assertEquals("Microsoft.Compute/virtualMachines/extensions", plain.path("type").asText());
            assertEquals("Succeeded", plain.at("/properties/provisioningState").asText());
            assertFalse(plain.path("properties").has("instanceView"), "instanceView only with $expand");
            JsonNode iv = c.get(ext + "&$expand=instanceView").json().at("/properties/instanceView");
            assertEquals("ProvisioningState/succeeded", iv.at("/statuses/0/code").asText());
            assertEquals("Info", iv.at("/statuses/0/level").asText());
            assertTrue(iv.path("substatuses").isArray());
            assertFalse(iv.has("status"));
        }
    }

    @Test
    void hybridComputeAlwaysShowsTheInstanceViewWithOneStatusObject() {
        try (TestEmulator emu = TestEmulator.start()) {
            TestClient c = emu.client();
            JsonNode e = c.get(Sample.arc("arc-ws2022-onboarded") + "/extensions/MDE.Windows" + Sample.HYBRID_API).json();
            assertEquals("Microsoft.HybridCompute/machines/extensions", e.path("type").asText(), e.toString());
            JsonNode iv = e.at("/properties/instanceView");
            assertEquals("success", iv.at("/status/code").asText());
            assertEquals("Information", iv.at("/status/level").asText());
            assertFalse(iv.has("statuses"));
            assertEquals(e, c.get(Sample.arc("arc-ws2022-onboarded") + Sample.HYBRID_API).json().at("/resources/0"),
                    "the machine's resources[] renders the same extension the same way");
        }
    }
}
