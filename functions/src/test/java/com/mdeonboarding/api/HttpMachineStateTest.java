package com.mdeonboarding.api;

import static com.mdeonboarding.api.HttpOnboardingTest.assertProblem;
import static com.mdeonboarding.testing.OperatorWorld.SUB_IN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.reconcile.ReconcileResult;
import com.mdeonboarding.testing.OperatorWorld;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /api/machines/state through the real trigger and the real state store (Azurite). */
class HttpMachineStateTest {
    private static OperatorWorld world;
    private static String onboarded;
    private static String blocked;
    private static String deployJobCorrelationId;

    @BeforeAll
    static void start() {
        world = new OperatorWorld();
        var s = world.emulator.state();
        onboarded = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg").name("web").build());
        blocked = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg").name("stopped")
                .powerState("deallocated").build());
        Logger log = Logger.getAnonymousLogger();
        log.setUseParentHandlers(false);
        OnboardingJob deploy = OnboardingJob.create(MachineId.parse(onboarded), JobSource.MANUAL, Instant.now());
        deployJobCorrelationId = deploy.correlationId();
        assertEquals(DecisionKind.DEPLOY, world.services.reconciler.reconcile(deploy, log).decision().orElseThrow().kind());
        ReconcileResult verified;
        OnboardingJob next = deploy;
        do {
            world.emulator.advanceTime(Duration.ofMillis(300)); // the world's extension provisioning time
            next = next.next(Instant.now());
            verified = world.services.reconciler.reconcile(next, log);
        } while (verified.decision().orElseThrow().kind() == DecisionKind.PENDING && next.attempt() < 20);
        assertEquals(DecisionKind.ONBOARDED, verified.decision().orElseThrow().kind());
        world.services.reconciler.reconcile(OnboardingJob.create(MachineId.parse(blocked), JobSource.MANUAL, Instant.now()), log);
    }

    @AfterAll
    static void stop() {
        world.close();
    }


    @Test
    void anOnboardedMachineShowsItsDecisionSentencesExtensionAndHistory() {
        Http.Reply r = Http.getState(world.services, Map.of("resourceId", onboarded));
        assertEquals(200, r.status(), r.toString());
        JsonNode s = r.json();
        assertEquals(onboarded, s.path("resourceId").asText());
        assertEquals("virtualMachine", s.path("kind").asText());
        assertEquals("ONBOARDED", s.path("decision").asText());
        assertEquals(ReasonCode.EXTENSION_HEALTHY.name(), s.path("reasons").get(0).path("code").asText());
        assertEquals(ReasonCode.EXTENSION_HEALTHY.sentence(), s.path("reasons").get(0).path("sentence").asText());
        assertEquals("Succeeded", s.path("extensionState").asText());
        assertEquals(0, s.path("extensionFailures").asInt());
        assertTrue(s.path("lastDeployAt").isTextual());
        assertEquals(deployJobCorrelationId, s.path("correlationId").asText());
        assertEquals("manual", s.path("source").asText());
        assertEquals(ReasonCode.SENSOR_ACTIVE.name(), s.path("reasons").get(1).path("code").asText());
        assertTrue(s.path("detail").asText().contains("healthStatus Active"), s.toString());
        // The sensor, as the Defender for Endpoint API showed it at the last look.
        JsonNode sensor = s.path("sensor");
        assertTrue(sensor.path("verified").asBoolean(), s.toString());
        assertEquals(40, sensor.path("deviceId").asText().length());
        assertEquals("Onboarded", sensor.path("onboardingStatus").asText());
        assertEquals("Active", sensor.path("healthStatus").asText());
        Instant.parse(sensor.path("lastSeen").asText());
        assertEquals(1, sensor.path("records").asInt());
        Instant.parse(sensor.path("extensionSucceededSince").asText());
        assertTrue(sensor.path("reOnboardedAt").isNull());
        Instant.parse(s.path("updatedAt").asText());
        JsonNode history = s.path("history");
        assertTrue(history.size() >= 2, s.toString());
        assertEquals("ONBOARDED", history.get(0).path("decision").asText(), "newest first");
        JsonNode deploy = history.get(history.size() - 1);
        assertEquals("DEPLOY", deploy.path("decision").asText());
        assertEquals("DEPLOY_EXTENSION", deploy.path("actions").get(0).asText());
        assertEquals(deployJobCorrelationId, deploy.path("correlationId").asText());
    }

    @Test
    void aBlockedMachineSaysWhyInTheOperatorsWords() {
        JsonNode s = Http.getState(world.services, Map.of("resourceId", blocked)).json();
        assertEquals("BLOCKED", s.path("decision").asText());
        assertEquals(ReasonCode.VM_NOT_RUNNING.name(), s.path("reasons").get(0).path("code").asText());
        assertEquals(ReasonCode.VM_NOT_RUNNING.sentence(), s.path("reasons").get(0).path("sentence").asText());
        assertTrue(s.path("extensionState").isNull());
    }

    @Test
    void idsCompareCaseInsensitivelyAndHistoryIsBounded() {
        Http.Reply r = Http.getState(world.services, Map.of("resourceId", onboarded.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/"),
                "history", "1", "code", "function-key"));
        assertEquals(200, r.status(), r.toString());
        assertTrue(onboarded.equalsIgnoreCase(r.json().path("resourceId").asText()), r.toString());
        assertEquals(1, r.json().path("history").size());
        assertEquals(0, Http.getState(world.services, Map.of("resourceId", onboarded, "history", "0")).json().path("history").size());
    }

    @Test
    void anUnknownMachineIs404() {
        String unknown = "/subscriptions/" + SUB_IN + "/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/never-seen";
        Http.Reply r = Http.getState(world.services, Map.of("resourceId", unknown));
        assertProblem(r, 404, "not-found");
        assertEquals("resourceId", r.json().path("field").asText());
    }

    @Test
    void badQueriesAre400() {
        String p = "/subscriptions/" + SUB_IN + "/resourceGroups/rg/providers/";
        Object[][] cases = {
                {Map.of(), "invalid-request", "resourceId"},
                {Map.of("resourceId", ""), "invalid-resource-id", "resourceId"},
                {Map.of("resourceId", p + "Microsoft.Compute/virtualMachines/../../Microsoft.Storage/storageAccounts/x"), "invalid-resource-id", "resourceId"},
                {Map.of("resourceId", p + "Microsoft.Compute/virtualMachines/web%2F..%2Fx"), "invalid-resource-id", "resourceId"},
                {Map.of("resourceId", "%2Fsubscriptions%2F" + SUB_IN), "invalid-resource-id", "resourceId"},
                {Map.of("resourceId", p + "Microsoft.Web/sites/app"), "invalid-resource-id", "resourceId"},
                {Map.of("resourceId", onboarded + "\r\nX-Injected: 1"), "invalid-resource-id", "resourceId"},
                {Map.of("resourceId", onboarded + "\u2028"), "invalid-resource-id", "resourceId"},
                {Map.of("resourceId", onboarded, "history", "101"), "invalid-request", "history"},
                {Map.of("resourceId", onboarded, "history", "-1"), "invalid-request", "history"},
                {Map.of("resourceId", onboarded, "history", "ten"), "invalid-request", "history"},
                {Map.of("resourceId", onboarded, "expand", "all"), "invalid-request", "expand"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Http.Reply r = Http.getState(world.services, (Map<String, String>) c[0]);
            assertProblem(r, 400, (String) c[1]);
            assertEquals(c[2], r.json().path("field").asText(), r.toString());
        }
        Http.Reply injected = Http.getState(world.services, Map.of("resourceId", onboarded + "\r\nX-Injected: 1"));
        assertTrue(injected.json().path("detail").asText().contains("\\u000d\\u000aX-Injected"), injected.toString());
    }
}
