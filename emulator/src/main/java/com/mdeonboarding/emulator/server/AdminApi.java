package com.mdeonboarding.emulator.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.state.Json;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Test and operator controls under {@code /admin}: no token, loopback callers only, not logged in
 * the request log (so they never distort Resource Manager call counts).
 */
public final class AdminApi {
    private final EmulatorContext ctx;

    public AdminApi(EmulatorContext ctx) {
        this.ctx = ctx;
    }

    void handle(ArmRequest req) throws IOException {
        InetSocketAddress remote = req.exchange.getRemoteAddress();
        if (remote == null || remote.getAddress() == null || !remote.getAddress().isLoopbackAddress()) {
            ArmServer.sendJson(req.exchange, 403, error("Forbidden", "The admin API answers loopback callers only."));
            return;
        }
        String route = req.method + " " + String.join("/", req.segments.subList(1, req.segments.size()));
        try {
            JsonNode body = switch (route) {
                case "GET state" -> state(req);
                case "GET requests" -> requests(req);
                case "DELETE requests" -> {
                    ctx.requestLog.clear();
                    yield null;
                }
                case "POST virtualMachines" -> created(ctx.state.createVirtualMachine(
                        Json.STRICT.treeToValue(req.json(), VirtualMachineSpec.class)));
                case "POST arcMachines" -> created(ctx.state.createArcMachine(
                        Json.STRICT.treeToValue(req.json(), ArcMachineSpec.class)));
                case "GET faults" -> faults();
                case "POST faults" -> addFault(req.json());
                case "DELETE faults" -> {
                    ctx.faults.clear();
                    yield null;
                }
                case "GET time" -> time();
                case "POST time" -> advance(req.json());
                case "GET events" -> events();
                case "DELETE events" -> {
                    ctx.events.clear();
                    yield null;
                }
                default -> throw new NotFound();
            };
            int status = body == null ? 204 : req.method.equals("POST") && !route.equals("POST time") ? 201 : 200;
            ArmServer.sendJson(req.exchange, status, body);
        } catch (NotFound e) {
            ArmServer.sendJson(req.exchange, 404, error("NotFound", "No admin route '" + route
                    + "'. Routes: GET /admin/state, GET|DELETE /admin/requests, POST /admin/virtualMachines, "
                    + "POST /admin/arcMachines, GET|POST|DELETE /admin/faults, GET|DELETE /admin/events, GET|POST /admin/time."));
        } catch (JsonProcessingException e) {
            ArmServer.sendJson(req.exchange, 400, error("InvalidSpec", e.getOriginalMessage()));
        } catch (ArmError e) {
            ArmServer.sendJson(req.exchange, e.status, e.body());
        } catch (IllegalArgumentException e) {
            ArmServer.sendJson(req.exchange, 400, error("InvalidRequest", e.getMessage()));
        }
    }

    private static final class NotFound extends RuntimeException {
        NotFound() {
            super(null, null, false, false);
        }
    }

    private JsonNode state(ArmRequest req) {
        String machineId = req.query.get("machineId");
        if (machineId != null) {
            return Json.toTree(ctx.state.machine(machineId).orElseThrow(
                    () -> new IllegalArgumentException("No machine " + machineId)));
        }
        ObjectNode o = (ObjectNode) Json.toTree(ctx.state.summary());
        o.put("operationsInProgress", ctx.operations.inProgress());
        o.put("eventsEmitted", ctx.events.emitted().size());
        o.put("requests", ctx.requestLog.total());
        o.put("onboardingPackageMarker", ctx.packages.marker());
        return o;
    }

