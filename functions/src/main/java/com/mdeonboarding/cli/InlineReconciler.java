package com.mdeonboarding.cli;

import com.mdeonboarding.jobs.MachineState;
import com.mdeonboarding.jobs.MachineStateStore;
import com.mdeonboarding.jobs.OnboardingJob;
import com.mdeonboarding.onboarding.Decision;
import com.mdeonboarding.onboarding.DecisionKind;
import com.mdeonboarding.onboarding.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Runs the app's reconciler inline, as the queue worker would, for the command line. The reconciler
 * still queues its delayed verify job (so an interrupted run is finished by the app, if it runs); the
 * command line also looks again itself (attempt + 1, backing off) until each decision is final or the
 * wait is over, so the operator sees ONBOARDED or the reason.
 */
final class InlineReconciler {
    /** Back-off between looks while provisioning: from min(verify delay, 5 s), doubling up to 30 s. */
    private static final Duration MAX_POLL = Duration.ofSeconds(30);
    private static final int PARALLEL = 8;

    private final Reconciler reconciler;
    private final MachineStateStore store;
    private final Duration firstPoll;
    private final Clock clock;
    private final Logger log;

    InlineReconciler(Reconciler reconciler, MachineStateStore store, Duration verifyDelay, Clock clock, Logger log) {
        this.reconciler = reconciler;
        this.store = store;
        this.firstPoll = verifyDelay.compareTo(Duration.ofSeconds(5)) < 0 ? verifyDelay : Duration.ofSeconds(5);
        this.clock = clock;
        this.log = log;
    }

    private static final class Progress {
        OnboardingJob job;
        MachineResult result;
        final List<String> actions = new ArrayList<>();

        Progress(OnboardingJob job) {
            this.job = job;
        }
    }

    List<MachineResult> run(List<OnboardingJob> jobs, boolean dryRun, Duration wait) {
        Map<String, Progress> all = new LinkedHashMap<>();
        for (OnboardingJob job : jobs) {
            all.putIfAbsent(job.machine().key(), new Progress(job));
        }
        lookAll(List.copyOf(all.values()), dryRun);
        if (!dryRun) {
            Instant deadline = clock.instant().plus(wait);
            Duration pause = firstPoll;
            List<Progress> open = unfinished(all);
            while (!open.isEmpty()) {
                Duration left = Duration.between(clock.instant(), deadline);
                if (left.isNegative() || left.isZero()) {
                    break;
                }
                Duration nap = pause.compareTo(left) > 0 ? left : pause;
                log.info("waiting " + Math.max(1, nap.toSeconds()) + " s for " + open.size() + " machine(s) still provisioning (up to "
                        + wait.toSeconds() + " s in all)");
                sleep(nap);
                for (Progress p : open) {
                    p.job = p.job.next(clock.instant());
                }
                lookAll(open, false);
                open = unfinished(all);
                pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
            }
            for (Progress p : open) {
                MachineResult r = p.result;
                p.result = new MachineResult(r.machine(), r.decision(), r.reasons(), r.actions(), MachineResult.TIMED_OUT,
                        Optional.of("still " + r.decision().map(Enum::name).orElse("undecided") + " after waiting " + wait.toSeconds()
                                + " s; the verify job the app queued will finish it (see 'status')"),
                        r.correlationId(), r.attempts(), r.error(), false);
            }
        }
        return all.values().stream().map(p -> p.result).toList();
    }

    private static List<Progress> unfinished(Map<String, Progress> all) {
        return all.values().stream().filter(p -> p.result.status().equals("LOST_RACE")
                || p.result.decision().map(d -> d == DecisionKind.DEPLOY || d == DecisionKind.PENDING).orElse(false)
                && !p.result.status().equals(MachineResult.FAILED)).toList();
    }

    /** Machines are independent (the queue worker runs 16 at once too): look at several in parallel. */
    private void lookAll(List<Progress> machines, boolean dryRun) {
        if (machines.size() <= 1) {
            machines.forEach(p -> look(p, dryRun));
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.min(PARALLEL, machines.size()));
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (Progress p : machines) {
                done.add(pool.submit(() -> look(p, dryRun)));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reconciling", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** One reconcile; a failure is recorded on the machine's result and the others go on. */
    private void look(Progress p, boolean dryRun) {
        OnboardingJob job = p.job;
        try {
            Reconciler.Outcome o = reconciler.reconcile(job, log, dryRun);
            p.actions.addAll(o.actions());
            Optional<Decision> d = o.decision();
            String status = o.status().name();
            if (o.status() == Reconciler.Status.COALESCED) {
                // A newer look already recorded the answer: report what it found.
                Optional<MachineState> s = store.get(job.machine());
                p.result = new MachineResult(job.machine(), s.map(MachineState::decision), s.map(MachineState::reasons).orElse(List.of()),
                        p.actions, status, s.flatMap(MachineState::detail), job.correlationId(), job.attempt(), Optional.empty(), dryRun);
                return;
            }
            p.result = new MachineResult(job.machine(), d.map(Decision::kind), d.map(Decision::reasons).orElse(List.of()), p.actions,
                    status, d.flatMap(Decision::detail), job.correlationId(), job.attempt(), Optional.empty(), dryRun);
        } catch (RuntimeException e) {
            String why = e.getClass().getSimpleName() + ": " + com.mdeonboarding.api.Text.printable(String.valueOf(e.getMessage()), 300);
            log.warning("[correlationId=" + job.correlationId() + "] [resourceId=" + job.machine().id() + "] reconcile failed: " + why);
            p.result = new MachineResult(job.machine(), Optional.empty(), List.of(), p.actions, MachineResult.FAILED, Optional.empty(),
                    job.correlationId(), job.attempt(), Optional.of(why), dryRun);
        }
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
