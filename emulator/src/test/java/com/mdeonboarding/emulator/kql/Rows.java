package com.mdeonboarding.emulator.kql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds hand-written Resource Graph rows for the evaluator tests. */
final class Rows {
    static final ObjectMapper JSON = new ObjectMapper();

    private Rows() {
    }

    /** A JSON array of row objects. */
    static List<ObjectNode> of(String jsonArray) {
        try {
            List<ObjectNode> rows = new ArrayList<>();
            for (JsonNode n : JSON.readTree(jsonArray)) {
                rows.add((ObjectNode) n);
            }
            return rows;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A provider serving these tables; any other table is an empty one. */
    static TableProvider tables(Map<String, List<ObjectNode>> tables) {
        return name -> tables.getOrDefault(name, List.of());
    }

    static TableProvider resources(String jsonArray) {
        return tables(Map.of("resources", of(jsonArray)));
    }

    /** The rows as compact JSON, one string per row: exact expectations, column order included. */
    static List<String> json(KqlResult r) {
        return r.rows().stream().map(JsonNode::toString).toList();
    }
}
