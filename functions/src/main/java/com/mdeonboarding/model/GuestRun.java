package com.mdeonboarding.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A Run Command we started on a machine and whose end we have not read yet, as the machine's state row keeps it: the
 * worker that starts it returns at once, and a later look (the delayed job on the queue, the command line's wait, a
 * redelivered job) reads its status ({@code decide/GuestRunRules} says what to do with it).
 *
 * @param purpose   the read-only prerequisite check, or setting passive mode
 * @param script    the script's name ({@link GuestScript#name()}): a run of another script than the machine needs now is not used
 * @param handle    how Azure names it; empty while the start is claimed (the row written first, as before any write) but
 *                  Azure's answer is not recorded yet
 * @param startedAt when it was (last) started
 * @param starts    how many times it was started: 1, or 2 after a lost or expired run was started again
 */
public record GuestRun(Purpose purpose, String script, Optional<RunHandle> handle, Instant startedAt, int starts) {

    public enum Purpose {
        /** {@code RUN_GUEST_CHECK}: the read-only prerequisite check. */
        GUEST_CHECK,
        /** {@code SET_PASSIVE_MODE}: ForceDefenderPassiveMode=1. */
        PASSIVE_MODE
    }

    public GuestRun {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(startedAt, "startedAt");
        if (starts < 1) {
            throw new IllegalArgumentException("a Run Command is started at least once");
        }
    }

    /** The claim written before the start: no handle yet. */
    public static GuestRun claimed(Purpose purpose, String script, Instant at, int starts) {
        return new GuestRun(purpose, script, Optional.empty(), at, starts);
    }

    /** The same run with Azure's name for it. */
    public GuestRun started(RunHandle h) {
        return new GuestRun(purpose, script, Optional.of(h), startedAt, starts);
    }
}
