package com.mdeonboarding.emulator.providers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.server.ArmRequest;
import com.mdeonboarding.emulator.server.ArmResponse;
import com.mdeonboarding.emulator.server.EmulatedApiVersions;
import com.mdeonboarding.emulator.server.EmulatorContext;
import com.mdeonboarding.emulator.server.Router;
import com.mdeonboarding.emulator.state.EmulatedRoleGrants;
import com.mdeonboarding.emulator.state.Json;

/**
 * Microsoft.Authorization permissions: what the caller may do at a scope.
 *
 * <p>Sources: azure-rest-api-specs {@code specification/authorization/resource-manager/Microsoft.Authorization/stable/
 * 2022-04-01/authorization-RoleDefinitionsCalls.json} ({@code Permissions_ListForResourceGroup} and
 * {@code Permissions_ListForResource}: {@code PermissionGetResult} = {@code value} [{@code actions}, {@code notActions},
 * {@code dataActions}, {@code notDataActions}] and {@code nextLink}; example {@code GetPermissions.json}); the
 * subscription scope is not in the spec but is what the Azure portal and Microsoft's "Resource Manager API
 * authentication" article call ({@code GET /subscriptions/{id}/providers/microsoft.authorization/permissions}, answering
 * {@code {"value":[{"actions":["*"],"notActions":[...]}]}}). An action is allowed when some entry's actions match it and
 * the same entry's notActions do not.
 */
public final class PermissionsProvider {
    private static final EmulatedApiVersions VERSIONS = EmulatedApiVersions.of("permissions", "2015-07-01", "2018-01-01-preview",
            "2018-07-01", "2022-04-01");
    private final EmulatorContext ctx;

    public PermissionsProvider(EmulatorContext ctx, Router router) {
        this.ctx = ctx;
        router.add("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/permissions",
                "Permissions_ListForSubscription", false, VERSIONS, this::list);
        router.add("GET", "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/providers/Microsoft.Authorization/permissions",
                "Permissions_ListForResourceGroup", false, VERSIONS, this::list);
    }

    private ArmResponse list(ArmRequest req) {
        ObjectNode body = Json.obj();
        ArrayNode value = body.putArray("value");
        for (EmulatedRoleGrants.Grant g : ctx.state.roleGrants().of(req.param("subscriptionId"))) {
            ObjectNode p = value.addObject();
            ArrayNode actions = p.putArray("actions");
            g.actions().forEach(actions::add);
            ArrayNode notActions = p.putArray("notActions");
            g.notActions().forEach(notActions::add);
            p.putArray("dataActions");
            p.putArray("notDataActions");
        }
        return ArmResponse.ok(body);
    }
}
