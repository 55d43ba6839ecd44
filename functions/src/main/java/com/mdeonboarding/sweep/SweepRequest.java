package com.mdeonboarding.sweep;

import com.mdeonboarding.config.Mode;
import java.util.List;
import java.util.Optional;

/**
 * What one sweep should do.
 *
 * @param dryRun          read and report only: no posture write, no job, no report stored
 * @param mode            overrides MDE_MODE (the CLI's --enforce); empty: the setting
 * @param subscriptions   limit to these subscriptions (must be in scope); empty: everything in scope
 * @param collectMachines list the machines that need work in the report (the CLI's plan); off for the timer
 * @param sweepId         the ID to run under (a requested sweep's, given in the 202 answer); empty: a new one
 */
public record SweepRequest(boolean dryRun, Optional<Mode> mode, List<String> subscriptions, boolean collectMachines,
                           Optional<String> sweepId) {
    public SweepRequest {
        subscriptions = List.copyOf(subscriptions);
    }

    public SweepRequest(boolean dryRun, Optional<Mode> mode, List<String> subscriptions, boolean collectMachines) {
        this(dryRun, mode, subscriptions, collectMachines, Optional.empty());
    }

    /** The timer's sweep: everything in scope, mode from settings. */
    public static SweepRequest scheduled() {
        return new SweepRequest(false, Optional.empty(), List.of(), false);
    }

    /** A sweep asked for with POST /api/sweeps: as the timer's, under the ID its answer gave. */
    public static SweepRequest requested(String sweepId) {
        return new SweepRequest(false, Optional.empty(), List.of(), false, Optional.of(sweepId));
    }

    /** The CLI's plan: read-only, with the machines listed. */
    public static SweepRequest plan(List<String> subscriptions) {
        return new SweepRequest(true, Optional.empty(), subscriptions, true);
    }
}
