package com.mdeonboarding.e2e;

import static com.mdeonboarding.e2e.OnboardingWorld.SUB_FREE;
import static com.mdeonboarding.e2e.OnboardingWorld.SUB_OK;
import static com.mdeonboarding.e2e.OnboardingWorld.SUB_WDATP_OFF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.SensorSpec;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.host.ComplianceSweep;
import com.mdeonboarding.telemetry.DecisionRecord;
import com.mdeonboarding.telemetry.SweepSummary;
import com.mdeonboarding.testing.RepoPaths;
import com.mdeonboarding.testing.TelemetryCapture;
import com.mdeonboarding.testing.TelemetryCapture.Captured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The README's picture of the workbook: a static preview (WorkbookPreview) of its panels drawn from the telemetry records a
 * small world produces through the real triggers, not Azure Monitor's render of the workbook's KQL (no engine here runs
 * it). Written to functions/target/workbook-preview.svg; with -Dmde.updateWorkbookPreview=true also to
 * docs/workbook-preview.svg, the README's copy.
 */
class WorkbookPreviewTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static String vm(OnboardingWorld w, String sub, String name, SensorSpec sensor) {
        return w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).resourceGroup("rg-preview")
                .name(name).sensor(sensor).build());
    }

    @Test
    void previewOfTheWorkbookFromAWorldsRecords() throws IOException {
        try (TelemetryCapture capture = TelemetryCapture.open(); OnboardingWorld w = new OnboardingWorld()) {
            List<String> ids = List.of(vm(w, SUB_OK, "web-1", null), vm(w, SUB_OK, "web-2", null), vm(w, SUB_OK, "db-1", null),
                    vm(w, SUB_OK, "old-1", SensorSpec.health("Inactive")),
                    w.emulator.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("arc-1").build()),
                    vm(w, SUB_FREE, "dev-1", null), vm(w, SUB_FREE, "dev-2", null), vm(w, SUB_WDATP_OFF, "app-1", null));
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> ids.stream().allMatch(id -> {
                TableEntity row = w.stateRow(id);
                return row != null && !List.of("DEPLOY", "PENDING").contains(String.valueOf(row.getProperty("Decision")));
            }), TIMEOUT), String.join("\n", w.host.logLines()));
            new ComplianceSweep(w.services).run("{}", w.host.context(ComplianceSweep.NAME));
            w.emulator.state().setSensor(ids.get(2), SensorSpec.health("Inactive"));
            new ComplianceSweep(w.services).run("{}", w.host.context(ComplianceSweep.NAME));
            Set<String> idSet = Set.copyOf(ids);
            assertTrue(w.host.runUntil(() -> capture.records(DecisionRecord.KIND).stream()
                    .anyMatch(r -> ids.get(2).equals(r.get("resourceId")) && "BLOCKED".equals(r.get("decision"))), TIMEOUT));

            List<Captured> decisions = capture.records(DecisionRecord.KIND).stream().filter(r -> idSet.contains(r.get("resourceId"))).toList();
            List<Captured> sweeps = capture.records(SweepSummary.KIND).stream()
                    .filter(r -> w.services.reports.get(r.get("sweepId")).isPresent()).toList();
            WorkbookPreview preview = WorkbookPreview.of(decisions, sweeps);

            // The panels say what the world is: 3 protected (web-1, web-2, arc-1), 5 blocked (2 sensors, 2 plan, 1 WDATP).
            assertEquals(Map.of("protected", 3L, "blocked", 5L), preview.states());
            assertEquals(Map.of("SENSOR", 2L, "PLAN", 2L, "INTEGRATION", 1L), preview.blockedFamilies());
            assertEquals(2, preview.sweepRows().size());
            String svg = preview.svg();
            Path out = RepoPaths.repoRoot().resolve("functions/target/workbook-preview.svg");
            Files.createDirectories(out.getParent());
            Files.writeString(out, svg, StandardCharsets.UTF_8);
            if (Boolean.getBoolean("mde.updateWorkbookPreview")) {
                Files.writeString(RepoPaths.repoRoot().resolve("docs/workbook-preview.svg"), svg, StandardCharsets.UTF_8);
            }
        }
    }
}
