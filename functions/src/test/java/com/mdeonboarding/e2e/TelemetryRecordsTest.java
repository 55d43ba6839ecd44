package com.mdeonboarding.e2e;

import static com.mdeonboarding.e2e.OnboardingWorld.SUB_FREE;
import static com.mdeonboarding.e2e.OnboardingWorld.SUB_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.SensorSpec;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.host.ComplianceSweep;
import com.mdeonboarding.telemetry.DecisionRecord;
import com.mdeonboarding.telemetry.SweepSummary;
import com.mdeonboarding.testing.TelemetryCapture;
import com.mdeonboarding.testing.TelemetryCapture.Captured;
import com.mdeonboarding.testing.TestWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 27, "Done when": through the real triggers (Event Grid -> queue -> ReconcileMachine, the compliance sweep timer),
 * Azurite and the emulator, each decision is one telemetry record carrying the dimensions Azure Monitor charts and alerts on,
 * captured where the Application Insights agent captures it (a Log4j 2 appender: the MapMessage's entries and the event's
 * ThreadContext), and injected failures produce exactly the values the alert rules in infra/monitoring.json select.
 */
class TelemetryRecordsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The dimensions every decision record carries (README, "Telemetry"). */
    static final List<String> DECISION_DIMENSIONS = List.of("mdeRecord", "resourceId", "subscriptionId", "machineKind", "os",
            "decision", "reasonCodes", "reasonFamily", "operatorSentence", "sensorHealth", "correlationId", "jobSource", "attempt",
            "durationMs", "resourceManagerCalls", "dryRun");

    private static String vm(OnboardingWorld w, String sub, String name, SensorSpec sensor) {
        return w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).resourceGroup("rg-telemetry")
                .name(name).sensor(sensor).build());
    }

    private static boolean settled(OnboardingWorld w, List<String> ids) {
        return ids.stream().allMatch(id -> {
            TableEntity row = w.stateRow(id);
            return row != null && !List.of("DEPLOY", "PENDING").contains(String.valueOf(row.getProperty("Decision")));
        });
    }

    private static List<Captured> decisionsOf(TelemetryCapture capture, Set<String> ids) {
        return capture.records(DecisionRecord.KIND).stream().filter(r -> ids.contains(r.get("resourceId"))).toList();
    }

    private static List<Captured> sweepsOf(TelemetryCapture capture, String sweepId) {
        return capture.records(SweepSummary.KIND).stream().filter(r -> sweepId.equals(r.get("sweepId"))).toList();
    }

    private static String sweep(OnboardingWorld w) {
        new ComplianceSweep(w.services).run("{}", w.host.context(ComplianceSweep.NAME));
        return w.services.reports.latest().orElseThrow().run().sweepId();
    }

    @Test
    void eachDecisionIsOneRecordWithItsDimensionsAndTheJobsContext() {
        try (TelemetryCapture capture = TelemetryCapture.open(); OnboardingWorld w = new OnboardingWorld()) {
            String active = vm(w, SUB_OK, "tel-active", null);
            String inactive = vm(w, SUB_OK, "tel-inactive", SensorSpec.health("Inactive"));
            String free = vm(w, SUB_FREE, "tel-free", null);
            String arc = w.emulator.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("tel-arc").build());
            List<String> ids = List.of(active, inactive, free, arc);
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> settled(w, ids), TIMEOUT), String.join("\n", w.host.logLines()));

            Set<String> idSet = Set.copyOf(ids);
            List<Captured> records = decisionsOf(capture, idSet);
            // One record per recorded decision: the history table has one row per decision, so the two agree row for row.
            List<String> fromHistory = new ArrayList<>();
            for (TableEntity h : w.historyRows()) {
                if (idSet.contains(String.valueOf(h.getProperty("ResourceId")))) {
                    fromHistory.add(h.getProperty("ResourceId") + " " + h.getProperty("CorrelationId") + " " + h.getProperty("Attempt")
                            + " " + h.getProperty("Decision") + " " + h.getProperty("Reasons"));
                }
            }
            List<String> fromRecords = records.stream().map(r -> r.get("resourceId") + " " + r.get("correlationId") + " "
                    + r.get("attempt") + " " + r.get("decision") + " " + r.get("reasonCodes")).toList();
            assertEquals(fromHistory.stream().sorted().toList(), fromRecords.stream().sorted().toList(),
                    "one telemetry record per recorded decision");
            assertTrue(records.size() >= ids.size(), "every machine was decided at least once: " + fromRecords);

            for (Captured r : records) {
                assertEquals(Set.copyOf(DECISION_DIMENSIONS), r.dimensions().keySet(), "the dimensions: " + r);
                String id = r.get("resourceId");
                assertEquals(id.split("/")[2], r.get("subscriptionId"));
                assertEquals(id.equals(arc) ? "ARC" : "VM", r.get("machineKind"));
                assertEquals("event", r.get("jobSource"));
                assertTrue(Integer.parseInt(r.get("attempt")) >= 1);
                assertTrue(Long.parseLong(r.get("durationMs")) >= 0);
                assertTrue(Long.parseLong(r.get("resourceManagerCalls")) >= 1, "a look reads the machine at least: " + r);
                assertEquals("false", r.get("dryRun"));
                assertFalse(r.get("operatorSentence").isBlank());
                assertTrue(r.message().startsWith("decision " + r.get("decision") + " "), r.message());
                // The job's context, set once for the job (LogContext), rides along as the agent's ThreadContext dimensions.
                assertEquals(Map.of("resourceId", id, "subscriptionId", r.get("subscriptionId"), "correlationId", r.get("correlationId"),
                        "jobSource", "event", "attempt", r.get("attempt")), r.context(), "context of " + id);
            }
            Map<String, String> last = records.stream().collect(Collectors.toMap(r -> r.get("resourceId"),
                    r -> r.get("decision") + " " + r.get("reasonCodes") + " " + r.get("sensorHealth"), (a, b) -> b));
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE Active", last.get(active));
            assertEquals("ONBOARDED EXTENSION_HEALTHY,SENSOR_ACTIVE Active", last.get(arc));
            assertEquals("BLOCKED SENSOR_INACTIVE Inactive", last.get(inactive));
            assertTrue(last.get(free).startsWith("BLOCKED PLAN_NOT_ENABLED"), last.get(free));
            assertEquals("PLAN", records.stream().filter(r -> free.equals(r.get("resourceId"))).reduce((a, b) -> b).orElseThrow()
                    .get("reasonFamily"));
            // Nothing of the job stays on the worker thread after it.
            assertTrue(records.stream().noneMatch(r -> r.context().containsKey("sweepId")));
        }
    }

    @Test
    void injectedFailuresProduceWhatTheAlertsSelect() {
        try (TelemetryCapture capture = TelemetryCapture.open(); OnboardingWorld w = new OnboardingWorld()) {
            String fading = vm(w, SUB_OK, "alert-fading", null);
            String steady = vm(w, SUB_OK, "alert-steady", null);
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> settled(w, List.of(fading, steady)), TIMEOUT), String.join("\n", w.host.logLines()));

            Captured healthy = sweepsOf(capture, sweep(w)).get(0);
            assertEquals("2", healthy.get("protected"));
            assertEquals("2", healthy.get("extensionSucceeded"));
            assertEquals("1.0000", healthy.get("protectedRatio"));
            assertEquals("ok", healthy.get("defenderApiPermission"));
            assertEquals("0", healthy.get("errors"));

            // Protected ratio drop (alert "protected ratio dropped"): a sensor goes Inactive; the next sweep shows 1 of 2.
            w.emulator.state().setSensor(fading, SensorSpec.health("Inactive"));
            Captured dropped = sweepsOf(capture, sweep(w)).get(0);
            assertEquals("0.5000", dropped.get("protectedRatio"));
            // ... and the machine it queued ends BLOCKED (alert "machine BLOCKED for more than N hours" counts from here).
            assertTrue(w.host.runUntil(() -> decisionsOf(capture, Set.of(fading)).stream()
                    .anyMatch(r -> "BLOCKED".equals(r.get("decision")) && "sweep".equals(r.get("jobSource"))), TIMEOUT));

            // Defender API permission missing (alert "Defender API permission missing") and a sweep with errors.
            w.emulator.state().setDefenderApiPermission(false);
            Captured denied = sweepsOf(capture, sweep(w)).get(0);
            assertEquals("missing", denied.get("defenderApiPermission"));
            assertEquals("false", denied.get("sensorsChecked"));
            assertEquals("1", denied.get("errors"));
            assertTrue(denied.get("errorText").contains("403"), denied.get("errorText"));
            // One summary per sweep.
            for (Captured c : List.of(healthy, dropped, denied)) {
                assertEquals(1, sweepsOf(capture, c.get("sweepId")).size(), c.get("sweepId"));
            }
        }
    }
}
