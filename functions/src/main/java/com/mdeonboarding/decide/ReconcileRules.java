package com.mdeonboarding.decide;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.PlannedAction;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.SensorFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The decisions around {@link OnboardingRules}: whether a job needs a look at all, what the stored record still says
 * (failure count, guest check staleness, our deployment in flight), the outcomes of failed processing, and when to look
 * again. Pure: the caller passes the time.
 */
public final class ReconcileRules {
    /** Re-checks of a machine whose extension stays in provisioning stop after this many attempts; sweeps go on. */
    public static final int MAX_PENDING_ATTEMPTS = 12;
    /**
     * Looks at a machine waiting on a transient state (agent not Ready yet, VM Creating, Arc AwaitingConnection...)
     * before it is BLOCKED: with the back-off of {@link #requeueAfter} and the default 30 s verify delay, ten waits of
     * 30 s doubling to 8 min, about 55 minutes in all.
     */
    public static final int MAX_TRANSIENT_ATTEMPTS = 11;
    /** The reasons a PENDING decision carries while it waits on the machine's own state ({@link OnboardingRules#reachability}). */
    static final Set<ReasonCode> TRANSIENT = EnumSet.of(ReasonCode.VM_AGENT_NOT_READY, ReasonCode.VM_NOT_RUNNING,
            ReasonCode.ARC_NOT_CONNECTED, ReasonCode.EXTENSION_WRITE_CONFLICT);
    /**
     * How long a stored guest check result counts. Short on purpose: a passing result is used within the same job (check,
     * then deploy), and a failing one should be looked at again soon after the operator fixes the machine; with the
     * default 6-hourly sweep, every sweep re-checks a machine blocked by its findings.
     */
    public static final Duration GUEST_CHECK_MAX_AGE = Duration.ofHours(1);
    /** A check stamped this far in the future (clock skew between workers) still counts; further is not trusted. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private ReconcileRules() {
    }

    public static Decision outOfScope() {
        return Decision.of(DecisionKind.SKIPPED, ReasonCode.OUT_OF_SCOPE);
    }

    public static Decision machineNotFound() {
        return Decision.of(DecisionKind.SKIPPED, ReasonCode.MACHINE_NOT_FOUND);
    }

    /** Resource Manager refused a call for a reason a retry will not fix. */
    public static Decision jobFailed(String message) {
        return new Decision(DecisionKind.BLOCKED, List.of(ReasonCode.JOB_FAILED), List.of(), Optional.of(message));
    }

    /** The job failed maxDequeueCount times and reached the poison queue. */
    public static Decision poisoned(Optional<String> lastError) {
        return jobFailed("processing failed repeatedly; " + lastError.map(e -> "last error: " + e).orElse("no error was noted"));
    }

    /** Passive mode could not be set: Defender must not start in active mode beside another antivirus. */
    public static Decision passiveModeFailed() {
        return Decision.of(DecisionKind.BLOCKED, ReasonCode.PASSIVE_MODE_FAILED);
    }

    /**
     * A job requested before the machine's last observation is already answered: the look that recorded it saw the
     * world this job is about. Not so for a follow-up (attempt 2 or more, which is a deliberate later look), for this
     * job's own unfinished claim, or for a Run Command this job started and follows. A resync job (the row was overdue for
     * its next look) is coalesced whenever any look recorded the machine after the resync asked: it is only a hint that
     * nobody looked.
     */
    public static boolean coalesce(Optional<MachineRecord> prior, OnboardingJob job) {
        return (job.attempt() == 1 || job.source() == JobSource.RESYNC) && prior.isPresent() && prior.get().written().observedAt().isAfter(job.requestedAt())
                && !ownUnfinishedClaim(prior.get(), job) && !followsOwnRunCommand(prior.get(), job);
    }

    /**
     * The row records a Run Command under way that this job started (or claimed): the job follows it, with looks at the
     * same attempt, and its redelivery after a worker stopped must read the run rather than be coalesced into its own row.
     * Another job's run is followed by that job.
     */
    public static boolean followsOwnRunCommand(MachineRecord r, OnboardingJob job) {
        return r.guestRun().isPresent() && r.written().correlationId().equals(job.correlationId());
    }

    /**
     * This job's own claim, whose deployment was never recorded (a DEPLOY row without a {@code lastDeployAt} after
     * its observation, written under this job's correlation ID): the job claimed the machine, then failed or its
     * worker died, before or after the PUT, and no verify job follows. Its redelivery must look again rather than
     * be coalesced into its own claim (which would leave the machine at DEPLOY until a sweep); the look finds the
     * extension if the PUT went through (PENDING or ONBOARDED, no second PUT). Another job's claim still coalesces:
     * that job is alive, or its own redelivery will come.
     */
    public static boolean ownUnfinishedClaim(MachineRecord r, OnboardingJob job) {
        return r.kind() == DecisionKind.DEPLOY && r.written().correlationId().equals(job.correlationId())
                && r.extension().lastDeployAt().map(t -> !t.isAfter(r.written().observedAt())).orElse(true);
    }

