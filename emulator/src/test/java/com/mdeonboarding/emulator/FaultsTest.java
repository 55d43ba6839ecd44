package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.faults.FaultRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FaultsTest {
    @RegisterExtension
    final EmulatorExtension emulator = EmulatorExtension.sampleTenant();
    private static final String SUBS = "/subscriptions?api-version=2022-12-01";

    @Test
    void throttleTwiceWithRetryAfterThenSucceed() {
        emulator.arm().faults().add(FaultRule.forOperation("VirtualMachineExtensions_CreateOrUpdate").status(429)
                .retryAfterSeconds(1).times(2));
        String vm = Sample.vm("rg-prod-web", "vm-prod-win2022-new");
        String url = vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API;
        for (int i = 0; i < 2; i++) {
            TestClient.Resp r = emulator.client().put(url, ComputeTest.mdeWindows(vm));
            assertEquals(429, r.status());
            assertEquals("1", r.header("Retry-After").orElseThrow());
            assertEquals("SubscriptionRequestsThrottled", r.json().at("/error/code").asText());
        }
        assertEquals(201, emulator.client().put(url, ComputeTest.mdeWindows(vm)).status());
        assertEquals(3, emulator.arm().requestLog().count("VirtualMachineExtensions_CreateOrUpdate"));
        assertEquals(2, emulator.arm().requestLog().count("VirtualMachineExtensions_CreateOrUpdate", 429));
        assertEquals(List.of(429, 429, 201), emulator.arm().requestLog().snapshot().stream()
                .filter(e -> e.operationId().equals("VirtualMachineExtensions_CreateOrUpdate")).map(e -> e.status()).toList());
    }

    @Test
    void serverErrorsAndCustomCodes() {
        emulator.arm().faults().add(FaultRule.forOperation("Subscriptions_List").status(500).times(1))
                .add(FaultRule.forOperation("Subscriptions_List").status(503).retryAfterSeconds(2).times(1))
                .add(FaultRule.forOperation("Subscriptions_Get").status(409).errorCode("Conflict").message("custom").times(1));
        TestClient.Resp r500 = emulator.client().get(SUBS);
        assertEquals(500, r500.status());
        assertEquals("InternalServerError", r500.json().at("/error/code").asText());
        TestClient.Resp r503 = emulator.client().get(SUBS);
        assertEquals(503, r503.status());
        assertEquals("2", r503.header("Retry-After").orElseThrow());
        assertEquals(200, emulator.client().get(SUBS).status());
        TestClient.Resp custom = emulator.client().get("/subscriptions/" + Sample.PROD + "?api-version=2022-12-01");
        assertEquals("Conflict", custom.json().at("/error/code").asText());
        assertTrue(custom.json().at("/error/message").asText().startsWith("custom"));
    }

    @Test
    void hostileAnswersEchoTheRequestAnswerEmptyOrRepeatTheNextLink() {
        String vm = Sample.vm("rg-prod-web", "vm-prod-win2022-new");
        String url = vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API;
        emulator.arm().faults().add(FaultRule.forOperation("VirtualMachineExtensions_CreateOrUpdate").status(400).echoRequestBody().times(1));
        TestClient.Resp echoed = emulator.client().put(url, ComputeTest.mdeWindows(vm));
        assertEquals(400, echoed.status());
        assertTrue(echoed.json().at("/error/message").asText().contains("Request content: '{"), echoed.json().toString());

        emulator.arm().faults().add(FaultRule.forOperation("Subscriptions_List").status(307).emptyBody().times(1));
        TestClient.Resp empty = emulator.client().get(SUBS);
        assertEquals(307, empty.status());
        assertEquals("", empty.body());

        emulator.arm().faults().add(FaultRule.forOperation("Subscriptions_List").repeatNextLink().times(1));
        TestClient.Resp repeated = emulator.client().get(SUBS);
        assertEquals(200, repeated.status());
        assertTrue(repeated.json().path("nextLink").asText().endsWith(SUBS), repeated.json().path("nextLink").asText());
    }

    @Test
    void latencyDelaysButLetsTheRequestThrough() {
        emulator.arm().faults().add(FaultRule.forAll().latency(Duration.ofMillis(300)).times(1));
        long start = System.nanoTime();
        assertEquals(200, emulator.client().get(SUBS).status());
        assertTrue((System.nanoTime() - start) / 1_000_000 >= 290);
    }

    @Test
    void droppedConnectionReachesTheClientAsAnIoError() {
        // java.net.http retries an idempotent GET once on a dropped connection, so drop both attempts.
        emulator.arm().faults().add(FaultRule.forPath("^/subscriptions$").method("GET").dropConnection().times(2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> emulator.client().get(SUBS));
        assertTrue(e.getCause() instanceof java.io.IOException, String.valueOf(e.getCause()));
        assertEquals(200, emulator.client().get(SUBS).status());
        assertEquals(2, emulator.arm().requestLog().count("Subscriptions_List", 0), "dropped requests are logged with status 0");
    }

    @Test
    void probabilityWithASeedRepeatsExactlyAndSkipWaits() {
        int first = failures(0.3, 7);
        int second = failures(0.3, 7);
        assertEquals(first, second);
        assertTrue(first > 5 && first < 30, "about 30% of 50: " + first);

        emulator.arm().faults().clear();
        emulator.arm().faults().add(FaultRule.forPath("/providers/Microsoft\\.Security/").status(503).skip(1).times(1));
        String url = "/subscriptions/" + Sample.PROD + "/providers/Microsoft.Security/settings?api-version=2022-05-01";
        assertEquals(200, emulator.client().get(url).status());
        assertEquals(503, emulator.client().get(url).status());
        assertEquals(200, emulator.client().get(url).status());
    }

    private int failures(double p, long seed) {
        emulator.arm().faults().clear();
        emulator.arm().faults().add(FaultRule.forOperation("Subscriptions_List").status(500).probability(p, seed));
        int failed = 0;
        for (int i = 0; i < 50; i++) {
            if (emulator.client().get(SUBS).status() == 500) {
                failed++;
            }
        }
        return failed;
    }

    @Test
    void adminApiAddsAndClearsFaults() {
        TestClient.Resp add = emulator.client().send("POST", "/admin/faults", Map.of("operationId", "Subscriptions_List",
                "status", 429, "retryAfterSeconds", 3, "times", 1), Map.of(), false);
        assertEquals(201, add.status(), add.body());
        TestClient.Resp throttled = emulator.client().get(SUBS);
        assertEquals(429, throttled.status());
        assertEquals("3", throttled.header("Retry-After").orElseThrow());
        emulator.client().send("POST", "/admin/faults", Map.of("path", "/subscriptions", "status", 500), Map.of(), false);
        assertEquals(500, emulator.client().get(SUBS).status());
        assertEquals(204, emulator.client().send("DELETE", "/admin/faults", null, Map.of(), false).status());
        assertEquals(200, emulator.client().get(SUBS).status());
    }
}
