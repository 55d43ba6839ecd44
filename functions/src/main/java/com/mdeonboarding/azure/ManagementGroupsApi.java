package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The subscriptions under a management group (its descendants), cached for ten minutes. */
public final class ManagementGroupsApi {
    static final String API_VERSION = "2020-05-01";
    private static final Duration TTL = Duration.ofMinutes(10);

    private final ArmClient arm;
    private final Clock clock;
    private Set<String> cached;
    private Instant expires = Instant.MIN;

    public ManagementGroupsApi(ArmClient arm, Clock clock) {
        this.arm = arm;
        this.clock = clock;
    }

    public synchronized Set<String> subscriptionsUnder(String groupId) {
        if (cached != null && clock.instant().isBefore(expires)) {
            return cached;
        }
        Set<String> subs = new HashSet<>();
        JsonNode page = arm.get("/providers/Microsoft.Management/managementGroups/" + groupId + "/descendants", API_VERSION);
        while (true) {
            for (JsonNode d : page.path("value")) {
                if (d.path("type").asText("").equalsIgnoreCase("Microsoft.Management/managementGroups/subscriptions")) {
                    subs.add(d.path("name").asText().toLowerCase(Locale.ROOT));
                }
            }
            String next = page.path("nextLink").asText("");
            if (next.isEmpty()) {
                break;
            }
            page = arm.getAbsolute(next);
        }
        cached = Set.copyOf(subs);
        expires = clock.instant().plus(TTL);
        return cached;
    }
}
