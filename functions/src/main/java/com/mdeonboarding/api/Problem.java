package com.mdeonboarding.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem document: {@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}
 * (the request's correlation ID as a URN) and extension members such as the offending {@code field} and
 * {@code index}. Thrown as {@link ApiException} by validation; rendered with {@code application/problem+json}.
 */
public record Problem(Type type, String detail, Map<String, JsonNode> extensions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The problem types this API answers with; the URNs are stable (clients may switch on them). */
    public enum Type {
        INVALID_REQUEST(400, "invalid-request", "The request is not valid"),
        INVALID_RESOURCE_ID(400, "invalid-resource-id", "Not a resource ID of an Azure VM or Arc machine"),
        DUPLICATE_RESOURCE_ID(400, "duplicate-resource-id", "The same machine is named twice"),
        OUT_OF_SCOPE(403, "out-of-scope", "Outside the configured scope"),
        NOT_FOUND(404, "not-found", "Not found"),
        NO_MACHINES(404, "no-machines", "No machines found"),
        METHOD_NOT_ALLOWED(405, "method-not-allowed", "The route does not take this method"),
        REQUEST_TIMEOUT(408, "request-timeout", "The request did not arrive in time"),
        TOO_LARGE(413, "too-large", "The request is too large"),
        URI_TOO_LONG(414, "uri-too-long", "The request line is too long"),
        HEADERS_TOO_LARGE(431, "headers-too-large", "The request headers are too large"),
        UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "The request body must be JSON"),
        INTERNAL(500, "internal", "Internal error"),
        UPSTREAM(502, "upstream", "Resource Manager did not answer as expected"),
        UNAVAILABLE(503, "unavailable", "A dependency is unavailable");

        private final int status;
        private final String slug;
        private final String title;

        Type(int status, String slug, String title) {
            this.status = status;
            this.slug = slug;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String uri() {
            return "urn:mde-onboarding:problem:" + slug;
        }

        public String title() {
            return title;
        }
    }

    public Problem {
        // Kept in insertion order: the document reads field, index, ... as they were added.
        extensions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    public static Problem of(Type type, String detail) {
        return new Problem(type, detail, Map.of());
    }

    public int status() {
        return type.status();
    }

    public Problem with(String member, Object value) {
        Map<String, JsonNode> m = new LinkedHashMap<>(extensions);
        m.put(member, JSON.valueToTree(value));
        return new Problem(type, detail, m);
    }

    /** The offending field, e.g. {@code resourceIds}, and its array index when it is an element. */
    public Problem at(String field, Integer index) {
        Problem p = with("field", field);
        return index == null ? p : p.with("index", index);
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type.uri());
        n.put("title", type.title());
        n.put("status", type.status());
        n.put("detail", detail);
        extensions.forEach((k, v) -> {
            if (!n.has(k)) {
                n.set(k, v);
            }
        });
        return n;
    }

    public ApiException exception() {
        return new ApiException(this);
    }
}
