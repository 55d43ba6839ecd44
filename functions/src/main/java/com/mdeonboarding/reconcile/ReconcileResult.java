package com.mdeonboarding.reconcile;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile did, and when the machine wants another look. The caller decides how to look again (the queue
 * trigger enqueues a delayed job; the command line waits and calls again), as controller-runtime's
 * {@code Result{RequeueAfter}} works.
 *
 * @param machine      the machine
 * @param status       recorded, coalesced, lost the race, or refused as out of scope
 * @param decision     the decision, when one was made
 * @param actions      the actions done (or, in a dry run, planned), in order
 * @param dryRun       nothing was written
 * @param requeueAfter look again after this long (a verify after a deployment, the back-off while provisioning, or
 *                     the poll delay of a Run Command under way)
 * @param runCommandUnderWay the look ended while a Run Command it follows runs: the next look reads it, at the same attempt
 *                     ({@link #followUp})
 */
public record ReconcileResult(MachineId machine, Reconciler.Status status, Optional<Decision> decision, List<String> actions,
                              boolean dryRun, Optional<Duration> requeueAfter, boolean runCommandUnderWay) {
    public ReconcileResult {
        actions = List.copyOf(actions);
    }

    static ReconcileResult without(MachineId machine, Reconciler.Status status, boolean dryRun) {
        return new ReconcileResult(machine, status, Optional.empty(), List.of(), dryRun, Optional.empty(), false);
    }

    static ReconcileResult decided(MachineId machine, Reconciler.Status status, Decision d, List<String> actions, boolean dryRun) {
        return new ReconcileResult(machine, status, Optional.of(d), actions, dryRun, Optional.empty(), false);
    }

    ReconcileResult lookAgainAfter(Optional<Duration> delay) {
        return new ReconcileResult(machine, status, decision, actions, dryRun, delay, runCommandUnderWay);
    }

    /** The same result, waiting on a Run Command: look again after {@code delay}. */
    ReconcileResult followRunCommand(Duration delay) {
        return new ReconcileResult(machine, status, decision, actions, dryRun, Optional.of(delay), true);
    }

    /**
     * The job of the look {@link #requeueAfter} asks for: a re-check is the next attempt ({@link OnboardingJob#next}); a look
     * at a Run Command under way keeps the attempt ({@link OnboardingJob#again}).
     */
    public OnboardingJob followUp(OnboardingJob job, Instant now) {
        return runCommandUnderWay ? job.again(now) : job.next(now);
    }
}
