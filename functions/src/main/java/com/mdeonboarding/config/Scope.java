package com.mdeonboarding.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which subscriptions we may act in: the explicit list (MDE_SCOPE_SUBSCRIPTIONS), else the
 * management group's subscriptions (MDE_SCOPE_MANAGEMENT_GROUP, resolved by the caller), else every
 * subscription the identity can see; minus MDE_SCOPE_EXCLUDE_SUBSCRIPTIONS. Checked before any write.
 */
public final class Scope {
    private final Set<String> included;
    private final Set<String> excluded;
    private final Supplier<Set<String>> managementGroupSubscriptions;
    private final boolean managementGroup;
    /** With no list and no group: the subscriptions the identity can see (empty when the list could not be read). */
    private final Supplier<Optional<Set<String>>> visibleSubscriptions;

    public Scope(List<String> included, List<String> excluded, boolean managementGroup, Supplier<Set<String>> managementGroupSubscriptions) {
        this(included, excluded, managementGroup, managementGroupSubscriptions, Optional::empty);
    }

    public Scope(List<String> included, List<String> excluded, boolean managementGroup, Supplier<Set<String>> managementGroupSubscriptions,
                 Supplier<Optional<Set<String>>> visibleSubscriptions) {
        this.included = Set.copyOf(included);
        this.excluded = Set.copyOf(excluded);
        this.managementGroup = managementGroup;
        this.managementGroupSubscriptions = managementGroupSubscriptions;
        this.visibleSubscriptions = visibleSubscriptions;
    }

    public static Scope from(Settings s, Supplier<Set<String>> managementGroupSubscriptions) {
        return new Scope(s.scopeSubscriptions(), s.excludedSubscriptions(), s.scopeManagementGroup().isPresent(),
                managementGroupSubscriptions);
    }

    /**
     * ... and, when neither a list nor a group is configured, {@code visibleSubscriptions}: a job for a subscription the
     * identity cannot see (a typo, a hostile message, one deleted since) is refused before any call about it, instead of
     * costing calls and recording BLOCKED JOB_FAILED. The caller caches the list; a list that could not be read
     * (empty) lets the job go on as before.
     */
    public static Scope from(Settings s, Supplier<Set<String>> managementGroupSubscriptions, Supplier<Optional<Set<String>>> visibleSubscriptions) {
        return new Scope(s.scopeSubscriptions(), s.excludedSubscriptions(), s.scopeManagementGroup().isPresent(),
                managementGroupSubscriptions, visibleSubscriptions);
    }

    public boolean contains(String subscriptionId) {
        String id = subscriptionId.toLowerCase(Locale.ROOT);
        if (excluded.contains(id)) {
            return false;
        }
        if (!included.isEmpty()) {
            return included.contains(id) || (managementGroup && managementGroupSubscriptions.get().contains(id));
        }
        if (managementGroup) {
            return managementGroupSubscriptions.get().contains(id);
        }
        return visibleSubscriptions.get().map(visible -> visible.contains(id)).orElse(true);
    }

    /** Explicit subscriptions, when the scope is a plain list (sweeps enumerate these without a listing call). */
    public Set<String> explicitSubscriptions() {
        return included;
    }

    public boolean isExplicitList() {
        return !included.isEmpty() && !managementGroup;
    }
}
