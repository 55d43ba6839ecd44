package com.mdeonboarding.cli;

import com.mdeonboarding.host.Services;
import com.mdeonboarding.host.http.ApiRequest;
import com.mdeonboarding.host.http.ApiResponse;
import com.mdeonboarding.host.http.Endpoint;
import com.mdeonboarding.host.http.MachineStateEndpoint;
import com.mdeonboarding.host.http.OnboardingEndpoint;
import com.mdeonboarding.host.http.OpenApiEndpoint;
import com.mdeonboarding.host.http.PostureEndpoint;
import com.mdeonboarding.host.http.Problem;
import com.mdeonboarding.model.Text;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The HTTP API's route handlers behind the JDK's HTTP server, on the loopback address only: the local
 * stand-in for the Functions host (which cannot be installed everywhere), as the emulator stands in for
 * Resource Manager. No function key: nothing but this machine can reach it.
 */
final class LocalHttpApi implements AutoCloseable {
    /** Bodies are read up to this; the onboarding route refuses anything over its own, smaller limit. */
    private static final int MAX_READ = OnboardingEndpoint.MAX_BODY_BYTES + 1;

    private final HttpServer server;
    private final java.util.List<String> routes;

    LocalHttpApi(Services services, int port, Logger log) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        Map<String, Endpoint> routes = new LinkedHashMap<>();
        routes.put("POST /api/onboarding", OnboardingEndpoint.from(services));
        routes.put("GET /api/machines/state", MachineStateEndpoint.from(services));
        routes.put("GET /api/posture", PostureEndpoint.from(services));
        routes.put("GET /api/openapi.json", new OpenApiEndpoint());
        this.routes = java.util.List.copyOf(routes.keySet());
        server.createContext("/", exchange -> {
            try (exchange) {
                String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
                Endpoint endpoint = routes.get(key);
                ApiResponse response = endpoint == null
                        ? ApiResponse.problem(Problem.of(Problem.Type.NOT_FOUND, "no route " + com.mdeonboarding.model.Text.printable(key, 120)
                                + "; routes: " + String.join(", ", routes.keySet())))
                        : endpoint.handle(request(exchange), log);
                send(exchange, response);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    }

    void start() {
        server.start();
    }

    /** e.g. "POST /api/onboarding", in the order they are documented. */
    java.util.List<String> routes() {
        return routes;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static ApiRequest request(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                // Decoded once, as the Functions host does.
                query.put(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
            }
        }
        Optional<String> body = Optional.empty();
        if (exchange.getRequestMethod().equals("POST")) {
            try (InputStream in = exchange.getRequestBody()) {
                body = Optional.of(new String(in.readNBytes(MAX_READ), StandardCharsets.UTF_8));
            }
        }
        return new ApiRequest(exchange.getRequestMethod(), query, headers, body);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape stays as sent; the route refuses it
        }
    }

    private static void send(HttpExchange exchange, ApiResponse response) throws IOException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(response.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdown();
    }
}
