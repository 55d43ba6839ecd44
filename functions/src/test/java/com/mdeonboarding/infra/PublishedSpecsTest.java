package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.mdeonboarding.config.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The templates checked against what Microsoft publishes, without Azure: every resource type and api-version exists in
 * azure-rest-api-specs, every action a custom role grants exists in its provider's operation list (committed lists with
 * their sources: src/test/resources/published/*.tsv). Drift either way fails: a template that moves to a version or an
 * action not in the list, or a list line no template uses any more.
 */
class PublishedSpecsTest {
    private static List<String[]> rows(String file) {
        try (InputStream in = PublishedSpecsTest.class.getResourceAsStream("/published/" + file)) {
            List<String[]> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.split("\t"));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every (type, apiVersion) of every template, nested deployments included, and where it is used. */
    static Map<String, String> usedTypes() {
        Map<String, String> used = new LinkedHashMap<>();
        for (String file : ArmTemplate.TEMPLATES.keySet()) {
            for (ArmTemplate.Resource r : ArmTemplate.load(file).resources()) {
                used.putIfAbsent(r.type() + " " + r.node().path("apiVersion").asText(), r.where());
            }
        }
        return used;
    }

    /** Every action of every custom role, in every mode. */
    static Map<String, String> usedActions() {
        Map<String, String> used = new LinkedHashMap<>();
        for (String file : ArmTemplate.TEMPLATES.keySet()) {
            for (ArmTemplate.Resource role : ArmTemplate.load(file).resourcesOfType("Microsoft.Authorization/roleDefinitions")) {
                for (Mode mode : Mode.values()) {
                    JsonNode perms = role.properties().path("permissions").get(0);
                    JsonNode actions = role.scope().with(Map.of("mode", TextNode.valueOf(mode.settingValue())))
                            .eval(perms.path("actions").asText());
                    actions.forEach(a -> used.putIfAbsent(a.asText(), role.where()));
                }
            }
        }
        return used;
    }

    @Test
    void everyResourceTypeAndApiVersionIsPublishedInTheSpecs() {
        Set<String> listed = new TreeSet<>();
        rows("resource-types.tsv").forEach(r -> listed.add(r[0] + " " + r[1]));
        Map<String, String> used = usedTypes();
        List<String> unknown = used.keySet().stream().filter(u -> !listed.contains(u)).map(u -> u + " (" + used.get(u) + ")").toList();
        assertTrue(unknown.isEmpty(), "not in published/resource-types.tsv (look it up in azure-rest-api-specs and add it with its source): " + unknown);
        List<String> stale = listed.stream().filter(l -> !used.containsKey(l)).toList();
        assertTrue(stale.isEmpty(), "listed but no template uses it any more (remove the line): " + stale);
    }

    @Test
    void everyRoleActionIsAPublishedProviderOperation() {
        Set<String> listed = new TreeSet<>();
        rows("provider-operations.tsv").forEach(r -> listed.add(r[0]));
        Map<String, String> used = usedActions();
        List<String> unknown = used.keySet().stream().filter(a -> !listed.contains(a)).map(a -> a + " (" + used.get(a) + ")").toList();
        assertTrue(unknown.isEmpty(), "not in published/provider-operations.tsv: " + unknown);
        List<String> stale = listed.stream().filter(l -> !used.containsKey(l)).toList();
        assertTrue(stale.isEmpty(), "listed but no role grants it any more: " + stale);
    }

    @Test
    void theListsHaveASourceOnEveryLine() {
        for (String[] r : rows("resource-types.tsv")) {
            assertEquals(3, r.length, String.join("|", r));
            assertTrue(r[2].startsWith("specification/"), String.join("|", r));
        }
        for (String[] r : rows("provider-operations.tsv")) {
            assertEquals(2, r.length, String.join("|", r));
            assertTrue(r[1].contains(".md"), String.join("|", r));
        }
    }
}
