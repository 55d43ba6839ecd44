package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The event wiring role (infra/roles-wiring-management-group.json): exactly the actions the wiring step uses, separate
 * from the onboarding roles, assignable and assigned only at the management group, each action explained in the README.
 */
class WiringRoleTest {
    static final List<String> WIRING_ACTIONS = List.of(
            "Microsoft.EventGrid/systemTopics/read",
            "Microsoft.EventGrid/systemTopics/write",
            "Microsoft.EventGrid/systemTopics/delete",
            "Microsoft.EventGrid/systemTopics/eventSubscriptions/read",
            "Microsoft.EventGrid/systemTopics/eventSubscriptions/write",
            "Microsoft.EventGrid/systemTopics/eventSubscriptions/delete",
            "Microsoft.EventGrid/locations/operationsStatus/read",
            "Microsoft.EventGrid/locations/operationResults/read",
            "Microsoft.Resources/subscriptions/resourceGroups/read",
            "Microsoft.Resources/subscriptions/resourceGroups/write",
            "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action");

    @Test
    void theRoleHasExactlyTheWiringActionsAndIsAssignedAtTheManagementGroupOnly() {
        ArmTemplate t = ArmTemplate.load("roles-wiring-management-group.json");
        ArmTemplate.Resource role = t.single("Microsoft.Authorization/roleDefinitions");
        JsonNode actions = role.scope().eval(role.properties().path("permissions").get(0).path("actions").asText());
        List<String> granted = new ArrayList<>();
        actions.forEach(a -> granted.add(a.asText()));
        assertEquals(WIRING_ACTIONS, granted);
        assertEquals("[managementGroup().id]", role.properties().path("assignableScopes").get(0).asText());
        assertEquals(1, role.properties().path("assignableScopes").size());
        assertTrue(role.properties().path("roleName").asText().contains("variables('roleName')"));
        assertTrue(t.root.path("variables").path("roleName").asText().contains("MDE Onboarding Event Wiring"));
        ArmTemplate.Resource assignment = t.single("Microsoft.Authorization/roleAssignments");
        assertEquals("[parameters('principalId')]", assignment.properties().path("principalId").asText());
        assertTrue(assignment.node().path("scope").isMissingNode(), "assigned at the deployment's management group itself");
        for (String other : List.of("roles-management-group.json", "roles-subscription.json")) {
            for (String s : ArmTemplate.allStrings(ArmTemplate.load(other).root)) {
                assertTrue(!s.startsWith("Microsoft.EventGrid/"), other + " must not grant Event Grid actions: " + s);
            }
        }
    }

    @Test
    void theReadmeExplainsEveryWiringAction() throws IOException {
        String readme = Files.readString(ArmTemplate.infraDir().resolve("README.md"));
        for (String a : WIRING_ACTIONS) {
            assertTrue(readme.contains("`" + a + "`"), "infra/README.md must say why `" + a + "` is needed");
        }
    }
}
