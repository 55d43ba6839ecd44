package com.mdeonboarding.api;

import static com.mdeonboarding.testing.OperatorWorld.SUB_IN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.testing.OperatorWorld;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /api/sweeps through the real trigger, and the queue function that runs what it queued. */
class HttpSweepsTest {

    @Test
    void aSweepOnDemandAnswers202WithItsIdAndPostureShowsItOnceDone() {
        try (OperatorWorld world = new OperatorWorld()) {
            String vm = world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg")
                    .name("swept-now").build());
            world.clearQueue();
            Http.Reply r = Http.postSweeps(world.services, null, null);
            assertEquals(202, r.status(), r.toString());
            String sweepId = r.json().path("sweepId").asText();
            assertTrue(sweepId.matches("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}"), r.toString());
            assertEquals("/api/posture?sweepId=" + sweepId, r.header("Location"));
            assertEquals("queued", r.json().path("status").asText());
            assertTrue(r.header(Endpoint.CORRELATION_HEADER) != null);

            // A second request before it ran joins it: repeated requests cannot pile up sweeps.
            Http.Reply again = Http.postSweeps(world.services, "application/json", "{}");
            assertEquals(202, again.status(), again.toString());
            assertEquals(sweepId, again.json().path("sweepId").asText());

            Http.Reply waiting = Http.getPosture(world.services, Map.of("sweepId", sweepId));
            assertEquals(202, waiting.status(), "asked for, not run yet: " + waiting);
            assertEquals("10", waiting.header("Retry-After"));

            // The Function App's RunRequestedSweep (through the local host) runs it; its jobs go to the jobs queue.
            assertTrue(world.host.runUntil(() -> world.services.reports.get(sweepId).isPresent(), Duration.ofSeconds(60)),
                    String.join("\n", world.host.logLines()));
            Http.Reply done = Http.getPosture(world.services, Map.of("sweepId", sweepId));
            assertEquals(200, done.status(), done.toString());
            JsonNode report = done.json();
            assertEquals(sweepId, report.path("sweepId").asText());
            assertEquals(0, report.path("reconciledInline").asInt(), "the Function App queues its jobs");
            assertTrue(report.path("jobsQueued").asInt() >= 1, report.toString());
            assertEquals(sweepId, Http.getPosture(world.services, Map.of()).json().path("sweepId").asText(), "and it is the latest");
            assertTrue(world.host.runUntil(() -> "ONBOARDED".equals(OperatorWorld.decision(world.stateRow(vm))), Duration.ofSeconds(60)),
                    "its job onboarded the machine: " + world.stateRow(vm));

            // Done: the next request starts a new sweep.
            Http.Reply next = Http.postSweeps(world.services, null, null);
            assertEquals(202, next.status());
            assertTrue(!next.json().path("sweepId").asText().equals(sweepId), next.toString());
        }
    }

    @Test
    void aSweepRequestTakesNoOptionsAndUnknownSweepsAreNotFound() {
        try (OperatorWorld world = new OperatorWorld()) {
            Http.Reply options = Http.postSweeps(world.services, "application/json", "{\"mode\":\"enforce\"}");
            assertEquals(400, options.status(), "enforce mode cannot be asked for over HTTP: " + options);
            assertEquals(415, Http.postSweeps(world.services, "text/plain", "go").status());
            assertEquals(400, Http.getPosture(world.services, Map.of("sweepId", "../latest")).status());
            Http.Reply unknown = Http.getPosture(world.services, Map.of("sweepId", "20261201T000000Z-00000000"));
            assertEquals(404, unknown.status(), unknown.toString());
            assertEquals(0, world.queue(com.mdeonboarding.sweep.SweepRequestQueue.SUFFIX).getProperties().getApproximateMessagesCount(),
                    "nothing was queued");
        }
    }
}
