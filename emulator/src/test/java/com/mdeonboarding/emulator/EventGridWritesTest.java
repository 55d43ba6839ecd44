package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Event Grid system topics and event subscriptions written one at a time, as the app's wiring step writes them
 * (EventGridWritesProvider): asynchronous writes, the one-topic-per-source rule, and the topics in Resource Graph.
 */
class EventGridWritesTest {
    private static final String API = "?api-version=2025-02-15";
    private static final String RG = "/subscriptions/" + Sample.DEV + "/resourcegroups/rg-mde-onboarding-events";
    private static final String OURS = "/subscriptions/" + Sample.DEV + "/resourceGroups/rg-mde-onboarding-events/providers/"
            + "Microsoft.EventGrid/systemTopics/evgt-subscription-events";

    @RegisterExtension
    final EmulatorExtension emulator = EmulatorExtension.sampleTenant();

    private static Map<String, Object> subscriptionTopic(String sub) {
        return Map.of("location", "global", "properties", Map.of("source", "/subscriptions/" + sub,
                "topicType", "Microsoft.Resources.Subscriptions"));
    }

    @Test
    void aTopicIsCreatedAsynchronouslyAndASecondSubscriptionTopicInTheSameSubscriptionIsRefused() {
        emulator.state().removeAllEventWiring();
        TestClient client = emulator.client();
        assertEquals(404, client.put(OURS + API, subscriptionTopic(Sample.DEV)).status(), "the resource group must exist first");
        assertEquals(201, client.put(RG + "?api-version=2022-09-01", Map.of("location", "westeurope")).status());

        TestClient.Resp created = client.put(OURS + API, subscriptionTopic(Sample.DEV));
        assertEquals(201, created.status(), created.body());
        assertEquals("Creating", created.json().at("/properties/provisioningState").asText());
        assertTrue(created.header("Azure-AsyncOperation").isPresent());
        assertEquals("Succeeded", client.awaitOperation(created).path("status").asText());
        assertEquals("Succeeded", client.get(OURS + API).json().at("/properties/provisioningState").asText());

        String other = "/subscriptions/" + Sample.DEV + "/resourceGroups/rg-mde-onboarding-events/providers/Microsoft.EventGrid/systemTopics/second";
        TestClient.Resp refused = client.put(other + API, subscriptionTopic(Sample.DEV));
        assertEquals(400, refused.status());
        assertEquals("InvalidRequest", refused.json().at("/error/code").asText());
        assertEquals("There is an existing tracked system topic for the given source /subscriptions/" + Sample.DEV
                + ". Only one system topic is allowed per source.", refused.json().at("/error/message").asText());
        TestClient.Resp moved = client.put(OURS + API, subscriptionTopic(Sample.PROD));
        assertEquals("System topic source cannot be modified.", moved.json().at("/error/message").asText());
    }

    @Test
    void anEventSubscriptionNeedsItsTopicAndDeletesAreAsynchronous() {
        emulator.state().removeAllEventWiring();
        TestClient client = emulator.client();
        Map<String, Object> es = Map.of("properties", Map.of("destination", Map.of("endpointType", "AzureFunction",
                "properties", Map.of("resourceId", "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/app/functions/OnResourceWrite")),
                "filter", Map.of("includedEventTypes", List.of("Microsoft.Resources.ResourceWriteSuccess"))));
        TestClient.Resp orphan = client.put(OURS + "/eventSubscriptions/ours" + API, es);
        assertEquals(404, orphan.status());
        assertEquals("ParentResourceNotFound", orphan.json().at("/error/code").asText());

        client.put(RG + "?api-version=2022-09-01", Map.of("location", "westeurope"));
        client.awaitOperation(client.put(OURS + API, subscriptionTopic(Sample.DEV)));
        TestClient.Resp put = client.put(OURS + "/eventSubscriptions/ours" + API, es);
        assertEquals(201, put.status(), put.body());
        client.awaitOperation(put);
        JsonNode got = client.get(OURS + "/eventSubscriptions/ours" + API).json();
        assertEquals("Succeeded", got.at("/properties/provisioningState").asText());
        assertEquals("AzureFunction", got.at("/properties/destination/endpointType").asText());
        assertEquals(200, client.put(OURS + "/eventSubscriptions/ours" + API, es).status(), "a replacement answers 200");

        TestClient.Resp deleted = client.delete(OURS + "/eventSubscriptions/ours" + API);
        assertEquals(202, deleted.status());
        assertEquals(404, client.get(OURS + "/eventSubscriptions/ours" + API).status());
        assertEquals(204, client.delete(OURS + "/eventSubscriptions/ours" + API).status(), "deleting what is gone: 204");
        assertEquals(202, client.delete(OURS + API).status());
        assertEquals(204, client.delete(OURS + API).status());
    }

