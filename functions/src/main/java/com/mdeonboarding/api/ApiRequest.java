package com.mdeonboarding.api;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as the route handlers see it: no Functions types, so handlers are plain classes.
 * Header and query parameter names compare case-insensitively (as the Functions host treats them).
 *
 * @param method HTTP method, upper case
 * @param query  query parameters, already URL-decoded by the host
 * @param headers request headers
 * @param body   the body as text, if any
 */
public record ApiRequest(String method, Map<String, String> query, Map<String, String> headers, Optional<String> body) {

    public ApiRequest {
        query = caseInsensitive(query);
        headers = caseInsensitive(headers);
        body = body == null ? Optional.empty() : body;
    }

    public static ApiRequest get(Map<String, String> query) {
        return new ApiRequest("GET", query, Map.of(), Optional.empty());
    }

    public static ApiRequest post(String contentType, String body) {
        return new ApiRequest("POST", Map.of(), contentType == null ? Map.of() : Map.of("Content-Type", contentType),
                Optional.ofNullable(body));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
    }

    private static Map<String, String> caseInsensitive(Map<String, String> in) {
        TreeMap<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (in != null) {
            in.forEach((k, v) -> {
                if (k != null && v != null) {
                    m.put(k, v);
                }
            });
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
