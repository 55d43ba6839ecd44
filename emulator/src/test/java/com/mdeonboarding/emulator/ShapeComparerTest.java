package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fidelity comparer must catch what it claims to catch, or the fidelity suite proves nothing. */
class ShapeComparerTest {
    private static JsonNode j(String s) throws Exception {
        return TestClient.MAPPER.readTree(s);
    }

    @Test
    void missingFieldsAndWrongTypesAreReported() throws Exception {
        JsonNode expected = j("{\"a\":\"x\",\"b\":{\"c\":1,\"d\":[{\"e\":true}]},\"n\":null}");
        List<String> m = ShapeComparer.mismatches(expected, j("{\"a\":1,\"b\":{\"d\":[{\"e\":\"no\"}]}}"), Set.of());
        assertEquals(List.of("a: expected STRING but was NUMBER (1)", "b.c: missing",
                "b.d[].e: expected BOOLEAN but was STRING (\"no\")"), m);
    }

    @Test
    void arrayElementsMergeIntoOneShapeWithOptionalFieldsAtEveryDepth() throws Exception {
        JsonNode expected = j("{\"value\":[{\"p\":{\"x\":\"1\",\"y\":\"2\"}},{\"p\":{\"x\":\"3\"}}]}");
        assertTrue(ShapeComparer.mismatches(expected, j("{\"value\":[{\"p\":{\"x\":\"a\"}}]}"), Set.of()).isEmpty());
        assertEquals(List.of("value[].p.y: expected STRING but was NUMBER (5)"),
                ShapeComparer.mismatches(expected, j("{\"value\":[{\"p\":{\"x\":\"a\",\"y\":5}}]}"), Set.of()));
        assertEquals(List.of("value[].p.x: missing"),
                ShapeComparer.mismatches(expected, j("{\"value\":[{\"p\":{\"y\":\"b\"}}]}"), Set.of()));
    }

    @Test
    void skippedPathsAreNotCompared() throws Exception {
        assertTrue(ShapeComparer.mismatches(j("{\"a\":{\"b\":1}}"), j("{}"), Set.of("a")).isEmpty());
    }
}
