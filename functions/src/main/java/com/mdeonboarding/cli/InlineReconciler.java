package com.mdeonboarding.cli;

import com.mdeonboarding.control.Controller;
import com.mdeonboarding.decide.LookAgain;
import com.mdeonboarding.storage.MachineStateStore;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.reconcile.ReconcileResult;
import com.mdeonboarding.reconcile.Reconciler;
import com.mdeonboarding.support.Parallel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Runs the app's reconciler inline, as the queue worker would, for the command line: where the queue trigger would
 * enqueue a delayed look, the command line waits and looks again itself (attempt + 1) until each decision is final or
 * the wait is over, so the operator sees ONBOARDED or the reason. A machine still provisioning then (or when the
 * command is stopped with Ctrl-C) gets that delayed look on the jobs queue, so the Function App finishes it.
 */
final class InlineReconciler {
    /** Machines are independent (the queue worker runs 16 at once too): look at several in parallel. */
    private static final int PARALLEL = 8;

    private final Reconciler reconciler;
    private final MachineStateStore store;
    /** Where a machine still provisioning when the wait ends gets its verify job, for the Function App. */
    private final Controller controller;
    /** How soon to look again at a machine another worker was handling. */
    private final Duration raceRetry;
    private final Clock clock;
    private final Logger log;

    InlineReconciler(Reconciler reconciler, MachineStateStore store, Controller controller, Duration verifyDelay, Clock clock, Logger log) {
        this.reconciler = reconciler;
        this.store = store;
        this.controller = controller;
        this.raceRetry = LookAgain.raceRetry(verifyDelay);
        this.clock = clock;
        this.log = log;
    }

    /** One machine's looks so far. */
    private static final class Progress {
        OnboardingJob job;
        MachineResult result;
        Optional<Duration> lookAgainAfter = Optional.empty();
        /** The last look's result, which says what the next look's job is. */
        Optional<ReconcileResult> last = Optional.empty();
        boolean followUpQueued;
        final List<String> actions = new ArrayList<>();

        Progress(OnboardingJob job) {
            this.job = job;
        }
    }

    /** Reports machines done on {@code lines} (stderr) while it runs; null: no progress lines. */
    private Consumer<String> progressLines;
    private ProgressMeter meter;

    InlineReconciler withProgress(Consumer<String> lines) {
        this.progressLines = lines;
        return this;
    }

    List<MachineResult> run(List<OnboardingJob> jobs, boolean dryRun, Duration wait) {
        Map<String, Progress> all = new LinkedHashMap<>();
        for (OnboardingJob job : jobs) {
            all.putIfAbsent(job.machine().key(), new Progress(job));
        }
        meter = progressLines == null ? null : new ProgressMeter(dryRun ? "plan" : "reconcile", all.size(), clock, progressLines);
        lookAll(List.copyOf(all.values()), dryRun);
        if (dryRun) {
            return results(all);
        }
        // Stopped with Ctrl-C while waiting: what was started still gets its verify job, as it does when the wait ends.
        Thread onInterrupt = new Thread(() -> unfinished(all).forEach(this::queueFollowUp), "mde-onboarding-verify-jobs");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            Instant deadline = clock.instant().plus(wait);
            List<Progress> open = unfinished(all);
            while (!open.isEmpty()) {
                Duration left = Duration.between(clock.instant(), deadline);
                if (left.isNegative() || left.isZero()) {
                    break;
                }
                Duration nap = open.stream().map(p -> p.lookAgainAfter.orElse(raceRetry)).min(Duration::compareTo).orElse(raceRetry);
                nap = min(min(nap, LookAgain.OPERATOR_MAX_PAUSE), left);
                log.info("waiting " + Math.max(1, nap.toSeconds()) + " s for " + open.size() + " machine(s) still provisioning (up to "
                        + wait.toSeconds() + " s in all)");
                sleep(nap);
                for (Progress p : open) {
                    p.job = nextJob(p);
                }
                lookAll(open, false);
                open = unfinished(all);
            }
            for (Progress p : open) {
                String still = "still " + p.result.decision().map(Enum::name).orElse("undecided") + " after waiting " + wait.toSeconds() + " s";
                String next = queueFollowUp(p);
                p.result = p.result.withStatus(MachineResult.TIMED_OUT, Optional.of(still + "; " + next));
                if (meter != null) {
                    meter.done(); // its answer, for now: handed to the Function App
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it queues what is left
            }
        }
        return results(all);
    }

    private static List<MachineResult> results(Map<String, Progress> all) {
        return all.values().stream().map(p -> p.result).toList();
    }

