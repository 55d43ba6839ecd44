package com.mdeonboarding.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.host.HttpOnboarding;
import com.mdeonboarding.api.OnboardingEndpoint;
import com.mdeonboarding.testing.Azurite;
import com.mdeonboarding.testing.CapturingLogger;
import com.mdeonboarding.testing.TcpProxy;
import com.microsoft.azure.functions.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Storage stops while the app runs (the queue's port closes, as when the account is unreachable): POST /api/onboarding
 * answers 503 within its deadline, well inside the host's timeout, saying which jobs were queued and which were not.
 */
class StorageOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the test allows: the route's deadline and a margin (the host's HTTP limit is 230 s). */
    private static final Duration ANSWER_WITHIN = OnboardingEndpoint.ENQUEUE_DEADLINE.plusSeconds(10);

    @Test
    void aStorageOutageIsAnswered503InTimeNamingWhatWasAndWasNotQueued() throws Exception {
        Matcher queue = Pattern.compile("QueueEndpoint=http://127\\.0\\.0\\.1:([0-9]+)/").matcher(Azurite.get().connectionString());
        assertTrue(queue.find());
        try (TcpProxy proxy = TcpProxy.to(Integer.parseInt(queue.group(1)))) {
            String viaProxy = Azurite.get().connectionString().replace(":" + queue.group(1) + "/", ":" + proxy.port() + "/");
            try (ReliabilityWorld w = new ReliabilityWorld(Map.of(Settings.STORAGE, viaProxy))) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < OnboardingEndpoint.MAX_RESOURCE_IDS; i++) {
                    ids.add("/subscriptions/" + ReliabilityWorld.SUB_A + "/resourceGroups/rg-outage/providers/Microsoft.Compute/virtualMachines/vm-" + i);
                }
                HttpCalls.Reply before = post(w, ids.subList(0, 1));
                assertEquals(202, before.status(), "Storage up: queued " + before);
                w.clearQueue();

                proxy.stop();
                for (List<String> request : List.of(ids.subList(0, 1), ids)) {
                    long started = System.nanoTime();
                    HttpCalls.Reply r = assertTimeoutPreemptively(ANSWER_WITHIN, () -> post(w, request),
                            "answered within " + ANSWER_WITHIN.toSeconds() + " s for " + request.size() + " ID(s)");
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    Figures.set("outage", "POST /api/onboarding with " + request.size() + " ID(s), queue port closed: answered in ms", millis);
                    assertEquals(503, r.status(), r.toString());
                    JsonNode p = JSON.readTree(r.body());
                    assertEquals("urn:mde-onboarding:problem:unavailable", p.path("type").asText());
                    Set<String> accounted = new HashSet<>();
                    p.path("jobs").forEach(j -> accounted.add(j.path("resourceId").asText()));
                    p.path("notQueued").forEach(n -> accounted.add(n.asText()));
                    assertEquals(new HashSet<>(request), accounted, "every machine is either queued or named to send again");
                    assertEquals(request.size(), p.path("notQueued").size(), "nothing reached the stopped queue: " + r.body());
                    assertTrue(r.header("X-Correlation-Id") != null);
                }
                assertEquals(0, w.queuedJobs(), "and nothing is on the queue");
            }
        }
    }

    private static HttpCalls.Reply post(ReliabilityWorld w, List<String> ids) throws Exception {
        String body = JSON.writeValueAsString(Map.of("resourceIds", ids));
        var req = HttpCalls.request(HttpMethod.POST, "onboarding", Map.of("content-type", "application/json"), Map.of(), Optional.of(body));
        return HttpCalls.reply(new HttpOnboarding(w.services).run(req, HttpCalls.context(HttpOnboarding.NAME,
                CapturingLogger.into(w.testLog, "outage"))));
    }
}
