package com.mdeonboarding.reconcile;

import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A logger bound once to one job's correlation and resource IDs: every line about the machine carries both. */
public final class MachineLog {
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
        log.info(tag + message);
    }

    public void warning(String message) {
        log.warning(tag + message);
    }

    public void fine(String message) {
        log.fine(tag + message);
    }

    public void log(Level level, String message, Throwable thrown) {
        log.log(level, tag + message, thrown);
    }
}
