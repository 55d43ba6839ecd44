package com.mdeonboarding.emulator.providers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.server.ArmError;
import com.mdeonboarding.emulator.server.ArmRequest;
import com.mdeonboarding.emulator.server.ArmResponse;
import com.mdeonboarding.emulator.server.EmulatedApiVersions;
import com.mdeonboarding.emulator.server.EmulatorContext;
import com.mdeonboarding.emulator.server.Router;
import com.mdeonboarding.emulator.state.EmulatedEventWiring;
import com.mdeonboarding.emulator.state.Json;

/**
 * Microsoft.EventGrid system topics and their event subscriptions, the list operations (one topic or event subscription
 * at a time, and the writes: {@link EventGridWritesProvider}; the JSON: {@link EventGridJson}).
 *
 * <p>Sources (azure-rest-api-specs, {@code specification/eventgrid/resource-manager/Microsoft.EventGrid/stable/2025-02-15/
 * examples/}): {@code SystemTopics_ListBySubscription.json} ({@code value} [{@code properties} {provisioningState,
 * source, topicType, metricResourceId}, location, tags, id, name, type]), {@code SystemTopicEventSubscriptions_Get.json}
 * ({@code properties} {topic, provisioningState, destination {endpointType, properties}, filter {includedEventTypes,
 * advancedFilters, ...}, eventDeliverySchema, retryPolicy}, id, name, type) and
 * {@code EventSubscriptions_GetForCustomTopic_AzureFunctionDestination.json} (an AzureFunction destination's
 * {@code properties.resourceId}); the list operation is {@code SystemTopicEventSubscriptions_ListBySystemTopic}.
 */
public final class EventGridProvider {
    private static final EmulatedApiVersions VERSIONS = EmulatedApiVersions.of("systemTopics", "2020-04-01-preview", "2021-12-01",
            "2022-06-15", "2023-12-15-preview", "2024-06-01-preview", "2025-02-15");
    private final EmulatorContext ctx;

    public EventGridProvider(EmulatorContext ctx, Router router) {
        this.ctx = ctx;
        router.add("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.EventGrid/systemTopics",
                "SystemTopics_ListBySubscription", false, VERSIONS, this::topics);
        router.add("GET", "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.EventGrid/systemTopics/"
                + "{systemTopicName}/eventSubscriptions", "SystemTopicEventSubscriptions_ListBySystemTopic", false, VERSIONS,
                this::eventSubscriptions);
    }

    private ArmResponse topics(ArmRequest req) {
        String sub = req.param("subscriptionId");
        ObjectNode body = Json.obj();
        ArrayNode value = body.putArray("value");
        for (EmulatedEventWiring.Topic t : ctx.state.eventWiring().topics(sub)) {
            value.add(EventGridJson.topic(sub, t));
        }
        return ArmResponse.ok(body);
    }

    private ArmResponse eventSubscriptions(ArmRequest req) {
        String sub = req.param("subscriptionId");
        EmulatedEventWiring.Topic topic = ctx.state.eventWiring().topic(sub, req.param("resourceGroupName"), req.param("systemTopicName"))
                .orElseThrow(() -> ArmError.notFound("ResourceNotFound", "The Resource 'Microsoft.EventGrid/systemTopics/"
                        + req.param("systemTopicName") + "' under resource group '" + req.param("resourceGroupName") + "' was not found."));
        ObjectNode body = Json.obj();
        ArrayNode value = body.putArray("value");
        for (EmulatedEventWiring.Subscription es : topic.subscriptions()) {
            value.add(EventGridJson.eventSubscription(sub, topic, es));
        }
        return ArmResponse.ok(body);
    }
}
