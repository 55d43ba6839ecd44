package com.mdeonboarding.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.config.Mode;
import com.mdeonboarding.model.RolePermission;
import com.mdeonboarding.model.SystemTopic;
import com.mdeonboarding.model.TopicSubscription;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessRulesTest {
    static final String SUB = "3f2b8c1e-6d4a-4f7e-9b21-5c8e0a7d4f10";

    @ParameterizedTest(name = "{0} allows {1}: {2}")
    @CsvSource({
            // pattern, action, matches (Azure RBAC: case-insensitive, * spans segments)
            "*,                                    Microsoft.Compute/virtualMachines/read,            true",
            "*/read,                               Microsoft.Compute/virtualMachines/read,            true",
            "*/read,                               Microsoft.Compute/virtualMachines/extensions/write, false",
            "Microsoft.Compute/*,                  Microsoft.Compute/virtualMachines/extensions/write, true",
            "microsoft.compute/virtualmachines/*,  Microsoft.Compute/virtualMachines/runCommand/action, true",
            "Microsoft.Compute/*/read,             Microsoft.Compute/virtualMachines/instanceView/read, true",
            "Microsoft.Compute/virtualMachines/read, Microsoft.Compute/virtualMachines/readX,         false",
            "Microsoft.Security/*,                 Microsoft.SecurityInsights/read,                   false",
            "Microsoft.Security*,                  Microsoft.SecurityInsights/read,                   true",
    })
    void actionPatterns(String pattern, String action, boolean expected) {
        assertEquals(expected, AccessRules.matches(pattern, action));
    }

    @ParameterizedTest(name = "{0} / not {1} -> missing {2}")
    @CsvSource(delimiter = '|', value = {
            // actions | notActions | missing (audit mode, no guest checks)
            "*                                   |                                  | ",
            "*/read                              |                                  | Microsoft.Compute/virtualMachines/extensions/write,Microsoft.HybridCompute/machines/extensions/write",
            "*                                   | Microsoft.Compute/*/write        | Microsoft.Compute/virtualMachines/extensions/write",
            "*/read,Microsoft.Compute/*,Microsoft.HybridCompute/*  |                 | ",
    })
    void missingActions(String actions, String notActions, String missing) {
        List<RolePermission> granted = List.of(new RolePermission(list(actions), list(notActions)));
        assertEquals(list(missing), AccessRules.missing(AccessRules.required(Mode.ONBOARD, false), granted));
    }

    @org.junit.jupiter.api.Test
    void aNotActionOfOneRoleDoesNotTakeBackWhatAnotherGrants() {
        List<RolePermission> granted = List.of(new RolePermission(List.of("*"), List.of("Microsoft.Security/*/write")),
                new RolePermission(List.of("Microsoft.Security/pricings/write", "Microsoft.Security/pricings/delete",
                        "Microsoft.Security/settings/write"), List.of()));
        assertEquals(List.of(), AccessRules.missing(AccessRules.required(Mode.ENFORCE, true), granted));
    }

    @org.junit.jupiter.api.Test
    void theRequiredActionsFollowModeAndGuestChecks() {
        assertEquals(12, AccessRules.required(Mode.OBSERVE, false).size(), "observe reads only, and not the onboarding package");
        assertTrue(AccessRules.required(Mode.OBSERVE, false).stream().allMatch(a -> a.endsWith("/read")), "observe reads only");
        assertEquals(15, AccessRules.required(Mode.ONBOARD, false).size());
        assertEquals(18, AccessRules.required(Mode.ENFORCE, false).size());
        assertEquals(21, AccessRules.required(Mode.ENFORCE, true).size());
        Verdict guest = AccessRules.roleActions(AccessRules.required(Mode.ONBOARD, true),
                List.of(new RolePermission(AccessRules.required(Mode.ONBOARD, false), List.of())), "onboard", true);
        assertEquals(Verdict.Status.FAIL, guest.status());
        assertTrue(guest.fix().orElseThrow().contains("MDE Onboarding Guest Checks") && !guest.fix().get().contains("Reconciler"), guest.toString());
    }

    static final SystemTopic TOPIC = new SystemTopic("/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.EventGrid/systemTopics/t",
            "Microsoft.Resources.Subscriptions", "/subscriptions/" + SUB, "Succeeded");
    static final String FUNCTION = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/app/functions/OnResourceWrite";
    static final List<String> BOTH = List.of("Microsoft.Compute/virtualMachines/write", "Microsoft.HybridCompute/machines/write");
    static final List<String> WRITES = List.of("Microsoft.Resources.ResourceWriteSuccess");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ours, as deployed                | AzureFunction | FUNCTION   | WRITES | BOTH    | Succeeded | PASS",
            "no event subscription to us      | AzureFunction | other      | WRITES | BOTH    | Succeeded | FAIL",
            "Arc writes filtered out          | AzureFunction | FUNCTION   | WRITES | VM      | Succeeded | FAIL",
            "other event types only           | AzureFunction | FUNCTION   | DELETE | BOTH    | Succeeded | FAIL",
            "unfiltered: works, costs more    | AzureFunction | FUNCTION   | WRITES | NONE    | Succeeded | WARN",
            "still being created              | AzureFunction | FUNCTION   | WRITES | BOTH    | Creating  | WARN",
            "Core Tools webhook               | WebHook       | WEBHOOK    | WRITES | BOTH    | Succeeded | PASS",
    })
    void eventWiring(String name, String endpointType, String destination, String types, String operations, String state,
                     Verdict.Status expected) {
        String d = switch (destination) {
            case "FUNCTION" -> FUNCTION;
            case "WEBHOOK" -> "http://localhost:7071/runtime/webhooks/EventGrid?functionName=OnResourceWrite";
            default -> "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/app/functions/Other";
        };
        List<String> ops = switch (operations) {
            case "BOTH" -> BOTH;
            case "VM" -> BOTH.subList(0, 1);
            default -> List.of();
        };
        List<String> t = types.equals("WRITES") ? WRITES : List.of("Microsoft.Resources.ResourceDeleteSuccess");
        Verdict v = AccessRules.eventWiring(Optional.of(TOPIC), List.of(new TopicSubscription("es", endpointType, d, t, ops, state)));
        assertEquals(expected, v.status(), v.toString());
    }

    @org.junit.jupiter.api.Test
    void noTopicOrAnotherSubscriptionsTopicFails() {
        assertEquals(Optional.empty(), AccessRules.subscriptionTopic(SUB, List.of(new SystemTopic("x", "Microsoft.Storage.StorageAccounts",
                "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/s", "Succeeded"))));
        assertEquals(Optional.of(TOPIC), AccessRules.subscriptionTopic(SUB.toUpperCase(), List.of(TOPIC)));
        Verdict none = AccessRules.eventWiring(Optional.empty(), List.of());
        assertEquals(Verdict.Status.FAIL, none.status());
        assertTrue(none.fix().orElseThrow().contains("infra/subscription-events.json"));
    }

    private static List<String> list(String csv) {
        return csv == null || csv.isBlank() ? List.of() : Arrays.stream(csv.split(",")).map(String::strip).toList();
    }
}
