package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.mdeonboarding.config.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Least privilege: the identity gets one custom role with exactly the documented actions at the
 * chosen scope (subscription or management group), Defender writes only in enforce mode, Run Command
 * only in a second custom role that is assigned only when guest checks are on, and
 * data-plane built-ins only on its own storage account and Application Insights resource.
 */
class RolesTest {
    /** Built-in roles we may assign, by the name main.json uses, with their documented definition IDs. */
    static final Map<String, String> BUILT_IN_ROLES = Map.of(
            "storageBlobDataOwner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
            "storageQueueDataContributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
            "storageTableDataContributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
            "storageBlobDataContributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
            "monitoringMetricsPublisher", "3913510d-42f4-4e42-8a64-420c390055eb");

    /** Roles that must never appear: they grant far more than the app needs, or the right to grant it. */
    static final Map<String, String> FORBIDDEN_ROLES = Map.of(
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner",
            "b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor",
            "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "User Access Administrator",
            "f58310d9-a9f6-439a-9e8d-f62e7b41a168", "Role Based Access Control Administrator",
            "fb1c8493-542b-48eb-b624-b4c8fea62acd", "Security Admin (the custom role grants only the two Defender writes it needs)",
            "9980e02c-c2be-4d73-94e8-173b1dc7cf3c", "Virtual Machine Contributor",
            "cd570a14-e51a-42ad-bac8-bafd67325302", "Azure Connected Machine Resource Administrator");

    /** What the reconciler does in every mode, observe included: reads only; infra/README.md says why each is needed. */
    static final List<String> READ_ACTIONS = List.of(
            "Microsoft.Resources/subscriptions/read",
            "Microsoft.ResourceGraph/resources/read",
            "Microsoft.Compute/virtualMachines/read",
            "Microsoft.Compute/virtualMachines/instanceView/read",
            "Microsoft.Compute/virtualMachines/extensions/read",
            "Microsoft.Compute/locations/operations/read",
            "Microsoft.HybridCompute/machines/read",
            "Microsoft.HybridCompute/machines/extensions/read",
            "Microsoft.HybridCompute/locations/operationresults/read",
            "Microsoft.HybridCompute/locations/operationstatus/read",
            "Microsoft.Security/pricings/read",
            "Microsoft.Security/settings/read");

    /** Only granted at a management group: listing the subscriptions below it (MDE_SCOPE_MANAGEMENT_GROUP). */
    static final List<String> MANAGEMENT_GROUP_ACTIONS = List.of(
            "Microsoft.Management/managementGroups/read",
            "Microsoft.Management/managementGroups/descendants/read");

    /** Onboard and enforce mode: deploying the MDE extension. */
    static final List<String> ONBOARD_ACTIONS = List.of(
            "Microsoft.Security/mdeOnboardings/read",
            "Microsoft.Compute/virtualMachines/extensions/write",
            "Microsoft.HybridCompute/machines/extensions/write");

    /**
     * Only in enforce mode: the MDE integration settings, the Defender for Servers plan (with MDE_PLAN_ENABLEMENT), and
     * excluded machines' resource-level pricing Free and its removal (issue 24).
     */
    static final List<String> ENFORCE_ACTIONS = List.of(
            "Microsoft.Security/pricings/write",
            "Microsoft.Security/pricings/delete",
            "Microsoft.Security/settings/write");

    /**
     * Only in the guest-checks role (MDE_GUEST_CHECKS=on): Run Command for the read-only prerequisite checks and
     * passive mode. Run Command runs any script as SYSTEM/root, so it is never part of the main role.
     */
    static final List<String> GUEST_CHECK_ACTIONS = List.of(
            "Microsoft.Compute/virtualMachines/runCommand/action",
            "Microsoft.HybridCompute/machines/runCommands/read",
            "Microsoft.HybridCompute/machines/runCommands/write");

    static final String MAIN_ROLE = "[variables('roleDefinitionName')]";
    static final String GUEST_CHECKS_ROLE = "[variables('guestChecksRoleDefinitionName')]";

    static final Map<String, String> ROLE_TEMPLATES = Map.of(
            "roles-subscription.json", "[subscription().id]",
            "roles-management-group.json", "[managementGroup().id]");

    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern BUILT_IN_REFERENCE = Pattern.compile("variables\\('builtInRoles'\\)\\.(\\w+)");

    static Set<String> expectedActions(String file, Mode mode) {
        Set<String> expected = new LinkedHashSet<>(READ_ACTIONS);
        if (mode.writesMachines()) {
            expected.addAll(ONBOARD_ACTIONS);
        }
        if (file.equals("roles-management-group.json")) {
            expected.addAll(MANAGEMENT_GROUP_ACTIONS);
        }
        if (mode.writesPosture()) {
            expected.addAll(ENFORCE_ACTIONS);
        }
        return expected;
    }

