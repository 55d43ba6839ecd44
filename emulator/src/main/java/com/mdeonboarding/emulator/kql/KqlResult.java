package com.mdeonboarding.emulator.kql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A query's result: its columns (name and Kusto type, as Resource Graph's {@code table} result format lists
 * them) and its rows in order, one JSON object per row with every column (a null value as JSON null).
 */
public record KqlResult(List<Column> columns, List<ObjectNode> rows) {
    /** {@code type} is the Kusto type name: string, int, long, real, bool or dynamic. */
    public record Column(String name, String type) {
    }
}
