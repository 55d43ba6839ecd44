package com.mdeonboarding.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.testing.RepoPaths;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceEventsTest {
    static final String SUB = "20ff7fc3-e762-44dd-bd96-b71116dcdc23";
    static final String VM = "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1";
    static final String ARC = "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/arc1";

    static String eventGrid(String id, String resourceUri, String operation, String time) {
        return """
                {"id":"%s","subject":"%s","eventType":"Microsoft.Resources.ResourceWriteSuccess","eventTime":"%s",
                 "topic":"/subscriptions/%s","dataVersion":"2","metadataVersion":"1",
                 "data":{"resourceUri":"%s","operationName":"%s","status":"Succeeded","subscriptionId":"%s",
                         "resourceProvider":"Microsoft.Compute","tenantId":"72f988bf-86f1-41af-91ab-2d7cd011db47"}}
                """.formatted(id, resourceUri, time, SUB, resourceUri, operation, SUB);
    }

    /**
     * The published CloudEvents sample is not a valid CloudEvent: {@code "specversion": "`1.0"} (a typo) and
     * {@code topic} where CloudEvents 1.0 requires {@code source}. Real deliveries carry both right; fix the two here.
     */
    static String cloudEventsFixture() throws Exception {
        return Files.readString(RepoPaths.fixture("EventGrid__Microsoft.Resources.ResourceWriteSuccess__CloudEventsSchema.json"))
                .replace("\"`1.0\"", "\"1.0\"").replace("\"topic\":", "\"source\":");
    }

    @Test
    void publishedCloudEventsSampleWithItsSpecversionTypoIsRefusedClearly() throws Exception {
        ResourceEvents.Batch b = ResourceEvents.parse(Files.readString(
                RepoPaths.fixture("EventGrid__Microsoft.Resources.ResourceWriteSuccess__CloudEventsSchema.json")));
        assertEquals(1, b.malformed().size());
        assertTrue(b.malformed().get(0).reason().contains("specversion"), b.malformed().toString());
    }

    @Test
    void publishedWriteSuccessExamplesParseButAreNotMachines() throws Exception {
        // Microsoft's published examples write a storage account: valid events, ignored (not a machine write).
        for (String json : List.of(Files.readString(RepoPaths.fixture("EventGrid__Microsoft.Resources.ResourceWriteSuccess__EventGridSchema.json")),
                cloudEventsFixture())) {
            String f = json.substring(0, 40);
            ResourceEvents.Batch b = ResourceEvents.parse(json);
            assertEquals(0, b.machines().size(), f);
            assertEquals(0, b.malformed().size(), f + ": " + b.malformed());
            assertEquals(1, b.ignored().size(), f);
            assertTrue(b.ignored().get(0).reason().contains("Microsoft.Storage/storageAccounts/write"), b.ignored().toString());
        }
    }

    @Test
    void publishedExampleRewrittenAsVmWriteIsAccepted() throws Exception {
        String json = cloudEventsFixture()
                .replace("/subscriptions/{subscription-id}/resourcegroups/{resource-group}/providers/Microsoft.Storage/storageAccounts/{storage-name}", VM)
                .replace("Microsoft.Storage/storageAccounts/write", "Microsoft.Compute/virtualMachines/write");
        ResourceEvents.Batch b = ResourceEvents.parse(json);
        assertEquals(1, b.machines().size(), b.malformed().toString());
        assertEquals(MachineKind.VM, b.machines().get(0).machine().kind());
    }

    /**
     * Strict on the event type, operationName and the machine; tolerant of the rest (issue 14, bug 3): shapes Azure has
     * sent (Azure/azure-sdk-for-net #5189, Azure/azure-rest-api-specs PR #16996) and fields the app does not need.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", textBlock = """
            evidence as an array                    => "authorization":{"scope":"s","action":"a","evidence":[]}
            evidence as an object                   => "authorization":{"scope":"s","action":"a","evidence":{"role":"Owner"}}
            authorization as a string               => "authorization":"{\\"scope\\":\\"s\\"}"
            claims as a string                      => "claims":"{\\"aud\\":\\"https://management.core.windows.net/\\"}"
            claims as an object                     => "claims":{"aud":"https://management.core.windows.net/","iat":1}
            httpRequest as a string                 => "httpRequest":"{\\"method\\":\\"PUT\\"}"
            httpRequest as an object                => "httpRequest":{"method":"PUT","url":"https://management.azure.com/x"}
            unknown fields of any type              => "somethingNew":[1,{"a":null}],"status":42
            """)
    void dataFieldsTheAppDoesNotNeedMayHaveAnyShape(String label, String fields) {
        String event = eventGrid("v", VM, "Microsoft.Compute/virtualMachines/write", "2026-11-28T10:00:00Z")
                .replace("\"status\":\"Succeeded\",", fields + ",");
        ResourceEvents.Batch b = ResourceEvents.parse(event);
        assertEquals(List.of(), b.malformed(), label + ": " + event);
        assertEquals(1, b.machines().size(), label);
    }

    @Test
    void envelopeFieldsTheAppDoesNotNeedMayBeMissingOrUnreadable() {
        String lowerCaseGroups = VM.replace("/resourceGroups/", "/resourcegroups/");
        List<String> events = List.of(
                eventGrid("no-version", VM, "Microsoft.Compute/virtualMachines/write", "2026-11-28T10:00:00Z").replace("\"dataVersion\":\"2\",", ""),
                eventGrid("no-time", VM, "Microsoft.Compute/virtualMachines/write", "x").replace("\"eventTime\":\"x\",", ""),
                eventGrid("bad-time", VM, "Microsoft.Compute/virtualMachines/write", "yesterday"),
                eventGrid("lower-case", lowerCaseGroups, "Microsoft.Compute/virtualMachines/write", "2026-11-28T10:00:00Z"),
                "{\"specversion\":\"1.0\",\"type\":\"Microsoft.Resources.ResourceWriteSuccess\",\"subject\":\"" + ARC
                        + "\",\"data\":{\"operationName\":\"Microsoft.HybridCompute/machines/write\"}}");
        for (String e : events) {
            ResourceEvents.Batch b = ResourceEvents.parse(e);
            assertEquals(List.of(), b.malformed(), e);
            assertEquals(1, b.machines().size(), e);
        }
        assertEquals(VM.toLowerCase(), ResourceEvents.parse(events.get(3)).machines().get(0).machine().key());
    }

    @Test
    void whatTheAppNeedsMustBeThere() {
        String ok = eventGrid("x", VM, "Microsoft.Compute/virtualMachines/write", "2026-11-28T10:00:00Z");
        for (String broken : List.of(ok.replace("\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\",", ""),
                ok.replace("\"operationName\":\"Microsoft.Compute/virtualMachines/write\",", ""),
                ok.replace("\"operationName\":\"Microsoft.Compute/virtualMachines/write\"", "\"operationName\":7"),
                ok.replace("\"subject\":\"" + VM + "\",", "").replace("\"resourceUri\":\"" + VM + "\",", ""))) {
            assertEquals(1, ResourceEvents.parse(broken).malformed().size(), broken);
        }
    }

    @Test
    void batchOfBothKindsWithDuplicatesBecomesOneWritePerMachine() {
        String batch = "[" + eventGrid("1", VM, "Microsoft.Compute/virtualMachines/write", "2026-11-28T10:00:00Z") + ","
                + eventGrid("2", VM.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/"), "Microsoft.Compute/virtualMachines/write", "2026-11-28T10:00:05Z") + ","
                + eventGrid("3", ARC, "Microsoft.HybridCompute/machines/write", "2026-11-28T10:00:01Z") + "]";
        ResourceEvents.Batch b = ResourceEvents.parse(batch);
        assertEquals(2, b.machines().size());
        assertEquals("2", b.machines().get(0).eventId(), "the latest event for a machine wins");
    }

    @Test
    void ownExtensionWritesAndDeletesAreIgnoredNotMalformed() {
        String batch = "[" + eventGrid("e1", VM + "/extensions/MDE.Windows", "Microsoft.Compute/virtualMachines/extensions/write", "2026-11-28T10:00:00Z") + ","
                + eventGrid("e2", ARC + "/extensions/MDE.Linux", "Microsoft.HybridCompute/machines/extensions/write", "2026-11-28T10:00:00Z") + ","
                + eventGrid("e3", VM, "Microsoft.Compute/virtualMachines/write", "2026-11-28T10:00:00Z")
                    .replace("Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Resources.ResourceDeleteSuccess") + "]";
        ResourceEvents.Batch b = ResourceEvents.parse(batch);
        assertEquals(0, b.machines().size());
        assertEquals(3, b.ignored().size());
        assertEquals(0, b.malformed().size());
    }

    @Test
    void malformedEventIsReportedWithItsIdAndTheRestOfTheBatchSurvives() {
        String batch = "[" + eventGrid("good", VM, "Microsoft.Compute/virtualMachines/write", "2026-11-28T10:00:00Z") + ","
                + "{\"id\":\"no-data\",\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\"},"
                + eventGrid("bad-id", "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/../../x",
                    "Microsoft.Compute/virtualMachines/write", "2026-11-28T10:00:00Z") + ","
                + eventGrid("mismatch", ARC, "Microsoft.Compute/virtualMachines/write", "2026-11-28T10:00:00Z") + ","
                + "42, \"text\", null]";
        ResourceEvents.Batch b = ResourceEvents.parse(batch);
        assertEquals(1, b.machines().size());
        assertEquals(6, b.malformed().size(), b.malformed().toString());
        assertTrue(b.malformed().stream().anyMatch(s -> s.eventId().equals("no-data")));
        assertTrue(b.malformed().stream().anyMatch(s -> s.eventId().equals("bad-id")));
        assertTrue(b.malformed().stream().anyMatch(s -> s.eventId().equals("mismatch")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not json", "{", "[1,2", "true", "\"s\""})
    void garbageDeliveryIsMalformedNotAnException(String body) {
        ResourceEvents.Batch b = ResourceEvents.parse(body);
        assertEquals(0, b.machines().size());
        assertTrue(b.malformed().size() >= 1 || body.startsWith("\"") || body.equals("true"));
    }

    @Test
    void cloudEventsOfOtherVersionsAreRefused() {
        String ce = "{\"specversion\":\"0.3\",\"id\":\"x\",\"source\":\"s\",\"type\":\"Microsoft.Resources.ResourceWriteSuccess\"}";
        assertEquals(1, ResourceEvents.parse(ce).malformed().size());
    }

    @Test
    void controlCharactersInIdsCannotForgeLogLines() {
        String batch = eventGrid("a\nFAKE LOG LINE", "/subscriptions/" + SUB + "/x\n", "Microsoft.Compute/virtualMachines/write", "2026-11-28T10:00:00Z");
        ResourceEvents.Batch b = ResourceEvents.parse(batch.replace("a\nFAKE", "a\\nFAKE").replace("/x\n", "/x\\n"));
        assertEquals(1, b.malformed().size());
        assertTrue(!b.malformed().get(0).eventId().contains("\n") && !b.malformed().get(0).reason().contains("\n"));
    }
}
