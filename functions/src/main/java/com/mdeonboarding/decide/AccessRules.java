package com.mdeonboarding.decide;

import com.mdeonboarding.config.Mode;
import com.mdeonboarding.model.RolePermission;
import com.mdeonboarding.model.SystemTopic;
import com.mdeonboarding.model.TopicSubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the app's identity must be allowed in a subscription, and what its Event Grid wiring must look like: the rules
 * {@code mde-onboarding doctor} checks Azure against. The action lists are those of the roles infra/ ships
 * (roles-subscription.json and roles-management-group.json; a test keeps them equal).
 */
public final class AccessRules {
    /** The MDE Onboarding Reconciler role, always: reads only (observe mode needs no more). */
    public static final List<String> READ_ACTIONS = List.of(
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
    /**
     * The reconciler role adds these in onboard and enforce mode: deploying the MDE extension, with the onboarding package
     * (a credential) it carries; observe mode's identity cannot read that package at all.
     */
    public static final List<String> ONBOARD_ACTIONS = List.of(
            "Microsoft.Security/mdeOnboardings/read",
            "Microsoft.Compute/virtualMachines/extensions/write",
            "Microsoft.HybridCompute/machines/extensions/write");
    /**
     * The reconciler role adds these in enforce mode: the integration settings, the plan (only with MDE_PLAN_ENABLEMENT),
     * and excluded machines' resource-level pricing Free and its removal ("Deletes the pricing settings for the scope",
     * Azure resource provider operations, Microsoft.Security).
     */
    public static final List<String> ENFORCE_ACTIONS = List.of(
            "Microsoft.Security/pricings/write",
            "Microsoft.Security/pricings/delete",
            "Microsoft.Security/settings/write");
    /** The MDE Onboarding Guest Checks role, only with MDE_GUEST_CHECKS=on. */
    public static final List<String> GUEST_CHECK_ACTIONS = List.of(
            "Microsoft.Compute/virtualMachines/runCommand/action",
            "Microsoft.HybridCompute/machines/runCommands/read",
            "Microsoft.HybridCompute/machines/runCommands/write");

    static final String SUBSCRIPTION_TOPIC_TYPE = "Microsoft.Resources.Subscriptions";
    static final String WRITE_SUCCESS = "Microsoft.Resources.ResourceWriteSuccess";
    static final List<String> MACHINE_WRITES = List.of("Microsoft.Compute/virtualMachines/write", "Microsoft.HybridCompute/machines/write");
    /** The function subscription-events.json delivers to. */
    static final String FUNCTION = "OnResourceWrite";

    private AccessRules() {
    }

    public static List<String> required(Mode mode, boolean guestChecks) {
        List<String> all = new ArrayList<>(READ_ACTIONS);
        if (mode.writesMachines()) {
            all.addAll(ONBOARD_ACTIONS);
        }
        if (mode.writesPosture()) {
            all.addAll(ENFORCE_ACTIONS);
        }
        if (guestChecks) {
            all.addAll(GUEST_CHECK_ACTIONS);
        }
        return List.copyOf(all);
    }

    /**
     * The required actions no entry allows: allowed means some entry's actions match it and the same entry's notActions
     * do not (Azure RBAC; a deny assignment is not reported by the permissions API and not considered).
     */
    public static List<String> missing(List<String> required, List<RolePermission> granted) {
        return required.stream().filter(a -> granted.stream().noneMatch(p -> allows(p, a))).toList();
    }

    static boolean allows(RolePermission p, String action) {
        return p.actions().stream().anyMatch(x -> matches(x, action)) && p.notActions().stream().noneMatch(x -> matches(x, action));
    }

    /** Azure's action patterns: case-insensitive, {@code *} for any run of characters (segments included). */
    static boolean matches(String pattern, String action) {
        String[] parts = pattern.toLowerCase(Locale.ROOT).split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(java.util.regex.Pattern.quote(parts[i]));
        }
        return action.toLowerCase(Locale.ROOT).matches(regex.toString());
    }

