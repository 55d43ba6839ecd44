package com.mdeonboarding.e2e;

import static com.mdeonboarding.e2e.OnboardingWorld.SUB_FREE;
import static com.mdeonboarding.e2e.OnboardingWorld.SUB_LINUX_EXCLUDED;
import static com.mdeonboarding.e2e.OnboardingWorld.SUB_OK;
import static com.mdeonboarding.e2e.OnboardingWorld.SUB_WDATP_OFF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.ReasonCode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end scenarios: the emulator creates machines and emits Event Grid events; they go
 * through the real trigger code, a real Azurite queue and the reconciler, against the emulator over HTTPS.
 */
class EventDrivenOnboardingTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static final String KB_MISSING_2012R2 = "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"windows-downlevel\",\"os\":\"2012R2\","
            + "\"build\":\"9600.19000\",\"hotfixes\":[\"KB2919355\",\"KB3080149\"],\"ucrt\":false,\"tdhVersion\":\"6.3.9600.17958\","
            + "\"defenderFeature\":\"Unknown\",\"defenderService\":\"Missing\",\"disableAntiSpyware\":false,\"proxy\":false,"
            + "\"endpoints\":{\"winatp-gw-cus.microsoft.com\":true,\"events.data.microsoft.com\":true}}";
    static final String KB_PRESENT_2012R2 = KB_MISSING_2012R2.replace("\"KB2919355\"", "\"KB2919355\",\"KB2999226\"").replace("\"ucrt\":false", "\"ucrt\":true");

    private static String extensionState(OnboardingWorld w, String machineId) {
        return w.emulator.state().extensionsOf(machineId).stream()
                .filter(e -> e.type() != null && e.type().startsWith("MDE."))
                .map(TenantState.ExtensionInfo::provisioningState).findFirst().orElse("none");
    }

    private static boolean allDecided(OnboardingWorld w, List<String> ids) {
        return ids.stream().allMatch(id -> {
            TableEntity row = w.stateRow(id);
            return row != null && !"DEPLOY".equals(row.getProperty("Decision")) && !"PENDING".equals(row.getProperty("Decision"));
        });
    }

    @Test
    void fourNewMachinesEndWithASucceededExtensionShapedLikeDefenderForClouds() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            String winVm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("win-vm").build());
            String linuxVm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("linux-vm").ubuntu2204().build());
            String winArc = s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("win-arc").build());
            String linuxArc = s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("linux-arc").ubuntu2204().build());
            List<String> all = List.of(winVm, linuxVm, winArc, linuxArc);

            w.deliverEvents(1);
            boolean decided = w.host.runUntil(() -> allDecided(w, all), TIMEOUT);
            assertTrue(decided, "all four decided; log:\n" + String.join("\n", w.host.logLines()));
            // Our own extension writes emitted events too: the trigger must ignore them (no new onboarding loop).
            w.deliverEvents(1);
            w.host.runUntil(() -> false, Duration.ofSeconds(2));

            for (String id : all) {
                assertEquals("ONBOARDED", w.stateRow(id).getProperty("Decision"), id);
                assertEquals("Succeeded", extensionState(w, id), id);
                boolean linux = id.endsWith("linux-vm") || id.endsWith("linux-arc");
                String name = linux ? "MDE.Linux" : "MDE.Windows";
                TenantState.ExtensionInfo ext = s.extensionsOf(id).stream().filter(e -> name.equals(e.name())).findFirst().orElseThrow();
                assertEquals("Microsoft.Azure.AzureDefenderForServers", ext.publisher());
                assertEquals(name, ext.type());
                assertEquals("1.0", ext.typeHandlerVersion());
                assertEquals(id, ext.settings().get("azureResourceId"));
                assertEquals(!linux, ext.settings().get("vNextEnabled"));
                assertEquals(false, ext.settings().get("forceReOnboarding"));
                assertEquals(true, ext.settings().get("autoUpdate"));
                Map<String, Object> secret = s.protectedSettingsOf(ext.id()).orElseThrow();
                assertEquals(Map.of("defenderForEndpointOnboardingScript",
                        linux ? s.onboardingPackageLinuxBase64() : s.onboardingPackageWindowsBase64()), secret);
            }
            long puts = w.emulator.requestLog().count("VirtualMachineExtensions_CreateOrUpdate")
                    + w.emulator.requestLog().count("MachineExtensions_CreateOrUpdate");
            assertEquals(4, puts, "exactly one extension PUT per machine");
            assertNoSecret(w);
        }
    }

    @Test
    void machinesThatViolateARuleEndWithTheirReasonAndNoExtension() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            Map<String, ReasonCode> expected = new LinkedHashMap<>();
            expected.put(s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("stopped").powerState("deallocated").build()),
                    ReasonCode.VM_NOT_RUNNING);
            expected.put(s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("no-agent").vmAgentReady(false).build()),
                    ReasonCode.VM_AGENT_NOT_READY);
            expected.put(s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("win10")
                    .osName("Windows 10 Pro").osVersion("10.0.19045").image("MicrosoftWindowsDesktop", "Windows-10", "win10-22h2-pro").build()),
                    ReasonCode.OS_UNSUPPORTED);
            expected.put(s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("arc-off").status("Disconnected").build()),
                    ReasonCode.ARC_DISCONNECTED);
            expected.put(s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("arc-expired").status("Expired").build()),
                    ReasonCode.ARC_EXPIRED);
            expected.put(s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("excluded")
                    .tag("MdeOnboardingExclude", "true").build()), ReasonCode.EXCLUDED_BY_TAG);
            expected.put(s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("connector")
                    .tag("MDFCSecurityConnector", "true").build()), ReasonCode.MANAGED_BY_SECURITY_CONNECTOR);
            expected.put(s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_FREE).name("free").build()),
                    ReasonCode.PLAN_NOT_ENABLED);
            expected.put(s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_WDATP_OFF).name("wdatp-off").build()),
                    ReasonCode.INTEGRATION_DISABLED);
            expected.put(s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_LINUX_EXCLUDED).name("linux-excluded")
                    .ubuntu2204().build()), ReasonCode.LINUX_INTEGRATION_DISABLED);

            w.deliverEvents(1);
            List<String> ids = List.copyOf(expected.keySet());
            // An agent that is not Ready may still become Ready: PENDING with a short back-off (BLOCKED after about an hour).
            assertTrue(w.host.runUntil(() -> allDecided(w, ids) || ids.stream().allMatch(id -> w.stateRow(id) != null
                    && (!"PENDING".equals(w.stateRow(id).getProperty("Decision"))
                            || String.valueOf(w.stateRow(id).getProperty("Reasons")).contains(ReasonCode.VM_AGENT_NOT_READY.name()))),
                    TIMEOUT), String.join("\n", w.host.logLines()));
            for (Map.Entry<String, ReasonCode> e : expected.entrySet()) {
                TableEntity row = w.stateRow(e.getKey());
                assertNotNull(row, e.getKey());
                String decision = String.valueOf(row.getProperty("Decision"));
                boolean skip = e.getValue() == ReasonCode.EXCLUDED_BY_TAG || e.getValue() == ReasonCode.MANAGED_BY_SECURITY_CONNECTOR;
                assertEquals(skip ? "SKIPPED" : e.getValue() == ReasonCode.VM_AGENT_NOT_READY ? "PENDING" : "BLOCKED", decision, e.getKey());
                assertTrue(String.valueOf(row.getProperty("Reasons")).contains(e.getValue().name()),
                        e.getKey() + " reasons " + row.getProperty("Reasons"));
                assertEquals("none", extensionState(w, e.getKey()), "no extension written for " + e.getKey());
            }
            assertEquals(0, w.emulator.requestLog().count("VirtualMachineExtensions_CreateOrUpdate")
                    + w.emulator.requestLog().count("MachineExtensions_CreateOrUpdate"));
            assertEquals(0, w.emulator.requestLog().count("Settings_Update"), "audit mode never writes settings");
            assertNoSecret(w);
        }
    }

    @Test
    void windowsServer2012R2WithoutKB2999226IsBlockedWithTheUpdateToInstallAndTheSameVmWithItIsOnboarded() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            VirtualMachineSpec.Builder r2 = VirtualMachineSpec.builder().subscriptionId(SUB_OK)
                    .osName("Windows Server 2012 R2 Datacenter").osVersion("6.3.9600")
                    .image("MicrosoftWindowsServer", "WindowsServer", "2012-R2-Datacenter");
            String missing = s.createVirtualMachine(r2.name("r2-missing").runCommandOutput(KB_MISSING_2012R2).build());
            String present = s.createVirtualMachine(r2.name("r2-present").runCommandOutput(KB_PRESENT_2012R2).build());
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> allDecided(w, List.of(missing, present)), TIMEOUT), String.join("\n", w.host.logLines()));

            TableEntity blocked = w.stateRow(missing);
            assertEquals("BLOCKED", blocked.getProperty("Decision"));
            assertEquals(ReasonCode.PREREQ_KB2999226_MISSING.name(), blocked.getProperty("Reasons"));
            assertTrue(ReasonCode.PREREQ_KB2999226_MISSING.sentence().contains("KB2999226"));
            assertEquals("none", extensionState(w, missing));
            assertFalse(s.runCommandsReceived(missing).isEmpty(), "the read-only check ran through Run Command");

            assertEquals("ONBOARDED", w.stateRow(present).getProperty("Decision"));
            assertEquals("Succeeded", extensionState(w, present));
            assertNoSecret(w);
        }
    }

    @Test
    void aLinuxVmAndArcMachineWithAConflictingSecurityAgentAreBlockedBeforeAnyExtensionIsWritten() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            Map<String, String> conflict = Map.of("mde-prereq",
                    "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"linux-conflicts\",\"agents\":[\"ds_agent\"],\"fanotify\":[]}");
            String vm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("linux-ds-agent").ubuntu2204()
                    .runCommandOutput(conflict).build());
            String arc = s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("arc-ds-agent").ubuntu2204()
                    .runCommandOutput(conflict).build());
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> allDecided(w, List.of(vm, arc)), TIMEOUT), String.join("\n", w.host.logLines()));
            for (String id : List.of(vm, arc)) {
                assertEquals("BLOCKED", w.stateRow(id).getProperty("Decision"), id);
                assertEquals(ReasonCode.LINUX_CONFLICTING_AGENT.name(), w.stateRow(id).getProperty("Reasons"), id);
                assertEquals("none", extensionState(w, id), id);
            }
        }
    }

    @Test
    void everyEventDeliveredTenTimesYieldsExactlyOneExtensionPutPerMachine() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            List<String> ids = List.of(
                    s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("dup-win").build()),
                    s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("dup-linux").ubuntu2204().build()),
                    s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("dup-arc").build()));
            w.deliverEvents(10);
            assertTrue(w.host.runUntil(() -> allDecided(w, ids), TIMEOUT), String.join("\n", w.host.logLines()));
            w.deliverEvents(10); // the extension-write events our PUTs caused, ten times each
            w.host.runUntil(() -> false, Duration.ofSeconds(2));
            assertEquals(3, w.emulator.requestLog().count("VirtualMachineExtensions_CreateOrUpdate")
                    + w.emulator.requestLog().count("MachineExtensions_CreateOrUpdate"));
            for (String id : ids) {
                assertEquals("ONBOARDED", w.stateRow(id).getProperty("Decision"), id);
            }
            assertNoSecret(w);
        }
    }

    @Test
    void aDeletedMachineIsRecordedAsNotFoundAndAnOutOfScopeOneGetsNoJob() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            String gone = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("gone").build());
            s.deleteMachine(gone);
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> w.stateRow(gone) != null, TIMEOUT));
            assertEquals("SKIPPED", w.stateRow(gone).getProperty("Decision"));
            assertEquals(ReasonCode.MACHINE_NOT_FOUND.name(), w.stateRow(gone).getProperty("Reasons"));

            String other = "/subscriptions/99999999-9999-4999-8999-999999999999/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/x";
            String event = "{\"id\":\"e\",\"subject\":\"" + other + "\",\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\","
                    + "\"eventTime\":\"2026-11-28T10:00:00Z\",\"dataVersion\":\"2\",\"metadataVersion\":\"1\",\"topic\":\"/subscriptions/x\","
                    + "\"data\":{\"resourceUri\":\"" + other + "\",\"operationName\":\"Microsoft.Compute/virtualMachines/write\",\"status\":\"Succeeded\"}}";
            assertEquals(List.of(), w.host.deliverEvent(event), "out of scope: no job");
            assertEquals(Optional.empty(), Optional.ofNullable(w.stateRow(other)));
        }
    }

    private static void assertNoSecret(OnboardingWorld w) {
        List<String> haystack = w.everythingPersistedOrLogged();
        assertFalse(haystack.isEmpty());
        for (String secret : w.secretForms()) {
            for (String hay : haystack) {
                assertFalse(hay.contains(secret), "the onboarding package leaked into: " + hay.substring(0, Math.min(200, hay.length())));
            }
        }
    }
}
