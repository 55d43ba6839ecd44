package com.mdeonboarding.reconcile;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.MachineId;
import java.time.Duration;
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
 * @param requeueAfter look again after this long (a verify after a deployment, or the back-off while provisioning)
 */
public record ReconcileResult(MachineId machine, Reconciler.Status status, Optional<Decision> decision, List<String> actions,
                              boolean dryRun, Optional<Duration> requeueAfter) {
    public ReconcileResult {
        actions = List.copyOf(actions);
    }

    static ReconcileResult without(MachineId machine, Reconciler.Status status, boolean dryRun) {
        return new ReconcileResult(machine, status, Optional.empty(), List.of(), dryRun, Optional.empty());
    }

    static ReconcileResult decided(MachineId machine, Reconciler.Status status, Decision d, List<String> actions, boolean dryRun) {
        return new ReconcileResult(machine, status, Optional.of(d), actions, dryRun, Optional.empty());
    }

    ReconcileResult lookAgainAfter(Optional<Duration> delay) {
        return new ReconcileResult(machine, status, decision, actions, dryRun, delay);
    }
}
