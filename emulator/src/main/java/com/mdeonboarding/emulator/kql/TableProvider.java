package com.mdeonboarding.emulator.kql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The rows of a Resource Graph table, one JSON object per row with the table's columns
 * ({@link ResourceGraphTables}). A column a row lacks is read as that column's null ("" for a string column).
 */
@FunctionalInterface
public interface TableProvider {
    /**
     * @param table the table's name in lower case ({@code resources}, {@code securityresources},
     *              {@code resourcecontainers}), whatever case the query wrote it in
     * @return its rows, in a stable order; the evaluator does not modify them
     */
    List<ObjectNode> rows(String table);
}
