package com.mdeonboarding.emulator.server;

import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.state.EmulatedSubscription;
import com.mdeonboarding.emulator.state.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The front door: every request passes the checks ARM makes in the same order (api-version,
 * authentication, route, api-version support, subscription), then any fault rule, then the
 * operation's handler. Every response carries ARM's headers, and every ARM request is logged.
 */
public final class ArmServer implements HttpHandler {
    static final String DEV_TOKEN = ArmEmulator.DEV_TOKEN;
    private static final List<String> KNOWN_NAMESPACES = List.of("microsoft.compute", "microsoft.hybridcompute",
            "microsoft.security", "microsoft.resourcegraph", "microsoft.resources");
    private static final DateTimeFormatter ROUTING_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final EmulatorContext ctx;
    private final Router router;
    private final AdminApi admin;
    /** Per subscription (or "tenant"), per hour: requests so far, for the x-ms-ratelimit-remaining-* headers. */
    private final Map<String, AtomicLong[]> rateCounters = new ConcurrentHashMap<>();
    private volatile long rateHour;

    public ArmServer(EmulatorContext ctx, Router router, AdminApi admin) {
        this.ctx = ctx;
        this.rateHour = currentHour();
        this.router = router;
        this.admin = admin;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String correlation = firstNonBlank(exchange.getRequestHeaders().getFirst("x-ms-correlation-request-id"),
                    UUID.randomUUID().toString());
            String clientRequestId = exchange.getRequestHeaders().getFirst("x-ms-client-request-id");
            String host = exchange.getRequestHeaders().getFirst("Host");
            String baseUrl = host == null || host.isBlank() ? ctx.baseUrl : "https://" + host;
            ArmRequest req = new ArmRequest(exchange, body, UUID.randomUUID().toString(), correlation, clientRequestId,
                    baseUrl);
            if (!req.segments.isEmpty() && req.segments.get(0).equalsIgnoreCase("admin")) {
                admin.handle(req);
                return;
            }
            handleArm(req, started);
        } catch (RuntimeException e) {
            System.err.println("[arm-emulator] unexpected failure: " + e);
            e.printStackTrace();
            exchange.close();
        }
    }

    private void handleArm(ArmRequest req, long started) throws IOException {
        ctx.operations.settleDue();
        Router.Match match = router.match(req.method, req.segments);
        String operationId = match == null ? "Unknown" : match.route().operationId();
        boolean write = match == null ? !req.method.equals("GET") : match.route().write();
        if (match != null) {
            req.params.putAll(match.params());
        }
        if (operationId.equals("LongRunningOperation_Status") && "true".equalsIgnoreCase(req.query.get("monitor"))) {
            operationId = "LongRunningOperation_Result"; // Compute serves both from one URL
        }
        ArmResponse response;
        FaultRule fault = null;
        try {
            String apiVersion = req.apiVersion();
            if (apiVersion == null || apiVersion.isBlank()) {
                throw ArmError.badRequest("MissingApiVersionParameter",
                        "The api-version query parameter (?api-version=) is required for all requests.");
            }
            authenticate(req);
            if (match == null) {
                throw unknownRoute(req, apiVersion);
            }
            match.route().apiVersions().check(apiVersion);
            fault = ctx.faults.match(operationId, req.method, req.path);
            if (fault != null) {
                if (!fault.latency().isZero()) {
                    sleep(fault.latency().toMillis());
                }
                if (fault.drops()) {
                    // Logged first so a client that sees the failure also sees the entry.
                    log(req, operationId, 0, write, started);
                    // Closing before sending headers makes the JDK server drop the connection.
                    req.exchange.close();
                    return;
                }
                if (fault.status() != null && fault.answersEmpty()) {
                    log(req, operationId, fault.status(), write, started);
                    send(req, ArmResponse.empty(fault.status()), write);
                    return;
                }
                if (fault.status() != null) {
                    throw faultError(fault, req, write);
                }
            }
            checkSubscription(req, write);
            String sentToken = null;
            if (fault != null && fault.repeatsNextLink() && resourceGraph(req) && req.json().path("options")
                    instanceof com.fasterxml.jackson.databind.node.ObjectNode options) {
                // The service answers the first page again, whatever token came: the token repeats.
                sentToken = options.path("$skipToken").asText("");
                options.remove("$skipToken");
            }
            response = match.route().handler().handle(req);
            if (fault != null && fault.repeatsNextLink() && response.body instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                repeatContinuation(req, o, sentToken);
            }
        } catch (ArmError e) {
            response = ArmResponse.status(e.status, e.body());
            e.headers.forEach(response::header);
        } catch (RuntimeException e) {
            System.err.println("[arm-emulator] " + req.method + " " + req.path + " failed: " + e);
            e.printStackTrace();
            response = ArmResponse.status(500, new ArmError(500, "InternalServerError",
                    "The emulator failed to handle the request: " + e).body());
        }
        // Logged before the response leaves, so a client that has the response also finds it in the log.
        log(req, operationId, response.status, write, started);
        send(req, response, write);
    }

    private void authenticate(ArmRequest req) {
        String auth = req.header("Authorization");
        String challenge = "Bearer authorization_uri=\"https://login.microsoftonline.com/" + ctx.store.tenantId()
                + "\", error=\"invalid_token\", error_description=\"";
        if (auth == null || auth.isBlank()) {
            throw new ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
                    .header("WWW-Authenticate", challenge + "The authentication failed because of missing 'Authorization' header.\"");
        }
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ArmError(401, "AuthenticationFailed",
                    "Authentication failed. The 'Authorization' header is provided in an invalid format.")
                    .header("WWW-Authenticate", challenge + "The authentication failed because of the 'Authorization' header format.\"");
        }
        if (!auth.substring(7).trim().equals(DEV_TOKEN)) {
            throw new ArmError(401, "InvalidAuthenticationToken",
                    "The access token is invalid. (The emulator accepts only its development token.)")
                    .header("WWW-Authenticate", challenge + "The access token is invalid.\"");
        }
    }

    private ArmError unknownRoute(ArmRequest req, String apiVersion) {
        if (router.pathExists(req.segments)) {
            return new ArmError(405, "MethodNotAllowed",
                    "The requested resource does not support http method '" + req.method + "'.");
        }
        List<String> s = req.segments;
        int providers = -1;
        for (int i = s.size() - 1; i >= 0; i--) {
            if (s.get(i).equalsIgnoreCase("providers")) {
                providers = i;
                break;
            }
        }
        String hint = " (The mde-onboarding emulator implements only the operations listed in emulator/README.md.)";
        if (providers >= 0 && providers + 1 < s.size()) {
            String ns = s.get(providers + 1);
            if (!KNOWN_NAMESPACES.contains(ns.toLowerCase(Locale.ROOT))) {
                return ArmError.badRequest("InvalidResourceNamespace",
                        "The resource namespace '" + ns + "' is invalid." + hint);
            }
            String type = providers + 2 < s.size() ? s.get(providers + 2) : "";
            return ArmError.notFound("InvalidResourceType", "The resource type '" + type
                    + "' could not be found in the namespace '" + ns + "' for api version '" + apiVersion + "'." + hint);
        }
        String type = s.size() >= 3 ? s.get(s.size() % 2 == 1 ? s.size() - 1 : s.size() - 2) : (s.isEmpty() ? "" : s.get(0));
        return ArmError.notFound("InvalidResourceType", "The resource type '" + type
                + "' could not be found in the namespace 'Microsoft.Resources' for api version '" + apiVersion + "'." + hint);
    }

    private record SubscriptionCheck(String id, boolean disabled) {
    }

    private void checkSubscription(ArmRequest req, boolean write) {
        String sub = req.param("subscriptionId");
        if (sub == null) {
            return;
        }
        SubscriptionCheck found = ctx.store.read(v -> {
            EmulatedSubscription s = v.subscription(sub);
            return s == null ? null : new SubscriptionCheck(s.id, "Disabled".equalsIgnoreCase(s.state));
        });
        if (found == null) {
            throw ArmError.notFound("SubscriptionNotFound", "The subscription '" + sub + "' could not be found.");
        }
        if (write && found.disabled()) {
            throw ArmError.conflict("ReadOnlyDisabledSubscription", "The subscription '" + found.id()
                    + "' is disabled and therefore marked as read only. You cannot perform any write actions on this "
                    + "subscription until it is re-enabled.");
        }
    }

    /** A list answer whose continuation names the request itself (Resource Graph: the same $skipToken again). */
    private static void repeatContinuation(ArmRequest req, com.fasterxml.jackson.databind.node.ObjectNode body, String sentToken) {
        if (resourceGraph(req)) {
            body.put("$skipToken", sentToken == null || sentToken.isEmpty() ? "cycle" : sentToken);
            return;
        }
        body.put("nextLink", req.baseUrl + req.path + (req.rawQuery == null ? "" : "?" + req.rawQuery));
    }

    private static boolean resourceGraph(ArmRequest req) {
        return req.path.toLowerCase(Locale.ROOT).contains("/microsoft.resourcegraph/");
    }

    private ArmError faultError(FaultRule fault, ArmRequest req, boolean write) {
        int status = fault.status();
        String sub = req.param("subscriptionId");
        String code;
        String message;
        switch (status) {
            case 429 -> {
                code = "SubscriptionRequestsThrottled";
                message = "Number of '" + (write ? "write" : "read") + "' requests for subscription '"
                        + (sub == null ? "" : sub) + "' actor 'mde-onboarding-emulator' exceeded. Please try again after '"
                        + (fault.retryAfterSeconds() == null ? 1 : fault.retryAfterSeconds()) + "' seconds.";
            }
            case 500 -> {
                code = "InternalServerError";
                message = "Encountered internal server error. Diagnostic information: timestamp '"
                        + ctx.now() + "', subscription id '" + (sub == null ? "" : sub) + "', tracking id '"
                        + req.requestId + "', request correlation id '" + req.correlationId + "'.";
            }
            case 503 -> {
                code = "ServiceUnavailable";
                message = "The service is temporarily unavailable. Please retry the request.";
            }
            default -> {
                code = "FaultInjected";
                message = "The emulator answered with HTTP " + status + " as a fault rule asked.";
            }
        }
        String text = (fault.message() != null ? fault.message() : message) + " [emulator fault]";
        if (fault.echoesRequestBody()) {
            text += " Request content: '" + new String(req.body, StandardCharsets.UTF_8) + "'.";
        }
        ArmError e = new ArmError(status, fault.code() != null ? fault.code() : code, text);
        Integer retryAfter = fault.retryAfterSeconds() != null ? fault.retryAfterSeconds() : (status == 429 ? 1 : null);
        if (retryAfter != null) {
            e.header("Retry-After", retryAfter.toString());
        }
        return e;
    }

    private void send(ArmRequest req, ArmResponse response, boolean write) throws IOException {
        HttpExchange ex = req.exchange;
        var h = ex.getResponseHeaders();
        h.set("Cache-Control", "no-cache");
        h.set("Pragma", "no-cache");
        h.set("Expires", "-1");
        h.set("x-ms-request-id", req.requestId);
        h.set("x-ms-correlation-request-id", req.correlationId);
        if (req.clientRequestId != null) {
            h.set("x-ms-client-request-id", req.clientRequestId);
        }
        h.set("x-ms-routing-request-id", "LOCALEMULATOR:" + ROUTING_TIME.format(ctx.now()) + ":" + req.requestId);
        String sub = req.param("subscriptionId");
        long used = countRate(sub == null ? "tenant" : sub.toLowerCase(Locale.ROOT), write);
        String scope = sub == null ? "tenant" : "subscription";
        if (write) {
            h.set("x-ms-ratelimit-remaining-" + scope + "-writes", Long.toString(Math.max(0, 1200 - used)));
        } else {
            h.set("x-ms-ratelimit-remaining-" + scope + "-reads", Long.toString(Math.max(0, 12000 - used)));
        }
        h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        h.set("X-Content-Type-Options", "nosniff");
        response.headers.forEach(h::set);
        if (response.body == null || response.status == 204) {
            ex.sendResponseHeaders(response.status, -1);
            ex.close();
            return;
        }
        byte[] bytes = Json.write(response.body).getBytes(StandardCharsets.UTF_8);
        h.set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(response.status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    public static void sendJson(HttpExchange ex, int status, com.fasterxml.jackson.databind.JsonNode body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : Json.write(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        if (bytes.length == 0) {
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    private long countRate(String key, boolean write) {
        long hour = currentHour();
        if (hour != rateHour) {
            rateHour = hour;
            rateCounters.clear();
        }
        AtomicLong[] c = rateCounters.computeIfAbsent(key, k -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
        return c[write ? 1 : 0].incrementAndGet();
    }

    private long currentHour() {
        return ctx.clock.millis() / 3_600_000L;
    }

    private void log(ArmRequest req, String operationId, int status, boolean write, long started) {
        ctx.requestLog.record(new RequestLog.Entry(ctx.now(), req.method, req.path, req.rawQuery, operationId,
                status, (System.nanoTime() - started) / 1_000_000, write, req.clientRequestId));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
