package com.mdeonboarding.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.bench.MachineMix.Category;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Benchmark scenario 1 in small: one cycle of the machine mix (20 new machines: 14 VMs, 6 Arc) in 2 subscriptions,
 * through events, the trigger, the Azurite queue and the reconciler at host.json's concurrency, to ONBOARDED. The
 * Resource Manager calls are exact: a change that adds a call per machine fails here, with the table to update in
 * BENCHMARKS.md. A Run Command costs its start, its status reads (one here: it ends before the first), and the result
 * read (in the status answer for a VM, in the run command for Arc).
 */
class CallsPerMachineTest {

    @Test
    void twentyNewMachinesInTwoSubscriptionsCostExactlyTheseCalls() {
        // Extension PUTs and Run Commands finish after 500 ms (Retry-After: 1 s); a Run Command is started, recorded, and read
        // by the delayed job 1 s later (no worker waits on it), which finds it ended; the verify comes 1 s after the PUT and
        // finds the extension Succeeded.
        try (BenchWorld w = new BenchWorld(2, Duration.ofMillis(500), 1, Map.of())) {
            List<MachineMix.Machine> machines = new ArrayList<>();
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                MachineMix.Machine m = MachineMix.create(w.emulator.state(), i, 2, "ci-");
                machines.add(m);
                events.add(w.events.take(m.id()));
            }
            w.emulator.requestLog().clear();
            events.forEach(w.host::deliverEvent);
            assertTrue(w.host.runUntil(() -> w.allOnboarded(machines), Duration.ofSeconds(60)), String.join("\n", w.host.logLines()));
            CallsPerMachine.Analysis a = CallsPerMachine.analyze(machines, w.emulator.requestLog(), 2);

            Map<String, Long> expected = new TreeMap<>(Map.ofEntries(
                    // 14 VMs: read, PUT, verify read. 5 of them (2012 R2/2016, Linux) a Run Command first: the first look reads the
                    // VM and starts it (POST); the delayed look reads its status once (the answer carries the output), then the
                    // VM again (a second or more has passed: the decision is made on the machine as it is now), and PUTs.
                    Map.entry("VirtualMachines_Get", 33L), Map.entry("VirtualMachineExtensions_CreateOrUpdate", 14L),
                    Map.entry("VirtualMachines_RunCommand", 5L), Map.entry("LongRunningOperation_Status", 5L),
                    // 6 Arc machines: machine and extension read, PUT, both again to verify. 3 of them a Run Command first: the
                    // first look reads them and PUTs the run command; the delayed look reads the run command (its
                    // provisioningState says it ended, its instanceView carries the output), then machine and extension again.
                    Map.entry("Machines_Get", 15L), Map.entry("MachineExtensions_Get", 15L), Map.entry("MachineExtensions_CreateOrUpdate", 6L),
                    Map.entry("MachineRunCommands_CreateOrUpdate", 3L), Map.entry("MachineRunCommands_Get", 3L),
                    // Per subscription, once (cold): plan, settings, onboarding package.
                    Map.entry("Pricings_Get", 2L), Map.entry("Settings_List", 2L), Map.entry("MdeOnboardings_Get", 2L)));
            assertEquals(expected, a.byOperation());
            assertEquals(105, a.total());
            assertEquals(0, a.throttled());

            // Warm calls per machine, by kind: exactly 3 for a VM without a guest check (the target). With a guest
            // check: + start, + one status read (with the result), + the machine read of the look that continues after it.
            assertWarm(a, Category.VM_WINDOWS, 9, 2, 1, 3);
            assertWarm(a, Category.VM_WINDOWS_DOWNLEVEL, 2, 4, 2, 6);
            assertWarm(a, Category.VM_LINUX, 3, 4, 2, 6);
            assertWarm(a, Category.ARC_WINDOWS, 3, 4, 1, 5);
            assertWarm(a, Category.ARC_WINDOWS_DOWNLEVEL, 1, 7, 2, 9);
            assertWarm(a, Category.ARC_LINUX, 2, 7, 2, 9);
            // Cold: the first machine of each subscription also reads plan, settings and package, once.
            assertEquals(1, a.pricingReadsPerSubMax());
            assertEquals(2, a.coldPackageReads());
        }
    }

    private static void assertWarm(CallsPerMachine.Analysis a, Category c, int machines, double reads, double writes, double total) {
        CallsPerMachine.CategoryCalls cc = a.categories().get(c);
        assertEquals(machines, cc.machines(), c.label);
        assertEquals(cc.minCalls(), cc.maxCalls(), c.label + ": every machine of the kind costs the same");
        assertEquals(reads, a.warmReads(c), 1e-9, c.label + " reads");
        assertEquals(writes, cc.machineWrites(), 1e-9, c.label + " writes");
        assertEquals(total, a.warm(c), 1e-9, c.label + " total");
    }
}
