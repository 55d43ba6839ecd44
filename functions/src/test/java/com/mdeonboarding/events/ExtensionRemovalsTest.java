package com.mdeonboarding.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.events.EventVariant;
import com.mdeonboarding.emulator.tenant.ExtensionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.model.ExtensionRemoval;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.testing.RepoPaths;
import com.mdeonboarding.testing.TestWorld;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Who removed an MDE extension, read from the delete event (issue 24, change control). The published
 * ResourceDeleteSuccess samples (MicrosoftDocs/azure-docs articles/event-grid/event-schema-subscriptions.md, copied to
 * emulator/src/test/resources/azure-examples with their source in SOURCES.md) carry a user's claims; the emulator's
 * delete events carry a service principal's, in each shape Azure has sent (claims as a string, evidence as an array,
 * lower-case resource groups).
 */
class ExtensionRemovalsTest {
    static final String SUB = "20ff7fc3-e762-44dd-bd96-b71116dcdc23";
    static final String VM = "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1";
    static final String SAMPLE_URI = "/subscriptions/{subscription-id}/resourceGroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}";

    /** The published sample, pointed at a VM's MDE extension instead of a storage account. */
    static String sample(String file, String extension) throws Exception {
        return Files.readString(RepoPaths.fixture(file)).replace(SAMPLE_URI, VM + "/extensions/" + extension)
                .replace("Microsoft.Storage/storageAccounts/delete", "Microsoft.Compute/virtualMachines/extensions/delete")
                .replace("\"`1.0\"", "\"1.0\"").replace("\"topic\":", "\"source\":");
    }

    @Test
    void thePublishedEventGridSampleNamesTheUser() throws Exception {
        List<ExtensionRemoval> r = ExtensionRemovals.parse(sample("EventGrid__Microsoft.Resources.ResourceDeleteSuccess__EventGridSchema.json", "MDE.Windows"));
        assertEquals(1, r.size());
        assertEquals(MachineId.parse(VM), r.get(0).machine());
        assertEquals("MDE.Windows", r.get(0).extensionName());
        assertEquals(Optional.of("{user-name}"), r.get(0).by(), "the UPN claim");
        assertEquals(Instant.parse("2018-07-19T19:24:12.763881Z"), r.get(0).at());
        assertEquals(Optional.of("{ID}"), r.get(0).correlationId());
    }

    @Test
    void thePublishedCloudEventsSampleIsReadToo() throws Exception {
        List<ExtensionRemoval> r = ExtensionRemovals.parse(sample("EventGrid__Microsoft.Resources.ResourceDeleteSuccess__CloudEventsSchema.json", "MDE.Linux"));
        assertEquals(1, r.size(), "CloudEvents schema");
        assertEquals("MDE.Linux", r.get(0).extensionName());
        assertTrue(r.get(0).by().isPresent());
    }

    @Test
    void otherExtensionsAndOtherDeletesAreNotRemovalsOfMde() throws Exception {
        assertEquals(List.of(), ExtensionRemovals.parse(sample("EventGrid__Microsoft.Resources.ResourceDeleteSuccess__EventGridSchema.json",
                "CustomScriptExtension")));
        assertEquals(List.of(), ExtensionRemovals.parse(Files.readString(
                RepoPaths.fixture("EventGrid__Microsoft.Resources.ResourceDeleteSuccess__EventGridSchema.json"))), "a storage account");
        assertEquals(List.of(), ExtensionRemovals.parse("not json"));
        assertEquals(List.of(), ExtensionRemovals.parse(sample("EventGrid__Microsoft.Resources.ResourceDeleteSuccess__EventGridSchema.json",
                "MDE.Windows").replace("ResourceDeleteSuccess", "ResourceWriteSuccess")));
    }

    @Test
    void theEmulatorsDeleteEventsInEveryShapeNameThePrincipal() {
        try (TestWorld w = TestWorld.builder(Tenant.sample()).build()) {
            String machine = w.emulator.state().machines(w.emulator.state().subscriptionIds().get(0)).get(0).id();
            EventVariant[][] shapes = {{}, {EventVariant.CLAIMS_AS_STRING, EventVariant.EVIDENCE_AS_ARRAY},
                {EventVariant.LOWER_CASE_RESOURCE_GROUPS, EventVariant.HTTP_REQUEST_AS_STRING}};
            for (EventVariant[] shape : shapes) {
                w.emulator.eventVariants(shape);
                w.emulator.state().putExtension(machine, ExtensionSpec.mde("MDE.Windows", "Succeeded"));
                w.emulator.state().deleteExtension(machine, "MDE.Windows");
                List<String> events = w.emulator.events();
                List<ExtensionRemoval> r = ExtensionRemovals.parse(events.get(events.size() - 1));
                assertEquals(1, r.size(), List.of(shape) + ": " + events.get(events.size() - 1));
                assertEquals(MachineId.parse(machine), r.get(0).machine());
                String expected = shape.length > 0 && shape[0] == EventVariant.CLAIMS_AS_STRING
                        ? "mde-onboarding-emulator" : "mde-onboarding-emulator (ServicePrincipal)";
                assertEquals(Optional.of(expected), r.get(0).by(), List.of(shape).toString());
                assertTrue(r.get(0).describe().startsWith("removed by mde-onboarding-emulator"), r.get(0).describe());
            }
        }
    }
}
