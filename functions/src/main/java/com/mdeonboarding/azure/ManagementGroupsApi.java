package com.mdeonboarding.azure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The subscriptions below a management group, from one Resource Graph query scoped to the group
 * (nested groups included), cached for ten minutes.
 */
public final class ManagementGroupsApi {
    private static final Duration TTL = Duration.ofMinutes(10);

    private final ResourceGraphApi graph;
    private final Clock clock;
    private Set<String> cached;
    private String cachedGroup;
    private Instant expires = Instant.MIN;

    public ManagementGroupsApi(ResourceGraphApi graph, Clock clock) {
        this.graph = graph;
        this.clock = clock;
    }

    public synchronized Set<String> subscriptionsUnder(String groupId) {
        if (cached != null && groupId.equals(cachedGroup) && clock.instant().isBefore(expires)) {
            return cached;
        }
        Set<String> subs = new HashSet<>();
        graph.streamManagementGroup(ResourceGraphApi.query("subscriptions-v1"), groupId, row -> {
            String state = row.path("state").asText("Enabled");
            if (!state.equalsIgnoreCase("Disabled") && !state.equalsIgnoreCase("Deleted")) {
                subs.add(row.path("subscriptionId").asText().toLowerCase(Locale.ROOT));
            }
        });
        cached = Set.copyOf(subs);
        cachedGroup = groupId;
        expires = clock.instant().plus(TTL);
        return cached;
    }
}