    private JsonNode requests(ArmRequest req) {
        int limit = req.query.containsKey("limit") ? Integer.parseInt(req.query.get("limit")) : 1000;
        ObjectNode o = Json.obj();
        o.put("total", ctx.requestLog.total());
        o.put("reads", ctx.requestLog.countReads());
        o.put("writes", ctx.requestLog.countWrites());
        o.set("counts", Json.toTree(ctx.requestLog.countsByOperation()));
        List<RequestLog.Entry> all = ctx.requestLog.snapshot();
        ArrayNode entries = o.putArray("requests");
        for (RequestLog.Entry e : all.subList(Math.max(0, all.size() - limit), all.size())) {
            ObjectNode x = entries.addObject();
            x.put("timestamp", e.timestamp().toString());
            x.put("method", e.method());
            x.put("path", e.path());
            x.put("query", e.query());
            x.put("operationId", e.operationId());
            x.put("status", e.status());
            x.put("durationMillis", e.durationMillis());
            x.put("write", e.write());
        }
        return o;
    }

    private static JsonNode created(String id) {
        return Json.obj().put("id", id);
    }

    private JsonNode faults() {
        ArrayNode a = Json.arr();
        ctx.faults.rules().forEach(r -> a.add(r.toString()));
        return a;
    }

    /** {"operationId"|"path", "method", "status", "retryAfterSeconds", "code", "message", "times", "skip", "latencyMs", "dropConnection", "probability", "seed"} */
    private JsonNode addFault(JsonNode spec) {
        FaultRule rule = spec.hasNonNull("operationId") ? FaultRule.forOperation(spec.get("operationId").asText())
                : spec.hasNonNull("path") ? FaultRule.forPath(spec.get("path").asText()) : FaultRule.forAll();
        if (spec.hasNonNull("method")) {
            rule.method(spec.get("method").asText());
        }
        if (spec.hasNonNull("status")) {
            rule.status(spec.get("status").asInt());
        }
        if (spec.hasNonNull("retryAfterSeconds")) {
            rule.retryAfterSeconds(spec.get("retryAfterSeconds").asInt());
        }
        if (spec.hasNonNull("code")) {
            rule.errorCode(spec.get("code").asText());
        }
        if (spec.hasNonNull("message")) {
            rule.message(spec.get("message").asText());
        }
        if (spec.hasNonNull("times")) {
            rule.times(spec.get("times").asInt());
        }
        if (spec.hasNonNull("skip")) {
            rule.skip(spec.get("skip").asInt());
        }
        if (spec.hasNonNull("latencyMs")) {
            rule.latency(Duration.ofMillis(spec.get("latencyMs").asLong()));
        }
        if (spec.path("dropConnection").asBoolean(false)) {
            rule.dropConnection();
        }
        if (spec.hasNonNull("probability")) {
            rule.probability(spec.get("probability").asDouble(), spec.path("seed").asLong(0x5EEDL));
        }
        ctx.faults.add(rule);
        return Json.obj().put("rule", rule.toString());
    }

    /** The emulator's time and how far it was advanced past the system clock. */
    private JsonNode time() {
        return Json.obj().put("now", ctx.now().toString()).put("offset", ctx.clock.offset().toString());
    }

    /** {"advance": "PT30S"} (ISO-8601, as java.time.Duration reads it): moves the emulator's time forward. */
    private JsonNode advance(JsonNode body) {
        JsonNode advance = body == null ? null : body.get("advance");
        if (advance == null || !advance.isTextual()) {
            throw new IllegalArgumentException("Send {\"advance\": \"PT30S\"}: an ISO-8601 duration (PT0.5S, PT2M, PT1H, P1D) "
                    + "to move the emulator's time forward by.");
        }
        Duration d;
        try {
            d = Duration.parse(advance.asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + advance.asText() + "' is not an ISO-8601 duration; send e.g. PT30S, PT2M or PT1H.");
        }
        ArmEmulator.advance(ctx, d);
        ObjectNode o = (ObjectNode) time();
        o.put("operationsInProgress", ctx.operations.inProgress());
        return o;
    }

    private JsonNode events() {
        ArrayNode a = Json.arr();
        for (String e : ctx.events.emitted()) {
            try {
                a.add(Json.parse(e));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return a;
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode o = Json.obj();
        o.putObject("error").put("code", code).put("message", message);
        return o;
    }
}