    /**
     * Hands an unfinished machine to the Function App: its next look goes on the jobs queue, delayed as the reconciler
     * asked, exactly as the queue trigger would requeue it. Another worker's machine (LOST_RACE) is that worker's to
     * finish. Returns what the operator is told.
     */
    private String queueFollowUp(Progress p) {
        synchronized (p) {
            if (p.followUpQueued) {
                return "its verify job is on the queue: the Function App finishes it (see 'status')";
            }
            if (p.lookAgainAfter.isEmpty()) {
                return "another worker is handling it (see 'status')";
            }
            Duration delay = p.lookAgainAfter.get();
            try {
                controller.followUp(p.job, p.last.orElseThrow(), log);
                p.followUpQueued = true;
                p.result = p.result.withVerifyJobQueued();
                return "its verify job is queued (visible in " + delay.toSeconds() + " s): the Function App finishes it (see 'status')";
            } catch (RuntimeException e) {
                log.warning("[correlationId=" + p.job.correlationId() + "] [resourceId=" + p.job.machine().id()
                        + "] could not queue the verify job: " + Text.printable(String.valueOf(e.getMessage()), 300));
                return "its verify job could not be queued (" + Text.printable(String.valueOf(e.getMessage()), 200)
                        + "): run 'onboard' again, or the next sweep finds it";
            }
        }
    }

    /** Machines the reconciler wants to look at again, or that another worker was handling. */
    private static List<Progress> unfinished(Map<String, Progress> all) {
        return all.values().stream().filter(InlineReconciler::unfinished).toList();
    }

    private static boolean unfinished(Progress p) {
        return !p.result.status().equals(MachineResult.FAILED)
                && (p.result.status().equals(Reconciler.Status.LOST_RACE.name()) || p.lookAgainAfter.isPresent());
    }

    private void lookAll(List<Progress> machines, boolean dryRun) {
        Parallel.forEach(machines, PARALLEL, p -> {
            look(p, dryRun);
            if (meter != null && (dryRun || !unfinished(p))) {
                meter.done();
            }
        });
    }

    /** The job of a machine's next look, as the last look asked (a Run Command under way keeps the attempt). */
    private OnboardingJob nextJob(Progress p) {
        return p.last.map(r -> r.followUp(p.job, clock.instant())).orElse(p.job.next(clock.instant()));
    }

    /** One reconcile; a failure is recorded on the machine's result and the others go on. */
    private void look(Progress p, boolean dryRun) {
        OnboardingJob job = p.job;
        MachineResult.Job look = new MachineResult.Job(job.correlationId(), job.attempt(), dryRun, false);
        try {
            ReconcileResult o = dryRun ? reconciler.plan(job, log) : reconciler.reconcile(job, log);
            p.last = Optional.of(o);
            p.actions.addAll(o.actions());
            p.lookAgainAfter = o.requeueAfter();
            String status = o.status().name();
            if (o.status() == Reconciler.Status.COALESCED) {
                // A newer look already recorded the answer: report what it found.
                Optional<MachineRecord> s = store.get(job.machine());
                // The other worker's outcome is not final yet: wait for it as for our own.
                p.lookAgainAfter = s.filter(r -> r.kind() == DecisionKind.DEPLOY || r.kind() == DecisionKind.PENDING).map(r -> raceRetry);
                p.result = new MachineResult(job.machine(), s.map(MachineRecord::kind), s.map(MachineRecord::reasons).orElse(List.of()),
                        p.actions, status, s.flatMap(MachineRecord::detail), Optional.empty(), look);
                return;
            }
            Optional<Decision> d = o.decision();
            if (o.status() == Reconciler.Status.PLANNED) {
                status = MachineResult.DECIDED; // decided only: nothing was recorded
            }
            p.result = new MachineResult(job.machine(), d.map(Decision::kind), d.map(Decision::reasons).orElse(List.of()), p.actions,
                    status, d.flatMap(Decision::detail), Optional.empty(), look);
        } catch (RuntimeException e) {
            String why = e.getClass().getSimpleName() + ": " + Text.printable(String.valueOf(e.getMessage()), 300);
            log.warning("[correlationId=" + job.correlationId() + "] [resourceId=" + job.machine().id() + "] reconcile failed: " + why);
            p.lookAgainAfter = Optional.empty();
            p.result = new MachineResult(job.machine(), Optional.empty(), List.of(), p.actions, MachineResult.FAILED, Optional.empty(),
                    Optional.of(why), look);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for provisioning", e);
        }
    }
}
