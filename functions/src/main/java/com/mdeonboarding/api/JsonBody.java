package com.mdeonboarding.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.model.Text;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a JSON request body strictly: JSON media type, a size limit, duplicate keys and trailing
 * content refused, shallow nesting. What it refuses is answered with a problem document naming why.
 */
public final class JsonBody {
    static final int MAX_DEPTH = 16;
    private static final java.util.regex.Pattern UNEXPECTED = java.util.regex.Pattern.compile("^Unexpected character \\('(.{1,2})' \\(code");
    private static final ObjectMapper STRICT = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBody() {
    }

    /** Parses {@code request}'s body; {@code maxBytes} is the UTF-8 size limit (413 beyond it). */
    public static JsonNode read(ApiRequest request, int maxBytes) {
        requireJsonMediaType(request);
        String body = request.body().orElse("");
        // chars <= UTF-8 bytes: the cheap check first, so a huge body is never encoded.
        if (body.length() > maxBytes || body.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            throw Problem.of(Problem.Type.TOO_LARGE, "the request body is larger than " + maxBytes + " bytes").exception();
        }
        if (body.isBlank()) {
            throw Problem.of(Problem.Type.INVALID_REQUEST, "the request has no body; expected a JSON object").exception();
        }
        try {
            JsonNode n = STRICT.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw Problem.of(Problem.Type.INVALID_REQUEST, "the request has no body; expected a JSON object").exception();
            }
            return n;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw Problem.of(Problem.Type.INVALID_REQUEST, "the body is not valid JSON" + where + ": " + why(e)).exception();
        }
    }

    /**
     * What is wrong, in our words: Jackson's own messages name its classes and settings
     * ({@code StreamReadConstraints.getMaxNestingDepth()}, {@code DeserializationFeature.FAIL_ON_TRAILING_TOKENS},
     * {@code com.fasterxml.jackson.databind.JsonNode}), which tell a caller nothing and us too much.
     */
    static String why(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (e instanceof StreamConstraintsException) {
            return m.contains("nesting") ? "objects and arrays are nested deeper than " + MAX_DEPTH + " levels"
                    : "a value is longer than this API reads";
        }
        if (m.startsWith("Duplicate field")) {
            int q = m.indexOf('\'');
            String name = q >= 0 && m.lastIndexOf('\'') > q ? m.substring(q + 1, m.lastIndexOf('\'')) : "";
            return "the member '" + Text.printable(name, 60) + "' appears twice in one object";
        }
        if (m.startsWith("Trailing token")) {
            return "there is more after the JSON value (send exactly one JSON document)";
        }
        if (m.startsWith("Unexpected end-of-input") || m.contains("end-of-input")) {
            return "the JSON ends early (an unclosed string, object or array)";
        }
        java.util.regex.Matcher c = UNEXPECTED.matcher(m);
        if (c.find()) {
            return "unexpected character '" + Text.printable(c.group(1), 4) + "'"
                    + (m.contains("was expecting double-quote") ? " where a member name in double quotes belongs" : "");
        }
        if (m.startsWith("Unexpected close marker")) {
            return "a closing bracket or brace that does not match what it closes";
        }
        if (m.startsWith("Unrecognized token")) {
            return "a word that is not JSON (strings need double quotes; literals are true, false and null)";
        }
        if (m.contains("Invalid UTF-8") || m.contains("Illegal character") || m.contains("Illegal unquoted character")) {
            return "a character that JSON does not allow here (control characters must be escaped inside strings)";
        }
        if (m.toLowerCase(java.util.Locale.ROOT).matches("(?s).*(numeric|number).*")) {
            return "a number that is not valid JSON";
        }
        return "it cannot be read as JSON";
    }

    /** {@code application/json} (or a {@code +json} type), with no charset other than UTF-8. */
    static void requireJsonMediaType(ApiRequest request) {
        String raw = request.header("Content-Type").orElse("");
        if (raw.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
            // trim() and split() would quietly drop them, and a forged header would pass as JSON.
            throw Problem.of(Problem.Type.INVALID_REQUEST, "the Content-Type header holds control characters ('"
                    + Text.printable(raw, 100) + "'); send 'Content-Type: application/json'").at("Content-Type", null).exception();
        }
        String ct = raw.trim();
        String[] parts = ct.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        boolean json = type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
        boolean utf8 = true;
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv[0].trim().equalsIgnoreCase("charset")) {
                String cs = kv.length > 1 ? kv[1].trim().replace("\"", "") : "";
                utf8 = cs.equalsIgnoreCase("utf-8") || cs.equalsIgnoreCase("utf8");
            }
        }
        if (!json || !utf8) {
            throw Problem.of(Problem.Type.UNSUPPORTED_MEDIA_TYPE, (ct.isEmpty() ? "no Content-Type was sent"
                    : "Content-Type '" + Text.printable(ct, 100) + "' is not accepted") + "; send 'Content-Type: application/json'"
                    + " with a UTF-8 body").exception();
        }
    }
}
