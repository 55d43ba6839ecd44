package com.mdeonboarding.model;

import java.util.List;

/**
 * An event subscription of a system topic, as much as a check of our wiring needs.
 *
 * @param name               its name
 * @param endpointType       {@code AzureFunction}, {@code WebHook}, ...
 * @param destination        the function's resource ID, or a webhook's base URL (Event Grid never lists the full URL)
 * @param includedEventTypes event types it delivers; empty: all
 * @param operationNames     the {@code data.operationName} values a {@code StringIn} filter lets through; empty: no such filter
 * @param provisioningState  {@code Succeeded} when it works
 */
public record TopicSubscription(String name, String endpointType, String destination, List<String> includedEventTypes,
                                List<String> operationNames, String provisioningState) {
    public TopicSubscription {
        includedEventTypes = List.copyOf(includedEventTypes);
        operationNames = List.copyOf(operationNames);
    }
}
