package com.mdeonboarding.model;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A request to reconcile one machine. Carries no secrets: only what is needed to find the machine
 * again and to correlate logs. Serialised as versioned JSON by {@link JobCodec}.
 *
 * @param machine       the machine to reconcile
 * @param source        event, sweep or manual
 * @param correlationId carried into every log line and state row of this job's processing
 * @param attempt       1 for the first look; each delayed re-check (verify, back-off) adds one; a look at a Run Command
 *                      under way does not ({@link #again})
 * @param requestedAt   when the hint arrived (event time or enqueue time): a reconcile that finished
 *                      after this instant already saw the world this job is about, so the job is coalesced
 */
public record OnboardingJob(MachineId machine, JobSource source, String correlationId, int attempt, Instant requestedAt) {
    public static final int SCHEMA_VERSION = 1;

    public OnboardingJob {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(requestedAt, "requestedAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be 1 or more");
        }
    }

    public static OnboardingJob create(MachineId machine, JobSource source, Instant requestedAt) {
        return new OnboardingJob(machine, source, UUID.randomUUID().toString(), 1, requestedAt);
    }

    /** The follow-up look at the same machine (verify after a deploy, or back-off while pending). */
    public OnboardingJob next(Instant now) {
        return new OnboardingJob(machine, source, correlationId, attempt + 1, now);
    }

    /**
     * The next look at a Run Command this job follows (its guest check or passive mode, under way): the same attempt, so
     * that reading a Run Command uses up none of the bounds and back-offs counted in attempts (those of the verify after
     * the deployment that follows, for instance).
     */
    public OnboardingJob again(Instant now) {
        return new OnboardingJob(machine, source, correlationId, attempt, now);
    }
}
