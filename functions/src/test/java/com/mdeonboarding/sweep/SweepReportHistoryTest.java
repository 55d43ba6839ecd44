package com.mdeonboarding.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.mdeonboarding.decide.Coverage;
import com.mdeonboarding.decide.Estate;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.testing.Azurite;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The reports table's trend index and estate counts, in a real Azurite. */
class SweepReportHistoryTest {

    private static SweepReport report(String id, String startedAt, long machines) {
        return new SweepReport(new SweepReport.Run(id, startedAt, startedAt, 1, "audit", false),
                new SweepReport.Totals(1, machines, Map.of("ONBOARDED", 1L), Map.of(), Map.of(), 0, 0), new SweepReport.Calls(1, 1, 0, 1, 0),
                List.of(new SweepReport.SubscriptionReport("sub-a", new SweepReport.PlanView("Standard", "P1", "False"),
                        new SweepReport.SettingsView(true, true, false, startedAt), List.of(), List.of(), new SweepReport.MachineCounts(machines, 0))),
                List.of(), null);
    }

    @Test
    void recentSweepsComeNewestFirstWithTheirEstateCountsWhateverOrderTheyWereStoredIn() {
        TableClient table = new TableClientBuilder().connectionString(Azurite.get().connectionString())
                .tableName("History" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)).buildClient();
        table.createTable();
        SweepReportStore store = new SweepReportStore(table);
        Estate.Tally tally = new Estate.Tally();
        tally.add("sub-a", MachineKind.VM, Optional.of(DecisionKind.BLOCKED), List.of(ReasonCode.PLAN_NOT_ENABLED), Coverage.Status.BACKING_OFF, false);
        tally.add("sub-a", MachineKind.ARC, Optional.empty(), List.of(), Coverage.Status.ONBOARDED, true);
        store.save(report("20261201T100000Z-bbbbbbbb", "2026-12-01T10:00:00Z", 2), tally);
        store.save(report("20261201T120000Z-cccccccc", "2026-12-01T12:00:00Z", 3), tally);
        store.save(report("20261201T080000Z-aaaaaaaa", "2026-12-01T08:00:00Z", 1)); // an older sweep stored last, without counts

        List<SweepReportStore.StoredSweep> recent = store.recent(2);
        assertEquals(List.of("20261201T120000Z-cccccccc", "20261201T100000Z-bbbbbbbb"), recent.stream().map(s -> s.summary().sweepId()).toList());
        assertEquals(3, recent.get(0).summary().machines());
        assertEquals(tally.total(), recent.get(0).estate().orElseThrow());
        assertEquals(3, store.recent(30).size());
        assertTrue(store.recent(30).get(2).estate().isEmpty());

        SweepReportStore.EstateCounts counts = store.estate("20261201T100000Z-bbbbbbbb").orElseThrow();
        assertEquals(tally.total(), counts.total());
        assertEquals(tally.perSubscription(), counts.perSubscription());
        assertTrue(store.estate("20261201T080000Z-aaaaaaaa").isEmpty());
        // The report itself reads back as before: the estate rows live in their own partition.
        assertEquals(1, store.get("20261201T100000Z-bbbbbbbb").orElseThrow().subscriptions().size());
        assertEquals("20261201T080000Z-aaaaaaaa", store.latestSweepId().orElseThrow(), "latest is the last stored");
    }

    @Test
    void countsWrittenByANewerBuildWithNamesThisOneDoesNotKnowStillRead() {
        Estate.Counts c = EstateJson.read("{\"machines\":3,\"standings\":{\"PROTECTED\":2,\"QUARANTINED\":1},"
                + "\"decisions\":{\"ONBOARDED\":2,\"ISOLATED\":1},\"reasons\":{\"SENSOR_QUARANTINED\":2,\"EXTENSION_HEALTHY\":2},"
                + "\"kinds\":{\"VM\":{\"PROTECTED\":2},\"CONTAINER\":{\"PROTECTED\":1}}}");
        assertEquals(3, c.machines());
        assertEquals(Map.of(Estate.Standing.PROTECTED, 2L), c.standings());
        assertEquals(Map.of(DecisionKind.ONBOARDED, 2L), c.decisions());
        assertEquals(Map.of(ReasonCode.EXTENSION_HEALTHY, 2L), c.reasons());
        assertEquals(2, c.ofKind(MachineKind.VM));
        assertEquals(c, EstateJson.read(EstateJson.write(c)));
    }
}
