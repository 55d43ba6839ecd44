package com.mdeonboarding.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.mdeonboarding.decide.Coverage.Status;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.MachineRow;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.SubscriptionPosture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CoverageTest {
    static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    static final String VM = "/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm";
    static final String ARC = "/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/arc";

    @ParameterizedTest(name = "{0} ext={1} tag={2} last={3}/{4} {5}h ago planOn={6} wdatp={7} -> {8}")
    @CsvSource({
            // machine, extension state, tag, last decision, last reason, hours ago, plan on, wdatp on, expected
            "VM,  Succeeded, -,                         -,         -,                    0,  true,  true,  ONBOARDED",
            // A BLOCKED row under a Succeeded extension backs off like any BLOCKED row (sensor checks block such machines).
            "VM,  succeeded, -,                         BLOCKED,   VM_NOT_RUNNING,       1,  true,  true,  BACKING_OFF",
            "VM,  succeeded, -,                         BLOCKED,   VM_NOT_RUNNING,       25, true,  true,  NEEDS_JOB",
            // A row Azure has outgrown gets a job that corrects it (issue #18 item 1: a killed sweep left DEPLOY rows).
            "VM,  Succeeded, -,                         DEPLOY,    EXTENSION_MISSING,    0,  true,  true,  NEEDS_JOB",
            "VM,  Succeeded, -,                         PENDING,   EXTENSION_PROVISIONING, 0, true,  true,  NEEDS_JOB",
            "VM,  Succeeded, -,                         SKIPPED,   MACHINE_NOT_FOUND,    0,  true,  true,  NEEDS_JOB",
            "VM,  Succeeded, -,                         ONBOARDED, EXTENSION_HEALTHY,    0,  true,  true,  ONBOARDED",
            "VM,  Succeeded, MdeOnboardingExclude=true, SKIPPED,   EXCLUDED_BY_TAG,      0,  true,  true,  EXCLUDED",
            "VM,  -,         MdeOnboardingExclude=true, -,         -,                    0,  true,  true,  EXCLUDED",
            "VM,  -,         MdeOnboardingExclude=TRUE, -,         -,                    0,  true,  true,  EXCLUDED",
            "VM,  -,         MdeOnboardingExclude=no,   -,         -,                    0,  true,  true,  NEEDS_JOB",
            // The reconciler trims tag names; the sweep must agree (it did not: the machine got a job every sweep).
            "VM,  -,         'MdeOnboardingExclude =true', -,      -,                    0,  true,  true,  EXCLUDED",
            "ARC, -,         MDFCSecurityConnector=true,-,         -,                    0,  true,  true,  EXCLUDED",
            "VM,  -,         MDFCSecurityConnector=true,-,         -,                    0,  true,  true,  NEEDS_JOB",
            "VM,  -,         -,                         -,         -,                    0,  true,  true,  NEEDS_JOB",
            "VM,  Failed,    -,                         -,         -,                    0,  true,  true,  NEEDS_JOB",
            "VM,  Creating,  -,                         -,         -,                    0,  true,  true,  IN_PROGRESS",
            "VM,  Creating,  -,                         PENDING,   EXTENSION_PROVISIONING, 0, true,  true,  IN_PROGRESS",
            "VM,  Updating,  -,                         PENDING,   EXTENSION_PROVISIONING, 2, true,  true,  NEEDS_JOB",
            // One definition of in progress for the sweep and the reconciler (the sweep used to send Deleting a job).
            "VM,  Deleting,  -,                         PENDING,   EXTENSION_PROVISIONING, 0, true,  true,  IN_PROGRESS",
            // Our PUT was sent: it may take a while to show in Resource Graph.
            "VM,  -,         -,                         DEPLOY,    EXTENSION_MISSING,    0,  true,  true,  IN_PROGRESS",
            "VM,  -,         -,                         DEPLOY,    EXTENSION_MISSING,    1,  true,  true,  NEEDS_JOB",
            // A bare claim (no PUT recorded) does not hide the machine: its job may be gone.
            "VM,  -,         -,                         DEPLOY,    CLAIM,                0,  true,  true,  NEEDS_JOB",
            "VM,  -,         -,                         BLOCKED,   VM_NOT_RUNNING,       1,  true,  true,  BACKING_OFF",
            "VM,  -,         -,                         BLOCKED,   VM_NOT_RUNNING,       25, true,  true,  NEEDS_JOB",
            "VM,  -,         -,                         BLOCKED,   PLAN_NOT_ENABLED,     1,  false, true,  BACKING_OFF",
            "VM,  -,         -,                         BLOCKED,   PLAN_NOT_ENABLED,     1,  true,  true,  NEEDS_JOB",
            "VM,  -,         -,                         BLOCKED,   INTEGRATION_DISABLED, 1,  true,  false, BACKING_OFF",
            "VM,  -,         -,                         BLOCKED,   INTEGRATION_DISABLED, 1,  true,  true,  NEEDS_JOB",
            "VM,  Failed,    -,                         BLOCKED,   EXTENSION_FAILED,     1,  true,  true,  BACKING_OFF",
            "VM,  -,         -,                         SKIPPED,   EXCLUDED_BY_TAG,      1,  true,  true,  NEEDS_JOB",
            "VM,  -,         -,                         SKIPPED,   MACHINE_NOT_FOUND,    1,  true,  true,  NEEDS_JOB",
            "VM,  -,         -,                         ONBOARDED, EXTENSION_HEALTHY,    1,  true,  true,  NEEDS_JOB",
    })
    void classify(String kind, String ext, String tag, String decision, String reason, int hoursAgo, boolean planOn, boolean wdatp,
                  Status expected) {
        MachineId id = MachineId.parse(kind.equals("VM") ? VM : ARC);
        Map<String, String> tags = tag.equals("-") ? Map.of() : Map.of(tag.split("=")[0], tag.split("=")[1]);
        Instant at = NOW.minus(Duration.ofHours(hoursAgo)).minusSeconds(1);
        boolean claim = reason.equals("CLAIM");
        Optional<MachineRecord> last = decision.equals("-") ? Optional.empty()
                : Optional.of(TestFacts.record(id, DecisionKind.valueOf(decision), List.of(claim ? ReasonCode.EXTENSION_MISSING
                        : ReasonCode.valueOf(reason)), at, claim || !decision.equals("DEPLOY") ? Optional.empty() : Optional.of(at)));
        SubscriptionPosture posture = TestFacts.posture(planOn ? "Standard" : "Free", wdatp, true, false);
        assertEquals(expected, Coverage.classify(new MachineRow(id, tags, ext.equals("-") ? Optional.empty() : Optional.of(ext)),
                last, "MdeOnboardingExclude", posture, NOW));
    }

    /** Coverage in the decision vocabulary, as a sweep reports it before its own jobs ran. */
    @ParameterizedTest(name = "{0} last={1}/{2} planOn={3} -> {4}")
    @CsvSource({
            // coverage status, last decision, last reason, plan on, reported
            "ONBOARDED,   -,         -,                 true,  ONBOARDED",
            "ONBOARDED,   BLOCKED,   VM_NOT_RUNNING,    true,  ONBOARDED",
            "EXCLUDED,    -,         -,                 true,  SKIPPED",
            "IN_PROGRESS, DEPLOY,    EXTENSION_MISSING, true,  PENDING",
            "BACKING_OFF, BLOCKED,   VM_NOT_RUNNING,    true,  BLOCKED",
            // A job follows: the extension is missing or failed ...
            "NEEDS_JOB,   -,         -,                 true,  DEPLOY",
            "NEEDS_JOB,   ONBOARDED, EXTENSION_HEALTHY, true,  DEPLOY",
            "NEEDS_JOB,   SKIPPED,   EXCLUDED_BY_TAG,   true,  DEPLOY",
            // ... unless it was blocked and what blocked it still holds (its back-off is over: it is re-checked) ...
            "NEEDS_JOB,   BLOCKED,   VM_NOT_RUNNING,    true,  BLOCKED",
            "NEEDS_JOB,   BLOCKED,   PLAN_NOT_ENABLED,  false, BLOCKED",
            // ... or the posture that blocked it was fixed since.
            "NEEDS_JOB,   BLOCKED,   PLAN_NOT_ENABLED,  true,  DEPLOY",
    })
    void reported(Status status, String decision, String reason, boolean planOn, DecisionKind expected) {
        MachineId id = MachineId.parse(VM);
        Optional<MachineRecord> last = decision.equals("-") ? Optional.empty()
                : Optional.of(TestFacts.record(id, DecisionKind.valueOf(decision), List.of(ReasonCode.valueOf(reason)), NOW.minusSeconds(60)));
        assertEquals(expected, Coverage.reported(status, last, TestFacts.posture(planOn ? "Standard" : "Free", true, true, false)));
    }

    @org.junit.jupiter.api.Test
    void everyCoverageIsADecision() {
        assertEquals(java.util.Set.of(DecisionKind.values()), java.util.Set.copyOf(Coverage.REPORT_ORDER));
    }
}
