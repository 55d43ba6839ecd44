package com.mdeonboarding.emulator.kql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The evaluator and the Kusto language-service checker (functions/src/test/kusto/check-queries.js) declare the same
 * Resource Graph columns and the same supported operators; this keeps the two copies from drifting apart.
 */
class SameRulesAsTheKustoCheckerTest {
    private static String checker() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("functions/src/test/kusto/check-queries.js");
            if (Files.isRegularFile(f)) {
                return Files.readString(f);
            }
        }
        throw new IllegalStateException("functions/src/test/kusto/check-queries.js not found above " + Path.of("").toAbsolutePath());
    }

    private static String block(String js, String start, String end) {
        int from = js.indexOf(start);
        if (from < 0) {
            throw new IllegalStateException("check-queries.js has no '" + start + "'");
        }
        return js.substring(from + start.length(), js.indexOf(end, from));
    }

    @Test
    void columns() throws IOException {
        Map<String, String> js = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(\\w+): '(string|dynamic)'").matcher(block(checker(), "const COLUMNS = {", "};"));
        while (m.find()) {
            js.put(m.group(1), m.group(2));
        }
        assertEquals(ResourceGraphTables.COLUMNS, js);
    }

    @Test
    void tablesAndOperators() throws IOException {
        String js = checker();
        assertEquals(new TreeSet<>(ResourceGraphTables.TABLES), quoted(block(js, "const TABLES = [", "];")));
        assertEquals(new TreeSet<>(Parser.RESOURCE_GRAPH_OPERATORS), quoted(block(js, "const RESOURCE_GRAPH_OPERATORS = new Set([", "]);")));
        assertEquals(new TreeSet<>(Parser.RESOURCE_GRAPH_JOIN_KINDS), quoted(block(js, "const RESOURCE_GRAPH_JOIN_KINDS = new Set([", "]);")));
        assertEquals("const MAX_JOINS = " + KqlQuery.MAX_JOINS + ";", "const MAX_JOINS = " + block(js, "const MAX_JOINS = ", ";").trim() + ";");
    }

    private static Set<String> quoted(String list) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("'([^']+)'").matcher(list);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
