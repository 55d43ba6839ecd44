package com.mdeonboarding.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.cli.Main;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.decide.WouldDo;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.testing.TestWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 24, done-when 1: a test world in observe mode onboards nothing (the emulator's request log has no PUT, PATCH,
 * POST action or DELETE) while every machine has a recorded would-be decision; switching to onboard then deploys
 * exactly the machines observe said it would (same set, compared).
 */
class ObserveThenOnboardTest {
    static final String P2 = "0b5e0000-0000-4000-8000-000000000001";
    static final String FREE = "0b5e0000-0000-4000-8000-000000000002";

    static Tenant tenant() {
        return new Tenant("72f988bf-86f1-41af-91ab-2d7cd011db47", List.of(
                TestWorld.subscription(P2, PricingSpec.standard("P2"), TestWorld.ALL_ON),
                TestWorld.subscription(FREE, PricingSpec.free(), TestWorld.ALL_ON)), Map.of());
    }

    static int sweep(Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return Main.run(new String[] {"sweep", "--json"}, env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    /** The would-be sentence the reconciler recorded for a machine in observe mode (in whichever column it keeps it). */
    static Optional<String> wouldBe(TableEntity row) {
        return row.getProperties().values().stream().filter(v -> v instanceof String s && s.startsWith(WouldDo.PREFIX))
                .map(String::valueOf).findFirst();
    }

    @Test
    void observeOnboardsNothingThenOnboardDeploysExactlyWhatObserveSaid() {
        try (TestWorld w = TestWorld.builder(tenant()).setting(Settings.MODE, "observe").prefix("Observe").build()) {
            var s = w.emulator.state();
            Set<String> machines = new TreeSet<>();
            for (int i = 0; i < 4; i++) {
                machines.add(s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(P2).resourceGroup("rg").name("win-" + i).build()));
            }
            machines.add(s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(P2).resourceGroup("rg").name("linux").ubuntu2204().build()));
            machines.add(s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(P2).resourceGroup("rg").name("excluded")
                    .tag("MdeOnboardingExclude", "true").build()));
            machines.add(s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(P2).resourceGroup("rg").name("stopped")
                    .powerState("deallocated").build()));
            machines.add(s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(FREE).resourceGroup("rg").name("on-free").build()));
            w.emulator.requestLog().clear();

            sweep(w.env);
            assertEquals(0, w.emulator.requestLog().countWrites(), "observe: no PUT, PATCH, POST action or DELETE: "
                    + w.emulator.requestLog().countsByOperation());
            Set<String> wouldDeploy = new TreeSet<>();
            Map<String, TableEntity> rows = w.stateRows();
            for (String m : machines) {
                TableEntity row = rows.get(m.toLowerCase(Locale.ROOT));
                assertNotNull(row, m + " has a recorded decision");
                String sentence = wouldBe(row).orElseThrow(() -> new AssertionError(m + ": no would-be decision in " + row.getProperties()));
                if (sentence.contains("DEPLOY")) {
                    wouldDeploy.add(m.toLowerCase(Locale.ROOT));
                }
            }
            assertEquals(5, wouldDeploy.size(), "the four Windows VMs and the Linux VM: " + wouldDeploy);

            Map<String, String> onboard = new HashMap<>(w.env);
            onboard.put(Settings.MODE, "onboard");
            sweep(onboard);
            assertEquals(wouldDeploy, w.acceptedExtensionPuts().keySet(), "onboard deploys exactly what observe said it would");
            assertTrue(w.acceptedExtensionPuts().values().stream().allMatch(n -> n == 1), "once each");
        }
    }
}
