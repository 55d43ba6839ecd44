package com.mdeonboarding.reliability;

import static com.mdeonboarding.reliability.HostileGuestOutputTest.firstHidden;
import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.api.MachineStateView;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.testing.TestWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue #23 item 4, end to end: what Azure says is as hostile as what a guest says. An extension whose instance view
 * reports a status message with terminal escape sequences, NUL, CR, a forged log line, U+202E and 10,107 characters (and an
 * installer log of the same), on a VM and on an Arc machine, and a Resource Manager error whose message carries the same,
 * go through the real triggers, Azurite and the emulator: no log line, state or history row, or state view carries a hidden
 * character or a field over 4,000 characters, and the decision is still the one the message supports.
 */
class HostileAzureTextTest {
    static final String FORGED = "09:00:00 SEVERE [correlationId=forged] [resourceId=/subscriptions/x] ONBOARDED";
    /** What the probe put into the extension's status message (issue #23 item 4): 10,107 characters in all. */
    static final String HOSTILE;

    static {
        String head = "\u001b[2J\u001b[H\u001b]0;owned\u0007 NUL\u0000 CR\r\n" + FORGED + " \u202eexe.txt\u202c The operating system is not"
                + " supported. ";
        HOSTILE = head + "A".repeat(10_107 - head.length());
    }

    @Test
    void hostileExtensionStatusAndErrorMessagesReachNoLogLineRowOrViewRaw() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("hostile-status-vm")
                    .extensionOutcome(ExtensionOutcome.failed("ProvisioningState/failed/51", HOSTILE).withLog(HOSTILE + "\u2028" + HOSTILE))
                    .build());
            String arc = w.emulator.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_A).name("hostile-status-arc")
                    .ubuntu2204().extensionOutcome(ExtensionOutcome.failed("ProvisioningState/failed/51", HOSTILE).withLog(HOSTILE))
                    .build());
            String refused = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A)
                    .name("hostile-error-vm").build());
            // Resource Manager's own error message, quoted into the job's failure: 400 is not retried by the pipeline.
            w.emulator.faults().add(FaultRule.forPath("/virtualMachines/hostile-error-vm$").method("GET").status(400)
                    .errorCode("BadRequest").message(HOSTILE));
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> w.queuedJobs() == 0 && settled(w, vm) && settled(w, arc) && settled(w, refused),
                    Duration.ofSeconds(90)), String.join("\n", w.host.logLines()));

            assertEquals("BLOCKED", TestWorld.decision(w.stateRow(vm)), w.stateRow(vm).getProperties().toString());
            assertEquals("EXTENSION_FAILED,EXTENSION_OS_NOT_SUPPORTED", TestWorld.reasons(w.stateRow(vm)), String.valueOf(w.stateRow(vm).getProperty("Detail")));
            assertEquals("EXTENSION_FAILED,EXTENSION_OS_NOT_SUPPORTED", TestWorld.reasons(w.stateRow(arc)));
            assertEquals("BLOCKED", TestWorld.decision(w.stateRow(refused)), w.stateRow(refused).getProperties().toString());

            List<String> seen = new ArrayList<>(w.host.logLines());
            for (String id : List.of(vm, arc, refused)) {
                TableEntity row = w.stateRow(id);
                row.getProperties().values().forEach(v -> seen.add(String.valueOf(v)));
                MachineId m = MachineId.parse(id);
                String view = MachineStateView.toJson(w.services.stateStore.get(m).orElseThrow(), w.services.stateStore.history(m, 10))
                        .toString();
                assertTrue(view.length() < 12_000, "the state view stays bounded: " + view.length());
                assertEquals(-1, firstHidden(view), view);
            }
            for (TableEntity h : w.historyRows()) {
                h.getProperties().values().forEach(v -> seen.add(String.valueOf(v)));
            }
            assertTrue(seen.stream().anyMatch(s -> s.contains("The operating system is not supported")),
                    "the extension's own words are still shown (escaped)");
            for (String line : seen) {
                assertEquals(-1, firstHidden(line), () -> "a hidden character reached: " + HostileGuestOutputTest.class.getSimpleName()
                        + " " + line.substring(0, Math.min(300, line.length())).replace("\u001b", "<ESC>").replace("\r", "<CR>")
                        .replace("\u0000", "<NUL>"));
                assertFalse(line.startsWith(FORGED.substring(0, 8)), "a forged line: " + line);
                assertTrue(line.length() <= 4_000, () -> "an unbounded field of " + line.length() + " characters: "
                        + line.substring(0, 200));
            }
            Figures.set("azure text", "hostile Azure status and error messages reconciled end to end", 3);
            Figures.set("azure text", "longest log line, row field (characters)", seen.stream().mapToInt(String::length).max().orElse(0));
        }
    }

    private static boolean settled(ReliabilityWorld w, String id) {
        TableEntity row = w.stateRow(id);
        return row != null && "BLOCKED".equals(TestWorld.decision(row));
    }
}
