package com.mdeonboarding.emulator.state;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the caller may do in each subscription, as Resource Manager's permissions API reports it: a list of
 * {actions, notActions} pairs (one per role assignment). The development token is all-powerful in the emulator, so
 * the default is Owner's {@code *}; a test narrows it to see an app missing a role action. Nothing here is enforced:
 * it is only reported.
 */
public final class EmulatedRoleGrants {
    /** One role's permission entry. */
    public record Grant(List<String> actions, List<String> notActions) {
        public Grant {
            actions = List.copyOf(actions);
            notActions = List.copyOf(notActions);
        }
    }

    static final List<Grant> OWNER = List.of(new Grant(List.of("*"), List.of()));

    private final Map<String, List<Grant>> bySubscription = new ConcurrentHashMap<>();

    public List<Grant> of(String subscriptionId) {
        return bySubscription.getOrDefault(subscriptionId.toLowerCase(Locale.ROOT), OWNER);
    }

    void set(String subscriptionId, List<Grant> grants) {
        bySubscription.put(subscriptionId.toLowerCase(Locale.ROOT), List.copyOf(grants));
    }
}
