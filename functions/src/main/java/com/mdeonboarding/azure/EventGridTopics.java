package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.model.EventSubscriptionSpec;
import com.mdeonboarding.model.EventWiringTag;
import com.mdeonboarding.model.WiredSubscription;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.model.SystemTopic;
import com.mdeonboarding.model.TopicSubscription;
import java.util.ArrayList;
import java.util.List;

/**
 * Microsoft.EventGrid: a subscription's system topics (SystemTopics_ListBySubscription) and a topic's event subscriptions
 * (SystemTopicEventSubscriptions_ListBySystemTopic), and the writes of the wiring step: one event subscription read,
 * written or deleted (SystemTopicEventSubscriptions_Get / _CreateOrUpdate / _Delete), a system topic created or deleted
 * (SystemTopics_CreateOrUpdate / _Delete) and the resource group it goes in (ResourceGroups_CreateOrUpdate). Both PUTs
 * are long-running in azure-rest-api-specs (Microsoft.EventGrid 2025-02-15); a created topic is waited for, because its
 * event subscription cannot be written before it exists.
 */
public final class EventGridTopics {
    private static final ObjectMapper JSON = new ObjectMapper();
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
        pages(topicId + "/eventSubscriptions", s -> out.add(wired(s).subscription()));
        return out;
    }

    /** Our event subscription on the topic, if it is there (404: not). */
    public Optional<WiredSubscription> eventSubscription(String topicId, String name) {
        return arm.find(topicId + "/eventSubscriptions/" + name, ApiVersions.EVENT_GRID).map(EventGridTopics::wired);
    }

    static WiredSubscription wired(JsonNode s) {
        JsonNode destination = s.at("/properties/destination");
        String target = destination.at("/properties/resourceId").asText(destination.at("/properties/endpointBaseUrl").asText(""));
        List<String> operations = new ArrayList<>();
        for (JsonNode f : s.at("/properties/filter/advancedFilters")) {
            if (f.path("operatorType").asText().equals("StringIn") && f.path("key").asText().equalsIgnoreCase("data.operationName")) {
                f.path("values").forEach(v -> operations.add(AzureText.name(v.asText())));
            }
        }
        // Azure-sourced text: made safe where it enters (issue 23, item 4).
        TopicSubscription view = new TopicSubscription(AzureText.name(s.path("name").asText()), AzureText.name(destination.path("endpointType")
                .asText()), AzureText.name(target), Authorization.texts(s.at("/properties/filter/includedEventTypes")).stream()
                .map(AzureText::name).toList(), operations, AzureText.name(s.at("/properties/provisioningState").asText()));
        JsonNode dl = s.at("/properties/deadLetterWithResourceIdentity");
        JsonNode dest = dl.isMissingNode() ? s.at("/properties/deadLetterDestination") : dl.path("deadLetterDestination");
        String deadLetter = dest.isMissingNode() || dest.isNull() ? ""
                : dest.at("/properties/resourceId").asText("") + "/" + dest.at("/properties/blobContainerName").asText("");
        return new WiredSubscription(view, deadLetter, dl.at("/identity/userAssignedIdentity").asText(""),
                s.at("/properties/retryPolicy/maxDeliveryAttempts").asInt(30));
    }

    /** Creates or replaces our event subscription (not waited for: the next look sees its provisioning state). */
    public void putEventSubscription(String topicId, String name, EventSubscriptionSpec spec) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode p = body.putObject("properties");
        ObjectNode destination = p.putObject("destination");
        destination.put("endpointType", "AzureFunction");
        destination.putObject("properties").put("resourceId", spec.functionResourceId()).put("maxEventsPerBatch", 1)
                .put("preferredBatchSizeInKilobytes", 64);
        ObjectNode filter = p.putObject("filter");
        ArrayNode types = filter.putArray("includedEventTypes");
        spec.includedEventTypes().forEach(types::add);
        ObjectNode in = filter.putArray("advancedFilters").addObject().put("operatorType", "StringIn").put("key", "data.operationName");
        ArrayNode values = in.putArray("values");
        spec.operationNames().forEach(values::add);
        p.put("eventDeliverySchema", "EventGridSchema");
        p.putObject("retryPolicy").put("maxDeliveryAttempts", spec.maxDeliveryAttempts()).put("eventTimeToLiveInMinutes",
                spec.eventTimeToLiveInMinutes());
        if (spec.deadLetterStorageId().isPresent() && spec.deadLetterIdentity().isPresent()) {
            ObjectNode dl = p.putObject("deadLetterWithResourceIdentity");
            dl.putObject("identity").put("type", "UserAssigned").put("userAssignedIdentity", spec.deadLetterIdentity().get());
            dl.putObject("deadLetterDestination").put("endpointType", "StorageBlob").putObject("properties")
                    .put("resourceId", spec.deadLetterStorageId().get()).put("blobContainerName", spec.deadLetterContainer());
        }
        arm.put(topicId + "/eventSubscriptions/" + name, ApiVersions.EVENT_GRID, body);
    }

    /** Deletes our event subscription; true when there was one (a 204 says it was gone already). */
    public boolean deleteEventSubscription(String topicId, String name) {
        return arm.delete(topicId + "/eventSubscriptions/" + name, ApiVersions.EVENT_GRID).status() != 204;
    }

    /** Creates the resource group if missing (a PUT of an existing group changes nothing we set). */
    public void ensureResourceGroup(String subscriptionId, String resourceGroup, String location) {
        ObjectNode body = JSON.createObjectNode().put("location", location);
        body.putObject("tags").put(EventWiringTag.NAME, EventWiringTag.VALUE);
        arm.put("/subscriptions/" + subscriptionId + "/resourcegroups/" + resourceGroup, ApiVersions.RESOURCE_GROUPS, body);
    }

    /**
     * Creates the subscription's system topic (location global, topic type Microsoft.Resources.Subscriptions) with the
     * identity given and our tag, and waits until it is provisioned (at most {@code patience}). Returns its ID. A topic
     * that already exists for the subscription makes Azure answer 400 InvalidRequest ("Only one system topic is allowed per
     * source"): that {@link ArmException} is the caller's to handle.
     */
    public String createSubscriptionTopic(String subscriptionId, String resourceGroup, String name, Optional<String> identity,
                                          Duration patience) {
        String id = "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/Microsoft.EventGrid/systemTopics/" + name;
        ObjectNode body = JSON.createObjectNode().put("location", "global");
        body.putObject("tags").put(EventWiringTag.NAME, EventWiringTag.VALUE);
        identity.ifPresent(i -> body.putObject("identity").put("type", "UserAssigned").putObject("userAssignedIdentities").putObject(i));
        body.putObject("properties").put("source", "/subscriptions/" + subscriptionId).put("topicType", "Microsoft.Resources.Subscriptions");
        ArmClient.Reply started = arm.put(id, ApiVersions.EVENT_GRID, body);
        Optional<LongRunningOperation.Urls> urls = LongRunningOperation.of(started);
        long deadline = System.nanoTime() + patience.toNanos();
        while (urls.isPresent()) {
            LongRunningOperation.Read read = LongRunningOperation.read(arm, urls.get());
            if (read.done()) {
                if (!read.succeeded(urls.get().statusUrl().isPresent())) {
                    throw new ArmException(409, "SystemTopicNotCreated", "the system topic " + id + " was not created: " + read.body());
                }
                break;
            }
            Duration wait = read.retryAfter().orElse(Duration.ofSeconds(2));
            if (System.nanoTime() + wait.toNanos() > deadline) {
                throw new ArmException(0, "SystemTopicPending", "the system topic " + id + " is still being created; the next sweep adds"
                        + " the event subscription");
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArmException(0, "Interrupted", "interrupted while waiting for " + id);
            }
        }
        return id;
    }

    /** Deletes a system topic (only ever one the app created: tagged {@link EventWiringTag}). */
    public void deleteTopic(String topicId) {
        arm.delete(topicId, ApiVersions.EVENT_GRID);
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
