package com.mdeonboarding.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compares a response's shape (field names and JSON types) with a published example's. */
final class ShapeComparer {
    private ShapeComparer() {
    }

    /**
     * Checks that {@code actual} has the fields of {@code expected} with the same JSON types,
     * recursively. The elements of an example array are merged into one shape: a field present in
     * every element is required, a field present in some is optional (type-checked where it occurs);
     * the same merge applies at every depth. Example nulls carry no type and are not required.
     *
     * @param skip paths (e.g. {@code properties.userData}, {@code value[].properties.licenseProfile})
     *             deliberately not emulated, or free-form maps whose contents are not shaped
     * @return the mismatches, empty when the shapes agree
     */
    static List<String> mismatches(JsonNode expected, JsonNode actual, Set<String> skip) {
        List<String> out = new ArrayList<>();
        compare("", Shape.of(expected), actual, skip, out);
        return out;
    }

    /** The shape inferred from an example value. */
    static final class Shape {
        JsonNodeType type;
        final Map<String, Shape> fields = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        Shape element;

        static Shape of(JsonNode n) {
            if (n == null || n.isNull()) {
                return null;
            }
            Shape s = new Shape();
            s.type = n.getNodeType();
            if (n.isObject()) {
                Iterator<Map.Entry<String, JsonNode>> it = n.fields();
                while (it.hasNext()) {
                    var f = it.next();
                    Shape child = of(f.getValue());
                    if (child != null) {
                        s.fields.put(f.getKey(), child);
                        s.required.add(f.getKey());
                    }
                }
            } else if (n.isArray()) {
                for (JsonNode el : n) {
                    s.element = merge(s.element, of(el));
                }
            }
            return s;
        }

        static Shape merge(Shape a, Shape b) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            if (a.type != b.type) {
                return a;
            }
            if (a.type == JsonNodeType.OBJECT) {
                Set<String> required = new LinkedHashSet<>(a.required);
                required.retainAll(b.required);
                b.fields.forEach((k, v) -> a.fields.merge(k, v, Shape::merge));
                a.required = required;
            } else if (a.type == JsonNodeType.ARRAY) {
                a.element = merge(a.element, b.element);
            }
            return a;
        }
    }

    private static void compare(String path, Shape expected, JsonNode actual, Set<String> skip, List<String> out) {
        if (skip.contains(path) || expected == null) {
            return;
        }
        if (actual == null || actual.isMissingNode()) {
            out.add(display(path) + ": missing");
            return;
        }
        if (!sameType(expected.type, actual)) {
            out.add(display(path) + ": expected " + expected.type + " but was " + actual.getNodeType()
                    + " (" + abbreviate(actual) + ")");
            return;
        }
        if (expected.type == JsonNodeType.OBJECT) {
            for (var f : expected.fields.entrySet()) {
                JsonNode value = actual.get(f.getKey());
                boolean required = expected.required.contains(f.getKey());
                if (value == null && !required) {
                    continue;
                }
                if (value != null && value.isNull() && !required) {
                    continue;
                }
                compare(child(path, f.getKey()), f.getValue(), value, skip, out);
            }
        } else if (expected.type == JsonNodeType.ARRAY && expected.element != null) {
            for (JsonNode a : actual) {
                compare(path + "[]", expected.element, a, skip, out);
            }
        }
    }

    private static boolean sameType(JsonNodeType e, JsonNode a) {
        return e == JsonNodeType.NUMBER ? a.isNumber() : a.getNodeType() == e;
    }

    private static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String display(String path) {
        return path.isEmpty() ? "(root)" : path;
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
