package com.mdeonboarding.api;

import static com.mdeonboarding.testing.OperatorWorld.SUB_EXCLUDED;
import static com.mdeonboarding.testing.OperatorWorld.SUB_GHOST;
import static com.mdeonboarding.testing.OperatorWorld.SUB_IN;
import static com.mdeonboarding.testing.OperatorWorld.SUB_OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.storage.JobCodec;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.testing.OperatorWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** POST /api/onboarding through the real trigger, Azurite's queue and the emulator's listings. */
class HttpOnboardingTest {
    private static final String JSON_CT = "application/json";
    private static OperatorWorld world;
    private static String winVm;
    private static String linuxVm;
    private static String arc;
    private static String otherGroupVm;
    private static String outOfScopeVm;

    @BeforeAll
    static void start() {
        // Page size 2: the subscription listings below span several pages (nextLink).
        world = new OperatorWorld(2);
        var s = world.emulator.state();
        winVm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg-App").name("web-1").build());
        linuxVm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg-App").name("web-2")
                .ubuntu2204().build());
        arc = s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg-app").name("onprem-1").build());
        otherGroupVm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg-data").name("db-1").build());
        outOfScopeVm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OUT).resourceGroup("rg").name("x").build());
        s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_EXCLUDED).resourceGroup("rg").name("y").build());
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @BeforeEach
    void fresh() {
        world.clearQueue();
        world.emulator.faults().clear();
        world.emulator.requestLog().clear();
    }

    private static String ids(String... ids) {
        ArrayNode a = Http.JSON.createArrayNode();
        for (String id : ids) {
            a.add(id);
        }
        ObjectNode o = Http.JSON.createObjectNode();
        o.set("resourceIds", a);
        return o.toString();
    }

    private static List<OnboardingJob> queuedJobs() {
        return world.queuedMessages().stream().map(JobCodec::decode).toList();
    }

    private static void assertAccepted(Http.Reply r, List<String> expectedIds) {
        assertEquals(202, r.status(), r.toString());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.toString());
        JsonNode body = r.json();
        assertEquals(r.header("X-Correlation-Id"), body.path("correlationId").asText());
        List<String> answered = new ArrayList<>();
        body.path("jobs").forEach(j -> answered.add(j.path("resourceId").asText()));
        assertEquals(expectedIds, answered);
        List<OnboardingJob> queued = queuedJobs();
        assertEquals(expectedIds.size(), queued.size(), "one job queued per machine");
        for (JsonNode j : body.path("jobs")) {
            OnboardingJob job = queued.stream().filter(q -> q.machine().id().equals(j.path("resourceId").asText())).findFirst().orElseThrow();
            assertEquals(j.path("correlationId").asText(), job.correlationId());
            assertEquals(JobSource.MANUAL, job.source());
            assertEquals(1, job.attempt());
            assertTrue(j.path("state").asText().startsWith("/api/machines/state?resourceId=%2Fsubscriptions%2F"), j.toString());
        }
    }

    @Test
    void resourceIdsQueueOneManualJobEachInRequestOrder() {
        Http.Reply r = Http.postOnboarding(world.services, JSON_CT + "; charset=utf-8", ids(linuxVm, arc, winVm));
        assertAccepted(r, List.of(linuxVm, arc, winVm));
        assertTrue(Http.LOG.stream().anyMatch(l -> l.contains("[correlationId=" + r.json().path("jobs").get(0).path("correlationId").asText()
                + "] [resourceId=" + linuxVm + "] manual job queued")), "each job's log line carries its IDs");
        assertEquals(0, world.emulator.requestLog().total(), "resource IDs need no Resource Manager call");
    }

    @Test
    void idsAreAnsweredInCanonicalCasing() {
        String shouted = winVm.replace("/providers/Microsoft.Compute/virtualMachines/", "/PROVIDERS/microsoft.compute/VIRTUALMACHINES/")
                .replace(SUB_IN, SUB_IN.toUpperCase());
        assertAccepted(Http.postOnboarding(world.services, JSON_CT, ids(shouted)), List.of(winVm));
    }

    @Test
    void aSubscriptionExpandsToEveryVmAndArcMachineAcrossPages() {
        Http.Reply r = Http.postOnboarding(world.services, JSON_CT, "{\"subscriptionId\":\"" + SUB_IN.toUpperCase() + "\"}");
        assertEquals(202, r.status(), r.toString());
        List<String> answered = new ArrayList<>();
        r.json().path("jobs").forEach(j -> answered.add(j.path("resourceId").asText().toLowerCase()));
        assertEquals(Stream.of(winVm, linuxVm, otherGroupVm, arc).map(String::toLowerCase).sorted().toList(),
                answered.stream().sorted().toList());
        assertEquals(4, queuedJobs().size());
        assertTrue(world.emulator.requestLog().count("VirtualMachines_ListAll") >= 2, "followed nextLink");
    }

    @Test
    void aResourceGroupNarrowsTheExpansionCaseInsensitively() {
        Http.Reply r = Http.postOnboarding(world.services, JSON_CT, "{\"subscriptionId\":\"" + SUB_IN + "\",\"resourceGroup\":\"RG-APP\"}");
        assertEquals(202, r.status(), r.toString());
        List<String> answered = new ArrayList<>();
        r.json().path("jobs").forEach(j -> answered.add(j.path("resourceId").asText()));
        assertEquals(List.of(winVm, linuxVm, arc).stream().sorted().toList(), answered.stream().sorted().toList());
    }

    @Test
    void theFunctionKeyQueryParameterIsAccepted() {
        assertAccepted(Http.postOnboarding(world.services, Map.of("content-type", JSON_CT), Map.of("code", "k3y"), ids(winVm)), List.of(winVm));
    }

    static String vm(String sub, String rest) {
        return "/subscriptions/" + sub + rest;
    }

    /** Rejected requests: body, expected status, problem type slug, field, index (null: none). */
    static Stream<Arguments> rejected() {
        String good = "/subscriptions/" + SUB_IN + "/resourceGroups/rg-App/providers/Microsoft.Compute/virtualMachines/web-1";
        String p = "/subscriptions/" + SUB_IN + "/resourceGroups/rg/providers/";
        return Stream.of(
                Arguments.of("not JSON", "{\"resourceIds\": [", 400, "invalid-request", null, null),
                Arguments.of("trailing content", ids(good) + " {}", 400, "invalid-request", null, null),
                Arguments.of("duplicate member", "{\"resourceIds\":[\"" + good + "\"],\"resourceIds\":[\"" + good + "\"]}",
                        400, "invalid-request", null, null),
                Arguments.of("array body", "[\"" + good + "\"]", 400, "invalid-request", null, null),
                Arguments.of("null body", "null", 400, "invalid-request", null, null),
                Arguments.of("empty body", "", 400, "invalid-request", null, null),
                Arguments.of("deep nesting", "{\"resourceIds\":" + "[".repeat(40) + "]".repeat(40) + "}", 400, "invalid-request", null, null),
                Arguments.of("unknown field (typo)", "{\"resourceID\":[\"" + good + "\"]}", 400, "invalid-request", "resourceID", null),
                Arguments.of("unknown extra field", "{\"resourceIds\":[\"" + good + "\"],\"dryRun\":true}", 400, "invalid-request", "dryRun", null),
                Arguments.of("both forms", "{\"resourceIds\":[\"" + good + "\"],\"subscriptionId\":\"" + SUB_IN + "\"}",
                        400, "invalid-request", "subscriptionId", null),
                Arguments.of("group without subscription", "{\"resourceGroup\":\"rg\"}", 400, "invalid-request", "subscriptionId", null),
                Arguments.of("neither form", "{}", 400, "invalid-request", "resourceIds", null),
                Arguments.of("resourceIds a string", "{\"resourceIds\":\"" + good + "\"}", 400, "invalid-request", "resourceIds", null),
                Arguments.of("resourceIds empty", "{\"resourceIds\":[]}", 400, "invalid-request", "resourceIds", null),
                Arguments.of("element a number", "{\"resourceIds\":[\"" + good + "\",42]}", 400, "invalid-request", "resourceIds", 1),
                Arguments.of("element null", "{\"resourceIds\":[null]}", 400, "invalid-request", "resourceIds", 0),
                Arguments.of("element an object", "{\"resourceIds\":[{\"id\":\"" + good + "\"}]}", 400, "invalid-request", "resourceIds", 0),
                Arguments.of("path traversal in name", ids(good, p + "Microsoft.Compute/virtualMachines/../../../providers/Microsoft.Storage/x"),
                        400, "invalid-resource-id", "resourceIds", 1),
                Arguments.of("path traversal in group", ids(vm(SUB_IN, "/resourceGroups/../providers/Microsoft.Compute/virtualMachines/a")),
                        400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("dot name", ids(p + "Microsoft.Compute/virtualMachines/.."), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("other provider", ids(p + "Microsoft.Storage/storageAccounts/st1"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("scale set", ids(p + "Microsoft.Compute/virtualMachineScaleSets/ss"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("child resource", ids(good + "/extensions/MDE.Windows"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("trailing slash", ids(good + "/"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("query string", ids(good + "?api-version=2024-07-01"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("fragment", ids(good + "#x"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("URL-encoded slash", ids(p + "Microsoft.Compute/virtualMachines/a%2F..%2F..%2Fb"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("double-encoded dots", ids(p + "Microsoft.Compute/virtualMachines/%252e%252e"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("encoded whole ID", ids("%2Fsubscriptions%2F" + SUB_IN + "%2FresourceGroups%2Frg%2Fproviders%2FMicrosoft.Compute%2FvirtualMachines%2Fa"),
                        400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("backslashes", ids(good.replace('/', '\\')), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("absolute URL", ids("https://management.azure.com" + good), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("newline (log forging)", ids(good + "\n[correlationId=forged] onboarded"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("NUL", ids(good + "\u0000"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("leading space", ids(" " + good), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("right-to-left override", ids(good + "\u202e1-bew"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("fullwidth solidus", ids(good.replace("/web-1", "\uff0fweb-1")), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("Kelvin sign in name", ids(p + "Microsoft.Compute/virtualMachines/\u212aelvin"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("Cyrillic provider", ids(p + "Microsoft.C\u043empute/virtualMachines/a"), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("not a GUID subscription", ids("/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/a"),
                        400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("over-long ID", ids(p + "Microsoft.Compute/virtualMachines/" + "a".repeat(600)), 400, "invalid-resource-id", "resourceIds", 0),
                Arguments.of("duplicate, other casing", ids(good, good.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/")),
                        400, "duplicate-resource-id", "resourceIds", 1),
                Arguments.of("subscriptionId not a GUID", "{\"subscriptionId\":\"../../x\"}", 400, "invalid-request", "subscriptionId", null),
                Arguments.of("subscriptionId a number", "{\"subscriptionId\":1}", 400, "invalid-request", "subscriptionId", null),
                Arguments.of("resourceGroup traversal", "{\"subscriptionId\":\"" + SUB_IN + "\",\"resourceGroup\":\"../rg\"}",
                        400, "invalid-request", "resourceGroup", null),
                Arguments.of("resourceGroup ends in a dot", "{\"subscriptionId\":\"" + SUB_IN + "\",\"resourceGroup\":\"rg.\"}",
                        400, "invalid-request", "resourceGroup", null),
                Arguments.of("resourceGroup null", "{\"subscriptionId\":\"" + SUB_IN + "\",\"resourceGroup\":null}",
                        400, "invalid-request", "resourceGroup", null),
                Arguments.of("resourceGroup encoded", "{\"subscriptionId\":\"" + SUB_IN + "\",\"resourceGroup\":\"rg%2Fx\"}",
                        400, "invalid-request", "resourceGroup", null),
                Arguments.of("out of scope", ids(good, vm(SUB_OUT, "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/x")),
                        403, "out-of-scope", "resourceIds", 1),
                Arguments.of("excluded subscription", ids(vm(SUB_EXCLUDED, "/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/y")),
                        403, "out-of-scope", "resourceIds", 0),
                Arguments.of("subscription out of scope", "{\"subscriptionId\":\"" + SUB_OUT + "\"}", 403, "out-of-scope", "subscriptionId", null),
                Arguments.of("excluded subscription by id", "{\"subscriptionId\":\"" + SUB_EXCLUDED + "\"}", 403, "out-of-scope", "subscriptionId", null),
                Arguments.of("unknown subscription", "{\"subscriptionId\":\"" + SUB_GHOST + "\"}", 404, "not-found", "subscriptionId", null),
                Arguments.of("group without machines", "{\"subscriptionId\":\"" + SUB_IN + "\",\"resourceGroup\":\"rg-typo\"}",
                        404, "no-machines", "resourceGroup", null),
                Arguments.of("body over 64 KiB", "{\"resourceIds\":[\"" + good + "\"],\"pad\":\"" + "x".repeat(65 * 1024) + "\"}",
                        413, "too-large", null, null),
                Arguments.of("multi-byte body over 64 KiB", "{\"resourceIds\":[\"" + "\u00e9".repeat(33 * 1024) + "\"]}",
                        413, "too-large", null, null),
                Arguments.of("more than 500 IDs", ids(manyIds(501)), 413, "too-large", "resourceIds", null));
    }

    private static String[] manyIds(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "/subscriptions/" + SUB_IN + "/resourceGroups/r/providers/Microsoft.Compute/virtualMachines/v" + i;
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectedRequestsAnswerAProblemAndQueueNothing(String name, String body, int status, String type, String field, Integer index) {
        Http.Reply r = Http.postOnboarding(world.services, JSON_CT, body);
        assertProblem(r, status, type);
        JsonNode p = r.json();
        if (field != null) {
            assertEquals(field, p.path("field").asText(), r.toString());
        }
        if (index != null) {
            assertEquals(index.intValue(), p.path("index").asInt(-1), r.toString());
        } else {
            assertFalse(p.has("index"), r.toString());
        }
        assertEquals(List.of(), world.queuedMessages(), "nothing queued for a rejected request");
        for (String line : Http.LOG) {
            assertFalse(line.contains("\n") || line.contains("\u0000") || line.contains("\u202e"), "raw control characters logged: " + line);
        }
    }

    static void assertProblem(Http.Reply r, int status, String type) {
        assertEquals(status, r.status(), r.toString());
        assertTrue(r.header("Content-Type").startsWith("application/problem+json"), r.toString());
        JsonNode p = r.json();
        assertEquals("urn:mde-onboarding:problem:" + type, p.path("type").asText(), r.toString());
        assertEquals(status, p.path("status").asInt());
        assertFalse(p.path("title").asText().isEmpty());
        assertFalse(p.path("detail").asText().isEmpty());
        assertEquals(r.header("X-Correlation-Id"), p.path("correlationId").asText());
        assertEquals("urn:uuid:" + p.path("correlationId").asText(), p.path("instance").asText());
        assertEquals("no-store", r.header("Cache-Control"));
    }

    @Test
    void everyOffendingElementIsListedAndTheValidOnesAreNotQueued() {
        String bad = "/subscriptions/" + SUB_IN + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st";
        Http.Reply r = Http.postOnboarding(world.services, JSON_CT, ids(winVm, bad, winVm.toLowerCase(), arc));
        assertProblem(r, 400, "invalid-resource-id");
        JsonNode p = r.json();
        assertEquals(1, p.path("index").asInt());
        assertEquals(2, p.path("errorCount").asInt());
        assertEquals("urn:mde-onboarding:problem:duplicate-resource-id", p.path("errors").get(1).path("type").asText());
        assertEquals(2, p.path("errors").get(1).path("index").asInt());
        assertEquals(0, p.path("errors").get(1).path("duplicateOf").asInt());
        assertTrue(p.path("detail").asText().contains("Microsoft.Storage/storageAccounts/st"), p.toString());
        assertEquals(List.of(), world.queuedMessages());
    }

    @Test
    void controlCharactersAreEchoedEscaped() {
        Http.Reply r = Http.postOnboarding(world.services, JSON_CT, ids(winVm + "\n\u202eforged"));
        assertProblem(r, 400, "invalid-resource-id");
        String detail = r.json().path("detail").asText();
        assertTrue(detail.contains("\\u000a\\u202eforged"), detail);
    }

    @Test
    void nonJsonContentTypesAre415() {
        for (String ct : new String[] {null, "", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=iso-8859-1",
                "application/jsonx", "text/json"}) {
            Http.Reply r = Http.postOnboarding(world.services, ct, ids(winVm));
            assertProblem(r, 415, "unsupported-media-type");
        }
        assertEquals(List.of(), world.queuedMessages());
    }

    @Test
    void unknownQueryParametersAreRefused() {
        Http.Reply r = Http.postOnboarding(world.services, Map.of("content-type", JSON_CT), Map.of("dryRun", "true"), ids(winVm));
        assertProblem(r, 400, "invalid-request");
        assertEquals("dryRun", r.json().path("field").asText());
        assertEquals(List.of(), world.queuedMessages());
    }

    @Test
    void exactly500IdsAreAccepted() {
        String[] many = manyIds(500);
        Http.Reply r = Http.postOnboarding(world.services, JSON_CT, ids(many));
        assertEquals(202, r.status(), r.toString());
        assertEquals(500, r.json().path("jobs").size());
        assertEquals(500, world.queueLength());
    }

    @Test
    void anOutOfScopeSubscriptionIsRefusedWithoutAnyResourceManagerCall() {
        assertProblem(Http.postOnboarding(world.services, JSON_CT, "{\"subscriptionId\":\"" + SUB_OUT + "\"}"), 403, "out-of-scope");
        assertEquals(0, world.emulator.requestLog().total());
        assertTrue(outOfScopeVm.contains(SUB_OUT));
    }

    @Test
    void aResourceManagerRefusalWhileListingIs502AndQueuesNothing() {
        world.emulator.faults().add(FaultRule.forOperation("Machines_ListBySubscription").status(403).errorCode("AuthorizationFailed")
                .message("The client does not have authorization").times(1));
        Http.Reply r = Http.postOnboarding(world.services, JSON_CT, "{\"subscriptionId\":\"" + SUB_IN + "\"}");
        assertProblem(r, 502, "upstream");
        assertTrue(r.json().path("detail").asText().contains("AuthorizationFailed"), r.toString());
        assertEquals(List.of(), world.queuedMessages());
    }

    @Test
    void aQueueFailureIs503NamingWhatWasAndWasNotQueued() {
        world.queue().delete();
        try {
            Http.Reply r = Http.postOnboarding(world.services, JSON_CT, ids(winVm, arc));
            assertProblem(r, 503, "unavailable");
            JsonNode p = r.json();
            assertEquals(0, p.path("jobs").size());
            assertEquals(List.of(winVm, arc), List.of(p.path("notQueued").get(0).asText(), p.path("notQueued").get(1).asText()));
            assertTrue(Http.LOG.stream().anyMatch(l -> l.startsWith("SEVERE [correlationId=" + p.path("correlationId").asText() + "]")));
        } finally {
            world.queue().createIfNotExists();
        }
    }
}
