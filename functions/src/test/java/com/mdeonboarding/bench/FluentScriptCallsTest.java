package com.mdeonboarding.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.model.MachineId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The side-by-side approach of the benchmark (FluentScript: the public scripts' per-machine loop with the fluent
 * azure-resourcemanager API) on one cycle of the machine mix, to pin what it costs per machine against the same
 * emulator: the ratio in BENCHMARKS.md rests on these counts.
 */
class FluentScriptCallsTest {

    @Test
    void theScriptedLoopReadsEachMachinePutsItsExtensionAndPollsUntilItHasFinished() {
        try (BenchWorld w = new BenchWorld(2, Duration.ofMillis(500), 1, Map.of())) {
            List<MachineId> machines = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                machines.add(MachineId.parse(MachineMix.create(w.emulator.state(), i, 2, "fl-").id()));
            }
            w.emulator.requestLog().clear();
            FluentScript.Onboarded r = new FluentScript(w.emulator.baseUrl(), w.emulator.caCertificatePemPath()).onboard(machines, 4);
            assertEquals(List.of(), r.failures().subList(0, Math.min(2, r.failures().size())), w.emulator.requestLog().snapshot().stream()
                    .filter(e -> e.status() >= 400).limit(3).map(e -> e.method() + " " + e.path()).toList().toString());
            assertEquals(20, r.succeeded());
            RequestLog log = w.emulator.requestLog();
            Map<String, Long> expected = new TreeMap<>(Map.of(
                    // 14 VMs: the fluent getById, the extension PUT, one Azure-AsyncOperation poll (after Retry-After: 1 s, the
                    // operation takes 500 ms) and the SDK's final GET of the extension.
                    "VirtualMachines_Get", 14L, "VirtualMachineExtensions_CreateOrUpdate", 14L, "VirtualMachineExtensions_Get", 14L,
                    // 6 Arc machines through generic resources: GET, PUT, one poll, the final GET.
                    "Machines_Get", 6L, "MachineExtensions_CreateOrUpdate", 6L, "MachineExtensions_Get", 6L,
                    "LongRunningOperation_Status", 20L,
                    // The package, once per subscription.
                    "MdeOnboardings_List", 2L));
            assertEquals(expected, new TreeMap<>(log.countsByOperation()));
            // 4 calls per machine (the app: 3 for a VM without a guest check), and no plan, setting or prerequisite looked at.
            assertEquals(4 * 20 + 2, log.total());
        }
    }
}
