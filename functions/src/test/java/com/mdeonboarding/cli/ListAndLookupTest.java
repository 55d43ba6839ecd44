package com.mdeonboarding.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.testing.TestWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/**
 * The CLI a security engineer lives in (issue 26): {@code list} with the dashboard's filters and {@code -o table|json|tsv|csv}
 * (the CSV equal to the JSON), machines named by name or resource-group/name (a shared name is an error listing the
 * matches), and {@code event --dry-run} that does not claim to queue anything.
 */
class ListAndLookupTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUB = "3f2b8c1e-6d4a-4f7e-9b21-5c8e0a7d4f10";

    record Run(int exit, String out, String err) {
    }

    @Test
    void listFiltersAndFormatsLookUpByNameAndADryRunQueuesNothing() throws Exception {
        try (TestWorld world = TestWorld.builder(Tenant.sample()).prefix("List").build()) {
            for (String rg : new String[] {"rg-twin-a", "rg-twin-b"}) {
                world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB).resourceGroup(rg)
                        .name("vm-twin").build());
            }
            Run sweep = run(world, "sweep", "--json", "--wait", "120s");
            assertEquals(Main.ATTENTION, sweep.exit(), sweep.err());
            JsonNode estate = JSON.readTree(sweep.out()).path("report").path("estate");
            world.takeEvents();

            Run all = run(world, "list", "-o", "json");
            assertEquals(Main.OK, all.exit(), all.err());
            JsonNode doc = JSON.readTree(all.out());
            assertEquals(estate.path("machines").asLong(), doc.path("total").asLong(), "list counts what the sweep counted");

            Run blocked = run(world, "list", "--standing", "blocked", "-o", "json");
            JsonNode b = JSON.readTree(blocked.out());
            assertEquals(estate.path("standings").path("BLOCKED").asLong(), b.path("total").asLong());
            b.path("machines").forEach(m -> assertEquals("BLOCKED", m.path("standing").asText()));
            Run csv = run(world, "list", "--standing", "BLOCKED", "-o", "csv");
            DashboardBrowserTest.assertCsvEqualsJson(csv.out(), b);
            Run tsv = run(world, "list", "--standing", "BLOCKED", "-o", "tsv");
            assertEquals(b.path("total").asInt(), tsv.out().lines().count(), "one line per machine, no header");
            assertTrue(tsv.err().contains(b.path("total").asInt() + " machine(s) matching the filter"), tsv.err());
            Run table = run(world, "list", "--kind", "arc");
            assertTrue(table.out().startsWith("RESOURCE GROUP"), table.out());
            assertFalse(table.out().contains("/Microsoft.Compute/"), "arc only");

            Run bad = run(world, "list", "--family", "nonsense");
            assertEquals(Main.USAGE, bad.exit());
            assertTrue(bad.err().contains("--family: family must be one of posture, machine"), bad.err());
            assertEquals(Main.USAGE, run(world, "list", "-o", "yaml").exit());

            // By name, by resource-group/name; a shared name lists the machines that have it.
            Run byName = run(world, "status", "vm-prod-ws2012r2-missing-kb", "--json");
            assertEquals("BLOCKED", JSON.readTree(byName.out()).path("machines").get(0).path("decision").asText(), byName.err());
            Run twin = run(world, "status", "VM-TWIN");
            assertEquals(Main.USAGE, twin.exit());
            assertTrue(twin.err().contains("'VM-TWIN' names 2 machines") && twin.err().contains("/resourceGroups/rg-twin-a/")
                    && twin.err().contains("/resourceGroups/rg-twin-b/"), twin.err());
            Run one = run(world, "status", "rg-twin-b/vm-twin", "--json");
            assertTrue(JSON.readTree(one.out()).path("machines").get(0).path("resourceId").asText().contains("/rg-twin-b/"), one.out());
            Run none = run(world, "onboard", "vm-that-is-not-there");
            assertEquals(Main.USAGE, none.exit());
            assertTrue(none.err().contains("no machine in scope is named 'vm-that-is-not-there'"), none.err());

            // event --dry-run decides and writes nothing, and says nothing about a queue.
            world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB).resourceGroup("rg-dry")
                    .name("vm-dry").build());
            StringBuilder events = new StringBuilder();
            for (String e : world.takeEvents()) {
                JSON.readTree(e).forEach(x -> events.append(events.isEmpty() ? "" : ",").append(x));
            }
            Run dry = runWithStdin(world, "[" + events + "]", "event", "-", "--dry-run");
            assertTrue(dry.exit() == Main.OK || dry.exit() == Main.ATTENTION, dry.err());
            assertFalse(dry.err().toLowerCase().contains("queued"), "nothing is queued in a dry run: " + dry.err());
        }
    }

    private static Run run(TestWorld world, String... args) {
        return runWithStdin(world, "", args);
    }

    private static Run runWithStdin(TestWorld world, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new HashMap<>(world.env), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
