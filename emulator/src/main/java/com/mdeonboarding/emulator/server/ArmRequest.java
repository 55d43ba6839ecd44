package com.mdeonboarding.emulator.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.emulator.state.Json;
import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One parsed request: path segments, case-insensitive query, path parameters, body. */
public final class ArmRequest {
    public final String method;
    public final String path;
    public final String rawQuery;
    final List<String> segments;
    /** Query parameters; names compare case-insensitively ($skipToken vs $skiptoken), first value wins. */
    public final Map<String, String> query = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final Map<String, String> params = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final byte[] body;
    final HttpExchange exchange;
    public final String requestId;
    public final String correlationId;
    public final String clientRequestId;
    public final String baseUrl;
    private JsonNode json;

    public ArmRequest(HttpExchange exchange, byte[] body, String requestId, String correlationId, String clientRequestId,
            String baseUrl) {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String p = exchange.getRequestURI().getPath();
        this.path = p == null || p.isEmpty() ? "/" : p;
        this.rawQuery = exchange.getRequestURI().getRawQuery();
        List<String> segs = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segs.add(s);
            }
        }
        this.segments = List.copyOf(segs);
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.putIfAbsent(name, value);
            }
        }
        this.body = body;
        this.requestId = requestId;
        this.correlationId = correlationId;
        this.clientRequestId = clientRequestId;
        this.baseUrl = baseUrl;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    public String apiVersion() {
        return query.get("api-version");
    }

    public String param(String name) {
        return params.get(name);
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The full URL of this request, as ARM would put it in an event's httpRequest.url. */
    public String url() {
        return baseUrl + path + (rawQuery == null ? "" : "?" + rawQuery);
    }

    boolean hasBody() {
        return body != null && body.length > 0;
    }

    /** The body as JSON; an absent body is an empty object. Invalid JSON is the ARM error InvalidRequestContent. */
    public JsonNode json() {
        if (json == null) {
            if (!hasBody()) {
                json = Json.obj();
            } else {
                try {
                    json = Json.parse(new String(body, StandardCharsets.UTF_8));
                } catch (JsonProcessingException e) {
                    throw ArmError.badRequest("InvalidRequestContent",
                            "The request content was invalid and could not be deserialized: '"
                                    + e.getOriginalMessage() + "'.");
                }
                if (json == null) {
                    json = Json.obj();
                }
            }
        }
        return json;
    }
}
