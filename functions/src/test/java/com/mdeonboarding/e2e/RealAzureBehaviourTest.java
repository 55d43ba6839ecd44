package com.mdeonboarding.e2e;

import static com.mdeonboarding.e2e.OnboardingWorld.SUB_FREE;
import static com.mdeonboarding.e2e.OnboardingWorld.SUB_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.cli.Main;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.events.EventSchema;
import com.mdeonboarding.emulator.events.EventVariant;
import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import com.mdeonboarding.emulator.tenant.ExtensionSpec;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.host.ComplianceSweep;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.testing.TestWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: what real Azure sends that the app did not survive, each produced by the emulator and driven through the
 * real triggers. Every test names the Azure behaviour and where it is documented or was observed.
 */
class RealAzureBehaviourTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** The guest checks' outputs of a healthy Windows Server 2012 R2 machine and of a passive-mode write (sample tenant). */
    static final String WS2012R2_READY = "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"windows-downlevel\",\"os\":\"2012R2\","
            + "\"build\":\"9600.21620\",\"hotfixes\":[\"KB2919442\",\"KB2919355\",\"KB2999226\",\"KB3080149\"],\"ucrt\":true,"
            + "\"tdhVersion\":\"6.3.9600.17958\",\"ssuDate\":\"2024-03-12\",\"lcuDate\":\"2024-03-12\",\"defenderFeature\":\"Installed\","
            + "\"defenderService\":\"Running\",\"disableAntiSpyware\":false,\"proxy\":false,\"endpoints\":{\"winatp-gw-weu.microsoft.com\":true,"
            + "\"events.data.microsoft.com\":true}}";
    static final String PASSIVE_MODE_SET = "{\"check\":\"mde-passive-mode\",\"version\":1,\"forceDefenderPassiveMode\":1,\"regExitCode\":0}";

    private static String decision(OnboardingWorld w, String id) {
        return TestWorld.decision(w.stateRow(id));
    }

    /** Runs the host until the machine is settled (ONBOARDED or BLOCKED) and returns its decision and reason codes. */
    private static String settle(OnboardingWorld w, String id) {
        w.host.runUntil(() -> Set.of("ONBOARDED", "BLOCKED").contains(String.valueOf(decision(w, id))), TIMEOUT);
        TableEntity row = w.stateRow(id);
        return row == null ? "no state row" : decision(w, id) + " " + row.getProperty("Reasons");
    }

    private static ArcMachineSpec.Builder arcWs2012r2(String name) {
        return ArcMachineSpec.builder().subscriptionId(SUB_OK).name(name).osSku("Windows Server 2012 R2 Datacenter")
                .osVersion("6.3.9600").runCommandOutput(Map.of("mde-prereq", WS2012R2_READY, "mde-passive-mode", PASSIVE_MODE_SET));
    }

    private static SweepReport sweep(OnboardingWorld w) {
        new ComplianceSweep(w.services).run("{}", w.host.context(ComplianceSweep.NAME));
        return w.services.reports.latest().orElseThrow();
    }

    // ---------------------------------------------------------------- bugs 1 and 2: long-running operations

    /**
     * A re-PUT of an existing Arc run command answers 200 with Azure-AsyncOperation and a non-terminal state: the
     * operation is still running (Azure/azure-resource-manager-rpc PR #114: "whenever a client sees a 200 OK, it should
     * check for the presence of Azure-AsyncOperation header. If the header is present, assume that the operation did
     * not finish and start polling"). A 2012 R2 Arc machine tagged for passive mode whose extension fails twice runs
     * the prerequisite check and the passive-mode script three times each under the same run command names.
     */
    @Test
    void threeGuestChecksInARowOnOneArcMachineEachReadTheirOwnResult() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            String arc = s.createArcMachine(arcWs2012r2("arc-2012r2-retried").tag("MdePassiveMode", "true")
                    .extensionOutcome(ExtensionOutcome.failFirst(2, "1", "Enable failed")).build());
            w.deliverEvents(1);
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", settle(w, arc), String.join("\n", w.host.logLines()));
            List<TenantState.RunCommandRecord> runs = s.runCommandsReceived(arc);
            assertEquals(3, runs.stream().filter(r -> r.script().contains("mde-prereq")).count(), "three guest checks");
            assertEquals(3, runs.stream().filter(r -> r.script().contains("ForceDefenderPassiveMode")).count(), "three passive-mode runs");
            assertEquals(3, w.acceptedExtensionPuts().get(arc.toLowerCase(Locale.ROOT)));
            assertTrue(w.historyRows().stream().noneMatch(h -> String.valueOf(h.getProperty("Reasons")).contains("GUEST_CHECK_UNAVAILABLE")),
                    "every check read its result");
        }
    }

    /**
     * Only Succeeded, Failed and Canceled are terminal (Azure/azure-resource-manager-rpc async-api-reference.md,
     * "provisioningState property"); providers report other values while running.
     */
    @Test
    void anOperationReportingAnotherInProgressStatusIsPolledToItsEnd() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            w.emulator.runningOperationStatus("Updating");
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("passive-updating")
                    .tag("MdePassiveMode", "true").runCommandOutput(Map.of("mde-passive-mode", PASSIVE_MODE_SET)).build());
            w.deliverEvents(1);
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", settle(w, vm), String.join("\n", w.host.logLines()));
            assertTrue(w.emulator.requestLog().count("LongRunningOperation_Status") >= 1);
        }
    }

    /** A 202 with only Location, polled until it answers 200 with the result (async-api-reference.md, "202 Accepted and Location headers"). */
    @Test
    void locationOnlyOperationsArePolledUntilTheyAnswerTheResult() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            w.emulator.locationOnlyOperations(true);
            TenantState s = w.emulator.state();
            String vm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("passive-location")
                    .tag("MdePassiveMode", "true").runCommandOutput(Map.of("mde-passive-mode", PASSIVE_MODE_SET)).build());
            String arc = s.createArcMachine(arcWs2012r2("arc-location").build());
            w.deliverEvents(1);
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", settle(w, vm), String.join("\n", w.host.logLines()));
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", settle(w, arc), String.join("\n", w.host.logLines()));
            assertEquals(0, w.emulator.requestLog().count("LongRunningOperation_Status"), "no Azure-AsyncOperation was given");
            assertTrue(w.historyRows().stream().noneMatch(h -> String.valueOf(h.getProperty("Reasons")).contains("GUEST_CHECK_UNAVAILABLE")));
        }
    }

    // ---------------------------------------------------------------- bug 3: events

    /**
     * A real VM-creation event with {@code "authorization": {"evidence": []}}: the typed models of this data have
     * broken before (Azure/azure-sdk-for-net #5189, authorization and claims "are no longer string, but really a
     * subobject"; Azure/azure-rest-api-specs PR #16996 changed their types), so only what the app needs is read.
     */
    @Test
    void aVmCreationEventWithEvidenceAsAnArrayOnboardsTheMachine() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            w.emulator.eventVariants(EventVariant.EVIDENCE_AS_ARRAY);
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("evidence-array").build());
            w.deliverEvents(1);
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", settle(w, vm), String.join("\n", w.host.logLines()));
        }
    }

    /** Every variant at once, in both schemas: claims and httpRequest as strings, lower-case resourcegroups. */
    @Test
    void eventsInEveryShapeAzureHasSentOnboardTheirMachines() {
        for (EventSchema schema : EventSchema.values()) {
            try (OnboardingWorld w = new OnboardingWorld()) {
                w.emulator.eventSchema(schema).eventVariants(EventVariant.values());
                TenantState s = w.emulator.state();
                String vm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).resourceGroup("RG-Mixed").name("all-variants").build());
                s.setTags(vm, Map.of("owner", "ops")); // an update: its event carries httpRequest
                String arc = s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("arc-variants").build());
                w.deliverEvents(1);
                assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", settle(w, vm), schema + "\n" + String.join("\n", w.host.logLines()));
                assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", settle(w, arc), schema + "\n" + String.join("\n", w.host.logLines()));
            }
        }
    }

    // ---------------------------------------------------------------- bug 4: settings absent from the list

    static final String WS2016_READY = "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"windows-downlevel\",\"os\":\"2016\","
            + "\"build\":\"14393.6796\",\"hotfixes\":[],\"ucrt\":true,\"ssuDate\":\"2024-03-12\",\"lcuDate\":\"2024-03-12\","
            + "\"defenderFeature\":\"Installed\",\"defenderService\":\"Running\",\"disableAntiSpyware\":false,\"proxy\":false,"
            + "\"endpoints\":{\"winatp-gw-weu.microsoft.com\":true,\"events.data.microsoft.com\":true}}";

    /**
     * Microsoft's own Settings_List example (Security 2022-05-01, GetSettings_example.json) has no WDATP_UNIFIED_SOLUTION:
     * a setting absent from the list is read by name, never taken for false.
     */
    @Test
    void aSettingAbsentFromTheListIsReadByNameNotTakenForFalse() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            s.setSettingListed(SUB_OK, "WDATP_UNIFIED_SOLUTION", false);
            String vm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("ws2016-unlisted")
                    .image("MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter").osName("Windows Server 2016 Datacenter")
                    .osVersion("10.0.14393.6796").runCommandOutput(Map.of("mde-prereq", WS2016_READY)).build());
            w.deliverEvents(1);
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", settle(w, vm), String.join("\n", w.host.logLines()));
            assertEquals(1, w.emulator.requestLog().count("Settings_Get"), "the one absent setting, read by name");
            assertEquals(0, w.emulator.requestLog().count("Settings_Update"), "nothing to switch on");
        }
    }

    // ---------------------------------------------------------------- bug 5: transient machine states

    private static List<String> historyOf(OnboardingWorld w, String id) {
        return w.historyRows().stream().filter(h -> String.valueOf(h.getProperty("ResourceId")).equalsIgnoreCase(id))
                .map(h -> h.getProperty("Decision") + " " + h.getProperty("Reasons")).toList();
    }

    /**
     * A VM's write event arrives when Resource Manager accepts the PUT, while the VM is still Creating and before its
     * agent reports Ready: PENDING with a short back-off, not BLOCKED for the 24-hour back-off.
     */
    @Test
    void aVmStillBeingCreatedIsPendingThenOnboardedOnceItsAgentIsReady() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            String vm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("vm-creating").build());
            s.provisionVmAfter(vm, Duration.ofSeconds(3));
            w.deliverEvents(1);
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", settle(w, vm), String.join("\n", w.host.logLines()));
            List<String> history = historyOf(w, vm);
            assertTrue(history.contains("PENDING VM_AGENT_NOT_READY"), history.toString());
            assertTrue(history.stream().noneMatch(h -> h.startsWith("BLOCKED")), history.toString());
        }
    }

    /** An Arc machine AwaitingConnection (a status of Az.ConnectedMachine's IMachine.Status) is PENDING until it connects. */
    @Test
    void anArcMachineAwaitingConnectionIsPendingThenOnboardedOnceConnected() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            String arc = s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("arc-connecting").status("AwaitingConnection").build());
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> w.stateRow(arc) != null, TIMEOUT));
            assertEquals("PENDING", decision(w, arc), String.join("\n", w.host.logLines()));
            s.setArcStatus(arc, "Connected");
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", settle(w, arc), String.join("\n", w.host.logLines()));
        }
    }

    // ---------------------------------------------------------------- bug 6: 409 Conflict on the extension PUT

    /**
     * Another writer deploys the MDE extension at the same time (Defender for Cloud's own provisioning, a policy
     * remediation): our PUT answers 409 (MicrosoftDocs/azure-docs #11143: a 409 on an extension write while another
     * operation runs). The next look (shortly after) follows that writer's extension like our own.
     */
    @Test
    void aConflictWithAnotherWritersDeploymentIsFollowedLikeOurOwn() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            String vm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("vm-foreign-mde").build());
            s.foreignMdeDeploymentOnNextPut(vm);
            w.deliverEvents(1);
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", settle(w, vm), String.join("\n", w.host.logLines()));
            assertEquals(1, w.emulator.requestLog().count("VirtualMachineExtensions_CreateOrUpdate", 409));
            assertEquals(null, w.acceptedExtensionPuts().get(vm.toLowerCase(Locale.ROOT)), "never written over the other deployment");
            // The 409 is the PUT's outcome (issue 22: no second look inside the pass): PENDING EXTENSION_WRITE_CONFLICT, and
            // the next look follows the other writer's extension.
            assertTrue(historyOf(w, vm).contains("PENDING EXTENSION_WRITE_CONFLICT"), historyOf(w, vm).toString());
        }
    }

    /** A 409 with nothing else to see is recorded PENDING (looked at again shortly), by the CLI too: the reconcile never races its own claim. */
    @Test
    void aConflictWithNothingToFollowIsRecordedPendingNotLostToOurOwnClaim() throws Exception {
        try (OnboardingWorld w = new OnboardingWorld()) {
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("vm-conflict").build());
            w.emulator.faults().add(FaultRule.forOperation("VirtualMachineExtensions_CreateOrUpdate").status(409).errorCode("Conflict")
                    .message("Another operation is in progress on the virtual machine."));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Main.run(new String[] {"onboard", vm, "--json", "--wait", "0"}, w.env, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            JsonNode machine = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).path("machines").get(0);
            // Recorded, and still PENDING when the CLI stops waiting ("--wait 0": TIMED_OUT); never FAILED with nothing recorded.
            assertEquals("TIMED_OUT", machine.path("status").asText(), machine + "\n" + err);
            assertTrue(machine.path("error").isNull(), machine.toString());
            assertEquals("PENDING", machine.path("decision").asText(), machine.toString());
            assertEquals("[\"EXTENSION_WRITE_CONFLICT\"]", machine.path("reasons").toString());
            assertEquals("PENDING", decision(w, vm), "recorded in the state row");
            assertEquals(Main.ATTENTION, exit, "a machine not onboarded yet needs attention");
        }
    }

    /** Any other refusal after our claim (here a 400 on the PUT) is recorded BLOCKED JOB_FAILED over our own claim. */
    @Test
    void aRefusalAfterOurOwnClaimIsRecordedNotLostToIt() throws Exception {
        try (OnboardingWorld w = new OnboardingWorld()) {
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("vm-refused").build());
            w.emulator.faults().add(FaultRule.forOperation("VirtualMachineExtensions_CreateOrUpdate").status(400).errorCode("InvalidParameter")
                    .message("The value of parameter typeHandlerVersion is invalid."));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Main.run(new String[] {"onboard", vm, "--json", "--wait", "0"}, w.env, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            JsonNode machine = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).path("machines").get(0);
            assertEquals("RECORDED", machine.path("status").asText(), machine.toString());
            assertEquals("BLOCKED", machine.path("decision").asText(), machine.toString());
            assertEquals("[\"JOB_FAILED\"]", machine.path("reasons").toString());
            assertTrue(machine.path("detail").asText().contains("InvalidParameter"), machine.toString());
            assertEquals("BLOCKED", decision(w, vm));
        }
    }

    // ---------------------------------------------------------------- bug 8: Arc run commands need agent 1.33

    /**
     * "The Connected Machine agent version on the Arc-enabled server must be 1.33 or higher" (learn.microsoft.com, REST
     * API requests for Run command on Azure Arc-enabled servers, Prerequisites): no Run Command is tried on an older
     * agent, and the record says to upgrade it.
     */
    @Test
    void anArcMachineWithAnAgentOlderThan133GetsNoRunCommandAndASentenceSayingToUpgrade() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            String arc = w.emulator.state().createArcMachine(arcWs2012r2("arc-old-agent").agentVersion("1.30.02372.1107").build());
            w.deliverEvents(1);
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", settle(w, arc), String.join("\n", w.host.logLines()));
            assertEquals(0, w.emulator.requestLog().count("MachineRunCommands_CreateOrUpdate"), "not tried on an agent that cannot run it");
            TableEntity deploy = w.historyRows().stream().filter(h -> "DEPLOY".equals(h.getProperty("Decision"))).findFirst().orElseThrow();
            assertTrue(String.valueOf(deploy.getProperty("Reasons")).contains("GUEST_CHECK_UNAVAILABLE"), deploy.getProperties().toString());
            String detail = String.valueOf(deploy.getProperty("Detail"));
            assertTrue(detail.contains("1.30.02372.1107") && detail.contains("1.33") && detail.contains("upgrade the Connected Machine agent"),
                    detail);
        }
    }

    // ---------------------------------------------------------------- bug 9: failure classification reads substatuses

    /**
     * A failed MDE.Windows carries the installer's log in its instance view's substatuses (Azure/azure-cli #23663: the
     * substatus ends "Onboarding to MDE via Microsoft Defender for Cloud for this operating system is not supported"):
     * classified from there, an unsupported OS is not deployed again.
     */
    @Test
    void aFailureExplainedOnlyInTheSubstatusesIsClassifiedFromThem() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            String log = "[2022-08-25 07:35:15Z][Information] OS Name: Microsoft Windows Server 2022 Datacenter\r\n"
                    + "[2022-08-25 07:35:15Z][Information] MDE onboarding package applicability: 0\r\n"
                    + "[2022-08-25 07:35:15Z][Error] Failed to configure Microsoft Defender for Endpoint: Onboarding to MDE via Microsoft"
                    + " Defender for Cloud for this operating system is not supported";
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("vm-substatus")
                    .extensionOutcome(ExtensionOutcome.failed("ProvisioningState/failed/51", "Enable failed").withLog(log)).build());
            w.deliverEvents(1);
            assertEquals("BLOCKED EXTENSION_FAILED,EXTENSION_OS_NOT_SUPPORTED", settle(w, vm), String.join("\n", w.host.logLines()));
            assertEquals(1, w.acceptedExtensionPuts().get(vm.toLowerCase(Locale.ROOT)), "an unsupported OS is not deployed again");
            assertTrue(String.valueOf(w.stateRow(vm).getProperty("Detail")).contains("package applicability: 0"),
                    "the detail shows the installer's words: " + w.stateRow(vm).getProperty("Detail"));
        }
    }

    // ---------------------------------------------------------------- bug 7: the Resource Graph queries

    /** HybridCompute writes extension IDs as .../Machines/{m}/Extensions/{name} (its Extension_Get / Extension_List examples). */
    @Test
    void anArcMachineWhoseExtensionIdSaysExtensionsCountsAsOnboardedInTheSweep() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("arc-onboarded")
                    .extension(ExtensionSpec.mde("MDE.Windows", "Succeeded")).build());
            s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("vm-onboarded")
                    .extension(ExtensionSpec.mde("MDE.Windows", "Succeeded")).build());
            w.clearQueue();
            SweepReport r = sweep(w);
            assertEquals(2L, r.coverage().get("ONBOARDED"), r.coverage().toString());
            assertEquals(0L, r.coverage().get("DEPLOY"), r.coverage().toString());
            assertEquals(0, w.queuedJobs(), "an onboarded machine gets no job");
        }
    }

    /**
     * Resource-level pricings are {@code microsoft.security/pricings} rows named VirtualMachines too
     * (PutResourcePricingByNameVirtualMachines example: scope = the machine); only the subscription's own is its plan.
     */
    @Test
    void aMachinesOwnPricingDoesNotOverwriteItsSubscriptionsPlanInTheSweep() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("opted-out").pricing(PricingSpec.free()).build());
            s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_FREE).name("opted-in")
                    .pricing(PricingSpec.standard("P1")).build());
            SweepReport r = sweep(w);
            Map<String, SweepReport.SubscriptionReport> subs = r.subscriptions().stream()
                    .collect(Collectors.toMap(SweepReport.SubscriptionReport::subscriptionId, x -> x));
            assertEquals("Standard", subs.get(SUB_OK).plan().pricingTier(), subs.get(SUB_OK).toString());
            assertEquals("P2", subs.get(SUB_OK).plan().subPlan());
            assertTrue(subs.get(SUB_OK).drift().isEmpty(), subs.get(SUB_OK).drift().toString());
            assertEquals("Free", subs.get(SUB_FREE).plan().pricingTier(), subs.get(SUB_FREE).toString());
        }
    }
}
