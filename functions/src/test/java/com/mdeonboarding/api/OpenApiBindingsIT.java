package com.mdeonboarding.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.testing.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document agrees with what will be deployed: the httpTrigger bindings of the staged
 * function.json files (routes, methods, function-key auth) and the host's route prefix.
 */
class OpenApiBindingsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void stagedHttpTriggersAreExactlyTheDocumentedOperationsAllBehindTheFunctionKey() throws Exception {
        String dir = System.getProperty("mde.stagingDir");
        Path staging = dir != null ? Path.of(dir) : RepoPaths.repoRoot().resolve("functions/target/azure-functions/mde-onboarding");
        assertTrue(Files.isDirectory(staging), "no staged Function App at " + staging + "; run `mvn verify`");
        Set<String> staged = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(staging)) {
            for (Path d : dirs.filter(p -> Files.exists(p.resolve("function.json"))).toList()) {
                for (JsonNode b : JSON.readTree(d.resolve("function.json").toFile()).path("bindings")) {
                    if (b.path("type").asText().equals("httpTrigger")) {
                        assertEquals("FUNCTION", b.path("authLevel").asText().toUpperCase(Locale.ROOT), d.getFileName().toString());
                        b.path("methods").forEach(m -> staged.add(m.asText().toUpperCase(Locale.ROOT) + " /" + b.path("route").asText()));
                    }
                }
            }
        }
        assertFalse(staged.isEmpty(), "no HTTP trigger staged");
        JsonNode doc = JSON.readTree(OpenApiEndpoint.document());
        Map<String, Set<String>> bound = OpenApiDocumentTest.byRoute(staged);
        Map<String, Set<String>> documented = OpenApiDocumentTest.byRoute(OpenApiDocumentTest.documentedOperations(doc));
        assertEquals(bound.keySet(), documented.keySet(), "the staged HTTP triggers are exactly the documented routes");
        bound.forEach((route, methods) -> assertEquals(OpenApiDocumentTest.EVERY_METHOD, methods,
                route + ": the binding takes every method (its route answers the wrong ones 405)"));
        JsonNode host = JSON.readTree(staging.resolve("host.json").toFile());
        String prefix = host.path("extensions").path("http").path("routePrefix").asText("api");
        assertEquals("/" + prefix, doc.path("servers").get(0).path("url").asText(), "the document's server URL is the host's route prefix");
    }
}
