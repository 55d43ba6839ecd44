package com.mdeonboarding.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.testing.Azurite;
import com.mdeonboarding.testing.RepoPaths;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins what the operator sees and what is written to Azure for one fixed scenario on the sample tenant:
 * plan, sweep (audit), sweep --enforce, two new machines through their Event Grid events, a repeated
 * onboard, and status. The answers (decisions, reasons, actions, statuses, report counts) and the
 * emulator's write log are compared with a committed golden file, with the values that differ by run
 * (IDs, times, durations, read counts) left out. A refactoring must leave this file unchanged; a
 * deliberate behaviour change regenerates it ({@code -Dmde.updateGolden=true}) and shows in the diff.
 */
class BehaviourSnapshotTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final String SUB = "3f2b8c1e-6d4a-4f7e-9b21-5c8e0a7d4f10";
    private static final Path GOLDEN = RepoPaths.repoRoot().resolve("functions/src/test/resources/golden/cli-behaviour.json");
    private static final Path GOLDEN_SENSOR_OFF = RepoPaths.repoRoot().resolve("functions/src/test/resources/golden/cli-behaviour-sensor-off.json");
    /** Values that differ from run to run. */
    private static final List<String> VOLATILE = List.of("correlationId", "sweepId", "startedAt", "finishedAt", "durationMillis",
            "observedAt", "updatedAt", "at", "checkedAt", "lastDeployAt", "settingsReadAt", "attempts", "attempt", "reads", "total",
            "summary");

    @TempDir
    Path dir;

    @Test
    void theSampleTenantScenarioAnswersAndWritesAsBefore() throws IOException {
        compare(scenario(Map.of()), GOLDEN);
    }

    /**
     * MDE_SENSOR_CHECK=off: no Defender for Endpoint call, and every answer and write is the sensor-on scenario's (where
     * every sample sensor reports) except for the sensor's own parts: SENSOR_UNVERIFIED instead of SENSOR_ACTIVE, the
     * detail saying the check is off instead of naming the device, the report's sensor section.
     */
    @Test
    void withTheSensorCheckOffTheScenarioIsTheSameButUnverified() throws IOException {
        ObjectNode off = scenario(Map.of(Settings.SENSOR_CHECK, "off"));
        compare(off, GOLDEN_SENSOR_OFF);
        JsonNode on = JSON.readTree(Files.readString(GOLDEN));
        assertEquals(withoutSensor(on.deepCopy()).toPrettyString(), withoutSensor(off.deepCopy()).toPrettyString());
        assertTrue(off.toString().contains("SENSOR_UNVERIFIED") && !off.toString().contains("SENSOR_ACTIVE"));
        assertEquals(0, off.path("defenderApiCalls").asLong(), "off: not one Defender for Endpoint call");
    }

    private static void compare(ObjectNode snapshot, Path golden) throws IOException {
        String actual = JSON.writeValueAsString(snapshot) + "\n";
        if (Boolean.getBoolean("mde.updateGolden") || !Files.exists(golden)) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
        }
        assertEquals(Files.readString(golden), actual, "the scenario's answers or writes changed; if that is intended, rerun with"
                + " -Dmde.updateGolden=true and review the diff of " + golden);
    }

    /** The snapshot with what only the sensor check says taken out. */
    private static JsonNode withoutSensor(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            // SENSOR_*: lastReasons counts; PROTECTED and UNVERIFIED: the estate's standings (a healthy extension is protected
            // when its sensor is seen Active, unverified when nobody looked).
            o.remove(List.of("sensor", "defenderApiCalls", "SENSOR_ACTIVE", "SENSOR_UNVERIFIED", "PROTECTED", "UNVERIFIED"));
            JsonNode detail = o.get("detail");
            if (detail != null && detail.isTextual() && (detail.asText().startsWith("device ") || detail.asText().contains("MDE_SENSOR_CHECK=off"))) {
                o.putNull("detail");
            }
            o.fields().forEachRemaining(f -> withoutSensor(f.getValue()));
            if (o.get("reasons") instanceof ArrayNode reasons) {
                ArrayNode kept = JSON.createArrayNode();
                reasons.forEach(r -> {
                    String code = r.isTextual() ? r.asText() : r.path("code").asText();
                    if (!code.equals("SENSOR_ACTIVE") && !code.equals("SENSOR_UNVERIFIED")) {
                        kept.add(r);
                    }
                });
                o.set("reasons", kept);
            }
        } else if (n.isArray()) {
            n.forEach(BehaviourSnapshotTest::withoutSensor);
        }
        return n;
    }

    private ObjectNode scenario(Map<String, String> settings) throws IOException {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        try (ArmEmulator emulator = ArmEmulator.builder().tenant(Tenant.sample()).port(0)
                .extensionProvisioningDelay(Duration.ofMillis(300)).lroRetryAfterSeconds(0).onEvent(events::add).build().start()) {
            Map<String, String> env = new HashMap<>(env(emulator));
            env.putAll(settings);
            ObjectNode snapshot = JSON.createObjectNode();
            snapshot.set("plan", run(env, "plan", "--json"));
            snapshot.set("sweep", run(env, "sweep", "--json", "--wait", "20s"));
            snapshot.set("sweepEnforce", run(env, "sweep", "--enforce", "--yes", "--json", "--wait", "20s"));

            events.clear();
            String vm = emulator.state().createVirtualMachine(SUB, VirtualMachineSpec.builder().subscriptionId(SUB)
                    .resourceGroup("rg-snapshot").name("vm-snapshot-win").build());
            String arc = emulator.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB).resourceGroup("rg-snapshot")
                    .name("arc-snapshot-linux").ubuntu2204().build());
            Path file = dir.resolve("events.json");
            ArrayNode delivery = JSON.createArrayNode();
            for (String e : List.copyOf(events)) {
                JSON.readTree(e).forEach(delivery::add);
            }
            Files.writeString(file, delivery.toString());
            snapshot.set("event", run(env, "event", file.toString(), "--json", "--wait", "20s"));
            snapshot.set("onboardAgain", run(env, "onboard", vm, arc, "--json", "--wait", "20s"));
            snapshot.set("status", run(env, "status", vm, "--json", "--history", "3"));
            snapshot.set("writes", writes(emulator.requestLog()));
            snapshot.put("defenderApiCalls", emulator.defenderRequestLog().total());
            return snapshot;
        }
    }

    private static Map<String, String> env(ArmEmulator emulator) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, String> e = new HashMap<>();
        e.put(Settings.STORAGE, Azurite.get().connectionString());
        e.put(Settings.JOBS_QUEUE, "snap-" + suffix);
        e.put(Settings.STATE_TABLE, "SnapState" + suffix);
        e.put(Settings.HISTORY_TABLE, "SnapHistory" + suffix);
        e.put(Settings.REPORTS_TABLE, "SnapReports" + suffix);
        e.put(Settings.ARM_ENDPOINT, emulator.baseUrl());
        e.put(Settings.ARM_CA_CERT, emulator.caCertificatePemPath().toString());
        e.put(Settings.DEFENDER_API_ENDPOINT, emulator.baseUrl());
        // The scenario onboards and may enable Plan 1 (issue 24: a fresh deployment observes, and enables no billed plan).
        e.put(Settings.MODE, "onboard");
        e.put(Settings.PLAN_ENABLEMENT, "P1");
        e.put(Settings.SCOPE_SUBSCRIPTIONS, String.join(",", Tenant.sample().subscriptions().stream()
                .map(SubscriptionSpec::subscriptionId).toList()));
        e.put(Settings.VERIFY_DELAY_SECONDS, "1");
        return e;
    }

    private static JsonNode run(Map<String, String> env, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.run(args, env, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        ObjectNode doc = (ObjectNode) JSON.readTree(out.toString(StandardCharsets.UTF_8));
        doc.put("exit", exit);
        return normalise(doc);
    }

    /** Drops run-to-run values, masks times inside texts, and orders machine lists by resource ID. */
    private static JsonNode normalise(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (VOLATILE.contains(f)) {
                    it.remove();
                } else {
                    o.set(f, normalise(o.get(f)));
                }
            }
            return o;
        }
        if (n.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            n.forEach(x -> items.add(normalise(x)));
            if (!items.isEmpty() && items.get(0).has("resourceId")) {
                items.sort((a, b) -> a.path("resourceId").asText().compareToIgnoreCase(b.path("resourceId").asText()));
            }
            ArrayNode a = JSON.createArrayNode();
            items.forEach(a::add);
            return a;
        }
        if (n.isTextual()) {
            return JSON.getNodeFactory().textNode(n.asText().replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "<time>"));
        }
        return n;
    }

    /** Every write the app sent, as operation and lower-case path, with how often. */
    private static JsonNode writes(RequestLog log) {
        Map<String, Integer> counts = new TreeMap<>();
        for (RequestLog.Entry e : log.snapshot()) {
            if (e.write()) {
                counts.merge(e.method() + " " + e.operationId() + " " + e.path().toLowerCase(java.util.Locale.ROOT) + " -> " + e.status(),
                        1, Integer::sum);
            }
        }
        ObjectNode o = JSON.createObjectNode();
        counts.forEach(o::put);
        return o;
    }
}
