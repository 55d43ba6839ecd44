package com.mdeonboarding.emulator.kql;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Resource Graph tables the evaluator knows and their columns. Every table has the columns of a Resource
 * Manager resource as Resource Graph returns it: the rows shown in MicrosoftDocs/azure-docs
 * {@code articles/governance/resource-graph/concepts/explore-resources.md} (id, kind, location, managedBy, name,
 * plan, properties, resourceGroup, sku, subscriptionId, tags, type) plus tenantId, identity, zones and
 * extendedLocation of the resource envelope. The same list is declared to Microsoft's Kusto language service in
 * {@code functions/src/test/kusto/check-queries.js}; keep the two equal.
 *
 * <p>Table names compare case-insensitively: Resource Graph's own samples write {@code Resources} and
 * {@code resources} alike (query-language.md).
 */
public final class ResourceGraphTables {
    /** Column name to Kusto type ({@code string} or {@code dynamic}), in Resource Graph's order. */
    public static final Map<String, String> COLUMNS = columns();
    public static final List<String> TABLES = List.of("resources", "securityresources", "resourcecontainers");

    private ResourceGraphTables() {
    }

    private static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        for (String s : List.of("id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId",
                "managedBy")) {
            c.put(s, "string");
        }
        for (String d : List.of("sku", "plan", "properties", "tags", "identity", "zones", "extendedLocation")) {
            c.put(d, "dynamic");
        }
        return Collections.unmodifiableMap(c);
    }

    /** The canonical (lower-case) name of a table as written in a query, if it is one of ours. */
    static Optional<String> canonical(String written) {
        String lower = written.toLowerCase(Locale.ROOT);
        return TABLES.contains(lower) ? Optional.of(lower) : Optional.empty();
    }
}
