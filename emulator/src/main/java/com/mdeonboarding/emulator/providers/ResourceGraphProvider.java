package com.mdeonboarding.emulator.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.kql.KqlException;
import com.mdeonboarding.emulator.kql.KqlQuery;
import com.mdeonboarding.emulator.kql.KqlResult;
import com.mdeonboarding.emulator.server.ArmError;
import com.mdeonboarding.emulator.server.ArmRequest;
import com.mdeonboarding.emulator.server.ArmResponse;
import com.mdeonboarding.emulator.server.EmulatedApiVersions;
import com.mdeonboarding.emulator.server.EmulatorContext;
import com.mdeonboarding.emulator.server.Router;
import com.mdeonboarding.emulator.state.EmulatedSubscription;
import com.mdeonboarding.emulator.state.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Microsoft.ResourceGraph/resources: runs the query it receives with the KQL subset evaluator
 * ({@link KqlQuery}) over the tables of the request's scope ({@link ResourceGraphRows}), with paging
 * through an opaque {@code $skipToken}, the per-user quota headers, and 429 past the quota. KQL the
 * evaluator does not implement is refused with 400 naming the operator: never a silently wrong answer.
 */
public final class ResourceGraphProvider {
    private static final EmulatedApiVersions VERSIONS = EmulatedApiVersions.of("resources", "2019-04-01", "2020-04-01-preview",
            "2020-09-01-preview", "2021-03-01", "2021-06-01-preview", "2022-10-01", "2024-04-01");
    private static final int MAX_PAGE = 1000;
    private static final int CACHED_RESULTS = 4;

    private record ResultSet(String id, String hash, List<KqlResult.Column> columns, List<ObjectNode> rows) {
    }

