package com.mdeonboarding.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a route handler answers: status, headers and a JSON text body. */
public record ApiResponse(int status, Map<String, String> headers, String body) {
    public static final String JSON = "application/json; charset=utf-8";
    public static final String PROBLEM_JSON = "application/problem+json; charset=utf-8";

    public ApiResponse {
        // In the order they were set: the same answer has the same header order every time.
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static ApiResponse json(int status, JsonNode body) {
        return json(status, body.toString());
    }

    public static ApiResponse json(int status, String jsonText) {
        return new ApiResponse(status, standardHeaders(JSON), jsonText);
    }

    public static ApiResponse problem(Problem p) {
        return new ApiResponse(p.status(), standardHeaders(PROBLEM_JSON), p.toJson().toString());
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, h, body);
    }

    private static Map<String, String> standardHeaders(String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        // Answers describe live state and may name machines: never cache them; never sniff them as HTML.
        h.put("Cache-Control", "no-store");
        h.put("X-Content-Type-Options", "nosniff");
        return h;
    }
}