    private static ArmTemplate.Resource role(ArmTemplate t, String name) {
        List<ArmTemplate.Resource> found = t.resourcesOfType("Microsoft.Authorization/roleDefinitions").stream()
                .filter(r -> r.name().equals(name)).toList();
        assertEquals(1, found.size(), t.file + ": one role definition named " + name);
        return found.get(0);
    }

    private static JsonNode permissions(ArmTemplate.Resource role) {
        JsonNode perms = role.properties().path("permissions");
        assertEquals(1, perms.size(), role.where() + ": one permissions block");
        return perms.get(0);
    }

    private static Set<String> actionsIn(ArmTemplate.Resource role, Mode mode) {
        JsonNode actions = role.scope().with(Map.of("mode", TextNode.valueOf(mode.settingValue())))
                .eval(permissions(role).path("actions").asText());
        List<String> list = new ArrayList<>();
        actions.forEach(a -> list.add(a.asText()));
        Set<String> set = new LinkedHashSet<>(list);
        assertEquals(list.size(), set.size(), role.where() + ": duplicate actions " + list);
        return set;
    }

    private static Set<String> actionsIn(ArmTemplate t, Mode mode) {
        return actionsIn(role(t, MAIN_ROLE), mode);
    }

    /** Whether a resource is deployed when the role template's guestChecks parameter is {@code value}. */
    private static boolean deployedWith(ArmTemplate.Resource r, String guestChecks) {
        if (!r.node().has("condition")) {
            return true;
        }
        return r.scope().with(Map.of("guestChecks", TextNode.valueOf(guestChecks))).eval(r.node().path("condition").asText()).asBoolean();
    }

