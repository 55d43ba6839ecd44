package com.mdeonboarding.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mdeonboarding.decide.Coverage.Status;
import com.mdeonboarding.decide.Estate.Standing;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.ReasonCode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EstateTest {

    @ParameterizedTest(name = "{0} {1} -> {2}, needs action {3}")
    @CsvSource({
            "ONBOARDED, EXTENSION_HEALTHY SENSOR_ACTIVE,      PROTECTED, false",
            "ONBOARDED, EXTENSION_HEALTHY SENSOR_UNVERIFIED,  UNVERIFIED, false",
            "ONBOARDED, EXTENSION_HEALTHY,                    UNVERIFIED, false",
            "DEPLOY,    EXTENSION_MISSING,                    PENDING,   true",
            "DEPLOY,    EXTENSION_RETRY EXTENSION_CONNECTIVITY, PENDING, true",
            "PENDING,   EXTENSION_PROVISIONING,               PENDING,   true",
            "BLOCKED,   PLAN_NOT_ENABLED,                     BLOCKED,   true",
            "BLOCKED,   EXTENSION_FAILED EXTENSION_OTHER,     BLOCKED,   true",
            "BLOCKED,   JOB_FAILED,                           BLOCKED,   true",
            "SKIPPED,   EXCLUDED_BY_TAG,                      SKIPPED,   false",
            "SKIPPED,   MANAGED_BY_SECURITY_CONNECTOR,        SKIPPED,   false",
            "SKIPPED,   MACHINE_NOT_FOUND,                    SKIPPED,   false",
            "SKIPPED,   OUT_OF_SCOPE,                         SKIPPED,   false",
    })
    void aRecordedDecisionHasOneStanding(DecisionKind decision, String reasons, Standing expected, boolean needsAction) {
        List<ReasonCode> codes = Arrays.stream(reasons.split(" ")).map(ReasonCode::valueOf).toList();
        assertEquals(expected, Estate.standing(decision, codes));
        assertEquals(needsAction, Estate.needsAction(decision));
        assertEquals(needsAction, Estate.decisionsNeedingAction().contains(decision));
    }

    @ParameterizedTest(name = "sweep saw {0}, sensor Active {1}, nothing recorded -> {2}")
    @CsvSource({
            "ONBOARDED,   true,  PROTECTED",
            "ONBOARDED,   false, UNVERIFIED",
            "EXCLUDED,    false, SKIPPED",
            "IN_PROGRESS, false, PENDING",
            "NEEDS_JOB,   false, PENDING",
            "NEEDS_JOB,   true,  PENDING",
            "BACKING_OFF, false, BLOCKED",
    })
    void aMachineWithoutARecordStandsOnWhatTheSweepSaw(Status status, boolean sensorActive, Standing expected) {
        assertEquals(expected, Estate.unrecorded(status, sensorActive));
    }

    @ParameterizedTest(name = "{0} of {1} -> {2}%")
    @CsvSource({"0, 0, 0", "0, 10, 0", "1, 3, 33", "2, 3, 66", "99, 100, 99", "999, 1000, 99", "100, 100, 100", "5, 4, 100"})
    void percentIsRoundedDownSoThatOneMissingMachineNeverShowsAsAHundred(long part, long whole, int expected) {
        assertEquals(expected, Estate.percent(part, whole));
    }

    @Test
    void theTallyCountsEveryMachineByStandingAndKindButDecisionsAndReasonsOfRecordedMachinesOnly() {
        Estate.Tally t = new Estate.Tally();
        t.add("sub-a", MachineKind.VM, Optional.of(DecisionKind.ONBOARDED), List.of(ReasonCode.EXTENSION_HEALTHY, ReasonCode.SENSOR_ACTIVE),
                Status.NEEDS_JOB, false);
        t.add("sub-a", MachineKind.VM, Optional.of(DecisionKind.BLOCKED), List.of(ReasonCode.INTEGRATION_DISABLED,
                ReasonCode.LINUX_INTEGRATION_DISABLED), Status.BACKING_OFF, false);
        t.add("sub-a", MachineKind.ARC, Optional.empty(), List.of(), Status.ONBOARDED, true);
        t.add("sub-b", MachineKind.ARC, Optional.empty(), List.of(), Status.EXCLUDED, false);
        t.add("sub-b", MachineKind.VM, Optional.of(DecisionKind.DEPLOY), List.of(ReasonCode.EXTENSION_MISSING), Status.NEEDS_JOB, false);
        t.add("sub-b", MachineKind.VM, Optional.empty(), List.of(), Status.ONBOARDED, false);

        Estate.Counts all = t.total();
        assertEquals(6, all.machines());
        assertEquals(Map.of(Standing.PROTECTED, 2L, Standing.UNVERIFIED, 1L, Standing.BLOCKED, 1L, Standing.SKIPPED, 1L,
                Standing.PENDING, 1L), all.standings());
        assertEquals(Map.of(DecisionKind.ONBOARDED, 1L, DecisionKind.BLOCKED, 1L, DecisionKind.DEPLOY, 1L), all.decisions());
        assertEquals(3, all.recorded());
        assertEquals(Map.of(ReasonCode.EXTENSION_HEALTHY, 1L, ReasonCode.SENSOR_ACTIVE, 1L, ReasonCode.INTEGRATION_DISABLED, 1L,
                ReasonCode.LINUX_INTEGRATION_DISABLED, 1L, ReasonCode.EXTENSION_MISSING, 1L), all.reasons());
        assertEquals(4, all.ofKind(MachineKind.VM));
        assertEquals(1, all.ofKind(MachineKind.VM, Standing.PROTECTED));
        assertEquals(1, all.ofKind(MachineKind.VM, Standing.UNVERIFIED));
        assertEquals(1, all.ofKind(MachineKind.ARC, Standing.PROTECTED));
        assertEquals(33, all.protectedPercent());

        assertEquals(List.of("sub-a", "sub-b"), List.copyOf(t.perSubscription().keySet()));
        Estate.Counts a = t.perSubscription().get("sub-a");
        assertEquals(3, a.machines());
        assertEquals(2, a.standing(Standing.PROTECTED));
        assertEquals(66, a.protectedPercent());
        Estate.Counts b = t.perSubscription().get("sub-b");
        assertEquals(Map.of(Standing.SKIPPED, 1L, Standing.PENDING, 1L, Standing.UNVERIFIED, 1L), b.standings());
        assertEquals(0, Estate.Counts.none().protectedPercent());
    }
}
