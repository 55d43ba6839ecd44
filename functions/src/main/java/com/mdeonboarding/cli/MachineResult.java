package com.mdeonboarding.cli;

import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.ReasonCode;
import java.util.List;
import java.util.Optional;

/**
 * What the command line reports per machine.
 *
 * @param machine  the machine
 * @param decision the latest decision, empty when none was made (failed, or another worker owns it)
 * @param reasons  its reason codes
 * @param actions  what was written (or, in a dry run, would be), across every look at the machine
 * @param status   RECORDED, COALESCED, LOST_RACE, OUT_OF_SCOPE (the reconciler's), DECIDED (a dry run: decided, nothing
 *                 recorded), FAILED, or TIMED_OUT (still provisioning when the wait ended)
 * @param detail   operator text from the decision (e.g. the extension's own message)
 * @param error    why it failed, for FAILED
 * @param job      which job looked, how often, and whether it only decided
 */
record MachineResult(MachineId machine, Optional<DecisionKind> decision, List<ReasonCode> reasons, List<String> actions, String status,
                     Optional<String> detail, Optional<String> error, Job job) {

    static final String FAILED = "FAILED";
    static final String TIMED_OUT = "TIMED_OUT";
    static final String DECIDED = "DECIDED";

    MachineResult {
        reasons = List.copyOf(reasons);
        actions = List.copyOf(actions);
    }

    /**
     * @param correlationId   the job's correlation ID: its log lines and state rows carry it
     * @param attempts        how many times the machine was reconciled
     * @param dryRun          decided only, nothing written
     * @param verifyJobQueued its next look is on the jobs queue, for the Function App (still provisioning when the wait ended)
     */
    record Job(String correlationId, int attempts, boolean dryRun, boolean verifyJobQueued) {
    }

    boolean verifyJobQueued() {
        return job.verifyJobQueued();
    }

    MachineResult withVerifyJobQueued() {
        return new MachineResult(machine, decision, reasons, actions, status, detail, error,
                new Job(job.correlationId(), job.attempts(), job.dryRun(), true));
    }

    String correlationId() {
        return job.correlationId();
    }

    int attempts() {
        return job.attempts();
    }

    boolean dryRun() {
        return job.dryRun();
    }

    MachineResult withStatus(String newStatus, Optional<String> newDetail) {
        return new MachineResult(machine, decision, reasons, actions, newStatus, newDetail, error, job);
    }

    /**
     * Exit code 1: blocked, failed, not found (a typo must not look like success), or not finished (except a dry run's
     * DEPLOY, which is the plan).
     */
    boolean needsAttention() {
        if (status.equals(FAILED) || status.equals(TIMED_OUT) || reasons.contains(ReasonCode.MACHINE_NOT_FOUND)) {
            return true;
        }
        return decision.map(d -> d == DecisionKind.BLOCKED || (!job.dryRun() && (d == DecisionKind.DEPLOY || d == DecisionKind.PENDING)))
                .orElse(!status.equals("COALESCED"));
    }
}
