package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.model.SystemTopic;
import com.mdeonboarding.model.TopicSubscription;
import java.util.ArrayList;
import java.util.List;

/**
 * Microsoft.EventGrid, read-only: a subscription's system topics (SystemTopics_ListBySubscription) and a topic's event
 * subscriptions (SystemTopicEventSubscriptions_ListBySystemTopic), as infra/subscription-events.json deploys them.
 */
public final class EventGridTopics {
    private final ArmClient arm;

    EventGridTopics(ArmClient arm) {
        this.arm = arm;
    }

    public List<SystemTopic> systemTopics(String subscriptionId) {
        List<SystemTopic> out = new ArrayList<>();
        pages("/subscriptions/" + subscriptionId + "/providers/Microsoft.EventGrid/systemTopics", t -> out.add(new SystemTopic(
                t.path("id").asText(), AzureText.name(t.at("/properties/topicType").asText()),
                AzureText.name(t.at("/properties/source").asText()), AzureText.name(t.at("/properties/provisioningState").asText()))));
        return out;
    }

    /** The event subscriptions of a topic (its resource ID, as {@link #systemTopics} gives it). */
    public List<TopicSubscription> eventSubscriptions(String topicId) {
        List<TopicSubscription> out = new ArrayList<>();
        pages(topicId + "/eventSubscriptions", s -> {
            JsonNode destination = s.at("/properties/destination");
            String target = destination.at("/properties/resourceId").asText(destination.at("/properties/endpointBaseUrl").asText(""));
            List<String> operations = new ArrayList<>();
            for (JsonNode f : s.at("/properties/filter/advancedFilters")) {
                if (f.path("operatorType").asText().equals("StringIn") && f.path("key").asText().equalsIgnoreCase("data.operationName")) {
                    f.path("values").forEach(v -> operations.add(AzureText.name(v.asText())));
                }
            }
            out.add(new TopicSubscription(AzureText.name(s.path("name").asText()), AzureText.name(destination.path("endpointType").asText()),
                    AzureText.name(target), Authorization.texts(s.at("/properties/filter/includedEventTypes")).stream().map(AzureText::name)
                    .toList(), operations, AzureText.name(s.at("/properties/provisioningState").asText())));
        });
        return out;
    }

    private void pages(String path, java.util.function.Consumer<JsonNode> each) {
        JsonNode page = arm.get(path, ApiVersions.EVENT_GRID);
        PageGuard guard = PageGuard.arm("Event Grid list " + path, PageGuard.ARM_LIST_PAGES);
        while (true) {
            page.path("value").forEach(each);
            String next = page.path("nextLink").asText("");
            if (next.isEmpty()) {
                return;
            }
            guard.next(next);
            page = arm.getAbsolute(next);
        }
    }
}
