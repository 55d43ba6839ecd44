package com.mdeonboarding.emulator.kql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;

/**
 * Value rules shared by the operators and functions. A value is a Jackson node, or Java {@code null} for
 * Kusto's null. A string is never null: "The string data type doesn't support null values"
 * (https://learn.microsoft.com/kusto/query/scalar-data-types/null-values), so string-typed results use "".
 */
final class Values {
    static final TextNode EMPTY = TextNode.valueOf("");

    private Values() {
    }

    /** JSON null and a missing property are both Kusto's null. */
    static JsonNode normalize(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? null : v;
    }

    /** tostring(): "If value is null, the result is an empty string" (https://learn.microsoft.com/kusto/query/tostring-function). */
    static String str(JsonNode v) {
        if (v == null) {
            return "";
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isContainerNode()) {
            return v.toString(); // compact JSON
        }
        return v.asText();
    }

    static JsonNode text(String s) {
        return s.isEmpty() ? EMPTY : TextNode.valueOf(s);
    }

    static JsonNode bool(Boolean b) {
        return b == null ? null : BooleanNode.valueOf(b);
    }

    /** The value of a bool-typed (or dynamic) expression: true, false or null. */
    static Boolean truth(JsonNode v) {
        return v != null && v.isBoolean() ? v.booleanValue() : null;
    }

    static Long asLong(JsonNode v) {
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? v.longValue() : null;
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            return Double.isFinite(d) ? (long) d : null;
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? 1L : 0L;
        }
        if (v.isTextual()) {
            String s = v.textValue().trim();
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                try {
                    double d = Double.parseDouble(s);
                    return Double.isFinite(d) ? (long) d : null;
                } catch (NumberFormatException e2) {
                    return null;
                }
            }
        }
        return null;
    }

    static JsonNode toInt(JsonNode v) {
        Long l = asLong(v);
        return l == null || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE ? null : IntNode.valueOf(l.intValue());
    }

    static JsonNode toLong(JsonNode v) {
        Long l = asLong(v);
        return l == null ? null : LongNode.valueOf(l);
    }

    /** tobool(): "true"/"false" in any case, numbers non-zero; anything else null. */
    static JsonNode toBool(JsonNode v) {
        if (v == null) {
            return null;
        }
        if (v.isBoolean()) {
            return v;
        }
        if (v.isNumber()) {
            return BooleanNode.valueOf(v.doubleValue() != 0);
        }
        if (v.isTextual()) {
            String s = v.textValue().trim().toLowerCase(Locale.ROOT);
            return s.equals("true") ? BooleanNode.TRUE : s.equals("false") ? BooleanNode.FALSE : null;
        }
        return null;
    }

    /**
     * == between two non-null values: case-sensitive for strings, numeric for numbers, JSON equality for
     * dynamic arrays and bags; values of different kinds are unequal.
     */
    static boolean equal(JsonNode a, JsonNode b) {
        if (a.isTextual() && b.isTextual()) {
            return a.textValue().equals(b.textValue());
        }
        if (a.isNumber() && b.isNumber()) {
            if (a.isIntegralNumber() && b.isIntegralNumber()) {
                return a.bigIntegerValue().equals(b.bigIntegerValue());
            }
            return a.doubleValue() == b.doubleValue();
        }
        if (a.isBoolean() && b.isBoolean()) {
            return a.booleanValue() == b.booleanValue();
        }
        return a.equals(b);
    }

    /** Ordering for sort: numbers numerically, strings ordinally, false before true; other kinds by their text. */
    static int compare(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            if (a.isIntegralNumber() && b.isIntegralNumber()) {
                return a.bigIntegerValue().compareTo(b.bigIntegerValue());
            }
            return Double.compare(a.doubleValue(), b.doubleValue());
        }
        if (a.isBoolean() && b.isBoolean()) {
            return Boolean.compare(a.booleanValue(), b.booleanValue());
        }
        return str(a).compareTo(str(b));
    }

    /**
     * has: "Right-hand-side (RHS) is a whole term in left-hand-side (LHS)", where a term is a maximal run of
     * letters and digits (https://learn.microsoft.com/kusto/query/datatypes-string-operators). The match must not
     * continue a term on either side where the needle itself starts or ends with a letter or digit.
     */
    static boolean hasTerm(String haystack, String needle, boolean caseSensitive) {
        if (needle.isEmpty()) {
            return true;
        }
        String h = caseSensitive ? haystack : haystack.toLowerCase(Locale.ROOT);
        String n = caseSensitive ? needle : needle.toLowerCase(Locale.ROOT);
        boolean termStart = Character.isLetterOrDigit(n.charAt(0));
        boolean termEnd = Character.isLetterOrDigit(n.charAt(n.length() - 1));
        for (int from = h.indexOf(n); from >= 0; from = h.indexOf(n, from + 1)) {
            int end = from + n.length();
            boolean startOk = !termStart || from == 0 || !Character.isLetterOrDigit(h.charAt(from - 1));
            boolean endOk = !termEnd || end == h.length() || !Character.isLetterOrDigit(h.charAt(end));
            if (startOk && endOk) {
                return true;
            }
        }
        return false;
    }
}
