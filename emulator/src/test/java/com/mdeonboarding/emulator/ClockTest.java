package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.emulator.state.EmulatorClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The emulator's own clock: tests move it forward ({@link ArmEmulator#advanceTime}, {@code POST /admin/time}) instead of
 * sleeping. Every operation here takes ten emulated minutes, so a test that passed by waiting would time out instead.
 */
class ClockTest {
    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
    private static final String TARGET = Sample.vm("rg-prod-web", "vm-prod-win2022-new");
    private static final String EXTENSION = TARGET + "/extensions/MDE.Windows" + Sample.COMPUTE_API;

    private static ArmEmulator slowEmulator(List<String> events) {
        // No lroRetryAfterSeconds: Retry-After is derived from the time left, as the builder's default.
        return ArmEmulator.builder().sampleTenant().extensionProvisioningDelay(TEN_MINUTES).onEvent(events::add).build().start();
    }

    @Test
    void advancingTheClockCompletesADueOperationAndPublishesItsEventBeforeReturning() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (ArmEmulator arm = slowEmulator(events)) {
            TestClient c = new TestClient(arm);
            TestClient.Resp put = c.put(EXTENSION, ComputeTest.mdeWindows(TARGET));
            assertEquals(201, put.status(), put.body());
            String status = put.header("Azure-AsyncOperation").orElseThrow();
            // Retry-After: the whole seconds left on the emulator's clock (600), then what is left after a move.
            assertEquals("600", put.header("Retry-After").orElseThrow());
            events.clear();

            arm.advanceTime(Duration.ofMinutes(9));
            TestClient.Resp running = c.get(status);
            assertEquals("InProgress", running.json().path("status").asText(), "nine of ten minutes: still running");
            assertEquals("60", running.header("Retry-After").orElseThrow());
            assertEquals(List.of(), events);

            Instant now = arm.advanceTime(Duration.ofMinutes(1));
            assertEquals(1, events.size(), "the write event is out when advanceTime returns: " + events);
            JsonNode event = TestClient.MAPPER.readTree(events.get(0)).get(0);
            assertEquals("Microsoft.Resources.ResourceWriteSuccess", event.path("eventType").asText());
            Instant eventTime = Instant.parse(event.path("eventTime").asText());
            assertTrue(!eventTime.isBefore(Instant.now().plus(TEN_MINUTES).minusSeconds(5)) && !eventTime.isAfter(now),
                    "the event carries the emulator's time, ten minutes ahead of the system's: " + eventTime);
            assertEquals("Succeeded", c.get(status).json().path("status").asText());
            assertEquals("Succeeded", arm.state().extension(TARGET + "/extensions/MDE.Windows").orElseThrow().provisioningState());
            assertEquals(TEN_MINUTES, arm.clock().offset());
        }
    }

    @Test
    void theAdminRouteMovesTimeAndRefusesWhatIsNotAForwardIso8601Duration() {
        try (ArmEmulator arm = slowEmulator(new CopyOnWriteArrayList<>())) {
            TestClient c = new TestClient(arm);
            JsonNode before = c.get("/admin/time").json();
            assertEquals("PT0S", before.path("offset").asText());
            c.put(EXTENSION, ComputeTest.mdeWindows(TARGET));

            TestClient.Resp moved = c.post("/admin/time", Map.of("advance", "PT10M"));
            assertEquals(200, moved.status(), moved.body());
            assertEquals("PT10M", moved.json().path("offset").asText());
            assertEquals(0, moved.json().path("operationsInProgress").asInt(), "the due operation completed: " + moved.body());
            assertTrue(Instant.parse(moved.json().path("now").asText()).isAfter(Instant.now().plus(Duration.ofMinutes(9))));
            assertEquals("Succeeded", arm.state().extension(TARGET + "/extensions/MDE.Windows").orElseThrow().provisioningState());

            TestClient.Resp notADuration = c.post("/admin/time", Map.of("advance", "10 minutes"));
            assertEquals(400, notADuration.status());
            assertTrue(notADuration.body().contains("PT30S"), "says what to send: " + notADuration.body());
            assertEquals(400, c.post("/admin/time", Map.of("advance", "-PT1M")).status(), "time does not go back");
            assertEquals(400, c.post("/admin/time", Map.of()).status());
            assertEquals("PT10M", c.get("/admin/time").json().path("offset").asText(), "a refused move changes nothing");
        }
    }

    @Test
    void theClockOnlyMovesForward() {
        EmulatorClock clock = new EmulatorClock(java.time.Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), java.time.ZoneOffset.UTC));
        clock.advance(Duration.ofSeconds(90));
        assertEquals(Instant.parse("2026-01-01T00:01:30Z"), clock.instant());
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
        assertEquals(Duration.ofSeconds(90), clock.offset());
    }

    @Test
    void resourceGraphsQuotaWindowIsOnTheEmulatorsClock() {
        try (TestEmulator emu = TestEmulator.start(b -> b.resourceGraphQuota(1, Duration.ofHours(1)))) {
            String url = ResourceGraphTest.URL;
            Map<String, Object> q = ResourceGraphTest.query(ResourceGraphTest.PRICINGS, List.of(Sample.PROD), Map.of());
            assertEquals(200, emu.client().post(url, q).status());
            assertEquals(429, emu.client().post(url, q).status());
            emu.arm().advanceTime(Duration.ofHours(1));
            assertEquals(200, emu.client().post(url, q).status(), "an hour later on the emulator's clock, the window reset");
        }
    }
}
