package com.mdeonboarding.decide;

import static com.mdeonboarding.decide.TestFacts.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord.ExtensionHistory;
import com.mdeonboarding.model.MachineRecord.Provenance;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.PlannedAction;
import com.mdeonboarding.model.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decisions that used to live in the reconciler, the guest-check cache and the poison handler, row by row. */
class ReconcileRulesTest {
    static final MachineId VM = MachineId.parse("/subscriptions/" + TestFacts.SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm");
    static final Duration VERIFY = Duration.ofSeconds(30);

    /** A stored row: {@code observedSecondsAgo} before NOW, last deployed {@code deployedSecondsAgo} before NOW (-1: never). */
    static MachineRecord stored(DecisionKind kind, String correlationId, long observedSecondsAgo, long deployedSecondsAgo, String extState,
                                int failures) {
        Instant observed = NOW.minusSeconds(observedSecondsAgo);
        return new MachineRecord(VM, kind, List.of(ReasonCode.EXTENSION_MISSING), Optional.empty(),
                new ExtensionHistory(extState.equals("-") ? Optional.empty() : Optional.of(extState), failures,
                        deployedSecondsAgo < 0 ? Optional.empty() : Optional.of(NOW.minusSeconds(deployedSecondsAgo))),
                Optional.empty(), new Provenance(observed, observed, correlationId, "event", 1), Optional.of("etag"));
    }

    static ExtensionState ext(String state) {
        return new ExtensionState("MDE.Windows", "MDE.Windows", ExtensionState.PUBLISHER, state, Optional.empty(), Optional.empty());
    }

    @ParameterizedTest(name = "stored {0} by {1} observed {2}s ago, deployed {3}s ago; job {4} attempt {5} requested {6}s ago -> coalesce {7}")
    @CsvSource({
            // no row: always look
            "-,       -,    0,  -1, job-a, 1, 10, false",
            // a newer look answered this job already
            "BLOCKED, job-b, 5, -1, job-a, 1, 10, true",
            "ONBOARDED, job-b, 5, 3, job-a, 1, 10, true",
            // the row is older than the request: look
            "BLOCKED, job-b, 20, -1, job-a, 1, 10, false",
            // a follow-up is a deliberate later look
            "BLOCKED, job-b, 5, -1, job-a, 2, 10, false",
            // our own claim whose deployment was never recorded (worker died): look again
            "DEPLOY,  job-a, 5, -1, job-a, 1, 10, false",
            "DEPLOY,  job-a, 5, 8,  job-a, 1, 10, false",
            // our own claim whose deployment was recorded after the observation: answered
            "DEPLOY,  job-a, 5, 2,  job-a, 1, 10, true",
            // another job's claim: that job (or its redelivery) finishes it
            "DEPLOY,  job-b, 5, -1, job-a, 1, 10, true",
    })
    void coalescing(String kind, String by, long observedAgo, long deployedAgo, String job, int attempt, long requestedAgo, boolean expected) {
        Optional<MachineRecord> prior = kind.equals("-") ? Optional.empty()
                : Optional.of(stored(DecisionKind.valueOf(kind), by, observedAgo, deployedAgo, "-", 0));
        OnboardingJob j = new OnboardingJob(VM, JobSource.EVENT, job, attempt, NOW.minusSeconds(requestedAgo));
        assertEquals(expected, ReconcileRules.coalesce(prior, j));
    }

    @ParameterizedTest(name = "stored {0} failures, state {1}, deployed {2}; now {3} -> {4}")
    @CsvSource({
            "0, -,         true,  Failed,    1",
            "1, Creating,  true,  Failed,    2",
            // the same failure seen again is not counted twice
            "1, Failed,    true,  Failed,    1",
            // a failure we did not deploy is not ours to count
            "0, -,         false, Failed,    0",
            // success resets
            "2, Failed,    true,  Succeeded, 0",
            "2, Failed,    true,  -,         2",
            "2, Creating,  true,  Creating,  2",
    })
    void failureCount(int before, String storedState, boolean deployed, String now, int expected) {
        Optional<MachineRecord> prior = Optional.of(stored(DecisionKind.DEPLOY, "c", 60, deployed ? 60 : -1, storedState, before));
        assertEquals(expected, ReconcileRules.countFailures(prior, now.equals("-") ? Optional.empty() : Optional.of(ext(now))));
    }

    @Test
    void stalenessRule() {
        GuestCheckResult at = new GuestCheckResult(true, List.of(), NOW, "ok");
        Optional<GuestCheckResult> stored = Optional.of(at);
        assertEquals(stored, ReconcileRules.currentGuestCheck(stored, Optional.empty(), NOW.plus(Duration.ofMinutes(59))));
        assertEquals(stored, ReconcileRules.currentGuestCheck(stored, Optional.empty(), NOW.plus(ReconcileRules.GUEST_CHECK_MAX_AGE)));
        assertEquals(Optional.empty(), ReconcileRules.currentGuestCheck(stored, Optional.empty(), NOW.plus(Duration.ofMinutes(61))));
        // A check from before the last failure says nothing about the failure.
        assertEquals(Optional.empty(), ReconcileRules.currentGuestCheck(stored, Optional.of(NOW.plusSeconds(30)), NOW.plusSeconds(60)));
        assertEquals(stored, ReconcileRules.currentGuestCheck(stored, Optional.of(NOW.minusSeconds(30)), NOW.plusSeconds(60)));
        // A result from the future (clock trouble) is not trusted.
        assertEquals(Optional.empty(), ReconcileRules.currentGuestCheck(stored, Optional.empty(), NOW.minus(Duration.ofHours(2))));
        assertEquals(Optional.empty(), ReconcileRules.currentGuestCheck(Optional.empty(), Optional.empty(), Instant.EPOCH));
    }

    @ParameterizedTest(name = "stored {0}, deployed {1}s ago, extension {2} -> in flight {3}")
    @CsvSource({
            "DEPLOY,    10, -,        true",
            // within twice the verify delay only
            "DEPLOY,    59, -,        true",
            "DEPLOY,    61, -,        false",
            // once Azure shows the extension, it is followed, not assumed
            "DEPLOY,    10, Creating, false",
            "PENDING,   10, -,        false",
            "DEPLOY,    -1, -,        false",
    })
    void ourDeploymentInFlight(String kind, long deployedAgo, String extState, boolean expected) {
        Optional<MachineRecord> prior = Optional.of(stored(DecisionKind.valueOf(kind), "c", 60, deployedAgo, "-", 0));
        Remembered r = ReconcileRules.remember(prior, DELIVERY, extState.equals("-") ? Optional.empty() : Optional.of(ext(extState)), NOW,
                VERIFY);
        assertEquals(expected, r.ourDeployInFlight());
        assertFalse(ReconcileRules.remember(Optional.empty(), DELIVERY, Optional.empty(), NOW, VERIFY).ourDeployInFlight());
    }

    static final OnboardingJob JOB = new OnboardingJob(VM, JobSource.SWEEP, "job-now", 1, NOW);

    /** This pass: one delivery of the job's message. */
    static final String DELIVERY = "delivery-now";

    @ParameterizedTest(name = "claim by delivery {0} written {1}s ago, deployed {2} -> in flight {3}")
    @CsvSource({
            // another pass's bare claim of moments ago: it is about to PUT; deploying too would deploy twice
            "delivery-other, 10, -1, true",
            // a bare claim older than twice the verify delay: that pass died (a killed sweep); deploy again
            "delivery-other, 61, -1, false",
            // a row written before claims named their delivery: a fresh claim still waits
            "'',             10, -1, true",
            // this very pass's claim is its own
            "delivery-now,   10, -1, false",
    })
    void anotherDeliverysClaim(String delivery, long writtenAgo, long deployedAgo, boolean expected) {
        MachineRecord claim = withDelivery(stored(DecisionKind.DEPLOY, JOB.correlationId(), writtenAgo, deployedAgo, "-", 0), delivery);
        assertEquals(expected, ReconcileRules.remember(Optional.of(claim), DELIVERY, Optional.empty(), NOW, VERIFY).ourDeployInFlight());
    }

    /**
     * Issue 23, item 3: the same job message delivered twice (the Storage SDK retried a send whose answer was lost, so the
     * copies carry the same correlation ID) made two accepted PUTs, because a claim under the job's own correlation ID was
     * trusted as ours. The claim names the delivery now: the second copy waits for the first.
     */
    @org.junit.jupiter.api.Test
    void aSecondCopyOfTheSameMessageWaitsForTheFirstCopysClaim() {
        MachineRecord firstCopysClaim = withDelivery(stored(DecisionKind.DEPLOY, JOB.correlationId(), 1, -1, "-", 0), "first-copy");
        assertTrue(ReconcileRules.remember(Optional.of(firstCopysClaim), "second-copy", Optional.empty(), NOW, VERIFY).ourDeployInFlight());
    }

    static MachineRecord withDelivery(MachineRecord r, String delivery) {
        Provenance w = r.written();
        return new MachineRecord(r.machine(), r.kind(), r.reasons(), r.detail(), r.extension(), r.guest(),
                new Provenance(w.observedAt(), w.updatedAt(), w.correlationId(), w.source(), w.attempt(), delivery, Optional.empty()),
                r.etag());
    }

    @ParameterizedTest(name = "{0} after {1} at attempt {2} -> {3}")
    @CsvSource({
            // a deployment is verified after the verify delay
            "DEPLOY,    DEPLOY_EXTENSION, 1,  30",
            "DEPLOY,    DEPLOY_EXTENSION, 7,  30",
            // provisioning backs off, doubling up to 16 times the verify delay, for 12 attempts
            "PENDING,   -,                1,  30",
            "PENDING,   -,                2,  60",
            "PENDING,   -,                5,  480",
            "PENDING,   -,                9,  480",
            "PENDING,   -,                11, 480",
            "PENDING,   -,                12, -",
            // settled or blocked: the next event or sweep looks
            "ONBOARDED, -,                1,  -",
            "BLOCKED,   -,                1,  -",
            "SKIPPED,   -,                1,  -",
    })
    void whenToLookAgain(String kind, String done, int attempt, String expectedSeconds) {
        Decision d = kind.equals("DEPLOY")
                ? new Decision(DecisionKind.DEPLOY, List.of(ReasonCode.EXTENSION_MISSING), List.of(PlannedAction.DEPLOY_EXTENSION), Optional.empty())
                : Decision.of(DecisionKind.valueOf(kind), ReasonCode.EXTENSION_PROVISIONING);
        Optional<Duration> after = LookAgain.afterPass(d, done.equals("-") ? List.of() : List.of(done), attempt, VERIFY);
        assertEquals(expectedSeconds.equals("-") ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(expectedSeconds))), after);
    }

    @ParameterizedTest(name = "{0} {1} at attempt {2} -> {3}")
    @CsvSource({
            // waiting on the machine's own state: PENDING for MAX_TRANSIENT_ATTEMPTS - 1 looks, then BLOCKED
            "PENDING, VM_AGENT_NOT_READY,     1,  PENDING",
            "PENDING, VM_AGENT_NOT_READY,     10, PENDING",
            "PENDING, VM_AGENT_NOT_READY,     11, BLOCKED",
            "PENDING, VM_AGENT_NOT_READY,     40, BLOCKED",
            "PENDING, VM_NOT_RUNNING,         11, BLOCKED",
            "PENDING, ARC_NOT_CONNECTED,      11, BLOCKED",
            // an extension being provisioned is not a transient state of the machine: its own back-off applies
            "PENDING, EXTENSION_PROVISIONING, 11, PENDING",
            // other decisions are left alone
            "BLOCKED, VM_NOT_RUNNING,         1,  BLOCKED",
            "DEPLOY,  EXTENSION_MISSING,      30, DEPLOY",
    })
    void aTransientStateIsPendingForABoundedNumberOfLooksThenBlocked(DecisionKind kind, ReasonCode reason, int attempt,
            DecisionKind expected) {
        Decision d = new Decision(kind, List.of(reason), List.of(), Optional.of("VM agent not Ready"));
        Decision bounded = ReconcileRules.boundTransient(d, attempt);
        assertEquals(expected, bounded.kind());
        assertEquals(d.reasons(), bounded.reasons(), "the reasons stay: they say what to fix");
        if (expected != kind) {
            assertEquals(Optional.of("VM agent not Ready; still so after " + attempt + " looks"), bounded.detail());
        }
    }

    @ParameterizedTest(name = "second look {0} {1} -> {2} {3}")
    @CsvSource({
            // another writer's extension now there: followed like our own
            "PENDING,   EXTENSION_PROVISIONING, PENDING,   EXTENSION_PROVISIONING",
            "ONBOARDED, EXTENSION_HEALTHY,      ONBOARDED, EXTENSION_HEALTHY",
            // nothing to see yet: looked at again shortly (a transient state, so bounded)
            "DEPLOY,    EXTENSION_MISSING,      PENDING,   EXTENSION_WRITE_CONFLICT",
            // the machine changed meanwhile: what the second look says
            "BLOCKED,   VM_NOT_RUNNING,         BLOCKED,   VM_NOT_RUNNING",
            "SKIPPED,   MACHINE_NOT_FOUND,      SKIPPED,   MACHINE_NOT_FOUND",
    })
    void afterA409TheSecondLookDecidesWithoutActing(DecisionKind kind, ReasonCode reason, DecisionKind expectedKind, ReasonCode expectedReason) {
        Decision second = new Decision(kind, List.of(reason), kind == DecisionKind.DEPLOY ? List.of(PlannedAction.DEPLOY_EXTENSION) : List.of(),
                Optional.empty());
        Decision d = ReconcileRules.afterConflict(second, "Resource Manager returned 409 Conflict: busy");
        assertEquals(expectedKind, d.kind());
        assertEquals(List.of(expectedReason), d.reasons());
        assertEquals(List.of(), d.actions(), "nothing is written over the other operation in this reconcile");
        assertEquals(expectedReason == ReasonCode.EXTENSION_WRITE_CONFLICT, ReconcileRules.waitingOnTransientState(d));
    }

    @Test
    void theWaitOnATransientStateIsShortAndBoundedToAboutAnHour() {
        Duration verify = Duration.ofSeconds(30); // MDE_VERIFY_DELAY_SECONDS' default
        Decision waiting = new Decision(DecisionKind.PENDING, List.of(ReasonCode.VM_AGENT_NOT_READY), List.of(), Optional.empty());
        Duration total = Duration.ZERO;
        int attempt = 1;
        while (true) {
            Decision d = ReconcileRules.boundTransient(waiting, attempt);
            Optional<Duration> next = LookAgain.afterPass(d, List.of(), attempt, verify);
            if (next.isEmpty()) {
                assertEquals(DecisionKind.BLOCKED, d.kind());
                break;
            }
            assertTrue(next.get().compareTo(Duration.ofMinutes(8)) <= 0, "each wait is minutes, not hours: " + next.get());
            total = total.plus(next.get());
            attempt++;
        }
        assertEquals(ReconcileRules.MAX_TRANSIENT_ATTEMPTS, attempt);
        assertEquals(Duration.ofSeconds(3330), total, "55.5 minutes of looks, then BLOCKED");
    }

    @Test
    void outcomesOfFailedProcessing() {
        assertEquals(Decision.of(DecisionKind.SKIPPED, ReasonCode.OUT_OF_SCOPE), ReconcileRules.outOfScope());
        assertEquals(Decision.of(DecisionKind.SKIPPED, ReasonCode.MACHINE_NOT_FOUND), ReconcileRules.machineNotFound());
        assertEquals(Decision.of(DecisionKind.BLOCKED, ReasonCode.PASSIVE_MODE_FAILED), ReconcileRules.passiveModeFailed());
        Decision refused = ReconcileRules.jobFailed("Resource Manager returned 403 AuthorizationFailed: no");
        assertEquals(List.of(ReasonCode.JOB_FAILED), refused.reasons());
        assertEquals(Optional.of("Resource Manager returned 403 AuthorizationFailed: no"), refused.detail());
        assertEquals(Optional.of("processing failed repeatedly; last error: ArmException: boom"),
                ReconcileRules.poisoned(Optional.of("ArmException: boom")).detail());
        assertEquals(Optional.of("processing failed repeatedly; no error was noted"), ReconcileRules.poisoned(Optional.empty()).detail());
        assertTrue(ReconcileRules.poisoned(Optional.empty()).kind() == DecisionKind.BLOCKED);
    }
}
