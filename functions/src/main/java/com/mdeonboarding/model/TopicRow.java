package com.mdeonboarding.model;

import java.util.Map;
import java.util.Set;

/**
 * A subscription's Event Grid system topic for its own events, as Resource Graph lists it (query systemtopics-v1).
 *
 * @param subscriptionId           lower case
 * @param id                       the topic's resource ID
 * @param provisioningState        {@code Succeeded} when usable
 * @param userAssignedIdentities   the user-assigned identities on the topic, resource IDs in lower case
 * @param tags                     its tags (the app's own topics carry {@code mde-onboarding})
 */
public record TopicRow(String subscriptionId, String id, String provisioningState, Set<String> userAssignedIdentities,
                       Map<String, String> tags) {
    public TopicRow {
        userAssignedIdentities = Set.copyOf(userAssignedIdentities);
        tags = Map.copyOf(tags);
    }
}
