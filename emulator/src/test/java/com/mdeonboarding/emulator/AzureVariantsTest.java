package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.emulator.events.EventVariant;
import com.mdeonboarding.emulator.providers.HybridComputeProvider;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real Azure behaviours the emulator produces when asked (per tenant or per machine), besides its defaults: each
 * is a shape some provider really answers, which the app must survive.
 */
class AzureVariantsTest {

    @Test
    void operationsCanReportAnotherStatusWhileTheyRun() {
        try (TestEmulator emu = TestEmulator.start()) {
            emu.arm().runningOperationStatus("Updating");
            String vm = Sample.vm("rg-prod-web", "vm-prod-win2022-new");
            TestClient.Resp run = emu.client().post(vm + "/runCommand" + Sample.COMPUTE_API,
                    Map.of("commandId", "RunPowerShellScript", "script", List.of("hostname")));
            JsonNode running = emu.client().get(run.header("Azure-AsyncOperation").orElseThrow()).json();
            assertEquals("Updating", running.path("status").asText());
            assertEquals("Succeeded", emu.client().awaitOperation(run).path("status").asText(), "terminal states are unchanged");
        }
    }

    @Test
    void longRunningOperationsCanAnswerWithLocationOnly() {
        try (TestEmulator emu = TestEmulator.start()) {
            emu.arm().locationOnlyOperations(true);
            String vm = Sample.vm("rg-prod-web", "vm-prod-win2022-onboarded");
            TestClient.Resp del = emu.client().delete(vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API);
            assertEquals(202, del.status());
            assertFalse(del.header("Azure-AsyncOperation").isPresent());
            String location = del.header("Location").orElseThrow();
            assertEquals(202, emu.client().get(location).status(), "202 while it runs");
            emu.arm().advanceTime(Duration.ofMillis(150));
            assertEquals(204, emu.client().get(location).status(), "a delete ends with 204 No Content");
            TestClient.Resp put = emu.client().put(Sample.arc("arc-ws2012r2-connected") + "/runCommands/check" + Sample.HYBRID_API,
                    Map.of("location", "westeurope", "properties", Map.of("source", Map.of("script", "hostname"))));
            assertEquals(202, put.status());
            assertTrue(put.body().isEmpty());
            emu.arm().advanceTime(Duration.ofMillis(150));
            TestClient.Resp result = emu.client().get(put.header("Location").orElseThrow());
            assertEquals(200, result.status(), "a PUT ends with 200 and the resource");
            assertEquals("Succeeded", result.json().at("/properties/provisioningState").asText());
        }
    }

    /** Azure/azure-resource-manager-rpc PR #114: a 200 with Azure-AsyncOperation is still running. */
    @Test
    void reRunningAnArcRunCommandAnswers200WithAzureAsyncOperationAndANonTerminalState() {
        try (TestEmulator emu = TestEmulator.start()) {
            String rc = Sample.arc("arc-ws2012r2-connected") + "/runCommands/check" + Sample.HYBRID_API;
            Map<String, Object> body = Map.of("location", "westeurope", "properties", Map.of("source", Map.of("script", "hostname")));
            TestClient.Resp first = emu.client().put(rc, body);
            assertEquals(201, first.status());
            emu.client().awaitOperation(first);
            TestClient.Resp again = emu.client().put(rc, body);
            assertEquals(200, again.status());
            assertTrue(again.header("Azure-AsyncOperation").isPresent());
            assertEquals("Updating", again.json().at("/properties/provisioningState").asText());
            assertEquals("Pending", emu.client().get(rc).json().at("/properties/instanceView/executionState").asText());
            assertEquals("Succeeded", emu.client().awaitOperation(again).path("status").asText());
            assertEquals("Succeeded", emu.client().get(rc).json().at("/properties/instanceView/executionState").asText());
        }
    }

