package com.mdeonboarding.emulator.providers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.server.ArmRequest;
import com.mdeonboarding.emulator.server.ArmResponse;
import com.mdeonboarding.emulator.server.EmulatedApiVersions;
import com.mdeonboarding.emulator.server.EmulatorContext;
import com.mdeonboarding.emulator.server.Router;
import com.mdeonboarding.emulator.state.EmulatedSubscription;
import com.mdeonboarding.emulator.state.Json;

/** Microsoft.Resources: Subscriptions_List and Subscriptions_Get. */
public final class ResourcesProvider {
    private static final EmulatedApiVersions VERSIONS = EmulatedApiVersions.of("subscriptions", "2016-06-01", "2018-06-01",
            "2019-06-01", "2019-11-01", "2020-01-01", "2021-01-01", "2022-01-01", "2022-09-01", "2022-12-01");
    private final EmulatorContext ctx;

    public ResourcesProvider(EmulatorContext ctx, Router router) {
        this.ctx = ctx;
        router.add("GET", "/subscriptions", "Subscriptions_List", false, VERSIONS, this::list);
        router.add("GET", "/subscriptions/{subscriptionId}", "Subscriptions_Get", false, VERSIONS, this::get);
    }

    private ArmResponse list(ArmRequest req) {
        return ctx.store.read(v -> {
            Paging.Page<EmulatedSubscription> page = Paging.page(v.subscriptions(), req.query.get("$skiptoken"),
                    ctx.pageSize);
            ObjectNode body = Json.obj();
            ArrayNode value = body.putArray("value");
            page.items().forEach(s -> value.add(json(s)));
            if (page.nextToken() != null) {
                body.put("nextLink", Paging.nextLink(req, page.nextToken()));
            }
            return ArmResponse.ok(body);
        });
    }

    private ArmResponse get(ArmRequest req) {
        return ctx.store.read(v -> ArmResponse.ok(json(v.subscription(req.param("subscriptionId")))));
    }

    private ObjectNode json(EmulatedSubscription s) {
        ObjectNode o = Json.obj();
        o.put("id", "/subscriptions/" + s.id);
        o.put("subscriptionId", s.id);
        o.put("tenantId", ctx.store.tenantId());
        o.put("displayName", s.displayName);
        o.put("state", s.state);
        ObjectNode policies = o.putObject("subscriptionPolicies");
        policies.put("locationPlacementId", "Public_2014-09-01");
        policies.put("quotaId", "PayAsYouGo_2014-09-01");
        policies.put("spendingLimit", "Off");
        o.put("authorizationSource", "RoleBased");
        o.putArray("managedByTenants");
        o.set("tags", Json.stringMap(s.tags));
        return o;
    }
}
