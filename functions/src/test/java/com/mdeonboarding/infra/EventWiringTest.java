package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.config.Scope;
import java.lang.reflect.Field;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** subscription-events.json: the system topic, the filter, delivery to OnResourceWrite, retries and key-less dead-lettering. */
class EventWiringTest {
    /** The trigger's contract, as documented in docs/ARCHITECTURE.md and the issue; the class below must agree with it. */
    static final Set<String> DOCUMENTED_OPERATIONS = Set.of(
            "Microsoft.Compute/virtualMachines/write",
            "Microsoft.HybridCompute/machines/write");
    static final String EVENT_TYPE = "Microsoft.Resources.ResourceWriteSuccess";
    static final String TRIGGER_CLASS = "com.mdeonboarding.events.EventFilter";

    private final ArmTemplate events = ArmTemplate.load("subscription-events.json");

    private ArmTemplate.Resource subscription() {
        return events.single("Microsoft.EventGrid/systemTopics/eventSubscriptions");
    }

    private JsonNode operationNameFilter() {
        JsonNode filters = subscription().properties().path("filter").path("advancedFilters");
        assertEquals(1, filters.size(), "one advanced filter: StringIn on data.operationName");
        JsonNode f = filters.get(0);
        assertEquals("StringIn", f.path("operatorType").asText());
        assertEquals("data.operationName", f.path("key").asText());
        return f.path("values");
    }

    private static Set<String> lower(Iterable<?> values) {
        Set<String> out = new TreeSet<>();
        values.forEach(v -> out.add((v instanceof JsonNode n ? n.asText() : v.toString()).toLowerCase(Locale.ROOT)));
        return out;
    }