    @ParameterizedTest
    @ValueSource(strings = {"roles-subscription.json", "roles-management-group.json"})
    void theCustomRoleHasExactlyTheDocumentedActionsInEachMode(String file) {
        ArmTemplate t = ArmTemplate.load(file);
        for (Mode mode : Mode.values()) {
            assertEquals(new TreeSet<>(expectedActions(file, mode)), new TreeSet<>(actionsIn(t, mode)), file + " in " + mode.settingValue() + " mode");
        }
        for (ArmTemplate.Resource role : t.resourcesOfType("Microsoft.Authorization/roleDefinitions")) {
            JsonNode p = permissions(role);
            assertEquals(0, p.path("notActions").size(), "no notActions: the role is built up, not carved out of a wildcard");
            assertEquals(0, p.path("dataActions").size(), "no data actions at subscription or management group scope");
            assertEquals(0, p.path("notDataActions").size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"roles-subscription.json", "roles-management-group.json"})
    void runCommandIsOnlyInTheGuestChecksRoleWhichIsAssignedOnlyWhenGuestChecksAreOn(String file) {
        ArmTemplate t = ArmTemplate.load(file);
        for (Mode mode : Mode.values()) {
            for (String a : actionsIn(t, mode)) {
                assertFalse(a.toLowerCase(Locale.ROOT).contains("runcommand"), file + ": the main role must not hold Run Command: " + a);
            }
        }
        ArmTemplate.Resource guestRole = role(t, GUEST_CHECKS_ROLE);
        for (Mode mode : Mode.values()) {
            assertEquals(new TreeSet<>(GUEST_CHECK_ACTIONS), new TreeSet<>(actionsIn(guestRole, mode)), file + ": guest-checks role actions");
        }
        assertEquals(List.of(ROLE_TEMPLATES.get(file)), textList(guestRole.properties().path("assignableScopes")));
        List<ArmTemplate.Resource> guestAssignments = t.resourcesOfType("Microsoft.Authorization/roleAssignments").stream()
                .filter(a -> a.properties().path("roleDefinitionId").asText().equals("[variables('guestChecksRoleDefinitionId')]")).toList();
        assertEquals(1, guestAssignments.size(), file + ": one assignment of the guest-checks role");
        ArmTemplate.Resource guestAssignment = guestAssignments.get(0);
        assertTrue(deployedWith(guestAssignment, "on"), guestAssignment.where() + " is deployed with guestChecks=on");
        assertFalse(deployedWith(guestAssignment, "off"), guestAssignment.where() + " must not be deployed with guestChecks=off");
        for (ArmTemplate.Resource r : t.resources()) {
            if (r.node() != guestAssignment.node()) {
                // The definition stays, unassigned, so that it can be assigned at narrower scopes by hand (infra/README.md).
                assertTrue(deployedWith(r, "off") && deployedWith(r, "on"), r.where() + ": only the guest-checks assignment depends on guestChecks");
            }
        }
        JsonNode param = t.root.path("parameters").path("guestChecks");
        assertEquals(List.of("on", "off"), textList(param.path("allowedValues")), "the values MDE_GUEST_CHECKS accepts");
        assertFalse(param.has("defaultValue"), "Run Command on every machine is an explicit choice: no default");
        assertTrue(t.root.path("variables").path("guestChecksRoleName").asText().contains(file.contains("management") ? "managementGroup().name" : "subscription().subscriptionId"),
                "custom role names are unique per tenant: include the scope in the name");
    }

    @Test
    void mainJsonPassesGuestChecksToTheAppWithTheCodesValues() {
        JsonNode param = ArmTemplate.load("main.json").root.path("parameters").path("guestChecks");
        assertEquals(List.of("on", "off"), textList(param.path("allowedValues")));
        assertEquals(com.mdeonboarding.config.Settings.DEFAULTS.get(com.mdeonboarding.config.Settings.GUEST_CHECKS), param.path("defaultValue").asText());
        assertEquals("[parameters('guestChecks')]", ArmTemplate.load("main.json").appSettings().get(com.mdeonboarding.config.Settings.GUEST_CHECKS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"roles-subscription.json", "roles-management-group.json"})
    void defenderWritesAppearOnlyUnderEnforce(String file) {
        ArmTemplate t = ArmTemplate.load(file);
        JsonNode vars = t.root.path("variables");
        assertEquals(ENFORCE_ACTIONS, textList(vars.path("enforceActions")));
        assertEquals(ONBOARD_ACTIONS, textList(vars.path("onboardActions")));
        List<String> read = textList(vars.path("readActions"));
        for (String w : ENFORCE_ACTIONS) {
            assertFalse(read.contains(w), file + ": " + w + " is in readActions");
        }
        for (String a : actionsIn(t, Mode.ONBOARD)) {
            assertFalse(a.toLowerCase(Locale.ROOT).startsWith("microsoft.security/") && !a.endsWith("/read"),
                    file + ": onboard mode may only read Microsoft.Security, found " + a);
        }
        // Issue 24: observe writes nothing to Azure, and its role could not if it tried.
        for (String a : actionsIn(t, Mode.OBSERVE)) {
            assertTrue(a.endsWith("/read"), file + ": observe mode's role may only read, found " + a);
        }
        assertEquals(Arrays.stream(Mode.values()).map(Mode::settingValue).toList(),
                textList(t.root.path("parameters").path("mode").path("allowedValues")),
                "mode takes exactly the values MDE_MODE accepts");
        assertEquals("observe", t.root.path("parameters").path("mode").path("defaultValue").asText(), "least privilege by default");
    }

    @ParameterizedTest
    @ValueSource(strings = {"roles-subscription.json", "roles-management-group.json"})
    void theCustomRoleIsAssignableOnlyAtItsScopeAndAssignedToTheAppIdentity(String file) {
        ArmTemplate t = ArmTemplate.load(file);
        for (ArmTemplate.Resource role : t.resourcesOfType("Microsoft.Authorization/roleDefinitions")) {
            assertEquals(List.of(ROLE_TEMPLATES.get(file)), textList(role.properties().path("assignableScopes")));
            assertEquals("CustomRole", role.properties().path("type").asText());
        }
        List<ArmTemplate.Resource> assignments = t.resourcesOfType("Microsoft.Authorization/roleAssignments");
        assertEquals(2, assignments.size(), file + ": the main role's and the guest-checks role's assignments");
        for (ArmTemplate.Resource assignment : assignments) {
            assertEquals("[parameters('principalId')]", assignment.properties().path("principalId").asText());
            assertEquals("ServicePrincipal", assignment.properties().path("principalType").asText());
            assertFalse(assignment.node().has("scope"), "assigned at the deployment's own scope");
        }
        assertTrue(t.root.path("variables").path("roleName").asText().contains(file.contains("management") ? "managementGroup().name" : "subscription().subscriptionId"),
                "custom role names are unique per tenant: include the scope in the name");
    }

    @Test
    void everyRoleAssignmentUsesTheCustomRoleOrADocumentedBuiltIn() {
        for (String file : ArmTemplate.TEMPLATES.keySet()) {
            ArmTemplate t = ArmTemplate.load(file);
            JsonNode builtIns = t.root.path("variables").path("builtInRoles");
            for (ArmTemplate.Resource a : t.resourcesOfType("Microsoft.Authorization/roleAssignments")) {
                String roleId = a.properties().path("roleDefinitionId").asText();
                Matcher m = BUILT_IN_REFERENCE.matcher(roleId);
                if (m.find()) {
                    String name = m.group(1);
                    assertTrue(BUILT_IN_ROLES.containsKey(name), a.where() + ": built-in '" + name + "' is not in the documented table");
                    assertEquals(BUILT_IN_ROLES.get(name), builtIns.path(name).asText(), a.where() + ": wrong definition ID for " + name);
                    assertEquals("main.json", file, a.where() + ": built-in roles are only assigned on the app's own resources");
                    String scope = a.node().path("scope").asText();
                    assertTrue(scope.startsWith("[format('Microsoft.Storage/storageAccounts/") || scope.startsWith("[format('Microsoft.Insights/components/"),
                            a.where() + ": a built-in must be scoped to the storage account or Application Insights, not " + scope);
                } else {
                    Map<String, String> customRoles = Map.of("[variables('roleDefinitionId')]", MAIN_ROLE,
                            "[variables('guestChecksRoleDefinitionId')]", GUEST_CHECKS_ROLE);
                    assertTrue(customRoles.containsKey(roleId), a.where() + ": neither a documented built-in nor one of the custom roles: " + roleId);
                    String customName = role(t, customRoles.get(roleId)).name();
                    String idVariable = roleId.substring("[variables('".length(), roleId.length() - "')]".length());
                    assertTrue(t.root.path("variables").path(idVariable).asText().contains(customName.substring(1, customName.length() - 1)),
                            a.where() + ": roleDefinitionId must point at the custom role defined in " + file);
                }
            }
        }
    }

    @Test
    void noTemplateMentionsAForbiddenRoleOrAnUndocumentedRoleId() {
        for (String file : ArmTemplate.TEMPLATES.keySet()) {
            for (String s : ArmTemplate.allStrings(ArmTemplate.load(file).root)) {
                Matcher m = GUID.matcher(s);
                while (m.find()) {
                    String id = m.group().toLowerCase(Locale.ROOT);
                    assertFalse(FORBIDDEN_ROLES.containsKey(id), file + " mentions " + FORBIDDEN_ROLES.get(id) + " (" + id + ")");
                    assertTrue(BUILT_IN_ROLES.containsValue(id), file + ": unknown GUID " + id + "; add it to the documented table with its role name");
                }
            }
        }
    }

    @Test
    void noWildcardOrAuthorizationActionsAnywhere() {
        for (String file : ArmTemplate.TEMPLATES.keySet()) {
            ArmTemplate t = ArmTemplate.load(file);
            for (ArmTemplate.Resource role : t.resourcesOfType("Microsoft.Authorization/roleDefinitions")) {
                for (Mode mode : Mode.values()) {
                    for (String a : actionsIn(role, mode)) {
                        assertFalse(a.contains("*"), file + ": wildcard action " + a);
                        assertFalse(a.toLowerCase(Locale.ROOT).startsWith("microsoft.authorization/"), file + ": the app must not manage access: " + a);
                        // The deletes: enforce mode removes the resource-level pricing Free it set on a machine no longer
                        // excluded, and the wiring role removes its own event wiring (WiringRoleTest).
                        boolean pricing = mode == Mode.ENFORCE && a.equals("Microsoft.Security/pricings/delete");
                        boolean unwiring = file.equals("roles-wiring-management-group.json") && a.startsWith("Microsoft.EventGrid/systemTopics/");
                        assertFalse(a.toLowerCase(Locale.ROOT).endsWith("/delete") && !pricing && !unwiring, file + ": the app deletes nothing"
                                + " else: " + a);
                    }
                }
                assertTrue(role.where().contains(file));
            }
        }
    }

    @Test
    void theReadmeExplainsEveryAction() throws IOException {
        String readme = Files.readString(ArmTemplate.infraDir().resolve("README.md"));
        List<String> all = new ArrayList<>(READ_ACTIONS);
        all.addAll(ONBOARD_ACTIONS);
        all.addAll(MANAGEMENT_GROUP_ACTIONS);
        all.addAll(ENFORCE_ACTIONS);
        all.addAll(GUEST_CHECK_ACTIONS);
        for (String a : all) {
            assertTrue(readme.contains("`" + a + "`"), "infra/README.md must say why `" + a + "` is needed");
        }
        for (String name : BUILT_IN_ROLES.values()) {
            assertTrue(readme.contains(name), "infra/README.md must list built-in role " + name);
        }
    }

    private static List<String> textList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** mde-onboarding doctor checks Azure for exactly the actions these roles grant. */
    @Test
    void theDoctorChecksTheActionsTheseRolesGrant() {
        assertEquals(READ_ACTIONS, com.mdeonboarding.decide.AccessRules.READ_ACTIONS);
        assertEquals(ONBOARD_ACTIONS, com.mdeonboarding.decide.AccessRules.ONBOARD_ACTIONS);
        assertEquals(ENFORCE_ACTIONS, com.mdeonboarding.decide.AccessRules.ENFORCE_ACTIONS);
        assertEquals(GUEST_CHECK_ACTIONS, com.mdeonboarding.decide.AccessRules.GUEST_CHECK_ACTIONS);
    }
}
