package com.mdeonboarding.emulator.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Jackson in one place: the emulator builds responses as trees, so field order follows the code. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** For the tenant file: unknown fields fail, so a misspelt field is an error rather than a silent default. */
    public static final ObjectMapper STRICT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Json() {
    }

    public static ObjectNode obj() {
        return F.objectNode();
    }

    public static ArrayNode arr() {
        return F.arrayNode();
    }

    public static JsonNode parse(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode toTree(Object value) {
        return value == null ? F.nullNode() : MAPPER.valueToTree(value);
    }

    public static ObjectNode stringMap(Map<String, String> map) {
        ObjectNode o = obj();
        map.forEach(o::put);
        return o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonNode node) {
        return node == null || node.isNull() ? Map.of() : MAPPER.convertValue(node, Map.class);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> toListOfMaps(JsonNode node) {
        return node == null || node.isNull() ? List.of() : MAPPER.convertValue(node, List.class);
    }

    /** The text of a field, or null when absent or JSON null. */
    public static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Case-insensitive field lookup (ARM property names are matched case-insensitively by most providers). */
    static JsonNode getIgnoreCase(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode exact = node.get(field);
        if (exact != null) {
            return exact;
        }
        var it = node.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(field)) {
                return e.getValue();
            }
        }
        return null;
    }
}
