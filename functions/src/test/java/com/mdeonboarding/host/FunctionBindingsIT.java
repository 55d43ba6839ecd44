package com.mdeonboarding.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.testing.RepoPaths;
import com.microsoft.azure.functions.annotation.FunctionName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads the function.json files that `mvn package` staged (azure-functions-maven-plugin) and checks
 * every binding, so that a mistyped annotation fails the build instead of the deployment.
 */
class FunctionBindingsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** HTTP triggers take every method: their routes answer the wrong ones 405 with Allow, not the host's 404. */
    private static final String EVERY_METHOD = "[\"GET\",\"HEAD\",\"POST\",\"PUT\",\"PATCH\",\"DELETE\",\"OPTIONS\"]";

    /** Function -> its bindings as "direction type name key=value..." lines, exactly. */
    private static final Map<String, List<String>> EXPECTED = Map.ofEntries(
            Map.entry("OnResourceWrite", List.of(
                    "in eventGridTrigger event",
                    "out queue jobs connection=AzureWebJobsStorage queueName=%MDE_JOBS_QUEUE%")),
            Map.entry("ReconcileMachine", List.of(
                    "in queueTrigger message connection=AzureWebJobsStorage queueName=%MDE_JOBS_QUEUE%")),
            Map.entry("ComplianceSweep", List.of(
                    "in timerTrigger timer schedule=%MDE_SWEEP_SCHEDULE%")),
            Map.entry("RunRequestedSweep", List.of(
                    "in queueTrigger message connection=AzureWebJobsStorage queueName=%MDE_JOBS_QUEUE%-sweeps")),
            Map.entry("Resync", List.of(
                    "in timerTrigger timer schedule=0 */2 * * * *")),
            Map.entry("RecordPoisonJob", List.of(
                    "in queueTrigger message connection=AzureWebJobsStorage queueName=%MDE_JOBS_QUEUE%-poison")),
            Map.entry("HttpOnboarding", List.of(
                    "in httpTrigger req authLevel=FUNCTION methods=" + EVERY_METHOD + " route=onboarding",
                    "out http $return")),
            Map.entry("HttpMachineState", List.of(
                    "in httpTrigger req authLevel=FUNCTION methods=" + EVERY_METHOD + " route=machines/state",
                    "out http $return")),
            Map.entry("HttpPosture", List.of(
                    "in httpTrigger req authLevel=FUNCTION methods=" + EVERY_METHOD + " route=posture",
                    "out http $return")),
            Map.entry("HttpSweeps", List.of(
                    "in httpTrigger req authLevel=FUNCTION methods=" + EVERY_METHOD + " route=sweeps",
                    "out http $return")),
            Map.entry("HttpOpenApi", List.of(
                    "in httpTrigger req authLevel=FUNCTION methods=" + EVERY_METHOD + " route=openapi.json",
                    "out http $return")),
            Map.entry("HttpDashboard", List.of(
                    "in httpTrigger req authLevel=FUNCTION methods=" + EVERY_METHOD + " route=dashboard",
                    "out http $return")),
            Map.entry("HttpMachines", List.of(
                    "in httpTrigger req authLevel=FUNCTION methods=" + EVERY_METHOD + " route=machines",
                    "out http $return")));

    static Path staging() {
        String dir = System.getProperty("mde.stagingDir");
        Path p = dir != null ? Path.of(dir) : RepoPaths.repoRoot().resolve("functions/target/azure-functions/mde-onboarding");
        assertTrue(Files.isDirectory(p), "no staged Function App at " + p + "; run `mvn verify` (packaging stages it)");
        return p;
    }

    @Test
    void everyFunctionHasExactlyTheExpectedBindings() throws IOException {
        for (Map.Entry<String, List<String>> e : EXPECTED.entrySet()) {
            Path f = staging().resolve(e.getKey()).resolve("function.json");
            assertTrue(Files.exists(f), "missing " + f);
            JsonNode json = JSON.readTree(f.toFile());
            List<String> actual = new ArrayList<>();
            for (JsonNode b : json.path("bindings")) {
                StringBuilder s = new StringBuilder(b.path("direction").asText() + " " + b.path("type").asText() + " " + b.path("name").asText());
                TreeSet<String> keys = new TreeSet<>();
                b.fieldNames().forEachRemaining(keys::add);
                keys.stream()
                        .filter(k -> !k.equals("direction") && !k.equals("type") && !k.equals("name"))
                        // Arrays (an HTTP trigger's methods) as JSON text, so that they are compared too.
                        .forEach(k -> s.append(' ').append(k).append('=').append(b.path(k).isValueNode() ? b.path(k).asText() : b.path(k).toString()));
                actual.add(s.toString());
            }
            assertEquals(e.getValue(), actual, e.getKey());
            assertTrue(json.path("entryPoint").asText().startsWith("com.mdeonboarding.host."), e.getKey());
        }
    }

    @Test
    void everyAnnotatedFunctionIsStagedAndNothingElse() throws Exception {
        TreeSet<String> annotated = new TreeSet<>();
        Path classes = RepoPaths.repoRoot().resolve("functions/target/classes/com/mdeonboarding/host");
        try (Stream<Path> files = Files.list(classes)) {
            for (Path c : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$")).toList()) {
                String name = "com.mdeonboarding.host." + c.getFileName().toString().replace(".class", "");
                for (Method m : Class.forName(name).getDeclaredMethods()) {
                    FunctionName fn = m.getAnnotation(FunctionName.class);
                    if (fn != null) {
                        annotated.add(fn.value());
                    }
                }
            }
        }
        TreeSet<String> staged = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(staging())) {
            dirs.filter(d -> Files.exists(d.resolve("function.json"))).forEach(d -> staged.add(d.getFileName().toString()));
        }
        assertEquals(annotated, staged);
        assertEquals(new TreeSet<>(EXPECTED.keySet()), staged, "a new function needs its bindings listed in this test");
    }

    @Test
    void stagedHostJsonIsOursWithDeliberateQueueSettings() throws IOException {
        JsonNode staged = JSON.readTree(staging().resolve("host.json").toFile());
        JsonNode ours = JSON.readTree(RepoPaths.repoRoot().resolve("host.json").toFile());
        assertEquals(ours, staged);
        assertEquals("Microsoft.Azure.Functions.ExtensionBundle", ours.path("extensionBundle").path("id").asText());
        JsonNode q = ours.path("extensions").path("queues");
        // The one-minute default polling interval would delay every onboarding.
        assertEquals("00:00:02", q.path("maxPollingInterval").asText());
        assertEquals("base64", q.path("messageEncoding").asText(), "JobQueue writes base64");
        assertTrue(q.path("maxDequeueCount").asInt() >= 3 && q.path("maxDequeueCount").asInt() <= 10);
        assertTrue(q.path("batchSize").asInt() >= 1 && q.path("batchSize").asInt() <= 32);
        assertTrue(q.has("visibilityTimeout"));
    }
}
