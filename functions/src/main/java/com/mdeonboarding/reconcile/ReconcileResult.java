package com.mdeonboarding.reconcile;

import com.mdeonboarding.decide.PassRules;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.OnboardingJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile pass came to, as controller-runtime's {@code Result{RequeueAfter}}: the decision, and when to look
 * again (or not). A failure the queue should retry is not a result: it is thrown; a failure no retry fixes is a
 * decision (BLOCKED JOB_FAILED). The caller decides how to look again (the controller enqueues a delayed job; the command
 * line waits and calls again).
 *
 * @param status   recorded, planned only, coalesced, lost the race, or refused as out of scope
 * @param decision the decision, when one was made
 * @param actions  the actions done (or, for a plan, planned), in order
 * @param requeue  when to look again: a verify after a deployment, the back-off while provisioning, or the poll of a Run
 *                 Command under way (which keeps the job's attempt: {@link #followUp})
 */
public record ReconcileResult(Reconciler.Status status, Optional<Decision> decision, List<String> actions,
                              Optional<PassRules.Requeue> requeue) {
    public ReconcileResult {
        actions = List.copyOf(actions);
    }

    static ReconcileResult without(Reconciler.Status status) {
        return new ReconcileResult(status, Optional.empty(), List.of(), Optional.empty());
    }

    static ReconcileResult decided(Reconciler.Status status, Decision d, List<String> actions, Optional<PassRules.Requeue> requeue) {
        return new ReconcileResult(status, Optional.of(d), actions, requeue);
    }

    /** Look again after this long; empty: the next event or sweep will. */
    public Optional<Duration> requeueAfter() {
        return requeue.map(PassRules.Requeue::after);
    }

    /** Nothing was written: a plan (gather and decide only). */
    public boolean dryRun() {
        return status == Reconciler.Status.PLANNED;
    }

    /**
     * The job of the look {@link #requeue} asks for: a re-check is the next attempt ({@link OnboardingJob#next}); a look at a
     * Run Command under way keeps the attempt ({@link OnboardingJob#again}).
     */
    public OnboardingJob followUp(OnboardingJob job, Instant now) {
        return requeue.map(PassRules.Requeue::sameAttempt).orElse(false) ? job.again(now) : job.next(now);
    }
}
