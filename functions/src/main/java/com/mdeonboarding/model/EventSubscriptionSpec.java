package com.mdeonboarding.model;

import java.util.List;
import java.util.Optional;

/**
 * The event subscription the app keeps on a subscription's system topic.
 *
 * @param functionResourceId   destination: {@code <Function App ID>/functions/OnResourceWrite} (endpoint type AzureFunction)
 * @param includedEventTypes   event types delivered
 * @param operationNames       the {@code data.operationName} values delivered (a StringIn advanced filter)
 * @param deadLetterStorageId  storage account for undeliverable events; empty: no dead-lettering
 * @param deadLetterContainer  its blob container
 * @param deadLetterIdentity   the user-assigned identity Event Grid writes dead letters with (must be on the topic)
 * @param maxDeliveryAttempts  retries before an event is dead-lettered
 * @param eventTimeToLiveInMinutes how long Event Grid keeps trying
 */
public record EventSubscriptionSpec(String functionResourceId, List<String> includedEventTypes, List<String> operationNames,
                                    Optional<String> deadLetterStorageId, String deadLetterContainer, Optional<String> deadLetterIdentity,
                                    int maxDeliveryAttempts, int eventTimeToLiveInMinutes) {
    public EventSubscriptionSpec {
        includedEventTypes = List.copyOf(includedEventTypes);
        operationNames = List.copyOf(operationNames);
    }

    /** The same without dead-lettering (for an existing topic that does not carry our identity). */
    public EventSubscriptionSpec withoutDeadLetter() {
        return new EventSubscriptionSpec(functionResourceId, includedEventTypes, operationNames, Optional.empty(), deadLetterContainer,
                Optional.empty(), maxDeliveryAttempts, eventTimeToLiveInMinutes);
    }

    /** {@code <storage account ID>/<container>}, "" when not dead-lettering (compare with {@link WiredSubscription#deadLetter()}). */
    public String deadLetter() {
        return deadLetterStorageId.map(s -> s + "/" + deadLetterContainer).orElse("");
    }
}
