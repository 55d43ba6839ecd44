package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HybridComputeTest {
    @RegisterExtension
    final EmulatorExtension emulator = EmulatorExtension.sampleTenant();

    static Map<String, Object> mde(String name, String machineId) {
        return Map.of("location", "westeurope", "properties", Map.of("publisher",
                "Microsoft.Azure.AzureDefenderForServers", "type", name, "typeHandlerVersion", "1.0",
                "settings", Map.of("azureResourceId", machineId),
                "protectedSettings", Map.of("defenderForEndpointOnboardingScript", "cGtn")));
    }

    @Test
    void machineReportsStatusAndOperatingSystem() {
        JsonNode m = emulator.client().get(Sample.arc("arc-ws2012r2-connected") + Sample.HYBRID_API).json();
        JsonNode p = m.path("properties");
        assertEquals("Connected", p.path("status").asText());
        assertEquals("windows", p.path("osName").asText());
        assertEquals("windows", p.path("osType").asText());
        assertEquals("Windows Server 2012 R2 Datacenter", p.path("osSku").asText());
        assertEquals("6.3.9600.21620", p.path("osVersion").asText());
        assertTrue(p.hasNonNull("agentVersion"));
        assertTrue(p.hasNonNull("lastStatusChange"));
        assertEquals("Expired", emulator.client().get(Sample.arc("arc-rhel9-expired") + Sample.HYBRID_API + "&$expand=instanceView")
                .json().at("/properties/status").asText());
        assertEquals(200, emulator.client().get(Sample.arc("arc-ws2019-disconnected") + "?api-version=2024-07-10").status());
        TestClient.Resp bad = emulator.client().get(Sample.arc("arc-ws2019-disconnected") + "?api-version=2019-01-01");
        assertEquals(400, bad.status());
        assertEquals("NoRegisteredProviderFound", bad.json().at("/error/code").asText());
    }

    @Test
    void listBySubscriptionPages() {
        try (TestEmulator emu = TestEmulator.start(b -> b.pageSize(3))) {
            TestClient c = emu.client();
            String url = "/subscriptions/" + Sample.PROD + "/providers/Microsoft.HybridCompute/machines" + Sample.HYBRID_API;
            int count = 0;
            while (url != null) {
                JsonNode page = c.get(url).json();
                count += page.path("value").size();
                url = page.hasNonNull("nextLink") ? page.path("nextLink").asText() : null;
            }
            assertEquals(7, count);
        }
    }

    @Test
    void extensionPutIsAcceptedAndPolledToSucceeded() {
        String m = Sample.arc("arc-ubuntu2204-connected");
        TestClient.Resp put = emulator.client().put(m + "/extensions/MDE.Linux" + Sample.HYBRID_API, mde("MDE.Linux", m));
        assertEquals(202, put.status());
        assertTrue(put.header("Azure-AsyncOperation").orElseThrow().contains("/providers/Microsoft.HybridCompute/locations/westeurope/operationStatus/"));
        assertTrue(put.header("Location").orElseThrow().contains("/operationResults/"));
        assertEquals("Creating", emulator.client().get(m + "/extensions/MDE.Linux" + Sample.HYBRID_API).json()
                .at("/properties/provisioningState").asText());
        assertEquals(202, emulator.client().get(put.header("Location").get()).status());
        assertEquals("Succeeded", emulator.client().awaitOperation(put).path("status").asText());
        TestClient.Resp result = emulator.client().get(put.header("Location").get());
        assertEquals(200, result.status());
        JsonNode ext = emulator.client().get(m + "/extensions/MDE.Linux" + Sample.HYBRID_API).json();
        assertEquals("Succeeded", ext.at("/properties/provisioningState").asText());
        assertEquals("success", ext.at("/properties/instanceView/status/code").asText());
        assertEquals("Information", ext.at("/properties/instanceView/status/level").asText());
        assertFalse(ext.toString().contains("cGtn"));
        assertEquals("cGtn", emulator.state().protectedSettingsOf(m + "/extensions/MDE.Linux").orElseThrow()
                .get("defenderForEndpointOnboardingScript"));
        assertEquals(1, emulator.client().get(m + "/extensions" + Sample.HYBRID_API).json().path("value").size());

        TestClient.Resp del = emulator.client().delete(m + "/extensions/MDE.Linux" + Sample.HYBRID_API);
        assertEquals(202, del.status());
        emulator.client().awaitOperation(del);
        assertEquals(404, emulator.client().get(m + "/extensions/MDE.Linux" + Sample.HYBRID_API).status());
    }

    @Test
    void disconnectedMachineFailsExtensionOperations() {
        String m = Sample.arc("arc-ws2019-disconnected");
        JsonNode op = emulator.client().awaitOperation(emulator.client().put(m + "/extensions/MDE.Windows" + Sample.HYBRID_API, mde("MDE.Windows", m)));
        assertEquals("Failed", op.path("status").asText());
        JsonNode ext = emulator.client().get(m + "/extensions/MDE.Windows" + Sample.HYBRID_API).json();
        assertEquals("Failed", ext.at("/properties/provisioningState").asText());
        assertEquals("Error", ext.at("/properties/instanceView/status/level").asText());
    }

    @Test
    void scriptedExtensionFailureOnArc() {
        String m = Sample.arc("arc-ws2012r2-connected");
        emulator.state().setExtensionOutcome(m, ExtensionOutcome.failed("ProvisioningState/failed/51",
                "Onboarding to MDE via Microsoft Defender for Cloud for this operating system is not supported"));
        JsonNode op = emulator.client().awaitOperation(emulator.client().put(m + "/extensions/MDE.Windows" + Sample.HYBRID_API, mde("MDE.Windows", m)));
        assertEquals("Failed", op.path("status").asText());
        JsonNode status = emulator.client().get(m + "/extensions/MDE.Windows" + Sample.HYBRID_API).json().at("/properties/instanceView/status");
        assertEquals("ProvisioningState/failed/51", status.path("code").asText());
        assertTrue(status.path("message").asText().contains("not supported"));
    }

    @Test
    void runCommandReturnsOutputInInstanceView() {
        String m = Sample.arc("arc-ws2012r2-connected");
        Map<String, Object> body = Map.of("location", "westeurope", "properties", Map.of(
                "source", Map.of("script", "# mde-prereq\nGet-HotFix"), "asyncExecution", false,
                "runAsPassword", "secret", "timeoutInSeconds", 600));
        TestClient.Resp put = emulator.client().put(m + "/runCommands/mde-prereq-check" + Sample.HYBRID_API, body);
        assertEquals(201, put.status(), put.body());
        assertEquals("Creating", put.json().at("/properties/provisioningState").asText());
        assertFalse(put.body().contains("secret"), "runAsPassword is write-only");
        assertEquals("Succeeded", emulator.client().awaitOperation(put).path("status").asText());
        JsonNode rc = emulator.client().get(m + "/runCommands/mde-prereq-check" + Sample.HYBRID_API).json();
        JsonNode iv = rc.at("/properties/instanceView");
        assertEquals("Succeeded", rc.at("/properties/provisioningState").asText());
        assertEquals("Succeeded", iv.path("executionState").asText());
        assertEquals(0, iv.path("exitCode").asInt());
        assertTrue(iv.path("output").asText().contains("\"check\":\"mde-prereq\""));
        assertTrue(iv.path("output").asText().contains("KB2999226"));
        assertEquals("", iv.path("error").asText());
        assertEquals("# mde-prereq\nGet-HotFix", emulator.state().runCommandsReceived(m).get(0).script());
        assertEquals(200, emulator.client().delete(m + "/runCommands/mde-prereq-check" + Sample.HYBRID_API).status());
        assertEquals(404, emulator.client().get(m + "/runCommands/mde-prereq-check" + Sample.HYBRID_API).status());
    }

    @Test
    void runCommandExitCodeAndDisconnectedMachine() {
        String m = Sample.arc("arc-ubuntu2204-connected");
        emulator.state().setRunCommandOutput(m, Map.of("stdout", "", "stderr", "boom", "exitCode", 3));
        TestClient.Resp put = emulator.client().put(m + "/runCommands/x" + Sample.HYBRID_API,
                Map.of("properties", Map.of("source", Map.of("script", "exit 3"))));
        emulator.client().awaitOperation(put);
        JsonNode iv = emulator.client().get(m + "/runCommands/x" + Sample.HYBRID_API).json().at("/properties/instanceView");
        assertEquals("Failed", iv.path("executionState").asText());
        assertEquals(3, iv.path("exitCode").asInt());
        assertEquals("boom", iv.path("error").asText());

        String off = Sample.arc("arc-ws2019-disconnected");
        TestClient.Resp put2 = emulator.client().put(off + "/runCommands/x" + Sample.HYBRID_API,
                Map.of("properties", Map.of("source", Map.of("script", "hostname"))));
        assertEquals("Failed", emulator.client().awaitOperation(put2).path("status").asText());
    }
}
