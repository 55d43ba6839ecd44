package com.mdeonboarding.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which machines inside the subscriptions in scope the app acts on: the canary scope. Each include setting that is set
 * narrows the scope (a machine must pass every one); an exclusion always wins over any include.
 *
 * @param includeTag             MDE_SCOPE_INCLUDE_TAG: only machines carrying this tag ({@code Name}: value true; {@code Name=Value})
 * @param resourceGroups         MDE_SCOPE_RESOURCE_GROUPS: only machines in these resource groups (names, lower case)
 * @param excludedResourceGroups MDE_SCOPE_EXCLUDE_RESOURCE_GROUPS: never machines in these resource groups (names, lower case)
 * @param machines               MDE_SCOPE_MACHINES: only these machines (resource IDs, lower case)
 */
public record Canary(Optional<IncludeTag> includeTag, Set<String> resourceGroups, Set<String> excludedResourceGroups, Set<String> machines) {

    /** A tag name and the value it must have (compared case-insensitively, trimmed). */
    public record IncludeTag(String name, String value) {
        @Override
        public String toString() {
            return name + "=" + value;
        }
    }

    public Canary {
        resourceGroups = Set.copyOf(resourceGroups);
        excludedResourceGroups = Set.copyOf(excludedResourceGroups);
        machines = Set.copyOf(machines);
    }

    /** Every machine of the subscriptions in scope. */
    public static Canary everything() {
        return new Canary(Optional.empty(), Set.of(), Set.of(), Set.of());
    }

    /** True when some setting narrows the scope below whole subscriptions. */
    public boolean narrows() {
        return includeTag.isPresent() || !resourceGroups.isEmpty() || !excludedResourceGroups.isEmpty() || !machines.isEmpty();
    }

    /** One line for doctor and the sweep report, e.g. "tag MdeCanary=true; resource groups rg-a; excluding rg-prod". */
    public String describe() {
        if (!narrows()) {
            return "every machine of the subscriptions in scope";
        }
        List<String> parts = new ArrayList<>();
        includeTag.ifPresent(t -> parts.add("only machines tagged " + t));
        if (!resourceGroups.isEmpty()) {
            parts.add("only resource groups " + String.join(", ", resourceGroups.stream().sorted().toList()));
        }
        if (!machines.isEmpty()) {
            parts.add("only " + machines.size() + " listed machine(s)");
        }
        if (!excludedResourceGroups.isEmpty()) {
            parts.add("never resource groups " + String.join(", ", excludedResourceGroups.stream().sorted().toList()));
        }
        return String.join("; ", parts) + " (exclusions win)";
    }
}
