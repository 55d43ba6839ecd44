package com.mdeonboarding.azure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The subscriptions below a management group, from one Resource Graph query scoped to the group
 * (nested groups included), cached for ten minutes.
 */
public final class ManagementGroups {
    private static final Duration TTL = Duration.ofMinutes(10);

    private final ResourceGraph graph;
    private final Clock clock;
    private Set<String> cached;
    private String cachedGroup;
    private Instant expires = Instant.MIN;

    ManagementGroups(ResourceGraph graph, Clock clock) {
        this.graph = graph;
        this.clock = clock;
    }

    public synchronized Set<String> subscriptionsUnder(String groupId) {
        if (cached != null && groupId.equals(cachedGroup) && clock.instant().isBefore(expires)) {
            return cached;
        }
        cached = Set.copyOf(graph.subscriptionsUnder(groupId));
        cachedGroup = groupId;
        expires = clock.instant().plus(TTL);
        return cached;
    }
}
