package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.emulator.state.TenantState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ComputeTest {
    @RegisterExtension
    final EmulatorExtension emulator = EmulatorExtension.sampleTenant();

    static Map<String, Object> mdeWindows(String vmId) {
        return Map.of("location", "westeurope", "properties", Map.of(
                "publisher", "Microsoft.Azure.AzureDefenderForServers", "type", "MDE.Windows",
                "typeHandlerVersion", "1.0", "autoUpgradeMinorVersion", true,
                "settings", Map.of("azureResourceId", vmId, "vNextEnabled", "true"),
                "protectedSettings", Map.of("defenderForEndpointOnboardingScript", "c2VjcmV0LXBhY2thZ2U=")));
    }

    @Test
    void vmGetWithInstanceViewReportsPowerAgentAndOs() {
        JsonNode vm = emulator.client().get(Sample.vm("rg-prod-web", "vm-prod-win2022-onboarded") + Sample.COMPUTE_API
                + "&$expand=instanceView").json();
        assertEquals("Windows", vm.at("/properties/storageProfile/osDisk/osType").asText());
        assertEquals("MicrosoftWindowsServer", vm.at("/properties/storageProfile/imageReference/publisher").asText());
        JsonNode iv = vm.at("/properties/instanceView");
        assertEquals("PowerState/running", iv.at("/statuses/1/code").asText());
        assertEquals("Ready", iv.at("/vmAgent/statuses/0/displayStatus").asText());
        assertEquals("Windows Server 2022 Datacenter Azure Edition", iv.path("osName").asText());
        assertEquals("MDE.Windows", iv.at("/extensions/0/name").asText());

        JsonNode agentDown = emulator.client().get(Sample.vm("rg-prod-web", "vm-prod-agent-not-ready") + "/instanceView"
                + Sample.COMPUTE_API).json();
        assertEquals("Not Ready", agentDown.at("/vmAgent/statuses/0/displayStatus").asText());
        JsonNode deallocated = emulator.client().get(Sample.vm("rg-prod-web", "vm-prod-deallocated") + "/instanceView"
                + Sample.COMPUTE_API).json();
        assertEquals("PowerState/deallocated", deallocated.at("/statuses/1/code").asText());
        assertTrue(deallocated.path("vmAgent").isMissingNode(), "a deallocated VM reports no agent");
        assertFalse(emulator.client().get(Sample.vm("rg-prod-web", "vm-prod-win2022-new") + Sample.COMPUTE_API).json()
                .path("properties").has("instanceView"), "instanceView only with $expand");
    }

    @Test
    void listAllPagesWithNextLink() {
        List<String> names = new ArrayList<>();
        String url = "/subscriptions/" + Sample.PROD + "/providers/Microsoft.Compute/virtualMachines" + Sample.COMPUTE_API;
        int pages = 0;
        try (TestEmulator emu = TestEmulator.start(b -> b.pageSize(5))) {
            TestClient c = emu.client();
            while (url != null) {
                JsonNode page = c.get(url).json();
                page.path("value").forEach(v -> names.add(v.path("name").asText()));
                url = page.hasNonNull("nextLink") ? page.path("nextLink").asText() : null;
                pages++;
            }
        }
        assertEquals(emulator.state().machines(Sample.PROD).stream().filter(m -> m.kind().equals("virtualMachine")).count(),
                names.size());
        assertEquals(names.stream().distinct().count(), names.size());
        assertEquals((names.size() + 4) / 5, pages);
    }

    @Test
    void extensionPutRunsAsLongRunningOperationAndSucceeds() {
        String vm = Sample.vm("rg-prod-web", "vm-prod-win2022-new");
        String ext = vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API;
        TestClient.Resp put = emulator.client().put(ext, mdeWindows(vm));
        assertEquals(201, put.status(), put.body());
        assertEquals("Creating", put.json().at("/properties/provisioningState").asText());
        assertTrue(put.header("Azure-AsyncOperation").orElseThrow().startsWith(emulator.arm().baseUrl() + "/subscriptions/"));
        assertTrue(put.header("Location").isPresent());
        assertFalse(put.body().contains("protectedSettings"), "protectedSettings are write-only");
        assertEquals("Creating", emulator.client().get(ext).json().at("/properties/provisioningState").asText());
        assertEquals("InProgress", emulator.client().get(put.header("Azure-AsyncOperation").get()).json().path("status").asText());

        JsonNode op = emulator.client().awaitOperation(put);
        assertEquals("Succeeded", op.path("status").asText());
        JsonNode got = emulator.client().get(vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API + "&$expand=instanceView").json();
        assertEquals("Succeeded", got.at("/properties/provisioningState").asText());
        assertEquals("ProvisioningState/succeeded", got.at("/properties/instanceView/statuses/0/code").asText());
        assertFalse(got.toString().contains("protectedSettings"));
        assertEquals("c2VjcmV0LXBhY2thZ2U=", emulator.state().protectedSettingsOf(vm + "/extensions/MDE.Windows")
                .orElseThrow().get("defenderForEndpointOnboardingScript"));
        assertEquals("Succeeded", emulator.state().extension(vm + "/extensions/mde.windows").orElseThrow().provisioningState());

        TestClient.Resp again = emulator.client().put(ext, mdeWindows(vm));
        assertEquals(200, again.status());
        assertEquals("Updating", again.json().at("/properties/provisioningState").asText());
        emulator.client().awaitOperation(again);
        assertEquals(1, emulator.client().get(vm + "/extensions" + Sample.COMPUTE_API).json().path("value").size());
    }

    @Test
    void extensionFailsWithTheScriptedStatus() {
        String vm = Sample.vm("rg-prod-web", "vm-prod-os-not-supported");
        TestClient.Resp put = emulator.client().put(vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API, mdeWindows(vm));
        JsonNode op = emulator.client().awaitOperation(put);
        assertEquals("Failed", op.path("status").asText());
        assertEquals("VMExtensionProvisioningError", op.at("/error/code").asText());
        assertTrue(op.at("/error/message").asText().contains("for this operating system is not supported"));
        JsonNode ext = emulator.client().get(vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API + "&$expand=instanceView").json();
        assertEquals("Failed", ext.at("/properties/provisioningState").asText());
        JsonNode status = ext.at("/properties/instanceView/statuses/0");
        assertEquals("ProvisioningState/failed/51", status.path("code").asText());
        assertEquals("Error", status.path("level").asText());
        assertEquals("Provisioning failed", status.path("displayStatus").asText());
        assertTrue(status.path("message").asText().endsWith(
                "Onboarding to MDE via Microsoft Defender for Cloud for this operating system is not supported"));
    }

    @Test
    void failTimesFailsOnlyTheFirstAttempts() {
        String vm = Sample.vm("rg-prod-web", "vm-prod-flaky-extension");
        String ext = vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API;
        assertEquals("Failed", emulator.client().awaitOperation(emulator.client().put(ext, mdeWindows(vm))).path("status").asText());
        assertEquals("Succeeded", emulator.client().awaitOperation(emulator.client().put(ext, mdeWindows(vm))).path("status").asText());
    }

    @Test
    void agentNotReadyAndStoppedVmsFailLikeAzure() {
        String vm = Sample.vm("rg-prod-web", "vm-prod-agent-not-ready");
        JsonNode op = emulator.client().awaitOperation(emulator.client().put(vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API, mdeWindows(vm)));
        assertEquals("VMAgentStatusCommunicationError", op.at("/error/code").asText());

        String stopped = Sample.vm("rg-prod-web", "vm-prod-deallocated");
        TestClient.Resp put = emulator.client().put(stopped + "/extensions/MDE.Windows" + Sample.COMPUTE_API, mdeWindows(stopped));
        assertEquals(409, put.status());
        assertEquals("OperationNotAllowed", put.json().at("/error/code").asText());
        assertEquals("Cannot modify extensions in the VM when the VM is not running.", put.json().at("/error/message").asText());
        TestClient.Resp run = emulator.client().post(stopped + "/runCommand" + Sample.COMPUTE_API,
                Map.of("commandId", "RunPowerShellScript", "script", List.of("hostname")));
        assertEquals(409, run.status());
        assertEquals("OperationNotAllowed", run.json().at("/error/code").asText());
    }

    @Test
    void missingResourcesGetArmErrors() {
        TestClient.Resp vm = emulator.client().get(Sample.vm("rg-prod-web", "nope") + Sample.COMPUTE_API);
        assertEquals(404, vm.status());
        assertEquals("ResourceNotFound", vm.json().at("/error/code").asText());
        assertEquals("The Resource 'Microsoft.Compute/virtualMachines/nope' under resource group 'rg-prod-web' was not found. "
                + "For more details please go to https://aka.ms/ARMResourceNotFoundFix", vm.json().at("/error/message").asText());
        assertEquals("ResourceGroupNotFound", emulator.client().get(Sample.vm("rg-nope", "x") + Sample.COMPUTE_API).json()
                .at("/error/code").asText());
        TestClient.Resp ext = emulator.client().get(Sample.vm("rg-prod-web", "vm-prod-win2022-new") + "/extensions/MDE.Windows" + Sample.COMPUTE_API);
        assertEquals(404, ext.status());
        assertEquals("NotFound", ext.json().at("/error/code").asText());
    }

    @Test
    void deleteExtensionIsLongRunningAndIdempotent() {
        String vm = Sample.vm("rg-prod-web", "vm-prod-win2022-onboarded");
        String ext = vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API;
        TestClient.Resp del = emulator.client().delete(ext);
        assertEquals(202, del.status());
        assertEquals("Deleting", emulator.client().get(ext).json().at("/properties/provisioningState").asText());
        assertEquals("Succeeded", emulator.client().awaitOperation(del).path("status").asText());
        assertEquals(404, emulator.client().get(ext).status());
        assertEquals(204, emulator.client().delete(ext).status());
    }

    @Test
    void runCommandReturnsScriptedOutputThroughTheLocationUrl() {
        String vm = Sample.vm("rg-prod-data", "vm-prod-ws2012r2-missing-kb");
        TestClient.Resp run = emulator.client().post(vm + "/runCommand" + Sample.COMPUTE_API, Map.of("commandId",
                "RunPowerShellScript", "script", List.of("# mde-prereq check", "Get-HotFix")));
        assertEquals(202, run.status(), run.body());
        assertEquals("Succeeded", emulator.client().awaitOperation(run).path("status").asText());
        JsonNode result = emulator.client().get(run.header("Location").orElseThrow()).json();
        assertEquals("ComponentStatus/StdOut/succeeded", result.at("/value/0/code").asText());
        assertEquals("Provisioning succeeded", result.at("/value/0/displayStatus").asText());
        assertTrue(result.at("/value/0/message").asText().contains("\"kind\":\"windows-downlevel\""));
        assertTrue(!result.at("/value/0/message").asText().contains("KB2999226"), "the hotfix is missing");
        assertEquals("ComponentStatus/StdErr/succeeded", result.at("/value/1/code").asText());
        assertEquals("", result.at("/value/1/message").asText());
        TenantState.RunCommandRecord rec = emulator.state().runCommandsReceived(vm).get(0);
        assertEquals("RunPowerShellScript", rec.commandId());
        assertEquals("# mde-prereq check\nGet-HotFix", rec.script());

        // No marker matches and there is no "default": empty output.
        TestClient.Resp other = emulator.client().post(vm + "/runCommand" + Sample.COMPUTE_API,
                Map.of("commandId", "RunPowerShellScript", "script", List.of("hostname")));
        emulator.client().awaitOperation(other);
        assertEquals("", emulator.client().get(other.header("Location").get()).json().at("/value/0/message").asText());
        // Wrong command for the OS.
        assertEquals(400, emulator.client().post(vm + "/runCommand" + Sample.COMPUTE_API,
                Map.of("commandId", "RunShellScript", "script", List.of("uname"))).status());
    }

    @Test
    void linuxRunCommandReportsBothStreamsInOneStatusAsAzureDoes() {
        String vm = Sample.vm("rg-prod-web", "vm-prod-ubuntu2204-new");
        emulator.state().setRunCommandOutput(vm, Map.of("stdout", "hello", "stderr", "warn", "exitCode", 0));
        TestClient.Resp run = emulator.client().post(vm + "/runCommand" + Sample.COMPUTE_API,
                Map.of("commandId", "RunShellScript", "script", List.of("echo hello")));
        emulator.client().awaitOperation(run);
        JsonNode result = emulator.client().get(run.header("Location").get()).json();
        assertEquals(1, result.path("value").size());
        assertEquals("Enable succeeded: \n[stdout]\nhello\n[stderr]\nwarn", result.at("/value/0/message").asText());
        // The Azure-AsyncOperation body carries the statuses too, as an array in properties.output (the service's
        // answer in Azure/azure-powershell #6302).
        assertEquals("hello", emulator.client().get(run.header("Azure-AsyncOperation").get()).json()
                .at("/properties/output/0/message").asText().split("\n")[2]);
    }
}