    /** The role actions judged: pass, or which are missing and which role grants them. */
    public static Verdict roleActions(List<String> required, List<RolePermission> granted, String mode, boolean guestChecks) {
        List<String> missing = missing(required, granted);
        if (missing.isEmpty()) {
            return Verdict.pass("all " + required.size() + " role actions the app needs are granted (" + mode + " mode"
                    + (guestChecks ? ", guest checks on)" : ")"));
        }
        boolean guest = missing.stream().anyMatch(GUEST_CHECK_ACTIONS::contains);
        boolean reconciler = missing.stream().anyMatch(a -> !GUEST_CHECK_ACTIONS.contains(a));
        List<String> fixes = new ArrayList<>();
        if (reconciler) {
            fixes.add("assign 'MDE Onboarding Reconciler' (infra/roles-subscription.json or roles-management-group.json, mode="
                    + mode + ") to the app's identity at this subscription or above");
        }
        if (guest) {
            fixes.add("assign 'MDE Onboarding Guest Checks' (the same template with guestChecks=on), or set MDE_GUEST_CHECKS=off");
        }
        return Verdict.fail("missing " + missing.size() + " of " + required.size() + " role actions: " + String.join(", ", missing),
                String.join("; ", fixes));
    }

    /** The subscription's system topic for resource events, if it has one (Azure allows one per subscription). */
    public static Optional<SystemTopic> subscriptionTopic(String subscriptionId, List<SystemTopic> topics) {
        return topics.stream().filter(t -> t.topicType().equalsIgnoreCase(SUBSCRIPTION_TOPIC_TYPE)
                && t.source().equalsIgnoreCase("/subscriptions/" + subscriptionId)).findFirst();
    }

    /**
     * Our wiring judged: a system topic for the subscription, and an event subscription that delivers its successful
     * VM and Arc machine writes to OnResourceWrite. Without it new machines wait for the next sweep.
     */
    public static Verdict eventWiring(Optional<SystemTopic> topic, List<TopicSubscription> subscriptions) {
        String deploy = "deploy infra/subscription-events.json for this subscription (az deployment sub create; infra/README.md)";
        if (topic.isEmpty()) {
            return Verdict.fail("no Event Grid system topic (" + SUBSCRIPTION_TOPIC_TYPE + ") for the subscription: new machines are"
                    + " found only by the next sweep (MDE_SWEEP_SCHEDULE)", deploy);
        }
        List<TopicSubscription> ours = subscriptions.stream().filter(AccessRules::deliversToUs).toList();
        if (ours.isEmpty()) {
            return Verdict.fail("system topic " + topic.get().id() + " has no event subscription to " + FUNCTION
                    + ": new machines are found only by the next sweep", deploy);
        }
        for (TopicSubscription s : ours) {
            boolean types = s.includedEventTypes().isEmpty() || s.includedEventTypes().stream().anyMatch(WRITE_SUCCESS::equalsIgnoreCase);
            List<String> dropped = s.operationNames().isEmpty() ? List.of()
                    : MACHINE_WRITES.stream().filter(w -> s.operationNames().stream().noneMatch(w::equalsIgnoreCase)).toList();
            if (!types || !dropped.isEmpty()) {
                return Verdict.fail("event subscription " + s.name() + " filters out " + (types ? String.join(" and ", dropped)
                        : WRITE_SUCCESS + " events") + ": those machines are found only by the next sweep", deploy + " again (it sets"
                        + " the filter)");
            }
            if (!"Succeeded".equalsIgnoreCase(s.provisioningState()) || !"Succeeded".equalsIgnoreCase(topic.get().provisioningState())) {
                return Verdict.warn("event subscription " + s.name() + " is " + s.provisioningState() + " (topic "
                        + topic.get().provisioningState() + ")", "wait for it, or see its state in the portal; " + deploy + " again");
            }
            if (s.operationNames().isEmpty() || s.includedEventTypes().isEmpty()) {
                return Verdict.warn("event subscription " + s.name() + " delivers every resource write, not only machine writes:"
                        + " the function ignores the rest, at a cost per event", deploy + " again (it sets the filter)");
            }
        }
        return Verdict.pass("system topic " + topic.get().id().substring(topic.get().id().lastIndexOf('/') + 1) + " delivers VM and Arc"
                + " machine writes to " + FUNCTION + " (" + ours.get(0).name() + ")");
    }

    static boolean deliversToUs(TopicSubscription s) {
        String d = s.destination().toLowerCase(Locale.ROOT);
        String fn = FUNCTION.toLowerCase(Locale.ROOT);
        return d.endsWith("/functions/" + fn) || d.contains("functionname=" + fn);
    }
}
