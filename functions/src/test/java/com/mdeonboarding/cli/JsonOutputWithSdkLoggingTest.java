package com.mdeonboarding.cli;

import static com.mdeonboarding.testing.OperatorWorld.SUB_IN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.testing.OperatorWorld;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json} stays one JSON document on stdout however the Azure SDK is told to log. The CLI runs in its own JVM,
 * as {@code bin/mde-onboarding} runs it: the SDK's loggers are static and read {@code AZURE_LOG_LEVEL} from the
 * process environment once, and its fallback logger (used when SLF4J has no binding) writes to the real
 * {@code System.out}, which an in-process run cannot see.
 */
class JsonOutputWithSdkLoggingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What azure-core's HttpLoggingPolicy logs for every request, whatever logger it ends up in. */
    private static final String SDK_HTTP_LINE = "\"az.sdk.message\":\"HTTP request\"";
    private static OperatorWorld world;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        world = new OperatorWorld();
        world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).name("vm-logging").build());
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    record Run(int exit, String out, String err) {
    }

    @Test
    void verboseSdkLoggingGoesToStderrAndStdoutIsOneJsonDocument() throws Exception {
        // Request lines need both: the SDK logging verbosely, and the pipeline asked to log requests (no bodies ever).
        Run r = fork(Map.of("AZURE_LOG_LEVEL", "verbose", "AZURE_HTTP_LOG_DETAIL_LEVEL", "basic"), "plan", "--subscription", SUB_IN, "--json");

        assertEquals(0, r.exit(), r.err());
        JsonNode doc = onlyJsonDocument(r);
        assertEquals("plan", doc.path("command").asText(), r.out());
        assertTrue(r.err().contains(SDK_HTTP_LINE), "the SDK's request lines are on stderr:\n" + r.err());
        assertTrue(r.err().contains(world.emulator.baseUrl()), "naming the emulator's URL:\n" + r.err());
        // java.util.logging's console format: a line with time and source, then "LEVEL: message".
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("FINE: ")), "verbose means the SDK's verbose (FINE) lines too:\n" + r.err());
    }

    @Test
    void withoutAzureLogLevelTheSdkShowsOnlyWarnings() throws Exception {
        Run r = fork(Map.of(), "plan", "--subscription", SUB_IN, "--json");

        assertEquals(0, r.exit(), r.err());
        onlyJsonDocument(r);
        assertFalse(r.err().contains(SDK_HTTP_LINE), "request lines are informational, not shown by default:\n" + r.err());
        assertFalse(r.err().contains("SEVERE"), "nor the Tables SDK's error line for the machine not recorded yet:\n" + r.err());
    }

    @Test
    void anAzureLogLevelTheSdkDoesNotKnowIsAConfigurationError() throws Exception {
        Run r = fork(Map.of("AZURE_LOG_LEVEL", "chatty"), "plan", "--subscription", SUB_IN, "--json");

        assertEquals(Main.USAGE, r.exit(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("AZURE_LOG_LEVEL"), r.err());
    }

    private static JsonNode onlyJsonDocument(Run r) throws IOException {
        try (JsonParser parser = JSON.createParser(r.out())) {
            JsonNode doc = JSON.readTree(parser);
            assertEquals(null, parser.nextToken(), "stdout holds one JSON document only:\n" + r.out());
            return doc;
        } catch (IOException e) {
            throw new AssertionError("stdout is not one JSON document:\n" + r.out() + "\nstderr:\n" + r.err(), e);
        }
    }

    /** {@code java com.mdeonboarding.cli.Main ARGS} with only the world's settings and {@code extraEnv} in its environment. */
    private Run fork(Map<String, String> extraEnv, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classpath, Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(world.env);
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not finish within 120 s:\n" + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
