package com.mdeonboarding.e2e;

import static com.mdeonboarding.e2e.OnboardingWorld.SUB_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.ReasonCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The paths that are not the happy one: throttling, repeated failure into the poison queue, failed extensions, passive mode. */
class OnboardingFailurePathsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static String decision(OnboardingWorld w, String id) {
        TableEntity row = w.stateRow(id);
        return row == null ? null : String.valueOf(row.getProperty("Decision"));
    }

    private static long extensionPuts(OnboardingWorld w) {
        return w.emulator.requestLog().count("VirtualMachineExtensions_CreateOrUpdate") + w.emulator.requestLog().count("MachineExtensions_CreateOrUpdate");
    }

    @Test
    void throttledExtensionPutIsRetriedAfterRetryAfterAndTheMachineIsOnboardedOnce() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            w.emulator.faults().add(FaultRule.forOperation("VirtualMachineExtensions_CreateOrUpdate").status(429).retryAfterSeconds(1).times(1));
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("throttled").build());
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> "ONBOARDED".equals(decision(w, vm)), TIMEOUT), String.join("\n", w.host.logLines()));
            assertEquals(1, w.emulator.requestLog().count("VirtualMachineExtensions_CreateOrUpdate", 429));
            assertEquals(1, w.emulator.requestLog().count("VirtualMachineExtensions_CreateOrUpdate", 201), "one accepted PUT");
            assertEquals(0, w.host.failures(), "the pipeline absorbed the 429; the job did not fail");
        }
    }

    @Test
    void aJobThatKeepsFailingEndsInThePoisonQueueAndIsRecordedBlockedWithTheLastError() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("outage").build());
            // Every read of this VM fails with 503 (Retry-After 0 keeps the test fast; the pipeline still retries each time).
            w.emulator.faults().add(FaultRule.forPath(".*/virtualMachines/outage$").status(503).retryAfterSeconds(0));
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> "BLOCKED".equals(decision(w, vm)), Duration.ofSeconds(90)), String.join("\n", w.host.logLines()));
            TableEntity row = w.stateRow(vm);
            assertEquals(ReasonCode.JOB_FAILED.name(), row.getProperty("Reasons"));
            assertEquals("poison", row.getProperty("Source"));
            assertTrue(String.valueOf(row.getProperty("Detail")).contains("503"), String.valueOf(row.getProperty("Detail")));
            assertEquals(5, w.host.failures(), "maxDequeueCount attempts, then poison");
            assertEquals(0, extensionPuts(w));
        }
    }

    @Test
    void aFailingExtensionIsRedeployedThenBlockedWithItsClassifiedCause() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("no-network")
                    .extensionOutcome(ExtensionOutcome.failed("ProvisioningState/failed/4",
                            "Failed to configure Microsoft Defender for Endpoint: no internet connectivity (ERR_NO_INTERNET_CONNECTIVITY)"))
                    .build());
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> "BLOCKED".equals(decision(w, vm)), Duration.ofSeconds(90)), String.join("\n", w.host.logLines()));
            TableEntity row = w.stateRow(vm);
            String reasons = String.valueOf(row.getProperty("Reasons"));
            assertTrue(reasons.contains(ReasonCode.EXTENSION_FAILED.name()) && reasons.contains(ReasonCode.EXTENSION_CONNECTIVITY.name()), reasons);
            assertTrue(String.valueOf(row.getProperty("Detail")).contains("ERR_NO_INTERNET_CONNECTIVITY"));
            assertEquals(3, extensionPuts(w), "MDE_MAX_EXTENSION_FAILURES deployments, then no more");
            assertEquals(3, row.getProperty("ExtensionFailures"));
        }
    }

    @Test
    void aMachineTaggedForPassiveModeGetsForceDefenderPassiveModeBeforeTheExtension() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            String vm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("passive")
                    .tag("MdePassiveMode", "true")
                    .runCommandOutput(Map.of("mde-passive-mode", "{\"check\":\"mde-passive-mode\",\"version\":1,\"forceDefenderPassiveMode\":1,\"regExitCode\":0}"))
                    .build());
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> "ONBOARDED".equals(decision(w, vm)), TIMEOUT), String.join("\n", w.host.logLines()));
            List<TenantState.RunCommandRecord> runs = s.runCommandsReceived(vm);
            assertEquals(1, runs.size());
            assertTrue(runs.get(0).script().contains("ForceDefenderPassiveMode"));
            var log = w.emulator.requestLog().snapshot();
            java.time.Instant runAt = log.stream().filter(e -> "VirtualMachines_RunCommand".equals(e.operationId())).findFirst().orElseThrow().timestamp();
            java.time.Instant putAt = log.stream().filter(e -> "VirtualMachineExtensions_CreateOrUpdate".equals(e.operationId())).findFirst().orElseThrow().timestamp();
            assertTrue(runAt.isBefore(putAt), "passive mode is set before the extension is written");
            boolean recorded = StreamSupport.stream(w.table(com.mdeonboarding.config.Settings.HISTORY_TABLE).listEntities().spliterator(), false)
                    .anyMatch(e -> String.valueOf(e.getProperty("Actions")).contains("SET_PASSIVE_MODE"));
            assertTrue(recorded, "the passive-mode step is recorded in the history");
        }
    }

    @Test
    void passiveModeThatCannotBeConfirmedBlocksOnboarding() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("passive-fails")
                    .tag("MdePassiveMode", "true").runCommandOutput("Access is denied.").build());
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> "BLOCKED".equals(decision(w, vm)), TIMEOUT), String.join("\n", w.host.logLines()));
            assertEquals(ReasonCode.PASSIVE_MODE_FAILED.name(), w.stateRow(vm).getProperty("Reasons"));
            assertEquals(0, extensionPuts(w), "Defender must not start in active mode beside another antivirus");
        }
    }
}
