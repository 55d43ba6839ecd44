package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.model.RolePermission;
import java.util.ArrayList;
import java.util.List;

/**
 * Microsoft.Authorization permissions: what the identity this process signs in as may do in a subscription (one entry
 * per role it holds there). {@code GET /subscriptions/{id}/providers/Microsoft.Authorization/permissions}, paged by
 * nextLink (azure-rest-api-specs authorization 2022-04-01, Permissions_ListForResourceGroup; the subscription scope is
 * what the portal calls).
 */
public final class Authorization {
    private final ArmClient arm;

    Authorization(ArmClient arm) {
        this.arm = arm;
    }

    public List<RolePermission> permissions(String subscriptionId) {
        List<RolePermission> out = new ArrayList<>();
        JsonNode page = arm.get("/subscriptions/" + subscriptionId + "/providers/Microsoft.Authorization/permissions", ApiVersions.AUTHORIZATION);
        PageGuard guard = PageGuard.arm("Permissions_ListForSubscription (subscription " + subscriptionId + ")", PageGuard.ARM_LIST_PAGES);
        while (true) {
            for (JsonNode p : page.path("value")) {
                out.add(new RolePermission(texts(p.path("actions")), texts(p.path("notActions"))));
            }
            String next = page.path("nextLink").asText("");
            if (next.isEmpty()) {
                return out;
            }
            guard.next(next);
            page = arm.getAbsolute(next);
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
