package com.mdeonboarding.reconcile;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.config.Scope;
import com.mdeonboarding.decide.PassRules;
import com.mdeonboarding.decide.PassRules.Act;
import com.mdeonboarding.decide.PassRules.Intent;
import com.mdeonboarding.decide.PassRules.Observed;
import com.mdeonboarding.decide.PassRules.Outcome;
import com.mdeonboarding.decide.PassRules.RunRead;
import com.mdeonboarding.decide.PassRules.Settled;
import com.mdeonboarding.decide.LookAgain;
import com.mdeonboarding.decide.ReconcileRules;
import com.mdeonboarding.decide.RulesConfig;
import com.mdeonboarding.decide.WouldDo;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.GuestRun;
import com.mdeonboarding.model.GuestScript;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.MachineRecord.ExtensionHistory;
import com.mdeonboarding.model.MachineRecord.Provenance;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.RunStatus;
import com.mdeonboarding.model.SensorFacts;
import com.mdeonboarding.model.SubscriptionPosture;
import com.mdeonboarding.storage.MachineStateStore;
import com.mdeonboarding.telemetry.DecisionRecord;
import com.mdeonboarding.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The reconcile pass for one machine, in four steps, each one call: <b>gather</b> every fact the decision needs (the
 * state row, the subscription's posture, the status of a Run Command the row records, the machine, its sensor),
 * <b>decide</b> once ({@link PassRules#decide}, pure), <b>act</b> through the action objects (each turns its own errors
 * into an {@link Outcome}: a 409 is an outcome, not a second look), <b>record</b> what {@link PassRules#settle} makes of
 * the outcomes, with when to look again. {@link #plan} is gather and decide only.
 *
 * <p>Built for at-least-once delivery: a job older than the last observation is coalesced; the state row is claimed with
 * its ETag before the first write, and the claim names this pass (not the job's chain), so a second copy of the same
 * message waits for the first; every row that is not final carries when it must be looked at next, so a follow-up lost
 * with a worker or an acknowledgement is found by the resync ({@code control/Controller#resync}).
 */
public final class Reconciler {
    private final Scope scope;
    private final MachineStateStore store;
    private final FactsCollector facts;
    private final PostureCache postures;
    private final Actions actions;
    private final RulesConfig rules;
    private final Duration verifyDelay;
    private final Clock clock;
    /** Resource Manager requests sent from this thread so far: a pass's calls, for its telemetry record. */
    private final java.util.function.LongSupplier callsOnThisThread;

    public Reconciler(Scope scope, MachineStateStore store, FactsCollector facts, PostureCache postures, Actions actions,
                      RulesConfig rules, Duration verifyDelay, Clock clock) {
        this(scope, store, facts, postures, actions, rules, new Timing(verifyDelay, clock, () -> 0L));
    }

    /** How a pass is timed: the verify delay, the clock, and the calls counter its telemetry record reads. */
    public record Timing(Duration verifyDelay, Clock clock, java.util.function.LongSupplier callsOnThisThread) {
    }

    public Reconciler(Scope scope, MachineStateStore store, FactsCollector facts, PostureCache postures, Actions actions,
                      RulesConfig rules, Timing timing) {
        this.scope = scope;
        this.store = store;
        this.facts = facts;
        this.postures = postures;
        this.actions = actions;
        this.rules = rules;
        this.verifyDelay = timing.verifyDelay();
        this.clock = timing.clock();
        this.callsOnThisThread = timing.callsOnThisThread();
    }

    public enum Status {
        /** Decided, acted on and recorded. */
        RECORDED,
        /** Decided only ({@link #plan}): nothing was written. */
        PLANNED,
        /** A reconcile that started after this job was requested already saw the world: nothing to do. */
        COALESCED,
        /** Another worker updated this machine while we worked: it owns the outcome (and its row says when to look next). */
        LOST_RACE,
        /** The machine's subscription is outside the configured scope: refused before any call. */
        OUT_OF_SCOPE
    }

    /** One pass: gather, decide, act, record. */
    public ReconcileResult reconcile(OnboardingJob job, Logger logger) {
        MachineLog log = MachineLog.of(logger, job);
        Optional<ReconcileResult> refused = outOfScope(job, log);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<MachineRecord> prior = store.get(job.machine());
        if (ReconcileRules.coalesce(prior, job)) {
            log.fine("coalesced: state observed at " + prior.get().written().observedAt() + " is newer than the request");
            return ReconcileResult.without(Status.COALESCED);
        }
        Pass pass = new Pass(job, UUID.randomUUID().toString(), prior, log, clock.instant(), callsOnThisThread.getAsLong());
        try {
            Observed observed = gather(pass, true);
            Intent intent = PassRules.decide(observed, rules, verifyDelay);
            if (!rules.mode().writesMachines()) {
                return observe(pass, observed, intent);
            }
            List<Outcome> outcomes = act(pass, observed, intent);
            return record(pass, observed, intent, PassRules.settle(observed, intent, outcomes, verifyDelay));
        } catch (MachineStateStore.ConcurrentUpdateException e) {
            log.info("another worker is handling this machine; leaving it to them");
            return ReconcileResult.without(Status.LOST_RACE);
        } catch (ArmException e) {
            if (e.transientFailure()) {
                throw e; // the queue retries; after maxDequeueCount the poison handler records it
            }
            log.warning("Resource Manager refused a call: " + e.getMessage());
            return refusedRead(pass, e.getMessage());
        }
    }

    /**
     * Observe mode (MDE_MODE=observe): the pass gathered and decided as usual, and acts not at all: no claim, no extension
     * PUT, no setting write, no Run Command, not even the onboarding package read. The state row records the decision the
     * rules made with what it would do ({@link WouldDo#sentence}) as its detail, so the dashboard, {@code status} and the
     * history show the rollout before it happens; no follow-up is asked for (the next event or sweep looks again).
     */
    private ReconcileResult observe(Pass pass, Observed observed, Intent intent) {
        Decision planned = intent.planned();
        String would = WouldDo.sentence(planned, observed.machine().map(MachineFacts::mdeExtensionName).orElse("the MDE extension"));
        Decision recorded = new Decision(planned.kind(), planned.reasons(), planned.actions(),
                Optional.of(would + planned.detail().map(d -> "; " + d).orElse("")));
        // A Run Command this pass would start is not recorded as claimed; one an earlier mode started is still followed.
        PassRules.Kept kept = new PassRules.Kept(intent.kept().extension(), intent.kept().check(),
                intent.kept().run().filter(r -> r.handle().isPresent()));
        if (intent.write() == PassRules.Write.NONE) {
            pass.log.fine(describe(recorded) + "; another job's claim: left to it");
        } else {
            MachineRecord stored = write(pass, recorded, kept, Optional.empty());
            boolean changed = pass.prior.map(r -> r.kind() != recorded.kind() || !r.reasons().equals(recorded.reasons())
                    || !r.detail().equals(recorded.detail())).orElse(true);
            if (changed) {
                store.appendHistory(stored, List.of());
            }
            pass.log.info("observe: " + would + " (" + describe(planned) + ")");
        }
        emit(pass, observed, recorded, true); // nothing written to Azure
        return ReconcileResult.decided(Status.RECORDED, recorded, List.of(), Optional.empty());
    }

    /** Gather and decide only: what a pass would do now. No Run Command is read or started, nothing is written. */
    public ReconcileResult plan(OnboardingJob job, Logger logger) {
        MachineLog log = MachineLog.of(logger, job);
        Optional<ReconcileResult> refused = outOfScope(job, log);
        if (refused.isPresent()) {
            return refused.get();
        }
        Pass pass = new Pass(job, "plan", store.get(job.machine()), log, clock.instant(), callsOnThisThread.getAsLong());
        Observed observed = gather(pass, false);
        Intent intent = PassRules.decide(observed, rules, verifyDelay);
        Decision planned = intent.planned();
        log.info("plan: " + describe(planned));
        emit(pass, observed, planned, true);
        return ReconcileResult.decided(Status.PLANNED, planned, planned.actions().stream().map(Enum::name).toList(), Optional.empty());
    }

    /** A job that failed maxDequeueCount times: record why, with the last error noted for the machine. */
    public MachineRecord recordPoison(OnboardingJob job) {
        return store.recordPoison(job, ReconcileRules.poisoned(store.lastError(job.machine())), clock.instant());
    }

    private Optional<ReconcileResult> outOfScope(OnboardingJob job, MachineLog log) {
        MachineId id = job.machine();
        if (scope.contains(id.subscriptionId())) {
            return Optional.empty();
        }
        log.warning("refused: subscription " + id.subscriptionId() + " is outside the configured scope");
        return Optional.of(ReconcileResult.decided(Status.OUT_OF_SCOPE, ReconcileRules.outOfScope(), List.of(), Optional.empty()));
    }

    /** One pass: the job, which delivery of it this is, the row as the pass found it, and the row as the pass last wrote it. */
    private static final class Pass {
        final OnboardingJob job;
        final String delivery;
        final Optional<MachineRecord> prior;
        final MachineLog log;
        final Instant startedAt;
        final long callsBefore;
        /** The row as this pass last wrote it (its claim), for its ETag. */
        Optional<MachineRecord> current;
        Instant observedAt;

        Pass(OnboardingJob job, String delivery, Optional<MachineRecord> prior, MachineLog log, Instant startedAt, long callsBefore) {
            this.job = job;
            this.startedAt = startedAt;
            this.callsBefore = callsBefore;
            this.delivery = delivery;
            this.prior = prior;
            this.current = prior;
            this.log = log;
        }
    }

    /**
     * Every fact the decision needs. The status of a Run Command the row records is read first (one call); while it runs,
     * that is the whole look and the machine is not read again. A run that ended is read for its purpose here (its output
     * is guest text: parsed and bounded before any rule sees it).
     */
    private Observed gather(Pass pass, boolean followRun) {
        OnboardingJob job = pass.job;
        MachineId id = job.machine();
        SubscriptionPosture posture = postures.get(id.subscriptionId());
        pass.observedAt = clock.instant();
        Optional<GuestRun> recorded = followRun ? pass.prior.flatMap(MachineRecord::guestRun) : Optional.empty();
        Optional<RunStatus> status = recorded.flatMap(GuestRun::handle).map(h -> facts.runStatus(id, h));
        Optional<RunRead> run = recorded.map(r -> new RunRead(status, Optional.empty(), Optional.empty()));
        Optional<MachineRecord> prior = followRun ? pass.prior : pass.prior.map(r -> r.withGuest(r.guest().withRun(Optional.empty())));
        Optional<MachineFacts> machine = PassRules.needsMachine(prior, job, run, pass.observedAt, verifyDelay)
                ? facts.collect(id, posture) : Optional.empty();
        SensorFacts sensor = machine.map(facts::sensor).orElse(SensorFacts.notLooked());
        Optional<GuestScript> checkScript = machine.flatMap(actions.guestCheck()::script);
        if (run.isPresent() && machine.isPresent() && status.orElse(null) instanceof RunStatus.Succeeded ok) {
            GuestRun r = recorded.get();
            run = Optional.of(r.purpose() == GuestRun.Purpose.GUEST_CHECK
                    ? new RunRead(status, Optional.of(actions.guestCheck().result(machine.get(), ok.output(), pass.log)), Optional.empty())
                    : new RunRead(status, Optional.empty(), Optional.of(actions.passiveMode().confirmed(ok.output(), pass.log))));
        }
        return new Observed(new PassRules.Look(job, pass.delivery, prior, pass.observedAt), posture, run, machine, sensor,
                new PassRules.Scripts(checkScript.map(GuestScript::name), actions.passiveMode().script().name()));
    }

    /**
     * Carries the intent's actions out, in order, after claiming the row (of two passes holding the same ETag, one wins,
     * before either writes to Azure); stops at the first that does not succeed.
     */
    private List<Outcome> act(Pass pass, Observed observed, Intent intent) {
        List<Outcome> outcomes = new ArrayList<>();
        if (intent.acts().isEmpty()) {
            return outcomes;
        }
        write(pass, intent.decision(), intent.kept(), Optional.of(clock.instant().plus(LookAgain.claimWindow(verifyDelay))));
        MachineFacts f = observed.machine().orElseThrow();
        for (Act a : intent.acts()) {
            Outcome o;
            if (a instanceof Act.Deploy d) {
                o = actions.deploy().deploy(d, f, intent.decision(), pass.log);
            } else if (a instanceof Act.EnableSetting s) {
                o = actions.enableSetting().enable(s, f.id().subscriptionId(), pass.log);
            } else {
                Act.StartRun r = (Act.StartRun) a;
                o = r.purpose() == GuestRun.Purpose.GUEST_CHECK
                        ? actions.guestCheck().start(r, f, actions.guestCheck().script(f).orElseThrow(), pass.log)
                        : actions.passiveMode().start(r, f, pass.log);
            }
            outcomes.add(o);
            if (!(o instanceof Outcome.Done)) {
                break;
            }
        }
        return outcomes;
    }

    /** Writes what the pass settled on: the state row (with when to look next) and, unless nothing changed, a history entry. */
    private ReconcileResult record(Pass pass, Observed observed, Intent intent, Settled settled) {
        Optional<Instant> next = settled.requeue().map(r -> clock.instant().plus(r.after()));
        switch (intent.write()) {
            case NONE -> pass.log.fine(describe(settled.decision()) + "; another job's claim: left to it");
            case STATE_ONLY -> {
                write(pass, settled.decision(), settled.kept(), next);
                pass.log.fine(describe(settled.decision()) + lookingAgain(settled));
            }
            case RECORD -> {
                MachineRecord stored = write(pass, settled.decision(), settled.kept(), next);
                store.appendHistory(stored, settled.done());
                pass.log.info(describe(settled.decision()) + (settled.done().isEmpty() ? "" : " done=" + settled.done()) + lookingAgain(settled));
            }
        }
        emit(pass, observed, settled.decision(), false);
        return ReconcileResult.decided(Status.RECORDED, settled.decision(), settled.done(), settled.requeue());
    }

    /** The pass's one telemetry record (README, "Telemetry"): the decision with what it was made from. */
    private void emit(Pass pass, Observed observed, Decision d, boolean planned) {
        Optional<String> os = observed.machine().map(f -> f.os().type().name());
        Optional<String> health = com.mdeonboarding.model.Sensor.of(observed.sensor()).flatMap(com.mdeonboarding.model.Sensor::healthStatus)
                .or(() -> pass.prior.flatMap(r -> r.extension().sensor()).flatMap(com.mdeonboarding.model.Sensor::healthStatus));
        Telemetry.decision(new DecisionRecord(pass.job, d, os, health, Duration.between(pass.startedAt, clock.instant()),
                callsOnThisThread.getAsLong() - pass.callsBefore, planned));
    }

    /** Resource Manager refused a read a retry will not fix: BLOCKED JOB_FAILED, with what the row knew of the extension. */
    private ReconcileResult refusedRead(Pass pass, String message) {
        Decision failed = ReconcileRules.jobFailed(message);
        if (pass.observedAt == null) {
            pass.observedAt = clock.instant();
        }
        MachineRecord stored = write(pass, failed, new PassRules.Kept(PassRules.refusedHistory(pass.prior),
                pass.prior.flatMap(MachineRecord::guestCheck), Optional.empty()), Optional.empty());
        store.appendHistory(stored, List.of());
        Telemetry.decision(new DecisionRecord(pass.job, failed, Optional.empty(), Optional.empty(),
                Duration.between(pass.startedAt, clock.instant()), callsOnThisThread.getAsLong() - pass.callsBefore, false));
        return ReconcileResult.decided(Status.RECORDED, failed, List.of(), Optional.empty());
    }

    /** Writes the state row over the one this pass last read or wrote (ETag-guarded): never racing its own claim. */
    private MachineRecord write(Pass pass, Decision d, PassRules.Kept kept, Optional<Instant> nextLookAt) {
        OnboardingJob job = pass.job;
        Provenance written = new Provenance(pass.observedAt, clock.instant(), job.correlationId(), job.source().wire(), job.attempt(),
                pass.delivery, nextLookAt);
        MachineRecord stored = store.put(MachineRecord.of(job.machine(), d, kept.extension(), new MachineRecord.Guest(kept.check(), kept.run()), written,
                pass.current.flatMap(MachineRecord::etag)));
        pass.current = Optional.of(stored);
        return stored;
    }

    private static String lookingAgain(Settled s) {
        return s.requeue().map(r -> "; looking again in " + r.after().toMillis() + " ms").orElse("");
    }

    static String describe(Decision d) {
        return d.kind() + " " + d.reasons() + (d.actions().isEmpty() ? "" : " actions=" + d.actions())
                + d.detail().map(x -> " detail=" + x).orElse("");
    }
}
