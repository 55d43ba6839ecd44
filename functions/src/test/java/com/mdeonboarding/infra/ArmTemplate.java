package com.mdeonboarding.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.testing.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An ARM JSON template read as data: its resources (including those of nested deployments), their
 * declaring (sub)template, and evaluation of the simple expressions the tests need.
 */
final class ArmTemplate {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The deployment templates in infra/, with the schema each must declare. */
    static final Map<String, String> TEMPLATES = Map.of(
            "main.json", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "subscription-events.json", "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
            "roles-subscription.json", "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
            "roles-management-group.json", "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#",
            "roles-wiring-management-group.json", "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#",
            "monitoring.json", "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");

    private static final Pattern REFERENCE = Pattern.compile("\\b(parameters|variables)\\s*\\(\\s*'([^']*)'\\s*\\)");

    final String file;
    final JsonNode root;

    private ArmTemplate(String file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    static Path infraDir() {
        return RepoPaths.repoRoot().resolve("infra");
    }

    static ArmTemplate of(String file, JsonNode root) {
        return new ArmTemplate(file, root);
    }

    static ArmTemplate load(String file) {
        return new ArmTemplate(file, readJson(infraDir().resolve(file)));
    }

    static JsonNode readJson(Path path) {
        try {
            return JSON.readTree(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    static List<String> infraJsonFiles() {
        try (Stream<Path> files = Files.list(infraDir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A resource and the (sub)template whose parameters and variables its expressions refer to. */
    record Resource(JsonNode node, Scope scope, String where) {
        String type() {
            return node.path("type").asText("");
        }

        String apiVersion() {
            return node.path("apiVersion").asText("");
        }

        String name() {
            return node.path("name").asText("");
        }

        JsonNode properties() {
            return node.path("properties");
        }

        /** Evaluates a string of this resource (literal or expression). */
        JsonNode eval(String expression) {
            return scope.eval(expression);
        }
    }

    /** The parameters and variables an expression sees; nested templates with inner scope have their own. */
    static final class Scope {
        final JsonNode template;
        final Map<String, JsonNode> overrides;

        Scope(JsonNode template, Map<String, JsonNode> overrides) {
            this.template = template;
            this.overrides = overrides;
        }

        Scope with(Map<String, JsonNode> parameterValues) {
            return new Scope(template, parameterValues);
        }

        JsonNode eval(String expression) {
            return new ArmExpression(this).evaluate(expression);
        }

        /** Evaluates every expression inside a JSON value (arrays and objects included). */
        JsonNode evalDeep(JsonNode value) {
            return new ArmExpression(this).evaluateDeep(value);
        }
    }

    Scope scope() {
        return new Scope(root, Map.of());
    }

    List<Resource> resources() {
        List<Resource> out = new ArrayList<>();
        collect(root, scope(), file, out);
        return out;
    }

    private static void collect(JsonNode template, Scope scope, String where, List<Resource> out) {
        for (JsonNode r : template.path("resources")) {
            String here = where + " > " + r.path("type").asText("?") + " '" + r.path("name").asText("?") + "'";
            out.add(new Resource(r, scope, here));
            JsonNode nested = r.path("properties").path("template");
            if ("Microsoft.Resources/deployments".equalsIgnoreCase(r.path("type").asText()) && nested.isObject()) {
                boolean inner = "inner".equalsIgnoreCase(r.path("properties").path("expressionEvaluationOptions").path("scope").asText());
                collect(nested, inner ? new Scope(nested, Map.of()) : scope, here, out);
            }
        }
    }

    List<Resource> resourcesOfType(String type) {
        return resources().stream().filter(r -> r.type().equalsIgnoreCase(type)).toList();
    }

    Resource single(String type) {
        List<Resource> found = resourcesOfType(type);
        if (found.size() != 1) {
            throw new AssertionError(file + ": expected exactly one " + type + ", found " + found.size());
        }
        return found.get(0);
    }

    /** Every parameters('x') / variables('x') reference that names nothing declared in its scope. */
    List<String> undeclaredReferences() {
        List<String> problems = new ArrayList<>();
        checkReferences(root, root, file, problems, true);
        return problems;
    }

    private static void checkReferences(JsonNode node, JsonNode template, String where, List<String> problems, boolean isTemplateRoot) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                checkString(f.getKey(), template, where + "/" + f.getKey() + " (property name)", problems);
                if (f.getKey().equals("template") && isNestedInnerTemplate(node)) {
                    checkReferences(f.getValue(), f.getValue(), where + "/template", problems, true);
                } else {
                    checkReferences(f.getValue(), template, where + "/" + f.getKey(), problems, false);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkReferences(node.get(i), template, where + "[" + i + "]", problems, false);
            }
        } else if (node.isTextual()) {
            checkString(node.asText(), template, where, problems);
        }
    }

    /** {@code node} is the properties object of a deployment whose template has its own scope. */
    private static boolean isNestedInnerTemplate(JsonNode deploymentProperties) {
        return deploymentProperties.has("template") && deploymentProperties.path("template").has("resources")
                && "inner".equalsIgnoreCase(deploymentProperties.path("expressionEvaluationOptions").path("scope").asText());
    }

    private static void checkString(String s, JsonNode template, String where, List<String> problems) {
        forEachReference(s, (kind, name) -> {
            String section = kind.equals("parameters") ? "parameters" : "variables";
            if (!template.path(section).has(name)) {
                problems.add(where + ": " + kind + "('" + name + "') is not declared");
            }
        });
    }

    static boolean isExpression(String s) {
        return s.startsWith("[") && !s.startsWith("[[") && s.endsWith("]");
    }

    static void forEachReference(String s, BiConsumer<String, String> action) {
        if (!isExpression(s)) {
            return;
        }
        Matcher m = REFERENCE.matcher(s);
        while (m.find()) {
            action.accept(m.group(1), m.group(2));
        }
    }

    /** Every string in the template (values and property names), for text scans. */
    static List<String> allStrings(JsonNode node) {
        List<String> out = new ArrayList<>();
        walkStrings(node, out);
        return out;
    }

    private static void walkStrings(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                out.add(f.getKey());
                walkStrings(f.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> walkStrings(n, out));
        } else if (node.isTextual()) {
            out.add(node.asText());
        }
    }

    /** The app settings of the Function App, name to raw value (literal or expression). */
    Map<String, String> appSettings() {
        Resource site = single("Microsoft.Web/sites");
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (JsonNode s : site.properties().path("siteConfig").path("appSettings")) {
            String name = s.path("name").asText();
            if (settings.put(name, s.path("value").asText()) != null) {
                throw new AssertionError("app setting " + name + " is set twice in " + file);
            }
        }
        return settings;
    }

    /** The nested templates (properties.template of deployments), for per-template checks. */
    List<JsonNode> nestedTemplates() {
        List<JsonNode> out = new ArrayList<>();
        for (Resource r : resources()) {
            JsonNode t = r.properties().path("template");
            if ("Microsoft.Resources/deployments".equalsIgnoreCase(r.type()) && t.isObject()) {
                out.add(t);
            }
        }
        return out;
    }

    static Optional<String> textAt(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n.path(p);
        }
        return n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
