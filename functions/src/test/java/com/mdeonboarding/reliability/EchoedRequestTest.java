package com.mdeonboarding.reliability;

import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.testing.TestWorld;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #23 item 5: a 400 whose error message quotes the request body (the emulator's {@code echoRequestBody} fault) answers
 * the extension PUT of a VM and of an Arc machine, so the error carries the protected settings, the onboarding package.
 * Through the real triggers, Azurite and the emulator: the job fails with Resource Manager's code and its words, and the
 * package is in no log line, queue message, state or history row ({@link SecretScanner}, every form it knows).
 */
class EchoedRequestTest {
    @RegisterExtension
    static final SecretScan SECRETS = new SecretScan();

    @Test
    void anErrorThatQuotesTheExtensionPutLeaksNoPackage() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            SECRETS.watch(w.scanner);
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("echo-vm").build());
            String arc = w.emulator.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_A).name("echo-arc").ubuntu2204()
                    .build());
            for (String operation : List.of("VirtualMachineExtensions_CreateOrUpdate", "MachineExtensions_CreateOrUpdate")) {
                w.emulator.faults().add(FaultRule.forOperation(operation).status(400).errorCode("InvalidRequestContent")
                        .message("The request content was invalid and could not be deserialized.").echoRequestBody());
            }
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> w.queuedJobs() == 0 && blocked(w, vm) && blocked(w, arc), Duration.ofSeconds(60)),
                    String.join("\n", w.host.logLines()));
            assertTrue(w.emulator.requestLog().count("VirtualMachineExtensions_CreateOrUpdate") >= 1);
            assertTrue(w.emulator.requestLog().count("MachineExtensions_CreateOrUpdate") >= 1);
            for (String id : List.of(vm, arc)) {
                TableEntity row = w.stateRow(id);
                assertEquals("JOB_FAILED", TestWorld.reasons(row), row.getProperties().toString());
                String detail = String.valueOf(row.getProperty("Detail"));
                // Failure messages show only the start: a leaked package must not reach the test report either.
                String start = detail.substring(0, Math.min(120, detail.length()));
                assertTrue(detail.contains("400 InvalidRequestContent") && detail.contains("could not be deserialized"), start);
                assertTrue(detail.contains("[redacted]"), "the quoted protected settings are replaced: " + start);
            }
            w.scanner.assertClean();
            Figures.set("secrets", "errors quoting the extension PUT: texts scanned", w.scanner.scannedItems());
            Figures.set("secrets", "errors quoting the extension PUT, package leaked", 0);
        }
    }

    private static boolean blocked(ReliabilityWorld w, String id) {
        TableEntity row = w.stateRow(id);
        return row != null && "BLOCKED".equals(TestWorld.decision(row));
    }
}
