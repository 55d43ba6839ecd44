package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.emulator.providers.EventGridProvider;
import com.mdeonboarding.emulator.providers.PermissionsProvider;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The calls mde-onboarding doctor makes: the permissions API and the Event Grid system topics with their event
 * subscriptions, in the shapes of Microsoft's published examples (see PermissionsProvider, EventGridProvider).
 */
class AccessAndEventWiringTest {
    @RegisterExtension
    final EmulatorExtension emulator = EmulatorExtension.sampleTenant();

    private static String permissions(String sub) {
        return "/subscriptions/" + sub + "/providers/Microsoft.Authorization/permissions?api-version=2022-04-01";
    }

    @Test
    void thePermissionsApiReportsOwnerUntilATestNarrowsIt() {
        JsonNode owner = emulator.client().get(permissions(Sample.PROD)).json();
        assertEquals("[{\"actions\":[\"*\"],\"notActions\":[],\"dataActions\":[],\"notDataActions\":[]}]", owner.path("value").toString());
        emulator.state().setRolePermissions(Sample.PROD, List.of("Microsoft.Compute/virtualMachines/read"), List.of("Microsoft.Compute/*/write"));
        JsonNode narrow = emulator.client().get("/subscriptions/" + Sample.PROD
                + "/resourcegroups/rg-prod-web/providers/Microsoft.Authorization/permissions?api-version=2022-04-01").json();
        assertEquals("Microsoft.Compute/virtualMachines/read", narrow.at("/value/0/actions/0").asText());
        assertEquals("Microsoft.Compute/*/write", narrow.at("/value/0/notActions/0").asText());
        assertEquals(404, emulator.client().get(permissions("00000000-0000-4000-8000-000000000000")).status());
        assertEquals(400, emulator.client().get("/subscriptions/" + Sample.PROD
                + "/providers/Microsoft.Authorization/permissions?api-version=2099-01-01").status());
    }

    @Test
    void everySubscriptionHasTheSystemTopicAndOurFilteredEventSubscription() {
        String topics = "/subscriptions/" + Sample.PROD + "/providers/Microsoft.EventGrid/systemTopics?api-version=2025-02-15";
        JsonNode t = emulator.client().get(topics).json().path("value").get(0);
        assertEquals("Microsoft.Resources.Subscriptions", t.at("/properties/topicType").asText());
        assertEquals("/subscriptions/" + Sample.PROD, t.at("/properties/source").asText());
        assertEquals("global", t.path("location").asText());
        JsonNode es = emulator.client().get(t.path("id").asText() + "/eventSubscriptions?api-version=2025-02-15").json().path("value").get(0);
        assertEquals("AzureFunction", es.at("/properties/destination/endpointType").asText());
        assertEquals(true, es.at("/properties/destination/properties/resourceId").asText().endsWith("/functions/OnResourceWrite"));
        assertEquals("[\"Microsoft.Resources.ResourceWriteSuccess\"]", es.at("/properties/filter/includedEventTypes").toString());
        assertEquals("data.operationName", es.at("/properties/filter/advancedFilters/0/key").asText());
        assertEquals(2, es.at("/properties/filter/advancedFilters/0/values").size());

        emulator.state().setEventSubscriptionFilter(Sample.PROD, List.of("Microsoft.Resources.ResourceWriteSuccess"),
                List.of("Microsoft.Compute/virtualMachines/write"));
        assertEquals(1, emulator.client().get(t.path("id").asText() + "/eventSubscriptions?api-version=2025-02-15").json()
                .at("/value/0/properties/filter/advancedFilters/0/values").size());
        emulator.state().removeEventSubscriptions(Sample.PROD);
        assertEquals(0, emulator.client().get(t.path("id").asText() + "/eventSubscriptions?api-version=2025-02-15").json().path("value").size());
        emulator.state().removeEventGridSystemTopic(Sample.PROD);
        assertEquals(0, emulator.client().get(topics).json().path("value").size());
        assertEquals(404, emulator.client().get(t.path("id").asText() + "/eventSubscriptions?api-version=2025-02-15").status());
    }
}
