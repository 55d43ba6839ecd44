package com.mdeonboarding.emulator.providers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.server.ArmRequest;
import com.mdeonboarding.emulator.server.ArmServer;
import com.mdeonboarding.emulator.server.EmulatorContext;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.state.EmulatedDevices;
import com.mdeonboarding.emulator.state.EmulatedMachine;
import com.mdeonboarding.emulator.state.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The Defender for Endpoint API's machine list on the emulator's HTTPS server: {@code GET /api/machines}
 * (MicrosoftDocs/defender-docs {@code defender-endpoint/api/get-machines.md}), in this order: the bearer token (the
 * development token, as for Resource Manager: 401 {@code Unauthorized} without it), the rate limits (429
 * {@code TooManyRequests} with Retry-After), the permission (403 {@code Forbidden} when a test revokes Machine.Read.All),
 * fault rules ({@link ArmEmulator#defenderFaults()}), then the list. OData as far as the app uses it and the docs
 * describe it: {@code $top} (1 to 10,000, the default and maximum page size), {@code $skip}, {@code $filter} with
 * {@code eq} and {@code startswith(...)} joined by {@code and} on the filterable properties, and
 * {@code @odata.nextLink} while more records remain. 404 when the tenant has no device at all ("If there are no recent
 * machines"). Errors have the API's shape {@code {"error": {"code", "message", "target"}}} (api/common-errors.md). Every
 * request is logged in {@link ArmEmulator#defenderRequestLog()} as {@code ListMachines} (or {@code Unknown}).
 */
public final class DefenderEndpointProvider implements HttpHandler {
    static final String OPERATION = "ListMachines";
    static final int MAX_TOP = 10_000;

    private final EmulatorContext ctx;

    public DefenderEndpointProvider(EmulatorContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String host = exchange.getRequestHeaders().getFirst("Host");
            String baseUrl = host == null || host.isBlank() ? ctx.baseUrl : "https://" + host;
            ArmRequest req = new ArmRequest(exchange, body, UUID.randomUUID().toString(), UUID.randomUUID().toString(), null, baseUrl);
            boolean route = req.path.replaceAll("/+$", "").equalsIgnoreCase("/api/machines");
            Answer a;
            try {
                a = answer(req, route);
            } catch (ApiError e) {
                a = new Answer(e.status, error(e.code, e.getMessage(), req.requestId), e.retryAfter);
            }
            ctx.defenderRequestLog.record(new RequestLog.Entry(ctx.now(), req.method, req.path, req.rawQuery,
                    route ? OPERATION : "Unknown", a.status(), (System.nanoTime() - started) / 1_000_000, false, null));
            if (a.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", a.retryAfter().toString());
            }
            ArmServer.sendJson(exchange, a.status(), a.body());
        } catch (RuntimeException e) {
            System.err.println("[defender-endpoint-emulator] unexpected failure: " + e);
            e.printStackTrace();
            exchange.close();
        }
    }

    private record Answer(int status, ObjectNode body, Integer retryAfter) {
    }

    private static final class ApiError extends RuntimeException {
        final int status;
        final String code;
        Integer retryAfter;

        ApiError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private Answer answer(ArmRequest req, boolean route) {
        String auth = req.header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || !auth.substring(7).trim().equals(ArmEmulator.DEV_TOKEN)) {
            throw new ApiError(401, "Unauthorized", "Unauthorized (invalid or expired authorization header). (The emulator accepts"
                    + " only its development token.)");
        }
        int retryAfter = ctx.defenderQuota.admit(ctx.now());
        if (retryAfter > 0) {
            ApiError e = new ApiError(429, "TooManyRequests", "Response represents reaching quota limit either by number of requests"
                    + " or by CPU. Try again in " + retryAfter + " seconds.");
            e.retryAfter = retryAfter;
            throw e;
        }
        if (!ctx.defenderPermission) {
            throw new ApiError(403, "Forbidden", "Forbidden (valid token but insufficient permission for the action): the"
                    + " application has no Machine.Read.All or Machine.ReadWrite.All role.");
        }
        if (!route) {
            throw new ApiError(404, "ResourceNotFound", "Resource " + req.path + " wasn't found (the emulator serves /api/machines only).");
        }
        if (!req.method.equals("GET")) {
            throw new ApiError(405, "BadRequest", "The requested resource does not support http method '" + req.method + "'.");
        }
        FaultRule fault = ctx.defenderFaults.match(OPERATION, req.method, req.path);
        if (fault != null) {
            if (!fault.latency().isZero()) {
                sleep(fault.latency().toMillis());
            }
            if (fault.status() != null) {
                ApiError e = new ApiError(fault.status(), fault.code() != null ? fault.code()
                        : fault.status() == 429 ? "TooManyRequests" : fault.status() >= 500 ? "InternalServerError" : "BadRequest",
                        (fault.message() != null ? fault.message() : "The emulator answered with HTTP " + fault.status()) + " [emulator fault]");
                e.retryAfter = fault.retryAfterSeconds() != null ? fault.retryAfterSeconds() : fault.status() == 429 ? 1 : null;
                throw e;
            }
            if (fault.repeatsNextLink()) {
                Answer a = list(req);
                a.body().put("@odata.nextLink", req.baseUrl + req.path + (req.rawQuery == null ? "" : "?" + req.rawQuery));
                return a;
            }
        }
        return list(req);
    }

    private Answer list(ArmRequest req) {
        int top = integer(req, "$top", MAX_TOP);
        if (top < 1 || top > MAX_TOP) {
            throw new ApiError(400, "ODataError", "Invalid OData URI query: $top must be from 1 to " + MAX_TOP + ".");
        }
        int skip = integer(req, "$skip", 0);
        if (skip < 0) {
            throw new ApiError(400, "ODataError", "Invalid OData URI query: $skip must not be negative.");
        }
        String filterText = req.query.get("$filter");
        DeviceFilter filter;
        try {
            filter = DeviceFilter.parse(filterText);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "ODataError", "Invalid OData URI query: " + e.getMessage());
        }
        Instant now = ctx.now();
        record Page(List<ObjectNode> devices, boolean more, boolean none) {
        }
        Page page = ctx.store.read(v -> {
            List<EmulatedDevices.Ref> all = new ArrayList<>();
            for (EmulatedMachine m : v.allMachines()) {
                all.addAll(EmulatedDevices.refs(m, now));
            }
            boolean none = all.isEmpty();
            List<EmulatedDevices.Ref> matching = all.stream().filter(filter::test)
                    .sorted(Comparator.comparing(EmulatedDevices.Ref::id)).toList();
            int from = Math.min(skip, matching.size());
            int to = Math.min(matching.size(), from + top);
            // Only the page is rendered.
            return new Page(matching.subList(from, to).stream().map(EmulatedDevices.Ref::render).toList(), to < matching.size(), none);
        });
        if (page.none()) {
            throw new ApiError(404, "NotFound", "No recent machines were found.");
        }
        ObjectNode body = Json.obj();
        body.put("@odata.context", req.baseUrl + "/api/$metadata#Machines");
        ArrayNode value = body.putArray("value");
        page.devices().forEach(value::add);
        if (page.more()) {
            body.put("@odata.nextLink", req.baseUrl + "/api/machines?" + (filterText == null ? "" : "$filter="
                    + URLEncoder.encode(filterText, StandardCharsets.UTF_8).replace("+", "%20") + "&") + "$top=" + top + "&$skip=" + (skip + top));
        }
        return new Answer(200, body, null);
    }

    private static int integer(ArmRequest req, String name, int dflt) {
        String v = req.query.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ApiError(400, "ODataError", "Invalid OData URI query: " + name + " '" + v + "' is not a whole number.");
        }
    }

    private static ObjectNode error(String code, String message, String target) {
        ObjectNode n = Json.obj();
        ObjectNode e = n.putObject("error");
        e.put("code", code);
        e.put("message", message);
        e.put("target", target);
        return n;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The {@code $filter} subset: {@code prop eq 'v'} and {@code startswith(prop,'v')}, joined by {@code and}. */
    static final class DeviceFilter {
        /** The properties the API filters on (get-machines.md). */
        static final List<String> FILTERABLE = List.of("computerDnsName", "id", "version", "deviceValue", "aadDeviceId", "machineTags",
                "lastSeen", "exposureLevel", "onboardingStatus", "lastIpAddress", "healthStatus", "osPlatform", "riskScore", "rbacGroupId");

        private record Term(String property, String value, boolean prefix) {
        }

        private final List<Term> terms;

        private DeviceFilter(List<Term> terms) {
            this.terms = terms;
        }

        static DeviceFilter parse(String text) {
            List<Term> terms = new ArrayList<>();
            if (text == null || text.isBlank()) {
                return new DeviceFilter(terms);
            }
            for (String part : text.trim().split("(?i)\\s+and\\s+")) {
                String p = part.trim();
                java.util.regex.Matcher sw = java.util.regex.Pattern.compile("(?i)^startswith\\(\\s*([A-Za-z]+)\\s*,\\s*'((?:[^']|'')*)'\\s*\\)$")
                        .matcher(p);
                java.util.regex.Matcher eq = java.util.regex.Pattern.compile("(?i)^([A-Za-z]+)\\s+eq\\s+'((?:[^']|'')*)'$").matcher(p);
                Term t;
                if (sw.matches()) {
                    t = new Term(property(sw.group(1)), sw.group(2).replace("''", "'"), true);
                } else if (eq.matches()) {
                    t = new Term(property(eq.group(1)), eq.group(2).replace("''", "'"), false);
                } else {
                    throw new IllegalArgumentException("'" + p + "' is not supported (the emulator understands prop eq 'value' and"
                            + " startswith(prop,'value'), joined by and)");
                }
                terms.add(t);
            }
            return new DeviceFilter(terms);
        }

        private static String property(String name) {
            return FILTERABLE.stream().filter(f -> f.equalsIgnoreCase(name)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("the property '" + name + "' does not support $filter"));
        }

        /** Strings compare case-insensitively (computerDnsName values are lower case anyway). */
        boolean test(EmulatedDevices.Ref d) {
            for (Term t : terms) {
                String v = d.text(t.property()).toLowerCase(Locale.ROOT);
                String want = t.value().toLowerCase(Locale.ROOT);
                if (t.prefix() ? !v.startsWith(want) : !v.equals(want)) {
                    return false;
                }
            }
            return true;
        }
    }
}