    /** A public static field of the trigger's filter class, or empty while the class does not exist. */
    private static Optional<Object> triggerConstant(String field) {
        try {
            Field f = Class.forName(TRIGGER_CLASS).getField(field);
            return Optional.of(f.get(null));
        } catch (ClassNotFoundException | NoSuchFieldException e) {
            return Optional.empty();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theFilterIsWriteSuccessOfVmsAndArcMachinesOnly() {
        JsonNode eventTypes = subscription().properties().path("filter").path("includedEventTypes");
        assertEquals(1, eventTypes.size(), "only " + EVENT_TYPE);
        assertEquals(EVENT_TYPE, eventTypes.get(0).asText());
        JsonNode values = operationNameFilter();
        // Event Grid compares strings case-insensitively, so a case difference is no mismatch; a missing or extra one is.
        assertEquals(lower(DOCUMENTED_OPERATIONS), lower(values));
        assertEquals(DOCUMENTED_OPERATIONS.size(), values.size(), "no duplicates");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theFilterIsExactlyWhatTheTriggerAccepts() {
        Optional<Object> accepted = triggerConstant("ACCEPTED_OPERATIONS");
        assumeTrue(accepted.isPresent(), TRIGGER_CLASS + ".ACCEPTED_OPERATIONS does not exist yet; the documented list is checked above");
        assertEquals(lower((Set<String>) accepted.get()), lower(operationNameFilter()),
                "subscription-events.json and " + TRIGGER_CLASS + ".ACCEPTED_OPERATIONS must name the same operations");
        triggerConstant("EVENT_TYPE").ifPresent(type ->
                assertEquals(Set.of(type.toString().toLowerCase(Locale.ROOT)),
                        lower(subscription().properties().path("filter").path("includedEventTypes"))));
    }

    @Test
    void theSystemTopicIsTheSubscriptionsOwnAndGlobal() {
        ArmTemplate.Resource topic = events.single("Microsoft.EventGrid/systemTopics");
        assertEquals("global", topic.node().path("location").asText(), "Microsoft.Resources.Subscriptions topics live in 'global'");
        assertEquals("Microsoft.Resources.Subscriptions", topic.properties().path("topicType").asText());
        assertEquals("[format('/subscriptions/{0}', parameters('subscriptionId'))]", topic.properties().path("source").asText());
        ArmTemplate.Resource deployment = events.single("Microsoft.Resources/deployments");
        assertEquals("[subscription().subscriptionId]",
                deployment.properties().path("parameters").path("subscriptionId").path("value").asText(),
                "the topic's source is the subscription the template is deployed to");
        ArmTemplate.Resource group = events.single("Microsoft.Resources/resourceGroups");
        assertEquals("[parameters('resourceGroupName')]", group.name());
        assertEquals("[parameters('resourceGroupName')]", deployment.node().path("resourceGroup").asText());
    }

    @Test
    void eventsGoToTheOnResourceWriteFunctionOneAtATime() {
        JsonNode destination = subscription().properties().path("destination");
        assertEquals("AzureFunction", destination.path("endpointType").asText());
        ArmTemplate.Scope scope = subscription().scope().with(Map.of(
                "functionAppResourceId", ArmTemplate.JSON.getNodeFactory().textNode("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app")));
        assertEquals("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/functions/OnResourceWrite",
                scope.eval(destination.path("properties").path("resourceId").asText()).asText());
        assertEquals(1, destination.path("properties").path("maxEventsPerBatch").asInt(), "the trigger takes one event per call");
        assertEquals("EventGridSchema", subscription().properties().path("eventDeliverySchema").asText(),
                "the trigger parses Event Grid schema events");
    }

    @Test
    void retriesLastADayAndThenDeadLetter() {
        JsonNode retry = subscription().properties().path("retryPolicy");
        assertEquals("[parameters('maxDeliveryAttempts')]", retry.path("maxDeliveryAttempts").asText());
        assertEquals("[parameters('eventTimeToLiveInMinutes')]", retry.path("eventTimeToLiveInMinutes").asText());
        JsonNode params = events.root.path("parameters");
        int attempts = params.path("maxDeliveryAttempts").path("defaultValue").asInt();
        assertTrue(attempts >= 10 && attempts <= 30, "maxDeliveryAttempts 10-30, is " + attempts);
        assertTrue(params.path("maxDeliveryAttempts").path("minValue").asInt() >= 10);
        assertTrue(params.path("maxDeliveryAttempts").path("maxValue").asInt() <= 30, "Event Grid allows at most 30");
        assertEquals(1440, params.path("eventTimeToLiveInMinutes").path("defaultValue").asInt());
        assertTrue(params.path("eventTimeToLiveInMinutes").path("maxValue").asInt() <= 1440, "Event Grid allows at most 1440");
    }

    @Test
    void deadLettersGoToTheBlobContainerWithAManagedIdentityNotAKey() {
        JsonNode props = subscription().properties();
        assertTrue(props.path("deadLetterDestination").isMissingNode(), "no key-based deadLetterDestination");
        JsonNode dl = props.path("deadLetterWithResourceIdentity");
        assertEquals("UserAssigned", dl.path("identity").path("type").asText());
        assertEquals("[parameters('deadLetterIdentityResourceId')]", dl.path("identity").path("userAssignedIdentity").asText());
        assertEquals("StorageBlob", dl.path("deadLetterDestination").path("endpointType").asText());
        assertEquals("[parameters('deadLetterStorageAccountResourceId')]", dl.path("deadLetterDestination").path("properties").path("resourceId").asText());
        assertEquals("[parameters('deadLetterContainerName')]", dl.path("deadLetterDestination").path("properties").path("blobContainerName").asText());

        ArmTemplate.Resource topic = events.single("Microsoft.EventGrid/systemTopics");
        assertTrue(topic.node().path("identity").path("userAssignedIdentities").has("[parameters('deadLetterIdentityResourceId')]"),
                "the dead-letter identity must be assigned to the system topic that uses it");

        String container = events.root.path("parameters").path("deadLetterContainerName").path("defaultValue").asText();
        ArmTemplate main = ArmTemplate.load("main.json");
        assertEquals(main.scope().eval("[variables('deadLetterContainerName')]").asText(), container,
                "the default dead-letter container is the one main.json creates");
    }

    @Test
    void theDeadLetterIdentityMayWriteOnlyToTheDeadLetterContainer() {
        ArmTemplate main = ArmTemplate.load("main.json");
        var assignments = main.resourcesOfType("Microsoft.Authorization/roleAssignments").stream()
                .filter(r -> r.properties().path("principalId").asText().contains("eventGridIdentityId")).toList();
        assertEquals(1, assignments.size(), "the Event Grid identity has exactly one role assignment");
        ArmTemplate.Resource a = assignments.get(0);
        assertTrue(a.node().path("scope").asText().contains("/blobServices/default/containers/"), "scoped to the container: " + a.node().path("scope"));
        assertTrue(a.properties().path("roleDefinitionId").asText().contains("variables('builtInRoles').storageBlobDataContributor"));
    }
}
