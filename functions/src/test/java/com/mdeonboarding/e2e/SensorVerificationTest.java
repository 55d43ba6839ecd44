package com.mdeonboarding.e2e;

import static com.mdeonboarding.e2e.OnboardingWorld.SUB_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.providers.DefenderApiRateLimit;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.tenant.SensorSpec;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.host.ComplianceSweep;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.testing.AdjustableClock;
import com.mdeonboarding.testing.TestWorld;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Ground truth for "onboarded": through the real triggers, Azurite and the emulator (Resource Manager and the Defender for
 * Endpoint API on one HTTPS server), a machine is protected only when its device reports. Each scenario is one of the
 * issue's "Done when" bullets.
 */
class SensorVerificationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PAST_THE_GRACE = Duration.ofMinutes(61);

    private static String vm(OnboardingWorld w, String name, SensorSpec sensor) {
        return w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).resourceGroup("rg-sensor")
                .name(name).sensor(sensor).build());
    }

    private static boolean settled(OnboardingWorld w, List<String> ids) {
        return ids.stream().allMatch(id -> {
            TableEntity row = w.stateRow(id);
            return row != null && !List.of("DEPLOY", "PENDING").contains(String.valueOf(row.getProperty("Decision")));
        });
    }

    private static String outcome(OnboardingWorld w, String id) {
        TableEntity row = w.stateRow(id);
        return row == null ? null : TestWorld.decision(row) + " " + TestWorld.reasons(row);
    }

    /** Defender for Endpoint API requests that looked up this machine by name. */
    private static long lookupsOf(OnboardingWorld w, String machineName) {
        return w.emulator.defenderRequestLog().snapshot().stream().filter(e -> e.query() != null
                && URLDecoder.decode(e.query(), StandardCharsets.UTF_8).contains("'" + machineName + "'")).count();
    }

    private static String log(OnboardingWorld w) {
        return String.join("\n", w.host.logLines());
    }

    @Test
    void aMachineWhoseSensorReportsEndsOnboardedSensorActive() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            String win = vm(w, "reports-vm", null);
            String arc = w.emulator.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("reports-arc").build());
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> settled(w, List.of(win, arc)), TIMEOUT), log(w));
            for (String id : List.of(win, arc)) {
                assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", outcome(w, id), id);
                TableEntity row = w.stateRow(id);
                assertEquals(true, row.getProperty("SensorVerified"));
                assertEquals("Active", row.getProperty("SensorHealthStatus"));
                assertEquals("Onboarded", row.getProperty("SensorOnboardingStatus"));
                assertEquals(1, row.getProperty("SensorRecords"));
                assertNotNull(row.getProperty("SensorDeviceId"));
                assertNotNull(row.getProperty("SensorLastSeen"));
            }
            // One Defender for Endpoint call per look at a machine whose extension Succeeded: here the one verify look each.
            assertEquals(1, lookupsOf(w, "reports-vm"), "the VM's verify look");
            assertEquals(1, lookupsOf(w, "reports-arc"), "the Arc machine's verify look");
            assertEquals(2, w.emulator.defenderRequestLog().total());
            // The history row of the verify keeps the sensor too.
            assertTrue(w.historyRows().stream().anyMatch(h -> win.equals(h.getProperty("ResourceId"))
                    && "Active".equals(h.getProperty("SensorHealthStatus"))), "history keeps the sensor");
        }
    }

    @Test
    void aSensorThatNeverReportsIsReDeployedOnceWithForceReOnboardingThenBlocked() {
        AdjustableClock clock = new AdjustableClock();
        try (OnboardingWorld w = new OnboardingWorld(OnboardingWorld.defaultTenant(), Map.of(), clock)) {
            String id = vm(w, "silent-vm", SensorSpec.never());
            TenantState s = w.emulator.state();
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> "PENDING SENSOR_AWAITING_FIRST_REPORT".equals(outcome(w, id)), TIMEOUT), log(w));
            assertEquals(1, w.acceptedExtensionPuts().get(id.toLowerCase()), "one deployment so far");

            clock.advance(PAST_THE_GRACE);
            assertTrue(w.host.runUntil(() -> w.acceptedExtensionPuts().getOrDefault(id.toLowerCase(), 0) == 2
                    && "PENDING SENSOR_AWAITING_FIRST_REPORT".equals(outcome(w, id)), TIMEOUT), log(w));
            TenantState.ExtensionInfo ext = s.extensionsOf(id).stream().filter(e -> "MDE.Windows".equals(e.name())).findFirst().orElseThrow();
            assertEquals(true, ext.settings().get("forceReOnboarding"), "the re-deployment re-onboards the sensor");
            assertTrue(w.historyRows().stream().anyMatch(h -> id.equals(h.getProperty("ResourceId")) && "DEPLOY".equals(h.getProperty("Decision"))
                    && "SENSOR_NOT_SEEN".equals(h.getProperty("Reasons")) && "DEPLOY_EXTENSION".equals(h.getProperty("Actions"))),
                    "recorded as DEPLOY SENSOR_NOT_SEEN");

            clock.advance(PAST_THE_GRACE);
            assertTrue(w.host.runUntil(() -> "BLOCKED SENSOR_NOT_SEEN".equals(outcome(w, id)), TIMEOUT), log(w));
            TableEntity row = w.stateRow(id);
            assertNotNull(row.getProperty("ReOnboardedAt"));
            assertTrue(String.valueOf(row.getProperty("Detail")).contains("forceReOnboarding"), String.valueOf(row.getProperty("Detail")));
            // Blocked is the end: no third deployment, no further look.
            w.host.runUntil(() -> false, Duration.ofSeconds(3));
            assertEquals(2, w.acceptedExtensionPuts().get(id.toLowerCase()), "re-deployed exactly once");
            assertEquals(0, w.queuedJobs());
        }
    }

    @Test
    void inactiveImpairedAndSilentDevicesEndWithTheirCodes() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put(vm(w, "inactive", SensorSpec.health("Inactive")), "BLOCKED SENSOR_INACTIVE");
            expected.put(vm(w, "impaired", SensorSpec.health("ImpairedCommunication")), "BLOCKED SENSOR_IMPAIRED_COMMUNICATION");
            expected.put(vm(w, "no-data", SensorSpec.health("NoSensorData")), "BLOCKED SENSOR_NO_DATA");
            expected.put(vm(w, "no-data-impaired", SensorSpec.health("NoSensorDataImpairedCommunication")), "BLOCKED SENSOR_NO_DATA");
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> settled(w, List.copyOf(expected.keySet())), TIMEOUT), log(w));
            expected.forEach((id, want) -> assertEquals(want, outcome(w, id), id));
            assertEquals(4, w.acceptedExtensionPuts().values().stream().mapToInt(Integer::intValue).sum(), "no re-deployment for a device that exists");
        }
    }

    @Test
    void duplicatesResolveToTheRecordSeenLast() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            String id = vm(w, "twice", SensorSpec.records(3));
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> settled(w, List.of(id)), TIMEOUT), log(w));
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", outcome(w, id));
            Map<String, Object> latest = w.emulator.state().devices().stream()
                    .filter(d -> d.get("vmMetadata") instanceof Map<?, ?> m && id.equalsIgnoreCase(String.valueOf(m.get("resourceId"))))
                    .max(java.util.Comparator.comparing(d -> String.valueOf(d.get("lastSeen")))).orElseThrow();
            assertEquals("Active", latest.get("healthStatus"));
            TableEntity row = w.stateRow(id);
            assertEquals(latest.get("id"), row.getProperty("SensorDeviceId"), "the record seen last decides");
            assertEquals(3, row.getProperty("SensorRecords"), "and the count is recorded");
        }
    }

    @Test
    void aRecordWithoutVmMetadataIsNeverMatchedByName() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            String id = vm(w, "bare", SensorSpec.withoutVmMetadata());
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> settled(w, List.of(id)), TIMEOUT), log(w));
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_UNVERIFIED", outcome(w, id));
            assertTrue(String.valueOf(w.stateRow(id).getProperty("Detail")).contains("never guessed"));
            assertEquals(1, w.acceptedExtensionPuts().get(id.toLowerCase()), "no re-onboarding on an ambiguous record");
        }
    }

    @Test
    void withTheSensorCheckOffTheApiIsNeverCalledAndOnboardedSaysUnverified() {
        try (OnboardingWorld w = new OnboardingWorld(OnboardingWorld.defaultTenant(), Map.of(Settings.SENSOR_CHECK, "off"))) {
            String id = vm(w, "unchecked", SensorSpec.never());
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> settled(w, List.of(id)), TIMEOUT), log(w));
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_UNVERIFIED", outcome(w, id));
            assertTrue(String.valueOf(w.stateRow(id).getProperty("Detail")).contains("MDE_SENSOR_CHECK=off"));
            SweepReport r = sweep(w);
            assertFalse(r.sensor().checked());
            assertEquals(0, w.emulator.defenderRequestLog().total(), "not one Defender for Endpoint call");
            assertTrue(r.errors().isEmpty(), "off is not an error: " + r.errors());
        }
    }

    @Test
    void withoutThePermissionTheDecisionStandsUnverifiedAndEachSweepReportsItOnce() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            w.emulator.state().setDefenderApiPermission(false);
            List<String> ids = List.of(vm(w, "np-1", null), vm(w, "np-2", null), vm(w, "np-3", null));
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> settled(w, ids), TIMEOUT), log(w));
            for (String id : ids) {
                assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_UNVERIFIED", outcome(w, id));
                assertTrue(String.valueOf(w.stateRow(id).getProperty("Detail")).contains("Machine.Read.All"), id);
                assertEquals(false, w.stateRow(id).getProperty("SensorVerified"));
            }
            assertEquals(1, w.emulator.defenderRequestLog().count("ListMachines", 403), "the 403 is believed for a while: one call for three looks");
            SweepReport r = sweep(w);
            assertEquals(1, r.errors().stream().filter(e -> e.contains("403")).count(), r.errors().toString());
            assertFalse(r.sensor().checked());
            assertEquals(3, r.sensor().health().get("UNVERIFIED"));
            assertEquals(0, r.jobsQueued(), "no job per machine for a missing permission");
        }
    }

    @Test
    void aSensorThatTurnsInactiveGetsAJobFromTheNextSweep() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            String id = vm(w, "fading", null);
            String steady = vm(w, "steady", null);
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> settled(w, List.of(id, steady)), TIMEOUT), log(w));
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", outcome(w, id));

            SweepReport quiet = sweep(w);
            assertEquals(0, quiet.jobsQueued(), "nothing changed: " + quiet.summary());
            assertEquals(2, quiet.sensor().protectedMachines());

            w.emulator.state().setSensor(id, SensorSpec.health("Inactive"));
            SweepReport r = sweep(w);
            assertEquals(1, r.jobsQueued(), r.summary());
            assertEquals(1, r.sensor().jobsQueued());
            assertEquals(2, r.sensor().extensionSucceeded());
            assertEquals(1, r.sensor().protectedMachines(), "protected, next to extension Succeeded");
            assertEquals(1, r.sensor().health().get("INACTIVE"));
            assertTrue(r.summary().contains("1 protected (sensor Active) of 2 with the extension Succeeded"), r.summary());
            assertTrue(w.host.runUntil(() -> "BLOCKED SENSOR_INACTIVE".equals(outcome(w, id)), TIMEOUT), log(w));
            assertEquals("sweep", w.stateRow(id).getProperty("Source"));
            assertEquals(0, sweep(w).jobsQueued(), "recorded Inactive: no job again");
            assertEquals(1, w.acceptedExtensionPuts().get(id.toLowerCase()), "an Inactive sensor is not re-deployed");
        }
    }

    /** Longer than a loopback request takes to arrive, far shorter than the 3 s Retry-After. */
    private static final Duration IN_FLIGHT = Duration.ofMillis(200);

    @Test
    void neverA429ItDidNotWaitOut() {
        try (OnboardingWorld w = new OnboardingWorld(b -> b.emulator(e -> e.defenderApiRateLimits(
                List.of(new DefenderApiRateLimit(2, Duration.ofSeconds(3))))))) {
            List<String> ids = List.of(vm(w, "rl-1", null), vm(w, "rl-2", null), vm(w, "rl-3", null), vm(w, "rl-4", null),
                    vm(w, "rl-5", null));
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> settled(w, ids), TIMEOUT), log(w));
            ids.forEach(id -> assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE", outcome(w, id), id));
            List<Map.Entry<Instant, Integer>> throttles = w.emulator.defenderThrottles();
            assertFalse(throttles.isEmpty(), "the emulator's limit is tighter than the app's budget: some 429s");
            List<RequestLog.Entry> calls = w.emulator.defenderRequestLog().snapshot();
            for (Map.Entry<Instant, Integer> t : throttles) {
                Instant allowed = t.getKey().plusSeconds(t.getValue()).minusMillis(100);
                // Calls already on the wire when the 429 went out (the five verifies run concurrently) arrive within
                // milliseconds of it; the app cannot take those back. The first call sent after the 429 arrived waits.
                Optional<RequestLog.Entry> next = calls.stream().filter(c -> c.timestamp().isAfter(t.getKey().plus(IN_FLIGHT))).findFirst();
                next.ifPresent(c -> assertFalse(c.timestamp().isBefore(allowed), "a call at " + c.timestamp() + " after a 429 at "
                        + t.getKey() + " with Retry-After " + t.getValue() + " s"));
            }
        }
    }

    private static SweepReport sweep(OnboardingWorld w) {
        new ComplianceSweep(w.services).run("{}", w.host.context(ComplianceSweep.NAME));
        return w.services.reports.latest().orElseThrow();
    }
}
