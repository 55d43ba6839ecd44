package com.mdeonboarding.model;

import java.util.List;

/**
 * One entry of what Resource Manager's permissions API reports for the caller at a scope (one per role it holds
 * there): the actions it grants, and those it takes back. Patterns may hold {@code *}.
 */
public record RolePermission(List<String> actions, List<String> notActions) {
    public RolePermission {
        actions = List.copyOf(actions);
        notActions = List.copyOf(notActions);
    }
}