    @Test
    void resourceGraphListsSystemTopicsWithTheirIdentity() {
        emulator.state().removeAllEventWiring();
        emulator.state().addForeignSubscriptionTopic(Sample.PROD, "rg-platform", "platform-events",
                "/subscriptions/" + Sample.PROD + "/resourceGroups/rg-platform/providers/Microsoft.ManagedIdentity/userAssignedIdentities/automation",
                List.of("to-servicenow"));
        JsonNode rows = emulator.client().post("/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01", Map.of(
                "query", "resources | where type =~ 'microsoft.eventgrid/systemtopics' | where properties.topicType =~ 'Microsoft.Resources.Subscriptions'"
                        + " | project id, subscriptionId, resourceGroup, location, identity, source = tostring(properties.source)")).json();
        assertEquals(1, rows.path("data").size(), rows.toString());
        JsonNode row = rows.path("data").get(0);
        assertEquals("/subscriptions/" + Sample.PROD, row.path("source").asText());
        assertEquals("global", row.path("location").asText());
        assertEquals("UserAssigned", row.at("/identity/type").asText());
    }

    /** The app's own query (functions/src/main/resources/kql/systemtopics-v1.kql) over a tenant with two kinds of topic. */
    @Test
    void theShippedSystemTopicsQueryFindsSubscriptionTopicsOnlyWithIdentityAndTags() throws Exception {
        emulator.state().removeAllEventWiring();
        String identity = "/subscriptions/" + Sample.PROD + "/resourceGroups/rg-platform/providers/Microsoft.ManagedIdentity/userAssignedIdentities/automation";
        emulator.state().addForeignSubscriptionTopic(Sample.PROD, "rg-platform", "platform-events", identity, List.of("to-servicenow"));
        TestClient client = emulator.client();
        client.put(RG + "?api-version=2022-09-01", Map.of("location", "westeurope"));
        client.awaitOperation(client.put(OURS + API, subscriptionTopic(Sample.DEV)));
        // A storage account's topic in the same subscription: not a subscription topic, not in the answer.
        client.awaitOperation(client.put("/subscriptions/" + Sample.DEV + "/resourceGroups/rg-mde-onboarding-events/providers/"
                + "Microsoft.EventGrid/systemTopics/storage-events" + API, Map.of("location", "westeurope", "properties", Map.of(
                "source", "/subscriptions/" + Sample.DEV + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1",
                "topicType", "Microsoft.Storage.StorageAccounts"))));
        JsonNode data = client.post("/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01", Map.of(
                "query", com.mdeonboarding.emulator.kql.ShippedQueriesTest.query("systemtopics-v1"))).json().path("data");
        assertEquals(2, data.size(), data.toString());
        JsonNode prod = data.get(0).path("subscriptionId").asText().equals(Sample.PROD) ? data.get(0) : data.get(1);
        assertEquals("/subscriptions/" + Sample.PROD, prod.path("source").asText());
        assertEquals("Succeeded", prod.path("provisioningState").asText());
        assertTrue(prod.at("/identity/userAssignedIdentities").has(identity), prod.toString());
        assertEquals("platform-team", prod.at("/tags/owner").asText());
    }
}
