package com.mdeonboarding.api;

import static com.mdeonboarding.api.HttpOnboardingTest.assertProblem;
import static com.mdeonboarding.testing.OperatorWorld.SUB_FREE;
import static com.mdeonboarding.testing.OperatorWorld.SUB_IN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.emulator.tenant.ExtensionSpec;
import com.mdeonboarding.emulator.tenant.SensorSpec;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepRequest;
import com.mdeonboarding.testing.OperatorWorld;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** GET /api/posture through the real trigger and the real report store. */
class HttpPostureTest {

    @Test
    void notFoundUntilASweepIsStoredThenTheLatestReport() {
        try (OperatorWorld world = new OperatorWorld()) {
            Http.Reply none = Http.getPosture(world.services, Map.of());
            assertProblem(none, 404, "not-found");
            assertTrue(none.json().path("detail").asText().contains("no sweep"), none.toString());

            world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg").name("p").build());
            // Onboarded by someone else, its sensor Inactive: extension Succeeded, not protected.
            String quiet = world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg")
                    .name("quiet").sensor(SensorSpec.health("Inactive")).build());
            world.emulator.state().putExtension(quiet, ExtensionSpec.mde("MDE.Windows", "Succeeded"));
            Logger log = Logger.getAnonymousLogger();
            log.setUseParentHandlers(false);
            SweepReport stored = world.services.sweeps.run(new SweepRequest(false, Optional.empty(), List.of(SUB_IN, SUB_FREE), false), world.services.jobQueue::enqueue, log);

            Http.Reply r = Http.getPosture(world.services, Map.of("code", "function-key"));
            assertEquals(200, r.status(), r.toString());
            JsonNode report = r.json();
            assertEquals(stored.sweepId(), report.path("sweepId").asText());
            assertEquals(2, report.path("subscriptions").size());
            JsonNode free = report.path("subscriptions").get(SUB_IN.compareTo(SUB_FREE) < 0 ? 1 : 0);
            assertEquals(SUB_FREE, free.path("subscriptionId").asText());
            assertTrue(free.path("drift").get(0).asText().startsWith("PLAN_NOT_ENABLED"), report.toString());
            assertEquals(1, report.path("coverage").path("DEPLOY").asInt(), "the machine gets a job to deploy: " + report);
            // Sensors: the headline "protected" next to "extension Succeeded", and the counts by health.
            JsonNode sensor = report.path("sensor");
            assertTrue(sensor.path("checked").asBoolean(), report.toString());
            assertEquals(1, sensor.path("extensionSucceeded").asInt());
            assertEquals(0, sensor.path("protected").asInt());
            assertEquals(1, sensor.path("health").path("INACTIVE").asInt());
            assertEquals(1, sensor.path("jobsQueued").asInt(), "its sensor is not Active: a job");
            assertEquals(1, sensor.path("devices").path("defenderApiCalls").asInt());

            assertProblem(Http.getPosture(world.services, Map.of("subscription", SUB_IN)), 400, "invalid-request");
        }
    }
}
