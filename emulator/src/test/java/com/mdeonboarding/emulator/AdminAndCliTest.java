package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminAndCliTest {
    @Test
    void adminApiReadsStateCreatesMachinesAndShowsTheLog() {
        try (TestEmulator emu = TestEmulator.start()) {
            ArmEmulator arm = emu.arm();
            TestClient c = emu.client();
            JsonNode state = c.send("GET", "/admin/state", null, Map.of(), false).json();
            assertEquals(4, state.path("subscriptions").asInt());
            assertEquals(27, state.path("virtualMachines").asInt());
            assertEquals(8, state.path("arcMachines").asInt());

            TestClient.Resp created = c.send("POST", "/admin/virtualMachines", Map.of("subscriptionId", Sample.PROD,
                    "resourceGroup", "rg-admin", "name", "vm-admin", "osType", "Linux", "osName", "ubuntu",
                    "osVersion", "24.04", "tags", Map.of("env", "test")), Map.of(), false);
            assertEquals(201, created.status(), created.body());
            String id = created.json().path("id").asText();
            assertEquals("Linux", c.get(id + Sample.COMPUTE_API).json().at("/properties/storageProfile/osDisk/osType").asText());
            TestClient.Resp arc = c.send("POST", "/admin/arcMachines", Map.of("subscriptionId", Sample.DEV,
                    "resourceGroup", "rg-admin", "name", "arc-admin", "osName", "linux", "osSku", "Ubuntu 24.04 LTS"),
                    Map.of(), false);
            assertEquals(201, arc.status(), arc.body());
            JsonNode events = c.send("GET", "/admin/events", null, Map.of(), false).json();
            assertEquals(2, events.size());
            assertEquals("Microsoft.HybridCompute/machines/write", events.get(1).at("/data/operationName").asText());
            assertEquals(400, c.send("POST", "/admin/virtualMachines", Map.of("subscriptionId", Sample.PROD,
                    "name", "x"), Map.of(), false).status(), "resourceGroup is required");
            assertEquals(400, c.send("POST", "/admin/virtualMachines", Map.of("subscriptionId", "nope",
                    "resourceGroup", "rg", "name", "x"), Map.of(), false).status());

            JsonNode requests = c.send("GET", "/admin/requests", null, Map.of(), false).json();
            assertEquals(1, requests.at("/counts/VirtualMachines_Get").asInt());
            assertEquals(1, requests.path("requests").size());
            assertEquals(204, c.send("DELETE", "/admin/requests", null, Map.of(), false).status());
            assertEquals(0, arm.requestLog().total());
            assertEquals(id, c.send("GET", "/admin/state?machineId=" + id, null, Map.of(), false).json().path("id").asText());
            assertEquals(404, c.send("GET", "/admin/nothing", null, Map.of(), false).status());
        }
    }

    @Test
    void cliPrintsUsageAndRejectsBadArguments() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Cli.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--generate SUBS,MACHINES[,SEED]"));
        assertEquals(2, Cli.run(new String[] {"--bogus"}, new PrintStream(out), new PrintStream(err)));
        assertEquals(2, Cli.run(new String[] {"--generate", "10"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown option --bogus"));
    }
}
