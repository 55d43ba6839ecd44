package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.emulator.providers.DefenderApiRateLimit;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.ExtensionSpec;
import com.mdeonboarding.emulator.tenant.SensorSpec;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The emulated Defender for Endpoint API ({@code GET /api/machines} on the emulator's HTTPS server), against what
 * MicrosoftDocs/defender-docs documents: defender-endpoint/api/get-machines.md (response example, $top at most 10,000,
 * $skip, $filter, 100 calls/min and 1,500/h, 404 without recent machines), api/common-errors.md (error shape, 401, 403,
 * 429 with Retry-After), api/exposed-apis-odata-samples.md (startswith(computerDnsName,...)), and per-machine sensor
 * behaviours from the tenant file.
 */
class DefenderEndpointTest {
    private static final String ONBOARDED_VM = Sample.vm("rg-prod-web", "vm-prod-win2022-onboarded");
    private static final String NEW_VM = Sample.vm("rg-prod-web", "vm-prod-win2022-new");

    private static JsonNode example(String file) {
        try {
            Path p = Path.of(DefenderEndpointTest.class.getResource("/defender-endpoint-examples/" + file).toURI());
            return TestClient.MAPPER.readTree(Files.readString(p));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theListHasTheDocumentedResponseShape_getMachinesMd() {
        try (TestEmulator e = TestEmulator.start()) {
            TestClient.Resp r = e.client().get("/api/machines");
            assertEquals(200, r.status(), r.body());
            // aadDeviceId is "Nullable ... (when machine is Microsoft Entra joined)" (api/machine.md): null for Azure servers.
            assertEquals(List.of(), ShapeComparer.mismatches(example("get-machines-response.json"), r.json(), Set.of("value[].aadDeviceId")));
            // vmMetadata as Microsoft Graph's security-vmmetadata resource type describes it.
            for (JsonNode d : r.json().path("value")) {
                assertEquals(List.of(), ShapeComparer.mismatches(example("vmMetadata.json"), d.path("vmMetadata"), Set.of("@odata.type")));
            }
            assertEquals(e.arm().baseUrl() + "/api/$metadata#Machines", r.json().path("@odata.context").asText());
            // The sample tenant's three onboarded machines report, Active and Onboarded, named by their resource IDs.
            List<String> ids = new ArrayList<>();
            r.json().path("value").forEach(d -> ids.add(d.path("vmMetadata").path("resourceId").asText()));
            assertEquals(3, ids.size(), r.body());
            assertTrue(ids.contains(ONBOARDED_VM), ids.toString());
            r.json().path("value").forEach(d -> {
                assertEquals("Active", d.path("healthStatus").asText());
                assertEquals("Onboarded", d.path("onboardingStatus").asText());
                assertEquals(40, d.path("id").asText().length(), "40 hex characters like the documented IDs");
            });
        }
    }

    @Test
    void withoutTheTokenItIs401InTheApisErrorShape_commonErrorsMd() {
        try (TestEmulator e = TestEmulator.start()) {
            TestClient.Resp r = e.client().send("GET", "/api/machines", null, Map.of(), false);
            assertEquals(401, r.status());
            assertEquals("Unauthorized", r.json().path("error").path("code").asText());
            assertEquals(List.of(), ShapeComparer.mismatches(example("common-errors-response.json"), r.json(), Set.of()));
            TestClient.Resp wrong = e.client().send("GET", "/api/machines", null, Map.of("Authorization", "Bearer not-the-token"), false);
            assertEquals(401, wrong.status());
            assertEquals(2, e.arm().defenderRequestLog().count("ListMachines", 401), "both logged");
            assertEquals(0, e.arm().requestLog().total(), "not in Resource Manager's log");
        }
    }

    @Test
    void withoutThePermissionItIs403() {
        try (TestEmulator e = TestEmulator.start()) {
            e.state().setDefenderApiPermission(false);
            TestClient.Resp r = e.client().get("/api/machines");
            assertEquals(403, r.status());
            assertEquals("Forbidden", r.json().path("error").path("code").asText());
            e.state().setDefenderApiPermission(true);
            assertEquals(200, e.client().get("/api/machines").status());
        }
    }

    @Test
    void pagesFollowTopSkipAndNextLink() {
        try (TestEmulator e = TestEmulator.start()) {
            List<String> seen = new ArrayList<>();
            String url = "/api/machines?$top=2";
            int pages = 0;
            while (url != null) {
                TestClient.Resp r = e.client().get(url);
                assertEquals(200, r.status(), r.body());
                r.json().path("value").forEach(d -> seen.add(d.path("id").asText()));
                url = r.json().hasNonNull("@odata.nextLink") ? r.json().path("@odata.nextLink").asText() : null;
                pages++;
            }
            assertEquals(2, pages);
            assertEquals(3, seen.size());
            assertEquals(3, Set.copyOf(seen).size(), "no record twice");
            assertEquals(400, e.client().get("/api/machines?$top=10001").status(), "$top is at most 10,000");
            assertEquals("ODataError", e.client().get("/api/machines?$top=0").json().path("error").path("code").asText());
        }
    }

    @Test
    void filtersOnComputerDnsNameAsTheAppUsesIt_odataSamplesExample8() {
        try (TestEmulator e = TestEmulator.start()) {
            String filter = URLEncoder.encode("startswith(computerDnsName,'vm-prod-win2022-onb')", StandardCharsets.UTF_8).replace("+", "%20");
            TestClient.Resp r = e.client().get("/api/machines?$filter=" + filter);
            assertEquals(200, r.status(), r.body());
            assertEquals(1, r.json().path("value").size());
            assertEquals(ONBOARDED_VM, r.json().path("value").get(0).path("vmMetadata").path("resourceId").asText());
            String none = URLEncoder.encode("startswith(computerDnsName,'nothing-like-this')", StandardCharsets.UTF_8);
            TestClient.Resp empty = e.client().get("/api/machines?$filter=" + none);
            assertEquals(200, empty.status(), "a filter that matches nothing is an empty page, not 404");
            assertEquals(0, empty.json().path("value").size());
            TestClient.Resp bad = e.client().get("/api/machines?$filter=" + URLEncoder.encode("vmMetadata eq 'x'", StandardCharsets.UTF_8));
            assertEquals(400, bad.status(), "vmMetadata is not filterable");
            TestClient.Resp health = e.client().get("/api/machines?$filter=" + URLEncoder.encode("healthStatus eq 'Active'",
                    StandardCharsets.UTF_8));
            assertEquals(3, health.json().path("value").size());
        }
    }

    @Test
    void aTenantWithoutDevicesAnswers404() {
        try (TestEmulator e = TestEmulator.start(b -> b.tenant(new Tenant(null, List.of(new SubscriptionSpec(Sample.PROD, null, null, null,
                null, null, null, List.of(VirtualMachineSpec.builder().name("vm1").build()), null)), null)))) {
            assertEquals(404, e.client().get("/api/machines").status());
        }
    }

    @Test
    void theRateLimitsAnswer429WithRetryAfter_getMachinesMdLimits() {
        try (TestEmulator e = TestEmulator.start(b -> b.defenderApiRateLimits(List.of(new DefenderApiRateLimit(3, Duration.ofSeconds(2)))))) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, e.client().get("/api/machines").status());
            }
            TestClient.Resp throttled = e.client().get("/api/machines");
            assertEquals(429, throttled.status());
            assertEquals("TooManyRequests", throttled.json().path("error").path("code").asText());
            int retryAfter = Integer.parseInt(throttled.header("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 2, "whole seconds until a slot frees: " + retryAfter);
            assertEquals(1, e.arm().defenderThrottles().size());
            e.arm().advanceTime(Duration.ofSeconds(retryAfter));
            assertEquals(200, e.client().get("/api/machines").status(), "after Retry-After a call is accepted again");
            assertEquals(DefenderApiRateLimit.DOCUMENTED, List.of(new DefenderApiRateLimit(100, Duration.ofMinutes(1)),
                    new DefenderApiRateLimit(1_500, Duration.ofHours(1))));
        }
    }

    @Test
    void sensorsBehaveAsTheTenantFileSaysOnceTheExtensionSucceeds() {
        try (TestEmulator e = TestEmulator.start()) {
            TenantState s = e.state();
            int before = s.deviceCount();
            String late = vm(s, "vm-late", SensorSpec.reportsAfter(1));
            String never = vm(s, "vm-never", SensorSpec.never());
            String inactive = vm(s, "vm-inactive", SensorSpec.health("Inactive"));
            String twice = vm(s, "vm-twice", SensorSpec.records(2));
            String bare = vm(s, "vm-bare", SensorSpec.withoutVmMetadata());
            String plain = vm(s, "vm-plain", null);
            assertEquals(before, s.deviceCount(), "no device before the extension succeeds");
            for (String id : List.of(late, never, inactive, twice, bare, plain)) {
                s.putExtension(id, ExtensionSpec.mde("MDE.Windows", "Succeeded"));
            }
            assertEquals(0, recordsOf(s, late).size(), "reports after a second");
            assertEquals(0, recordsOf(s, never).size());
            assertEquals("Inactive", recordsOf(s, inactive).get(0).get("healthStatus"));
            assertEquals(List.of("Inactive", "Active"), recordsOf(s, twice).stream().map(d -> d.get("healthStatus")).toList(),
                    "the older record Inactive, the one seen last Active");
            assertEquals("Active", recordsOf(s, plain).get(0).get("healthStatus"));
            assertTrue(s.devices().stream().anyMatch(d -> d.get("vmMetadata") == null
                    && "vm-bare".equals(d.get("computerDnsName"))), "a record without vmMetadata");
            e.arm().advanceTime(Duration.ofSeconds(1));
            assertEquals(1, recordsOf(s, late).size());
            assertEquals(0, recordsOf(s, never).size(), "never");
        }
    }

    @Test
    void aForcedReOnboardingAddsARecordAndTheOldOneGoesInactive() {
        try (TestEmulator e = TestEmulator.start()) {
            TenantState s = e.state();
            assertEquals(1, recordsOf(s, ONBOARDED_VM).size());
            Map<String, Object> body = Map.of("location", "westeurope", "properties", Map.of("publisher",
                    "Microsoft.Azure.AzureDefenderForServers", "type", "MDE.Windows", "typeHandlerVersion", "1.0",
                    "settings", Map.of("azureResourceId", ONBOARDED_VM, "forceReOnboarding", true),
                    "protectedSettings", Map.of("defenderForEndpointOnboardingScript", "x")));
            assertEquals(200, e.client().put(ONBOARDED_VM + "/extensions/MDE.Windows" + Sample.COMPUTE_API, body).status());
            e.arm().advanceTime(Duration.ofMillis(150)); // the extension's provisioning time: the operation completes
            List<Map<String, Object>> records = recordsOf(s, ONBOARDED_VM);
            assertEquals(List.of("Inactive", "Active"), records.stream().map(d -> d.get("healthStatus")).toList());
            assertFalse(records.get(0).get("id").equals(records.get(1).get("id")));
            // Without forceReOnboarding an update changes nothing about the device.
            Map<String, Object> plain = Map.of("location", "westeurope", "properties", Map.of("publisher",
                    "Microsoft.Azure.AzureDefenderForServers", "type", "MDE.Windows", "typeHandlerVersion", "1.0",
                    "settings", Map.of("forceReOnboarding", false)));
            e.client().put(ONBOARDED_VM + "/extensions/MDE.Windows" + Sample.COMPUTE_API, plain);
            e.arm().advanceTime(Duration.ofMillis(150));
            assertEquals(2, recordsOf(s, ONBOARDED_VM).size());
            assertEquals(0, recordsOf(s, NEW_VM).size());
        }
    }

    private static String vm(TenantState s, String name, SensorSpec sensor) {
        return s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(Sample.PROD).resourceGroup("rg-sensor").name(name)
                .sensor(sensor).build());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> recordsOf(TenantState s, String machineId) {
        return s.devices().stream().filter(d -> d.get("vmMetadata") instanceof Map<?, ?> m
                && machineId.equalsIgnoreCase(String.valueOf(((Map<String, Object>) m).get("resourceId"))))
                .sorted(java.util.Comparator.comparing(d -> String.valueOf(d.get("lastSeen")))).toList();
    }
}
