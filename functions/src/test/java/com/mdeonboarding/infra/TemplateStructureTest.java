package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Mistakes Resource Manager would only report at deploy time, caught by reading the templates as data. */
class TemplateStructureTest {
    private static final Pattern API_VERSION = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}(-preview)?$");
    private static final Pattern RESOURCE_TYPE = Pattern.compile("^[A-Za-z]+\\.[A-Za-z]+(\\.[A-Za-z]+)*(/[A-Za-z]+)+$");
    private static final Pattern CONTENT_VERSION = Pattern.compile("^\\d+\\.\\d+\\.\\d+\\.\\d+$");
    private static final String PARAMETERS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#";

    /** Parameter files and the templates they are for. */
    private static final Map<String, List<String>> PARAMETER_FILES = Map.of(
            "main.parameters.example.json", List.of("main.json"),
            "subscription-events.parameters.example.json", List.of("subscription-events.json"),
            "roles.parameters.example.json", List.of("roles-subscription.json", "roles-management-group.json"),
            "monitoring.parameters.example.json", List.of("monitoring.json"));

    static Stream<String> templates() {
        return ArmTemplate.TEMPLATES.keySet().stream().sorted();
    }

    @Test
    void infraHoldsExactlyTheKnownTemplatesAndParameterFiles() {
        Set<String> expected = new HashSet<>(ArmTemplate.TEMPLATES.keySet());
        expected.addAll(PARAMETER_FILES.keySet());
        assertEquals(expected, new HashSet<>(ArmTemplate.infraJsonFiles()),
                "every JSON file in infra/ must be a known template or parameter file, so that it is tested");
    }

    @ParameterizedTest
    @MethodSource("templates")
    void templateDeclaresSchemaAndContentVersion(String file) {
        ArmTemplate t = ArmTemplate.load(file);
        assertEquals(ArmTemplate.TEMPLATES.get(file), t.root.path("$schema").asText(), file + ": $schema (decides the deployment scope)");
        assertTrue(CONTENT_VERSION.matcher(t.root.path("contentVersion").asText()).matches(), file + ": contentVersion like 1.0.0.0");
        for (JsonNode nested : t.nestedTemplates()) {
            assertFalse(nested.path("$schema").asText().isEmpty(), file + ": a nested template without $schema");
            assertTrue(CONTENT_VERSION.matcher(nested.path("contentVersion").asText()).matches(), file + ": nested contentVersion");
        }
    }

    @ParameterizedTest
    @MethodSource("templates")
    void everyResourceHasATypeAndADatedApiVersion(String file) {
        List<ArmTemplate.Resource> resources = ArmTemplate.load(file).resources();
        assertFalse(resources.isEmpty(), file + " has no resources");
        for (ArmTemplate.Resource r : resources) {
            assertTrue(RESOURCE_TYPE.matcher(r.type()).matches(), r.where() + ": type '" + r.type() + "' is not Namespace/type");
            assertTrue(API_VERSION.matcher(r.apiVersion()).matches(),
                    r.where() + ": apiVersion '" + r.apiVersion() + "' is not yyyy-mm-dd or yyyy-mm-dd-preview");
            assertFalse(r.name().isEmpty(), r.where() + ": no name");
        }
    }

    @ParameterizedTest
    @MethodSource("templates")
    void everyParameterAndVariableReferenceIsDeclared(String file) {
        List<String> problems = ArmTemplate.load(file).undeclaredReferences();
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @ParameterizedTest
    @MethodSource("templates")
    void everyDeclaredParameterAndVariableIsUsed(String file) {
        ArmTemplate t = ArmTemplate.load(file);
        List<String> unused = new ArrayList<>();
        List<JsonNode> templates = new ArrayList<>(List.of(t.root));
        templates.addAll(t.nestedTemplates());
        for (JsonNode template : templates) {
            Set<String> used = new HashSet<>();
            for (String s : ArmTemplate.allStrings(template)) {
                ArmTemplate.forEachReference(s, (kind, name) -> used.add(kind + ":" + name));
            }
            template.path("parameters").fieldNames().forEachRemaining(p -> {
                if (!used.contains("parameters:" + p)) {
                    unused.add("parameter " + p);
                }
            });
            template.path("variables").fieldNames().forEachRemaining(v -> {
                if (!used.contains("variables:" + v)) {
                    unused.add("variable " + v);
                }
            });
        }
        assertTrue(unused.isEmpty(), file + ": declared but never used (a typo or a leftover): " + unused);
    }

    @ParameterizedTest
    @MethodSource("templates")
    void literalDefaultsSatisfyTheirOwnConstraints(String file) {
        ArmTemplate t = ArmTemplate.load(file);
        t.root.path("parameters").fields().forEachRemaining(f -> {
            JsonNode p = f.getValue();
            JsonNode d = p.get("defaultValue");
            String type = p.path("type").asText();
            assertTrue(Set.of("string", "securestring", "int", "bool", "object", "secureObject", "array").contains(type),
                    file + ": parameter " + f.getKey() + " has type '" + type + "'");
            if (d == null || (d.isTextual() && ArmTemplate.isExpression(d.asText()))) {
                return;
            }
            switch (type) {
                case "int" -> assertTrue(d.isInt(), file + ": " + f.getKey() + " default is not an int");
                case "bool" -> assertTrue(d.isBoolean(), file + ": " + f.getKey() + " default is not a bool");
                case "string" -> assertTrue(d.isTextual(), file + ": " + f.getKey() + " default is not a string");
                default -> { }
            }
            if (p.has("allowedValues")) {
                boolean allowed = false;
                for (JsonNode a : p.get("allowedValues")) {
                    allowed |= a.equals(d);
                }
                assertTrue(allowed, file + ": default of " + f.getKey() + " is not one of its allowedValues");
            }
            if (p.has("minValue")) {
                assertTrue(d.asInt() >= p.get("minValue").asInt(), file + ": default of " + f.getKey() + " below minValue");
            }
            if (p.has("maxValue")) {
                assertTrue(d.asInt() <= p.get("maxValue").asInt(), file + ": default of " + f.getKey() + " above maxValue");
            }
            if (p.has("minLength") && d.isTextual() && !d.asText().isEmpty()) {
                assertTrue(d.asText().length() >= p.get("minLength").asInt(), file + ": default of " + f.getKey() + " too short");
            }
            if (p.has("maxLength") && d.isTextual()) {
                assertTrue(d.asText().length() <= p.get("maxLength").asInt(), file + ": default of " + f.getKey() + " too long");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("templates")
    void outputsCarryNoSecrets(String file) {
        ArmTemplate t = ArmTemplate.load(file);
        List<JsonNode> templates = new ArrayList<>(List.of(t.root));
        templates.addAll(t.nestedTemplates());
        Pattern secretName = Pattern.compile("(?i).*(key|secret|password|connectionstring|sas|token|credential).*");
        Pattern secretValue = Pattern.compile("(?i).*(\\blist[a-z]*\\s*\\(|connectionstring|instrumentationkey|accountkey|sharedaccess|primarykey|secondarykey).*");
        for (JsonNode template : templates) {
            template.path("outputs").fields().forEachRemaining(o -> {
                assertFalse(secretName.matcher(o.getKey()).matches(), file + ": output '" + o.getKey() + "' is named like a secret");
                assertFalse(o.getValue().path("type").asText().toLowerCase(Locale.ROOT).startsWith("secure"),
                        file + ": output '" + o.getKey() + "' is a secure type");
                for (String s : ArmTemplate.allStrings(o.getValue())) {
                    assertFalse(secretValue.matcher(s).matches(), file + ": output '" + o.getKey() + "' exposes a secret: " + s);
                }
                for (String s : ArmTemplate.allStrings(o.getValue())) {
                    ArmTemplate.forEachReference(s, (kind, name) -> {
                        if (kind.equals("parameters")) {
                            String type = template.path("parameters").path(name).path("type").asText().toLowerCase(Locale.ROOT);
                            assertFalse(type.startsWith("secure"), file + ": output '" + o.getKey() + "' returns secure parameter " + name);
                        }
                    });
                }
            });
        }
    }

    @Test
    void parameterFilesOnlySetDeclaredParametersAndSetEveryRequiredOne() {
        PARAMETER_FILES.forEach((file, targets) -> {
            JsonNode params = ArmTemplate.readJson(ArmTemplate.infraDir().resolve(file));
            assertEquals(PARAMETERS_SCHEMA, params.path("$schema").asText(), file + ": $schema");
            assertTrue(CONTENT_VERSION.matcher(params.path("contentVersion").asText()).matches(), file + ": contentVersion");
            for (String target : targets) {
                JsonNode declared = ArmTemplate.load(target).root.path("parameters");
                params.path("parameters").fields().forEachRemaining(p -> {
                    assertTrue(declared.has(p.getKey()), file + " sets '" + p.getKey() + "', which " + target + " does not declare");
                    assertTrue(p.getValue().has("value") || p.getValue().has("reference"), file + ": '" + p.getKey() + "' has no value");
                    JsonNode allowed = declared.path(p.getKey()).path("allowedValues");
                    if (allowed.isArray() && p.getValue().has("value")) {
                        boolean ok = false;
                        for (JsonNode a : allowed) {
                            ok |= a.equals(p.getValue().get("value"));
                        }
                        assertTrue(ok, file + ": '" + p.getKey() + "' is not one of the allowed values of " + target);
                    }
                });
                declared.fields().forEachRemaining(p -> {
                    if (!p.getValue().has("defaultValue")) {
                        assertTrue(params.path("parameters").has(p.getKey()), file + " must set required parameter '" + p.getKey() + "' of " + target);
                    }
                });
            }
        });
    }

    @Test
    void expressionEvaluatorResolvesWhatTheTestsRelyOn() {
        ArmTemplate main = ArmTemplate.load("main.json");
        assertEquals("onboarding-jobs-poison", main.scope().eval("[format('{0}-poison', parameters('jobsQueueName'))]").asText());
        assertEquals("a''b", main.scope().eval("[concat('a''', '''b')]").asText());
        assertEquals("[literal]", main.scope().eval("[[literal]").asText());
        try {
            main.scope().eval("[resourceGroup().location]");
            fail("resourceGroup() cannot be known without a deployment");
        } catch (ArmExpression.Unresolvable expected) {
            // the evaluator refuses to guess
        }
    }
}
