package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceGraphTest {
    static final String URL = "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01";
    static final String MACHINES = "// mde-onboarding:machines-v1\nresources | where type in~ ('microsoft.compute/virtualmachines','microsoft.hybridcompute/machines')";

    static Map<String, Object> query(String q, List<String> subs, Map<String, Object> options) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subscriptions", subs);
        body.put("query", q);
        body.put("options", options);
        return body;
    }

    @Test
    void machinesQueryAnswersFromState() {
        try (TestEmulator emu = TestEmulator.start()) {
            ArmEmulator arm = emu.arm();
            TestClient c = emu.client();
            TestClient.Resp r = c.post(URL, query(MACHINES, List.of(Sample.PROD, Sample.DEV), Map.of()));
            assertEquals(200, r.status(), r.body());
            JsonNode body = r.json();
            int expected = arm.state().machines(Sample.PROD).size() + arm.state().machines(Sample.DEV).size();
            assertEquals(expected, body.path("totalRecords").asInt());
            assertEquals(expected, body.path("count").asInt());
            assertEquals("false", body.path("resultTruncated").asText());
            assertFalse(body.has("$skipToken"));
            Map<String, JsonNode> byName = new LinkedHashMap<>();
            body.path("data").forEach(row -> byName.put(row.path("name").asText(), row));
            JsonNode onboarded = byName.get("vm-prod-win2022-onboarded");
            assertEquals(List.of("id", "name", "type", "subscriptionId", "resourceGroup", "location", "tags", "osType",
                    "mdeExtensionName", "mdeExtensionState"), iterable(onboarded.fieldNames()));
            assertEquals("microsoft.compute/virtualmachines", onboarded.path("type").asText());
            assertEquals("MDE.Windows", onboarded.path("mdeExtensionName").asText());
            assertEquals("Succeeded", onboarded.path("mdeExtensionState").asText());
            assertTrue(byName.get("vm-prod-win2022-new").path("mdeExtensionState").isNull());
            assertEquals("Failed", byName.get("vm-prod-mde-failed").path("mdeExtensionState").asText());
            assertEquals("microsoft.hybridcompute/machines", byName.get("arc-ws2022-onboarded").path("type").asText());
            assertEquals("true", byName.get("vm-prod-excluded-by-tag").at("/tags/MdeOnboardingExclude").asText());
            assertTrue(r.header("x-ms-user-quota-remaining").isPresent());
            assertTrue(r.header("x-ms-user-quota-resets-after").orElseThrow().matches("\\d\\d:\\d\\d:\\d\\d"));
        }
    }

    @Test
    void pricingsQueryAndScopes() {
        try (TestEmulator emu = TestEmulator.start()) {
            TestClient c = emu.client();
            JsonNode body = c.post(URL, Map.of("managementGroups", List.of("mg-contoso"),
                    "query", "// mde-onboarding:pricings-v1\nsecurityresources | where type =~ 'microsoft.security/pricings'")).json();
            assertEquals(4, body.path("totalRecords").asInt());
            JsonNode first = body.path("data").get(0);
            assertEquals(List.of("subscriptionId", "pricingTier", "subPlan", "enforce", "extensions"), iterable(first.fieldNames()));
            JsonNode none = c.post(URL, Map.of("query", "// mde-onboarding:pricings-v1", "subscriptions",
                    List.of("00000000-0000-0000-0000-000000000000"))).json();
            assertEquals(0, none.path("totalRecords").asInt(), "subscriptions outside the tenant are not visible");
            assertEquals(4, c.post(URL, Map.of("query", "// mde-onboarding:pricings-v1")).json().path("totalRecords").asInt(),
                    "no scope: every subscription of the tenant");
            JsonNode table = c.post(URL, query("// mde-onboarding:pricings-v1", List.of(Sample.PROD),
                    Map.of("resultFormat", "table"))).json();
            assertEquals("subscriptionId", table.at("/data/columns/0/name").asText());
            assertEquals("string", table.at("/data/columns/0/type").asText());
            assertEquals(Sample.PROD, table.at("/data/rows/0/0").asText());
        }
    }

    @Test
    void pagesOfAThousandRowsFollowTheSkipToken() {
        try (TestEmulator emu = TestEmulator.start(b -> b.tenant(TenantGenerator.generate(3, 2500, 11))
                .resourceGraphQuota(1000, Duration.ofSeconds(5)))) {
            ArmEmulator arm = emu.arm();
            TestClient c = emu.client();
            List<String> subs = arm.state().subscriptionIds();
            Set<String> ids = new HashSet<>();
            Map<String, Object> options = new LinkedHashMap<>();
            int pages = 0;
            while (true) {
                JsonNode body = c.post(URL, query(MACHINES, subs, options)).json();
                assertEquals(2500, body.path("totalRecords").asInt());
                body.path("data").forEach(row -> ids.add(row.path("id").asText()));
                pages++;
                if (!body.has("$skipToken")) {
                    assertEquals(500, body.path("count").asInt());
                    break;
                }
                assertEquals(1000, body.path("count").asInt());
                options = Map.of("$skipToken", body.path("$skipToken").asText());
            }
            assertEquals(3, pages);
            assertEquals(2500, ids.size(), "every machine exactly once");
            JsonNode top = c.post(URL, query(MACHINES, subs, Map.of("$top", 10, "$skip", 2495))).json();
            assertEquals(5, top.path("count").asInt());
            TestClient.Resp bad = c.post(URL, query(MACHINES, List.of(subs.get(0)), Map.of("$skipToken", "bm90IGEgdG9rZW4=")));
            assertEquals(400, bad.status());
        }
    }

    @Test
    void quotaOf15PerWindowThenThrottledWithRetryAfter() {
        try (TestEmulator emu = TestEmulator.start()) {
            ArmEmulator arm = emu.arm();
            TestClient c = emu.client();
            for (int i = 14; i >= 0; i--) {
                TestClient.Resp r = c.post(URL, query("// mde-onboarding:pricings-v1", List.of(Sample.PROD), Map.of()));
                assertEquals(200, r.status());
                assertEquals(Integer.toString(i), r.header("x-ms-user-quota-remaining").orElseThrow());
            }
            TestClient.Resp throttled = c.post(URL, query("// mde-onboarding:pricings-v1", List.of(Sample.PROD), Map.of()));
            assertEquals(429, throttled.status());
            assertEquals("RateLimiting", throttled.json().at("/error/code").asText());
            assertEquals("0", throttled.header("x-ms-user-quota-remaining").orElseThrow());
            int retryAfter = Integer.parseInt(throttled.header("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 5);
            assertEquals(1, arm.requestLog().count("Resources", 429));
        }
        try (TestEmulator emu = TestEmulator.start(b -> b.resourceGraphQuota(2, Duration.ofMillis(300)))) {
            TestClient c = emu.client();
            Map<String, Object> q = query("// mde-onboarding:pricings-v1", List.of(Sample.PROD), Map.of());
            assertEquals(200, c.post(URL, q).status());
            assertEquals(200, c.post(URL, q).status());
            assertEquals(429, c.post(URL, q).status());
            TestClient.sleep(350);
            assertEquals(200, c.post(URL, q).status(), "the window resets");
        }
    }

    @Test
    void queriesTheEmulatorDoesNotKnowAreRefusedNotGuessed() {
        try (TestEmulator emu = TestEmulator.start()) {
            ArmEmulator arm = emu.arm();
            TestClient c = emu.client();
            TestClient.Resp plain = c.post(URL, query("Resources | project id", List.of(Sample.PROD), Map.of()));
            assertEquals(400, plain.status());
            assertEquals("BadRequest", plain.json().at("/error/code").asText());
            assertTrue(plain.json().at("/error/message").asText().contains("query not understood by the emulator"));
            assertEquals("InvalidQuery", plain.json().at("/error/details/0/code").asText());
            TestClient.Resp unknownMarker = c.post(URL, query("// mde-onboarding:nope-v9\nResources", List.of(Sample.PROD), Map.of()));
            assertEquals(400, unknownMarker.status());
            assertTrue(unknownMarker.json().at("/error/message").asText().contains("'nope-v9'"));
            TestClient.Resp facets = c.post(URL, Map.of("query", MACHINES, "facets",
                    List.of(Map.of("expression", "location"))));
            assertEquals(400, facets.status());
            arm.registerQuery("count-v1", (s, subs) -> List.of(Map.of("machines", subs.stream()
                    .mapToInt(sub -> s.machines(sub).size()).sum())));
            assertEquals(s(arm), c.post(URL, query("\n// mde-onboarding:count-v1\nResources | count", List.of(Sample.PROD),
                    Map.of())).json().at("/data/0/machines").asInt());
        }
    }

    private static int s(ArmEmulator arm) {
        return arm.state().machines(Sample.PROD).size();
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
