package com.mdeonboarding.host.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
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
    private static final ObjectMapper STRICT = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
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
            throw Problem.of(Problem.Type.INVALID_REQUEST, "the body is not valid JSON" + where + ": "
                    + Text.printable(e.getOriginalMessage(), 160)).exception();
        }
    }

    /** {@code application/json} (or a {@code +json} type), with no charset other than UTF-8. */
    static void requireJsonMediaType(ApiRequest request) {
        String ct = request.header("Content-Type").orElse("").trim();
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
