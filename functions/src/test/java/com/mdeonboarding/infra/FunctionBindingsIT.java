package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The function.json files that `mvn package` stages agree with infra/: queue and table names resolve
 * to what main.json creates, every %SETTING% is an app setting, and the Event Grid destination exists.
 * Runs under failsafe (after packaging), which sets mde.stagingDir.
 */
class FunctionBindingsIT {
    private static final Pattern SETTING = Pattern.compile("%([^%]+)%");

    private Path stagingDir;
    private Map<String, JsonNode> functions;
    private final ArmTemplate main = ArmTemplate.load("main.json");

    @BeforeEach
    void readStagedFunctions() {
        String prop = System.getProperty("mde.stagingDir");
        assumeTrue(prop != null, "mde.stagingDir is not set: this test runs under failsafe after `mvn package` (mvn verify)");
        stagingDir = Path.of(prop);
        if (!Files.isDirectory(stagingDir)) {
            fail("the staged Function App folder " + stagingDir + " is missing: run `mvn -pl functions package` first "
                    + "(the azure-functions-maven-plugin writes <Function>/function.json there)");
        }
        functions = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(stagingDir)) {
            for (Path d : dirs.sorted().toList()) {
                Path fj = d.resolve("function.json");
                if (Files.isRegularFile(fj)) {
                    functions.put(d.getFileName().toString(), ArmTemplate.readJson(fj));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertFalse(functions.isEmpty(), "no <Function>/function.json under " + stagingDir);
    }

    private List<JsonNode> bindings(String type) {
        List<JsonNode> out = new ArrayList<>();
        functions.values().forEach(f -> f.path("bindings").forEach(b -> {
            if (b.path("type").asText().equalsIgnoreCase(type)) {
                out.add(b);
            }
        }));
        return out;
    }

    private JsonNode function(String name) {
        JsonNode f = functions.get(name);
        assertTrue(f != null, "function " + name + " is not staged; staged: " + functions.keySet());
        return f;
    }

    private static boolean hasTrigger(JsonNode function, String type) {
        for (JsonNode b : function.path("bindings")) {
            if (b.path("type").asText().equalsIgnoreCase(type)) {
                return true;
            }
        }
        return false;
    }

    /** Replaces %SETTING% with the value main.json deploys by default. */
    private String resolve(String value) {
        Map<String, String> settings = main.appSettings();
        Matcher m = SETTING.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String raw = settings.get(m.group(1));
            assertTrue(raw != null, "%" + m.group(1) + "% is not an app setting in main.json");
            m.appendReplacement(sb, Matcher.quoteReplacement(main.scope().eval(raw).asText()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private Set<String> templateNames(String variable) {
        Set<String> out = new TreeSet<>();
        main.scope().eval("[variables('" + variable + "')]").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theFunctionsTheTemplatesPointAtExistWithTheRightTriggers() {
        assertTrue(hasTrigger(function("OnResourceWrite"), "eventGridTrigger"),
                "subscription-events.json delivers to <app>/functions/OnResourceWrite, which must be an eventGridTrigger");
        assertTrue(hasTrigger(function("ReconcileMachine"), "queueTrigger"));
        assertTrue(hasTrigger(function("RecordPoisonJob"), "queueTrigger"));
        assertTrue(hasTrigger(function("ComplianceSweep"), "timerTrigger"));
    }

    @Test
    void queueBindingsUseTheQueuesMainJsonCreates() {
        Set<String> created = templateNames("queueNames");
        Set<String> bound = new TreeSet<>();
        List<JsonNode> queueBindings = new ArrayList<>(bindings("queueTrigger"));
        queueBindings.addAll(bindings("queue"));
        assertFalse(queueBindings.isEmpty(), "no queue bindings staged");
        for (JsonNode b : queueBindings) {
            String queue = resolve(b.path("queueName").asText());
            assertTrue(created.contains(queue), "binding '" + b.path("name").asText() + "' uses queue '" + queue
                    + "', which main.json does not create (it creates " + created + ")");
            bound.add(queue);
        }
        assertEquals(created, bound, "every queue main.json creates is used by a binding (no stale queue, poison queue handled)");
        assertEquals(resolve(function("ReconcileMachine").path("bindings").findValue("queueName").asText()) + "-poison",
                resolve(function("RecordPoisonJob").path("bindings").findValue("queueName").asText()),
                "RecordPoisonJob listens on the runtime's poison queue of the jobs queue");
    }

    @Test
    void tableBindingsUseTheTablesMainJsonCreates() {
        Set<String> created = templateNames("tableNames");
        for (JsonNode b : bindings("table")) {
            String table = resolve(b.path("tableName").asText());
            assertTrue(created.contains(table), "table binding uses '" + table + "', not created by main.json " + created);
        }
    }

    @Test
    void storageConnectionsAreIdentityBasedInAzure() {
        Set<String> settings = main.appSettings().keySet();
        for (String type : List.of("queueTrigger", "queue", "table", "blob", "blobTrigger")) {
            for (JsonNode b : bindings(type)) {
                String conn = b.path("connection").asText("AzureWebJobsStorage");
                conn = conn.isEmpty() ? "AzureWebJobsStorage" : conn;
                String service = type.startsWith("queue") ? "queue" : type.startsWith("table") ? "table" : "blob";
                assertTrue(settings.contains(conn + "__" + service + "ServiceUri"),
                        "binding '" + b.path("name").asText() + "' connects through '" + conn + "', but main.json has no "
                                + conn + "__" + service + "ServiceUri (storage has shared keys disabled)");
            }
        }
    }

    @Test
    void everySettingABindingNamesIsDeployedAndInTheSample() {
        Set<String> deployed = main.appSettings().keySet();
        Set<String> sample = AppSettingsParityTest.sampleKeys();
        for (Map.Entry<String, JsonNode> f : functions.entrySet()) {
            for (String s : ArmTemplate.allStrings(f.getValue().path("bindings"))) {
                Matcher m = SETTING.matcher(s);
                while (m.find()) {
                    assertTrue(deployed.contains(m.group(1)), f.getKey() + ": %" + m.group(1) + "% is not set by main.json");
                    assertTrue(sample.contains(m.group(1)), f.getKey() + ": %" + m.group(1) + "% is not in local.settings.sample.json");
                }
            }
        }
    }
}
