package com.mdeonboarding.control;

import com.mdeonboarding.decide.LookAgain;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.reconcile.MachineLog;
import com.mdeonboarding.reconcile.ReconcileResult;
import com.mdeonboarding.reconcile.Reconciler;
import com.mdeonboarding.storage.JobCodec;
import com.mdeonboarding.storage.JobQueue;
import com.mdeonboarding.storage.MachineStateStore;
import com.mdeonboarding.sweep.SweepService;
import com.mdeonboarding.telemetry.DecisionRecord;
import com.mdeonboarding.telemetry.LogContext;
import com.mdeonboarding.telemetry.Telemetry;
import java.util.Optional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The one controller: what is done with each message the app receives, whoever receives it (the Functions host's
 * triggers adapt these methods; {@link QueueWorker} runs them in-process for {@code serve}, the command line and the
 * tests). A job is decoded, reconciled once, and followed up as its result asks (a delayed job on the same queue: the
 * queue is the timer); a failure is noted for the machine and thrown, so that the queue delivers the job again, up to
 * maxDequeueCount, after which {@link #poison} records it. {@link #resync} is the safety net under the queue: a row whose
 * next look is overdue (its follow-up was lost with a worker or an acknowledgement) gets a job, so the queue only makes
 * looks faster; nothing depends on a follow-up's send surviving a crash.
 */
public final class Controller {
    /** Rows one resync enqueues at most; the next resync takes the rest. */
    public static final int RESYNC_BATCH = 1000;

    private final Reconciler reconciler;
    private final JobQueue queue;
    private final MachineStateStore store;
    private final SweepService sweeps;
    private final Clock clock;
    private final Duration resyncGrace;

    public Controller(Reconciler reconciler, JobQueue queue, MachineStateStore store, SweepService sweeps, Clock clock, Duration resyncGrace) {
        this.reconciler = reconciler;
        this.queue = queue;
        this.store = store;
        this.sweeps = sweeps;
        this.clock = clock;
        this.resyncGrace = resyncGrace;
    }

    /**
     * One job message: decoded, reconciled, followed up. A message that is not a job is logged with its ID and dropped
     * (no retry can fix it); a failure is noted for the machine and rethrown for the queue to retry.
     */
    public void process(String message, String messageId, int dequeueCount, Logger log) {
        OnboardingJob job;
        try {
            job = JobCodec.decode(message);
        } catch (JobCodec.MalformedJobException e) {
            log.severe("[messageId=" + Text.printable(messageId, 80) + "] " + e.getMessage());
            return;
        }
        // The job's context (resource ID, correlation ID, source, attempt) once, for every record logged while it runs.
        try (LogContext ctx = LogContext.of(job)) {
            reconcileAndFollowUp(job, log);
        } catch (RuntimeException e) {
            store.noteError(job.machine(), job.correlationId(), dequeueCount, e);
            throw e;
        }
    }

    /** One pass over the job's machine, and its follow-up queued when the result asks for one. */
    public ReconcileResult reconcileAndFollowUp(OnboardingJob job, Logger log) {
        ReconcileResult result = reconciler.reconcile(job, log);
        followUp(job, result, log);
        return result;
    }

    /**
     * Queues the look {@code result} asks for, delayed as it asks. The row the pass recorded already says when that look is
     * due, so a send lost here (a crash, Storage refusing) delays the look until the resync, never loses it.
     */
    public boolean followUp(OnboardingJob job, ReconcileResult result, Logger log) {
        if (result.requeueAfter().isEmpty()) {
            return false;
        }
        Duration delay = result.requeueAfter().get();
        queue.enqueue(result.followUp(job, clock.instant()), delay);
        MachineLog.of(log, job).fine("next look in " + delay.toSeconds() + " s");
        return true;
    }

    /** A job that failed maxDequeueCount times: the machine is recorded BLOCKED JOB_FAILED with the last error noted. */
    public void poison(String message, String messageId, Logger log) {
        OnboardingJob job;
        try {
            job = JobCodec.decode(message);
        } catch (JobCodec.MalformedJobException e) {
            log.severe("[messageId=" + Text.printable(messageId, 80) + "] poison message is not a job: " + e.getMessage());
            return;
        }
        try (LogContext ctx = LogContext.of(job)) {
            MachineRecord r = reconciler.recordPoison(job);
            Telemetry.decision(new DecisionRecord(job, new com.mdeonboarding.model.Decision(r.kind(), r.reasons(), List.of(), r.detail()),
                    Optional.empty(), Optional.empty(), Duration.ZERO, 0, false));
            MachineLog.of(log, job).log(java.util.logging.Level.SEVERE, "job failed repeatedly; recorded BLOCKED JOB_FAILED", null);
        }
    }

    /** A sweep someone asked for (POST /api/sweeps), run as the timer would; its jobs go to the jobs queue. */
    public void sweepRequested(String message, String messageId, Logger log) {
        sweeps.runRequested(message, messageId, queue::enqueue, log);
    }

    /**
     * The resync: every row whose next look was due more than {@link LookAgain#RESYNC_GRACE} ago gets a job (source resync), which
     * continues the row's chain (its correlation ID; the next attempt, or the same one while a Run Command is followed). A
     * row looked at meanwhile coalesces the job. Returns how many jobs it queued.
     */
    public int resync(Logger log) {
        Instant now = clock.instant();
        List<MachineRecord> overdue = store.overdue(now.minus(resyncGrace), RESYNC_BATCH);
        int queued = 0;
        for (MachineRecord r : overdue) {
            OnboardingJob job = resyncJob(r, now);
            try {
                queue.enqueue(job);
                queued++;
            } catch (RuntimeException e) {
                log.warning("resync: could not queue a look at " + r.machine().id() + " (the next resync tries again): "
                        + Text.printable(String.valueOf(e.getMessage()), 300));
            }
        }
        if (!overdue.isEmpty()) {
            log.info("resync: " + queued + " of " + overdue.size() + " machine(s) overdue for their next look queued"
                    + (overdue.size() == RESYNC_BATCH ? " (more wait for the next resync)" : ""));
        }
        return queued;
    }

    /** The job a resync queues for an overdue row. */
    static OnboardingJob resyncJob(MachineRecord r, Instant now) {
        String chain = r.written().correlationId().isBlank() ? UUID.randomUUID().toString() : r.written().correlationId();
        int attempt = Math.max(1, r.written().attempt()) + (r.guestRun().isPresent() ? 0 : 1);
        return new OnboardingJob(r.machine(), JobSource.RESYNC, chain, attempt, now);
    }
}
