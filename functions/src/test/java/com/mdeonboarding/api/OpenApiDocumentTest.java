package com.mdeonboarding.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document matches the HTTP triggers: the same paths and methods, function-key auth
 * everywhere, and the problem types the code answers with. Reflects over the trigger annotations;
 * {@code OpenApiBindingsIT} checks the staged function.json files the same way.
 */
class OpenApiDocumentTest {

    /** "METHOD /route" of every HttpTrigger in the host package, with its auth level. */
    static Map<String, AuthorizationLevel> httpTriggers() throws IOException, ClassNotFoundException {
        Path classes = Path.of(HttpMachineStateTest.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .resolveSibling("classes").resolve("com/mdeonboarding/host");
        Map<String, AuthorizationLevel> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(classes)) {
            for (Path c : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$")).toList()) {
                Class<?> type = Class.forName("com.mdeonboarding.host." + c.getFileName().toString().replace(".class", ""));
                for (Method m : type.getDeclaredMethods()) {
                    for (Parameter p : m.getParameters()) {
                        HttpTrigger t = p.getAnnotation(HttpTrigger.class);
                        if (t != null) {
                            for (HttpMethod hm : t.methods()) {
                                out.put(hm.name() + " /" + t.route(), t.authLevel());
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    static Set<String> documentedOperations(JsonNode doc) {
        Set<String> out = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m ->
                out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        return out;
    }

    @Test
    void servedDocumentIsOpenApi3WithExactlyTheTriggersRoutes() throws Exception {
        Http.Reply r = Http.getOpenApi(Map.of());
        assertEquals(200, r.status(), r.toString());
        JsonNode doc = r.json();
        assertTrue(doc.path("openapi").asText().startsWith("3.0."), doc.path("openapi").asText());
        assertEquals("/api", doc.path("servers").get(0).path("url").asText(), "host.json keeps the default route prefix 'api'");
        Map<String, AuthorizationLevel> triggers = httpTriggers();
        assertFalse(triggers.isEmpty());
        Map<String, Set<String>> taken = byRoute(triggers.keySet());
        Map<String, Set<String>> documented = byRoute(documentedOperations(doc));
        assertEquals(taken.keySet(), documented.keySet(), "the document has exactly the triggers' routes");
        documented.forEach((route, methods) -> {
            assertEquals(1, methods.size(), route + ": one method per route");
            // The trigger takes every method, so that its route answers the wrong ones 405 with Allow (WrongMethodTest).
            assertEquals(EVERY_METHOD, taken.get(route), route);
        });
    }

    /** What each HTTP trigger declares: the route's own method is checked by its Endpoint. */
    static final Set<String> EVERY_METHOD = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    /** "METHOD /route" lines grouped by route. */
    static Map<String, Set<String>> byRoute(Set<String> operations) {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        for (String op : operations) {
            out.computeIfAbsent(op.substring(op.indexOf(' ') + 1), k -> new TreeSet<>()).add(op.substring(0, op.indexOf(' ')));
        }
        return out;
    }

    @Test
    void everyRouteNeedsTheFunctionKeyAndTheDocumentSaysSo() throws Exception {
        httpTriggers().forEach((route, level) -> assertEquals(AuthorizationLevel.FUNCTION, level, route));
        JsonNode doc = Http.JSON.readTree(OpenApiEndpoint.document());
        Set<String> global = new TreeSet<>();
        doc.path("security").forEach(s -> s.fieldNames().forEachRemaining(global::add));
        assertEquals(Set.of("functionKeyHeader", "functionKeyQuery"), global);
        assertEquals("x-functions-key", doc.at("/components/securitySchemes/functionKeyHeader/name").asText());
        assertEquals("code", doc.at("/components/securitySchemes/functionKeyQuery/name").asText());
        doc.path("paths").forEach(p -> p.forEach(op -> {
            assertFalse(op.has("security"), "no operation overrides the function-key requirement: " + op.path("operationId"));
            assertTrue(op.path("responses").has("401"), op.path("operationId").asText());
        }));
    }

    @Test
    void theProblemTypesListedAreExactlyThoseTheCodeAnswers() throws Exception {
        JsonNode doc = Http.JSON.readTree(OpenApiEndpoint.document());
        String listed = doc.at("/components/schemas/Problem/properties/type/description").asText();
        Set<String> slugs = Arrays.stream(listed.replaceAll(".*\\{(.*)}.*", "$1").split("\\|")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> code = Arrays.stream(Problem.Type.values()).map(t -> t.uri().substring("urn:mde-onboarding:problem:".length()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(code, slugs);
    }

    @Test
    void everyReferenceResolves() throws Exception {
        JsonNode doc = Http.JSON.readTree(OpenApiEndpoint.document());
        java.util.List<String> refs = new java.util.ArrayList<>();
        collectRefs(doc, refs);
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), ref);
            assertFalse(doc.at(ref.substring(1)).isMissingNode(), "unresolved $ref " + ref);
        }
    }

    private static void collectRefs(JsonNode n, java.util.List<String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            });
        } else if (n.isArray()) {
            n.forEach(x -> collectRefs(x, out));
        }
    }
}