    /**
     * What the stored record still says, judged against the extension Azure shows now, by the pass {@code delivery}.
     */
    public static Remembered remember(Optional<MachineRecord> prior, String delivery, Optional<ExtensionState> ext, Instant now,
                                      Duration verifyDelay) {
        Optional<Instant> lastDeployAt = prior.flatMap(r -> r.extension().lastDeployAt());
        Optional<Instant> lastFailureAt = ext.filter(ExtensionState::failed).isPresent() ? lastDeployAt : Optional.empty();
        Duration window = LookAgain.claimWindow(verifyDelay);
        boolean inFlight = ext.isEmpty() && prior.map(r -> r.kind() == DecisionKind.DEPLOY).orElse(false)
                && (lastDeployAt.filter(t -> t.plus(window).isAfter(now)).isPresent()
                        || prior.filter(r -> freshClaimOfAnotherDelivery(r, delivery, now, window)).isPresent());
        return new Remembered(countFailures(prior, ext), currentGuestCheck(prior.flatMap(MachineRecord::guestCheck), lastFailureAt, now),
                lastDeployAt, inFlight);
    }

    /**
     * Another pass claimed the machine moments ago and has not recorded a deployment yet: it is about to send its PUT (a
     * second one now would deploy twice). A claim names the delivery that wrote it, not the job's chain: the same message
     * delivered twice (a host's redelivery, or the Storage SDK's retry of a send whose answer was lost) is two deliveries,
     * and the second waits for the first's claim. An older bare claim is a pass that died; its machine is deployed again.
     */
    static boolean freshClaimOfAnotherDelivery(MachineRecord r, String delivery, Instant now, Duration window) {
        return !r.written().delivery().equals(delivery)
                && r.extension().lastDeployAt().map(t -> !t.isAfter(r.written().observedAt())).orElse(true)
                && r.written().updatedAt().plus(window).isAfter(now);
    }

    /** A Failed outcome counts once, when it first shows after our own deployment; success resets the count. */
    static int countFailures(Optional<MachineRecord> prior, Optional<ExtensionState> ext) {
        int before = prior.map(r -> r.extension().failures()).orElse(0);
        if (ext.map(ExtensionState::succeeded).orElse(false)) {
            return 0;
        }
        boolean newFailure = ext.map(ExtensionState::failed).orElse(false)
                && prior.flatMap(r -> r.extension().lastDeployAt()).isPresent()
                && !prior.flatMap(r -> r.extension().provisioningState()).map(s -> s.equalsIgnoreCase("Failed")).orElse(false);
        return newFailure ? before + 1 : before;
    }

    /**
     * The staleness rule: a stored result counts when it is at most {@link #GUEST_CHECK_MAX_AGE} old and was taken after
     * the extension's last Failed outcome (a check from before a failure says nothing about why it failed).
     */
    static Optional<GuestCheckResult> currentGuestCheck(Optional<GuestCheckResult> stored, Optional<Instant> lastFailureAt, Instant now) {
        return stored.filter(r -> !r.checkedAt().isBefore(now.minus(GUEST_CHECK_MAX_AGE)) && !r.checkedAt().isAfter(now.plus(CLOCK_SKEW)))
                .filter(r -> lastFailureAt.map(failedAt -> r.checkedAt().isAfter(failedAt)).orElse(true));
    }

    /**
     * After the extension PUT answered 409 Conflict, the decision of a second look at the machine: another writer's
     * extension now there is followed like our own (PENDING while it provisions, then verified; ONBOARDED once it
     * succeeded), never written over; when the look still wants to deploy, nothing shows yet: PENDING, looked at again
     * shortly. Actions of the second look are not taken in this reconcile.
     */
    public static Decision afterConflict(Decision secondLook, String conflict) {
        if (secondLook.kind() == DecisionKind.DEPLOY) {
            return new Decision(DecisionKind.PENDING, List.of(ReasonCode.EXTENSION_WRITE_CONFLICT), List.of(), Optional.of(conflict));
        }
        return new Decision(secondLook.kind(), secondLook.reasons(), List.of(), secondLook.detail());
    }

    /** PENDING on the machine's own state (not on an extension being provisioned). */
    public static boolean waitingOnTransientState(Decision d) {
        return d.kind() == DecisionKind.PENDING && d.reasons().stream().anyMatch(TRANSIENT::contains);
    }

    /**
     * A transient state that outlasts {@link #MAX_TRANSIENT_ATTEMPTS} looks is BLOCKED with the same reasons: it is not
     * clearing up on its own, and the next event or the sweep's back-off takes it from there.
     */
    public static Decision boundTransient(Decision d, int attempt) {
        if (!waitingOnTransientState(d) || attempt < MAX_TRANSIENT_ATTEMPTS) {
            return d;
        }
        return new Decision(DecisionKind.BLOCKED, d.reasons(), List.of(),
                Optional.of(d.detail().map(x -> x + "; ").orElse("") + "still so after " + attempt + " looks"));
    }

}
