package com.mdeonboarding.sweep;

import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where a sweep's jobs go. The timer and the HTTP API queue them (the Function App's workers reconcile them later); the
 * command line reconciles them inline, before the report is written, so that the report says how they ended.
 */
public interface SweepJobs {
    /** A machine that needs work. */
    void add(OnboardingJob job);

    /** Called once, after the last machine was streamed and before the report is built. */
    Outcome finish();

    /** Whether {@link #finish} reports the jobs' decisions (the sweep then keeps what it counted each job's machine as). */
    default boolean decidesInline() {
        return true;
    }

    /**
     * How the jobs were handled.
     *
     * @param decisions        the decision each machine reconciled here ended with (empty when the jobs were queued)
     * @param reconciledInline machines reconciled by the caller itself
     * @param queued           jobs put on the jobs queue (all of them; for the command line, the verify jobs of machines
     *                         still provisioning when its wait ended)
     */
    record Outcome(Map<MachineId, DecisionKind> decisions, long reconciledInline, long queued) {
        public Outcome {
            decisions = Map.copyOf(decisions);
        }
    }

    /** Every job to {@code queue} (the jobs queue): the report counts them as queued. */
    static SweepJobs queue(Consumer<OnboardingJob> queue) {
        return new SweepJobs() {
            private long queued;

            @Override
            public void add(OnboardingJob job) {
                queue.accept(job);
                queued++;
            }

            @Override
            public Outcome finish() {
                return new Outcome(Map.of(), 0, queued);
            }

            @Override
            public boolean decidesInline() {
                return false;
            }
        };
    }
}
