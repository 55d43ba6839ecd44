package com.mdeonboarding.reconcile;

import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.Text;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A logger bound once to one job's correlation and resource IDs: every line about the machine carries both, and stays one
 * line: messages quote Azure and guest text (extension messages, Run Command output), so they are escaped and bounded
 * here, whatever the caller forgot.
 */
public final class MachineLog {
    /** Longer messages are cut (a decision with its detail fits comfortably). */
    static final int MAX_MESSAGE = 4_000;
    private final Logger log;
    private final String tag;

    private MachineLog(Logger log, String tag) {
        this.log = log;
        this.tag = tag;
    }

    public static MachineLog of(Logger log, OnboardingJob job) {
        return of(log, job.correlationId(), job.machine());
    }

    public static MachineLog of(Logger log, String correlationId, MachineId machine) {
        return new MachineLog(log, "[correlationId=" + correlationId + "] [resourceId=" + machine.id() + "] ");
    }

    public void info(String message) {
        log.info(tag + Text.printable(message, MAX_MESSAGE));
    }

    public void warning(String message) {
        log.warning(tag + Text.printable(message, MAX_MESSAGE));
    }

    public void fine(String message) {
        log.fine(tag + Text.printable(message, MAX_MESSAGE));
    }

    public void log(Level level, String message, Throwable thrown) {
        log.log(level, tag + Text.printable(message, MAX_MESSAGE), thrown);
    }
}