    @Test
    void eventsCanCarryTheShapesAzureHasSent() throws Exception {
        java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (TestEmulator emu = TestEmulator.start(b -> b.onEvent(received::add))) {
            emu.arm().eventVariants(EventVariant.values());
            String vm = emu.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(Sample.PROD)
                    .resourceGroup("RG-Events").name("vm-variant").build());
            emu.state().setTags(vm, Map.of("a", "b"));
            JsonNode write = TestClient.MAPPER.readTree(received.get(1)).get(0);
            assertTrue(write.at("/data/authorization/evidence").isArray());
            assertTrue(write.at("/data/claims").isTextual());
            assertTrue(TestClient.MAPPER.readTree(write.at("/data/claims").asText()).has("aud"));
            assertTrue(write.at("/data/httpRequest").isTextual(), "an update carries httpRequest: " + write);
            assertTrue(write.path("subject").asText().contains("/resourcegroups/RG-Events/"), write.toString());
            assertEquals(write.path("subject").asText(), write.at("/data/resourceUri").asText());
        }
    }

    /** Microsoft's own Settings_List example (Security 2022-05-01) has no WDATP_UNIFIED_SOLUTION. */
    @Test
    void aSettingCanBeLeftOutOfTheListAndStillBeReadByName() {
        try (TestEmulator emu = TestEmulator.start()) {
            emu.state().setSettingListed(Sample.PROD, "WDATP_UNIFIED_SOLUTION", false);
            String settings = "/subscriptions/" + Sample.PROD + "/providers/Microsoft.Security/settings";
            JsonNode list = emu.client().get(settings + "?api-version=2022-05-01").json().path("value");
            for (JsonNode s : list) {
                assertFalse(s.path("name").asText().equals("WDATP_UNIFIED_SOLUTION"), list.toString());
            }
            assertEquals(4, list.size());
            JsonNode one = emu.client().get(settings + "/WDATP_UNIFIED_SOLUTION?api-version=2022-05-01").json();
            assertTrue(one.at("/properties/enabled").asBoolean(), one.toString());
            emu.client().put(settings + "/WDATP_UNIFIED_SOLUTION?api-version=2022-05-01",
                    Map.of("kind", "DataExportSettings", "properties", Map.of("enabled", true)));
            assertEquals(5, emu.client().get(settings + "?api-version=2022-05-01").json().path("value").size(), "written: listed again");
        }
    }

    /** A new VM's write event arrives while it is Creating and before its agent reports Ready. */
    @Test
    void aVmCanStillBeBeingCreatedAndBecomeReadyLater() {
        try (TestEmulator emu = TestEmulator.start()) {
            String vm = emu.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(Sample.PROD).name("vm-creating").build());
            emu.state().provisionVmAfter(vm, java.time.Duration.ofMillis(400));
            JsonNode creating = emu.client().get(vm + Sample.COMPUTE_API + "&$expand=instanceView").json();
            assertEquals("Creating", creating.at("/properties/provisioningState").asText());
            assertEquals("Not Ready", creating.at("/properties/instanceView/vmAgent/statuses/0/displayStatus").asText());
            assertEquals("ProvisioningState/creating", creating.at("/properties/instanceView/statuses/0/code").asText());
            emu.arm().advanceTime(Duration.ofMillis(400));
            JsonNode ready = emu.client().get(vm + Sample.COMPUTE_API + "&$expand=instanceView").json();
            assertEquals("Succeeded", ready.at("/properties/provisioningState").asText());
            assertEquals("Ready", ready.at("/properties/instanceView/vmAgent/statuses/0/displayStatus").asText());
        }
    }

    /** Another writer's MDE deployment: the PUT answers 409 and that writer's extension is there (MicrosoftDocs/azure-docs #11143). */
    @Test
    void anMdePutCanMeetAnotherWritersDeployment() {
        try (TestEmulator emu = TestEmulator.start()) {
            String vm = Sample.vm("rg-prod-web", "vm-prod-win2022-new");
            emu.state().foreignMdeDeploymentOnNextPut(vm);
            TestClient.Resp put = emu.client().put(vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API, ComputeTest.mdeWindows(vm));
            assertEquals(409, put.status(), put.body());
            assertEquals("Conflict", put.json().at("/error/code").asText());
            JsonNode foreign = emu.client().get(vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API).json();
            assertEquals("Creating", foreign.at("/properties/provisioningState").asText());
            assertTrue(emu.state().protectedSettingsOf(vm + "/extensions/MDE.Windows").isEmpty(), "not our package: not our write");
            emu.arm().advanceTime(Duration.ofMillis(150));
            assertEquals("Succeeded", emu.client().get(vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API).json()
                    .at("/properties/provisioningState").asText());
            assertEquals(201, emu.client().put(Sample.vm("rg-prod-web", "vm-prod-win2022-new") + "/extensions/Other" + Sample.COMPUTE_API,
                    Map.of("location", "westeurope", "properties", Map.of("publisher", "p", "type", "Other", "typeHandlerVersion", "1.0")))
                    .status(), "only the next MDE write meets it");
        }
    }

    /** Run commands need the Connected Machine agent 1.33 or later (learn: "REST API requests for Run command on Azure Arc-enabled servers"). */
    @Test
    void anArcAgentOlderThan133DoesNotRunRunCommands() {
        try (TestEmulator emu = TestEmulator.start()) {
            String arc = emu.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(Sample.PROD).name("arc-old-agent")
                    .agentVersion("1.32.02466.1083").build());
            TestClient.Resp put = emu.client().put(arc + "/runCommands/check" + Sample.HYBRID_API,
                    Map.of("location", "westeurope", "properties", Map.of("source", Map.of("script", "hostname"))));
            JsonNode done = emu.client().awaitOperation(put);
            assertEquals("Failed", done.path("status").asText());
            assertTrue(done.at("/error/message").asText().contains("1.33"), done.toString());
            assertTrue(HybridComputeProvider.atLeast("1.33.02574.1097", 1, 33));
            assertTrue(HybridComputeProvider.atLeast("2.0", 1, 33));
            assertFalse(HybridComputeProvider.atLeast("1.9.1", 1, 33));
        }
    }

    /** A failed MDE.Windows on a VM carries the installer's log in substatuses (Azure/azure-cli #23663); on Arc, in the message. */
    @Test
    void aFailedMdeExtensionCarriesTheInstallersLog() {
        try (TestEmulator emu = TestEmulator.start()) {
            String log = "[Information] MDE onboarding package applicability: 0\r\n[Error] Failed to configure Microsoft Defender for Endpoint";
            String vm = Sample.vm("rg-prod-web", "vm-prod-win2022-new");
            emu.state().setExtensionOutcome(vm, ExtensionOutcome.failed("ProvisioningState/failed/51", "Enable failed").withLog(log));
            emu.client().awaitOperation(emu.client().put(vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API, ComputeTest.mdeWindows(vm)));
            JsonNode ext = emu.client().get(vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API + "&$expand=instanceView").json();
            assertEquals(log, ext.at("/properties/instanceView/substatuses/0/message").asText(), ext.toString());
            assertEquals("Enable failed", ext.at("/properties/instanceView/statuses/0/message").asText());
            JsonNode view = emu.client().get(vm + Sample.COMPUTE_API + "&$expand=instanceView").json();
            assertEquals(log, view.at("/properties/instanceView/extensions/0/substatuses/0/message").asText(), view.toString());

            String arc = Sample.arc("arc-ubuntu2204-connected");
            emu.state().setExtensionOutcome(arc, ExtensionOutcome.failed("1", "Enable failed").withLog(log));
            emu.client().awaitOperation(emu.client().put(arc + "/extensions/MDE.Linux" + Sample.HYBRID_API, HybridComputeTest.mde("MDE.Linux", arc)));
            assertEquals("Extension Message: Enable failed, executionlog: " + log, emu.client().get(arc + "/extensions/MDE.Linux"
                    + Sample.HYBRID_API).json().at("/properties/instanceView/status/message").asText());
        }
    }
}