    /** Snapshots of recent results, so that paging a large result reads one consistent snapshot cheaply. */
    private final Map<String, ResultSet> cache = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ResultSet> eldest) {
            return size() > CACHED_RESULTS;
        }
    };
    private final EmulatorContext ctx;

    public ResourceGraphProvider(EmulatorContext ctx, Router router) {
        this.ctx = ctx;
        router.add("POST", "/providers/Microsoft.ResourceGraph/resources", "Resources", false, VERSIONS, this::query);
    }

    private ArmResponse query(ArmRequest req) {
        ResourceGraphQuota.Grant grant = ctx.graphQuota.acquire(ctx.now());
        String resets = ResourceGraphQuota.format(grant.resetsAfter());
        if (!grant.allowed()) {
            ArmError e = new ArmError(429, "RateLimiting", "Please provide below info when asking for support: "
                    + "timestamp = " + ctx.now() + ", correlationId = " + req.correlationId + ".");
            e.details = Json.arr();
            e.details.addObject().put("code", "RateLimiting").put("message", "Client application has been throttled "
                    + "and should not attempt to repeat the request until an amount of time has elapsed. Please see "
                    + "https://aka.ms/resourcegraph-throttling for help.");
            e.header("x-ms-user-quota-remaining", "0").header("x-ms-user-quota-resets-after", resets)
                    .header("Retry-After", Long.toString(Math.max(1, (grant.resetsAfter().toMillis() + 999) / 1000)));
            throw e;
        }
        try {
            ArmResponse resp = answer(req);
            return resp.header("x-ms-user-quota-remaining", Integer.toString(grant.remaining()))
                    .header("x-ms-user-quota-resets-after", resets);
        } catch (ArmError e) {
            e.header("x-ms-user-quota-remaining", Integer.toString(grant.remaining()))
                    .header("x-ms-user-quota-resets-after", resets);
            throw e;
        }
    }

    private ArmResponse answer(ArmRequest req) {
        JsonNode body = req.json();
        String query = Json.text(body, "query");
        if (query == null || query.isBlank()) {
            throw badRequest("InvalidQuery", "The request body must contain a non-empty 'query'.");
        }
        JsonNode facets = body.get("facets");
        if (facets != null && facets.isArray() && !facets.isEmpty()) {
            throw badRequest("FacetsNotSupported", "The emulator does not compute facets; send the query without 'facets'.");
        }
        List<String> scope = scope(body);
        JsonNode options = body.path("options");
        int top = intOption(options, "$top", -1);
        if (top != -1 && (top < 1 || top > MAX_PAGE)) {
            throw badRequest("InvalidParameter", "options.$top must be between 1 and " + MAX_PAGE + ".");
        }
        int skip = intOption(options, "$skip", 0);
        if (skip < 0) {
            throw badRequest("InvalidParameter", "options.$skip must not be negative.");
        }
        String format = Json.text(options, "resultFormat");
        boolean table = format != null && format.equalsIgnoreCase("table");
        if (format != null && !table && !format.equalsIgnoreCase("objectArray")) {
            throw badRequest("InvalidParameter", "options.resultFormat must be 'objectArray' or 'table'.");
        }
        String hash = hash(query, scope);
        String token = Json.text(options, "$skipToken");
        int pageSize = top == -1 ? MAX_PAGE : top;
        int offset = skip;
        ResultSet result = null;
        if (token != null && !token.isEmpty()) {
            JsonNode t = decodeToken(token);
            if (!hash.equals(t.path("h").asText())) {
                throw badRequest("InvalidSkipToken", "The $skipToken does not belong to this query and scope.");
            }
            offset = t.path("o").asInt();
            if (top == -1) {
                pageSize = t.path("n").asInt(MAX_PAGE);
            }
            synchronized (cache) {
                result = cache.get(t.path("r").asText());
            }
        }
        if (result == null) {
            // Parsed and evaluated once per result: later pages read the snapshot the first page took.
            KqlQuery parsed = parse(query, req);
            KqlResult evaluated = ctx.store.read(v -> parsed.evaluate(ResourceGraphRows.of(v, ctx.store.tenantId(), scope, ctx.state.eventWiring())));
            result = new ResultSet(UUID.randomUUID().toString(), hash, evaluated.columns(), evaluated.rows());
            synchronized (cache) {
                cache.put(result.id(), result);
            }
        }
        List<ObjectNode> rows = result.rows();
        int from = Math.min(offset, rows.size());
        int to = Math.min(from + pageSize, rows.size());
        List<ObjectNode> page = rows.subList(from, to);
        ObjectNode out = Json.obj();
        out.put("totalRecords", rows.size());
        out.put("count", page.size());
        out.put("resultTruncated", "false");
        if (to < rows.size()) {
            out.put("$skipToken", encodeToken(result.id(), to, pageSize, hash));
        }
        if (table) {
            out.set("data", table(result.columns(), page));
        } else {
            ArrayNode data = out.putArray("data");
            page.forEach(r -> data.add(r.deepCopy()));
        }
        out.putArray("facets");
        return ArmResponse.ok(out);
    }

    /**
     * Resource Graph's answer to a query it cannot run: 400 BadRequest whose details are the generic InvalidQuery,
     * then one detail for the problem with its code, place and token (Azure/aztfexport#485: ParserFailure with line,
     * characterPositionInLine and token; Azure/azure-powershell#13762: InvalidQueryLanguage naming the operator). The
     * problem's message is the evaluator's, which names the operator, function or column.
     */
    private KqlQuery parse(String query, ArmRequest req) {
        try {
            return KqlQuery.parse(query);
        } catch (KqlException e) {
            ArmError err = new ArmError(400, "BadRequest", "Please provide below info when asking for support: timestamp = "
                    + ctx.now() + ", correlationId = " + req.correlationId + ".");
            err.details = Json.arr();
            err.details.addObject().put("code", "InvalidQuery").put("message", "Query is invalid. Please refer to the "
                    + "documentation for the Azure Resource Graph service and fix the error before retrying.");
            err.details.addObject().put("code", e.detailCode()).put("message", e.getMessage()).put("line", e.line())
                    .put("characterPositionInLine", e.position()).put("token", e.token());
            throw err;
        }
    }

    /** The subscriptions in scope: those requested (or in the requested management groups) that exist; all when none given. */
    private List<String> scope(JsonNode body) {
        Set<String> requested = new LinkedHashSet<>();
        JsonNode subs = body.get("subscriptions");
        if (subs != null && subs.isArray()) {
            subs.forEach(s -> requested.add(s.asText().toLowerCase(Locale.ROOT)));
        }
        JsonNode mgs = body.get("managementGroups");
        if (mgs != null && mgs.isArray()) {
            for (JsonNode mg : mgs) {
                List<String> members = ctx.store.managementGroup(mg.asText());
                if (members == null) {
                    throw badRequest("InvalidManagementGroup", "The management group '" + mg.asText()
                            + "' is not defined in the tenant file (managementGroups).");
                }
                members.forEach(m -> requested.add(m.toLowerCase(Locale.ROOT)));
            }
        }
        return ctx.store.read(v -> {
            TreeSet<String> out = new TreeSet<>();
            if (requested.isEmpty() && (subs == null || !subs.isArray()) && (mgs == null || !mgs.isArray())) {
                v.subscriptions().values().forEach(s -> out.add(s.id));
            } else {
                for (String r : requested) {
                    EmulatedSubscription s = v.subscription(r);
                    if (s != null) {
                        out.add(s.id);
                    }
                }
            }
            return new ArrayList<>(out);
        });
    }

    private static int intOption(JsonNode options, String name, int def) {
        JsonNode v = options.get(name);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.canConvertToInt() && !(v.isTextual() && v.asText().matches("-?\\d+"))) {
            throw badRequest("InvalidParameter", "options." + name + " must be an integer.");
        }
        return v.asInt();
    }

    /** The {@code table} result format: columns with their types, then one array per row. */
    private static ObjectNode table(List<KqlResult.Column> columns, List<ObjectNode> page) {
        ObjectNode t = Json.obj();
        ArrayNode cols = t.putArray("columns");
        ArrayNode rows = t.putArray("rows");
        for (KqlResult.Column c : columns) {
            String type = switch (c.type()) {
                case "bool" -> "boolean";
                case "int", "long" -> "integer";
                case "real" -> "real";
                case "dynamic" -> "object";
                default -> "string";
            };
            cols.addObject().put("name", c.name()).put("type", type);
        }
        for (ObjectNode r : page) {
            ArrayNode row = rows.addArray();
            columns.forEach(c -> row.add(r.get(c.name()).deepCopy()));
        }
        return t;
    }

    private static String hash(String query, List<String> scope) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(query.getBytes(StandardCharsets.UTF_8));
            md.update(String.join(",", scope).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 12);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encodeToken(String resultId, int offset, int pageSize, String hash) {
        ObjectNode t = Json.obj().put("r", resultId).put("o", offset).put("n", pageSize).put("h", hash);
        return Base64.getEncoder().encodeToString(Json.write(t).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode decodeToken(String token) {
        try {
            JsonNode t = Json.parse(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
            if (t == null || !t.has("o") || !t.has("h")) {
                throw new IllegalArgumentException();
            }
            return t;
        } catch (Exception e) {
            throw badRequest("InvalidSkipToken", "The $skipToken is not valid.");
        }
    }

    private static ArmError badRequest(String detailCode, String message) {
        ArmError e = new ArmError(400, "BadRequest", message);
        e.details = Json.arr();
        e.details.addObject().put("code", detailCode).put("message", message);
        return e;
    }
}
