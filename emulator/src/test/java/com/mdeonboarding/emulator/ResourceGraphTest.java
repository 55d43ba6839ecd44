package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.emulator.kql.ShippedQueriesTest;
import com.mdeonboarding.emulator.tenant.TenantGenerator;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceGraphTest {
    static final String URL = "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01";
    static final String MACHINES = "resources | where type in~ ('microsoft.compute/virtualmachines','microsoft.hybridcompute/machines')"
            + " | order by id asc";
    static final String PRICINGS = "securityresources | where type =~ 'microsoft.security/pricings' and name =~ 'VirtualMachines'"
            + " and isempty(resourceGroup) | project subscriptionId, pricingTier = tostring(properties.pricingTier)";

    static Map<String, Object> query(String q, List<String> subs, Map<String, Object> options) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subscriptions", subs);
        body.put("query", q);
        body.put("options", options);
        return body;
    }

    @Test
    void queriesAreEvaluatedOverTheRowsOfTheirScope() {
        try (TestEmulator emu = TestEmulator.start()) {
            ArmEmulator arm = emu.arm();
            TestClient c = emu.client();
            String q = MACHINES + " | extend machineKey = tolower(id)"
                    + " | join kind=leftouter (resources | where type endswith '/extensions'"
                    + " | where tostring(properties.type) in~ ('MDE.Windows', 'MDE.Linux')"
                    + " | project machineKey = tolower(substring(id, 0, indexof(tolower(id), '/extensions/'))),"
                    + " state = tostring(properties.provisioningState)) on machineKey"
                    + " | project id, name, type, resourceGroup, location, tags, state";
            TestClient.Resp r = c.post(URL, query(q, List.of(Sample.PROD, Sample.DEV), Map.of()));
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
            assertEquals(List.of("id", "name", "type", "resourceGroup", "location", "tags", "state"), iterable(onboarded.fieldNames()));
            assertEquals("microsoft.compute/virtualmachines", onboarded.path("type").asText(), "Resource Graph lower-cases type");
            assertEquals(Sample.vm("rg-prod-web", "vm-prod-win2022-onboarded"), onboarded.path("id").asText(), "ids keep the provider's casing");
            assertEquals("rg-prod-web", onboarded.path("resourceGroup").asText());
            assertEquals("Succeeded", onboarded.path("state").asText());
            assertEquals("", byName.get("vm-prod-win2022-new").path("state").asText(), "a leftouter miss is an empty string");
            assertEquals("Failed", byName.get("vm-prod-mde-failed").path("state").asText());
            assertEquals("microsoft.hybridcompute/machines", byName.get("arc-ws2022-onboarded").path("type").asText());
            assertEquals("Succeeded", byName.get("arc-ws2022-onboarded").path("state").asText());
            assertEquals("true", byName.get("vm-prod-excluded-by-tag").at("/tags/MdeOnboardingExclude").asText());
            assertTrue(r.header("x-ms-user-quota-remaining").isPresent());
            assertTrue(r.header("x-ms-user-quota-resets-after").orElseThrow().matches("\\d\\d:\\d\\d:\\d\\d"));
        }
    }

    private static Map<String, JsonNode> byName(JsonNode body) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        body.path("data").forEach(row -> out.put(row.path("name").asText(), row));
        return out;
    }

    /** The app's own queries, read from functions/src/main/resources/kql, are answered by evaluating them over the state. */
    @Test
    void theShippedQueriesAreAnsweredByEvaluatingTheirText() throws Exception {
        try (TestEmulator emu = TestEmulator.start()) {
            TestClient c = emu.client();
            String machines = ShippedQueriesTest.query("machines-v2");
            JsonNode body = c.post(URL, query(machines, List.of(Sample.PROD), Map.of())).json();
            assertEquals(emu.arm().state().machines(Sample.PROD).size(), body.path("totalRecords").asInt(), body.toString());
            Map<String, JsonNode> rows = byName(body);
            assertEquals("Succeeded", rows.get("arc-ws2022-onboarded").path("mdeExtensionState").asText());
            assertEquals("Succeeded", rows.get("vm-prod-win2022-onboarded").path("mdeExtensionState").asText());
            assertEquals("Creating", rows.get("vm-prod-mde-stuck-creating").path("mdeExtensionState").asText());
            assertEquals("", rows.get("vm-prod-win2022-new").path("mdeExtensionState").asText());
            assertEquals("windows", rows.get("arc-ws2022-onboarded").path("osType").asText(), "Arc: properties.osType");
            assertEquals("Windows", rows.get("vm-prod-win2022-new").path("osType").asText(), "VM: storageProfile.osDisk.osType");
            // The same query cutting the ID where '/extensions/' is written in lower case only (machines-v1) loses the
            // Arc machines' extensions: their IDs say '/Extensions/'.
            String caseSensitive = machines.replace("substring(extensionKey, 0, indexof(extensionKey, '/extensions/'))",
                    "tolower(substring(id, 0, indexof(id, '/extensions/')))");
            assertTrue(!caseSensitive.equals(machines));
            Map<String, JsonNode> v1 = byName(c.post(URL, query(caseSensitive, List.of(Sample.PROD), Map.of())).json());
            assertEquals("", v1.get("arc-ws2022-onboarded").path("mdeExtensionState").asText());
            assertEquals("Succeeded", v1.get("vm-prod-win2022-onboarded").path("mdeExtensionState").asText());

            String pricings = ShippedQueriesTest.query("pricings-v2");
            JsonNode plans = c.post(URL, query(pricings, List.of(Sample.PROD, Sample.DEV), Map.of())).json();
            assertEquals(2, plans.path("totalRecords").asInt(), plans.toString());
            assertEquals("Standard", plans.at("/data/0/pricingTier").asText(), "PROD (3f2b...) first: " + plans);
            assertEquals("Free", plans.at("/data/1/pricingTier").asText(), "DEV keeps Free though one VM has its own P1");
            // Without the subscription-scope filter (pricings-v1), the machines' own pricings come back as rows too.
            String anyScope = pricings.lines().filter(l -> !l.contains("strcat(")).reduce("", (a, b) -> a + b + "\n");
            assertEquals(4, c.post(URL, query(anyScope, List.of(Sample.PROD, Sample.DEV), Map.of())).json()
                    .path("totalRecords").asInt());

            JsonNode subs = c.post(URL, Map.of("managementGroups", List.of("mg-contoso-prod"),
                    "query", ShippedQueriesTest.query("subscriptions-v1"))).json();
            assertTrue(subs.path("totalRecords").asInt() >= 1, subs.toString());
            subs.path("data").forEach(row -> assertEquals("Enabled", row.path("state").asText(), row.toString()));
        }
    }

    @Test
    void arcExtensionIdsAreSpelledAsHybridComputeSpellsThemSoCaseSensitiveOperatorsSeeIt() {
        try (TestEmulator emu = TestEmulator.start()) {
            TestClient c = emu.client();
            String arcExtensions = "resources | where type == 'microsoft.hybridcompute/machines/extensions' | where name == 'MDE.Windows'";
            JsonNode rows = c.post(URL, query(arcExtensions + " | project id, cut = indexof(id, '/extensions/'),"
                    + " cutAnyCase = indexof(tolower(id), '/extensions/')", List.of(Sample.PROD), Map.of())).json().path("data");
            assertTrue(rows.size() > 0, rows.toString());
            for (JsonNode row : rows) {
                assertTrue(row.path("id").asText().contains("/providers/Microsoft.HybridCompute/Machines/"), row.toString());
                assertTrue(row.path("id").asText().contains("/Extensions/MDE.Windows"), row.toString());
                assertEquals(-1, row.path("cut").asInt(), "indexof is case-sensitive: " + row);
                assertTrue(row.path("cutAnyCase").asInt() > 0, row.toString());
            }
            JsonNode vmExtensions = c.post(URL, query("resources | where type =~ 'Microsoft.Compute/virtualMachines/extensions'"
                    + " | project id", List.of(Sample.PROD), Map.of())).json().path("data");
            assertTrue(vmExtensions.size() > 0);
            vmExtensions.forEach(row -> assertTrue(row.path("id").asText().contains("/extensions/"), row.toString()));
        }
    }

    @Test
    void pricingsAndScopes() {
        try (TestEmulator emu = TestEmulator.start()) {
            TestClient c = emu.client();
            JsonNode body = c.post(URL, Map.of("managementGroups", List.of("mg-contoso"), "query", PRICINGS)).json();
            assertEquals(4, body.path("totalRecords").asInt(), body.toString());
            JsonNode first = body.path("data").get(0);
            assertEquals(List.of("subscriptionId", "pricingTier"), iterable(first.fieldNames()));
            JsonNode none = c.post(URL, Map.of("query", PRICINGS, "subscriptions",
                    List.of("00000000-0000-0000-0000-000000000000"))).json();
            assertEquals(0, none.path("totalRecords").asInt(), "subscriptions outside the tenant are not visible");
            assertEquals(4, c.post(URL, Map.of("query", PRICINGS)).json().path("totalRecords").asInt(),
                    "no scope: every subscription of the tenant");
            JsonNode table = c.post(URL, query(PRICINGS, List.of(Sample.PROD), Map.of("resultFormat", "table"))).json();
            assertEquals("subscriptionId", table.at("/data/columns/0/name").asText());
            assertEquals("string", table.at("/data/columns/0/type").asText());
            assertEquals(Sample.PROD, table.at("/data/rows/0/0").asText());
            JsonNode resourceLevel = c.post(URL, query("securityresources | where type =~ 'microsoft.security/pricings'"
                    + " and isnotempty(resourceGroup) | project id, tier = tostring(properties.pricingTier)",
                    List.of(Sample.PROD), Map.of())).json().path("data");
            assertEquals(1, resourceLevel.size(), "vm-prod-resource-plan-free has its own pricing: " + resourceLevel);
            assertTrue(resourceLevel.at("/0/id").asText().endsWith("/virtualMachines/vm-prod-resource-plan-free"
                    + "/providers/Microsoft.Security/pricings/VirtualMachines"), resourceLevel.toString());
            assertEquals("Free", resourceLevel.at("/0/tier").asText());
            JsonNode subs = c.post(URL, Map.of("managementGroups", List.of("mg-contoso"), "query",
                    "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project subscriptionId, name,"
                            + " state = tostring(properties.state) | order by subscriptionId asc")).json();
            assertEquals(4, subs.path("totalRecords").asInt());
            assertEquals("Enabled", subs.at("/data/0/state").asText());
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
                TestClient.Resp r = c.post(URL, query(PRICINGS, List.of(Sample.PROD), Map.of()));
                assertEquals(200, r.status());
                assertEquals(Integer.toString(i), r.header("x-ms-user-quota-remaining").orElseThrow());
            }
            TestClient.Resp throttled = c.post(URL, query(PRICINGS, List.of(Sample.PROD), Map.of()));
            assertEquals(429, throttled.status());
            assertEquals("RateLimiting", throttled.json().at("/error/code").asText());
            assertEquals("0", throttled.header("x-ms-user-quota-remaining").orElseThrow());
            int retryAfter = Integer.parseInt(throttled.header("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 5);
            assertEquals(1, arm.requestLog().count("Resources", 429));
        }
        try (TestEmulator emu = TestEmulator.start(b -> b.resourceGraphQuota(2, Duration.ofMillis(300)))) {
            TestClient c = emu.client();
            Map<String, Object> q = query(PRICINGS, List.of(Sample.PROD), Map.of());
            assertEquals(200, c.post(URL, q).status());
            assertEquals(200, c.post(URL, q).status());
            assertEquals(429, c.post(URL, q).status());
            emu.arm().advanceTime(Duration.ofMillis(300));
            assertEquals(200, c.post(URL, q).status(), "the window resets");
        }
    }

    @Test
    void kqlTheEvaluatorCannotRunIsRefusedAsResourceGraphRefusesAnInvalidQuery() {
        try (TestEmulator emu = TestEmulator.start()) {
            TestClient c = emu.client();
            TestClient.Resp unsupported = c.post(URL, query("Resources\n| mv-apply x = tags on (take 1)", List.of(Sample.PROD), Map.of()));
            assertEquals(400, unsupported.status());
            JsonNode error = unsupported.json().path("error");
            assertEquals("BadRequest", error.path("code").asText());
            assertTrue(error.path("message").asText().startsWith("Please provide below info when asking for support: timestamp = "),
                    error.toString());
            assertEquals("InvalidQuery", error.at("/details/0/code").asText());
            assertEquals("InvalidQueryLanguage", error.at("/details/1/code").asText());
            assertEquals("mv-apply", error.at("/details/1/token").asText());
            assertEquals(2, error.at("/details/1/line").asInt());
            assertEquals(2, error.at("/details/1/characterPositionInLine").asInt());
            TestClient.Resp notImplemented = c.post(URL, query("Resources | distinct name", List.of(Sample.PROD), Map.of()));
            assertEquals(400, notImplemented.status());
            assertEquals("distinct", notImplemented.json().at("/error/details/1/token").asText());
            assertTrue(notImplemented.json().at("/error/details/1/message").asText().contains("distinct"));
            TestClient.Resp syntax = c.post(URL, query("Resources | where (", List.of(Sample.PROD), Map.of()));
            assertEquals("ParserFailure", syntax.json().at("/error/details/1/code").asText());
            TestClient.Resp unknownColumn = c.post(URL, query("Resources | project nosuch", List.of(Sample.PROD), Map.of()));
            assertEquals(400, unknownColumn.status());
            assertEquals("nosuch", unknownColumn.json().at("/error/details/1/token").asText());
            TestClient.Resp facets = c.post(URL, Map.of("query", MACHINES, "facets", List.of(Map.of("expression", "location"))));
            assertEquals(400, facets.status());
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
