package com.mdeonboarding.emulator.providers;

import com.mdeonboarding.emulator.operations.*;
import com.mdeonboarding.emulator.server.*;
import com.mdeonboarding.emulator.state.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * Event Grid system topics and event subscriptions as Resource Manager returns them (azure-rest-api-specs,
 * Microsoft.EventGrid 2025-02-15 examples SystemTopics_Get.json and SystemTopicEventSubscriptions_Get.json,
 * 2024-06-01-preview SystemTopics_CreateOrUpdate.json, 2022-06-15 SystemTopicEventSubscriptions_CreateOrUpdate.json:
 * a WebHook destination's {@code endpointUrl} comes back as {@code endpointBaseUrl}, without its query).
 */
final class EventGridJson {
    private EventGridJson() {
    }

    static ObjectNode topic(String subscriptionId, EmulatedEventWiring.Topic t) {
        ObjectNode o = Json.obj();
        ObjectNode p = o.putObject("properties");
        p.put("provisioningState", t.provisioningState());
        p.put("source", t.source());
        p.put("topicType", t.topicType());
        p.put("metricResourceId", UUID.nameUUIDFromBytes(t.id(subscriptionId).toLowerCase(java.util.Locale.ROOT)
                .getBytes(StandardCharsets.UTF_8)).toString());
        if (t.identity() != null) {
            o.set("identity", identity(t.identity(), t.id(subscriptionId)));
        }
        o.put("location", t.location());
        if (t.tags() == null) {
            o.putNull("tags");
        } else {
            o.set("tags", t.tags().deepCopy());
        }
        o.put("id", t.id(subscriptionId));
        o.put("name", t.name());
        o.put("type", "Microsoft.EventGrid/systemTopics");
        return o;
    }

    /** The identity as Azure returns it: principal and client IDs filled in for each user-assigned identity. */
    private static ObjectNode identity(JsonNode given, String seed) {
        ObjectNode out = Json.obj();
        String type = given.path("type").asText("None");
        out.put("type", type);
        if (type.contains("SystemAssigned")) {
            out.put("principalId", uuid("principal " + seed));
            out.put("tenantId", uuid("tenant " + seed));
        }
        JsonNode uas = given.path("userAssignedIdentities");
        if (uas.isObject()) {
            ObjectNode outUas = out.putObject("userAssignedIdentities");
            for (Iterator<Map.Entry<String, JsonNode>> it = uas.fields(); it.hasNext();) {
                String id = it.next().getKey();
                outUas.putObject(id).put("principalId", uuid("principal " + id.toLowerCase(java.util.Locale.ROOT)))
                        .put("clientId", uuid("client " + id.toLowerCase(java.util.Locale.ROOT)));
            }
        }
        return out;
    }

    private static String uuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static ObjectNode eventSubscription(String subscriptionId, EmulatedEventWiring.Topic topic, EmulatedEventWiring.Subscription es) {
        ObjectNode o = Json.obj();
        ObjectNode p;
        if (es.properties() != null) {
            p = ((ObjectNode) es.properties()).deepCopy();
            o.set("properties", p);
            JsonNode dest = p.path("destination").path("properties");
            if (dest instanceof ObjectNode d && d.has("endpointUrl")) {
                String url = d.remove("endpointUrl").asText();
                int q = url.indexOf('?');
                d.put("endpointBaseUrl", q < 0 ? url : url.substring(0, q));
            }
            if (!p.has("labels")) {
                p.putNull("labels");
            }
            if (!p.has("eventDeliverySchema")) {
                p.put("eventDeliverySchema", "EventGridSchema");
            }
            if (!p.has("retryPolicy")) {
                p.putObject("retryPolicy").put("maxDeliveryAttempts", 30).put("eventTimeToLiveInMinutes", 1440);
            }
        } else {
            p = o.putObject("properties");
            ObjectNode destination = p.putObject("destination");
            destination.putObject("properties").put("resourceId", es.destinationResourceId()).put("maxEventsPerBatch", 1)
                    .put("preferredBatchSizeInKilobytes", 64);
            destination.put("endpointType", es.endpointType());
            ObjectNode filter = p.putObject("filter");
            ArrayNode types = filter.putArray("includedEventTypes");
            es.includedEventTypes().forEach(types::add);
            if (!es.operationNames().isEmpty()) {
                ObjectNode stringIn = filter.putArray("advancedFilters").addObject();
                stringIn.put("operatorType", "StringIn").put("key", "data.operationName");
                ArrayNode values = stringIn.putArray("values");
                es.operationNames().forEach(values::add);
            }
            p.put("eventDeliverySchema", "EventGridSchema");
            p.putObject("retryPolicy").put("maxDeliveryAttempts", 30).put("eventTimeToLiveInMinutes", 1440);
        }
        p.put("topic", topic.id(subscriptionId));
        p.put("provisioningState", es.provisioningState());
        o.put("id", topic.id(subscriptionId) + "/eventSubscriptions/" + es.name());
        o.put("name", es.name());
        o.put("type", "Microsoft.EventGrid/systemTopics/eventSubscriptions");
        return o;
    }
}
