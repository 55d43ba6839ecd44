package com.mdeonboarding.reconcile;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.azure.Machines;
import com.mdeonboarding.config.Scope;
import com.mdeonboarding.decide.GuestRunRules;
import com.mdeonboarding.decide.OnboardingRules;
import com.mdeonboarding.decide.ReconcileRules;
import com.mdeonboarding.decide.Remembered;
import com.mdeonboarding.decide.RulesConfig;
import com.mdeonboarding.decide.SensorRules;
import com.mdeonboarding.storage.MachineStateStore;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.GuestRun;
import com.mdeonboarding.model.GuestScript;
import com.mdeonboarding.model.IntegrationSetting;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord.ExtensionHistory;
import com.mdeonboarding.model.MachineRecord.Provenance;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.PlannedAction;
import com.mdeonboarding.model.RunHandle;
import com.mdeonboarding.model.RunStatus;
import com.mdeonboarding.model.Sensor;
import com.mdeonboarding.model.SensorFacts;
import com.mdeonboarding.model.SubscriptionPosture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The reconcile loop for one machine: read the world (never the event), decide with the pure rules, act once,
 * record why, and say when to look again. Running it twice changes nothing the second time: a job older than the
 * last observation is coalesced, an extension in flight is PENDING, and the state row's ETag lets only one of two
 * concurrent workers write. Every decision is made in {@code decide}; this class only reads, acts and records.
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

    public Reconciler(Scope scope, MachineStateStore store, FactsCollector facts, PostureCache postures, Actions actions,
                      RulesConfig rules, Duration verifyDelay, Clock clock) {
        this.scope = scope;
        this.store = store;
        this.facts = facts;
        this.postures = postures;
        this.actions = actions;
        this.rules = rules;
        this.verifyDelay = verifyDelay;
        this.clock = clock;
    }

    public enum Status {
        /** Decided and recorded (and acted on, unless a dry run). */
        RECORDED,
        /** A reconcile that started after this job was requested already saw the world: nothing to do. */
        COALESCED,
        /** Another worker updated this machine while we worked: it owns the outcome. */
        LOST_RACE,
        /** The machine's subscription is outside the configured scope: refused before any call. */
        OUT_OF_SCOPE
    }

    public ReconcileResult reconcile(OnboardingJob job, Logger logger) {
        return reconcile(job, logger, false);
    }

    /** {@code dryRun}: read and decide only; no Resource Manager write, no Run Command, no state written. */
    public ReconcileResult reconcile(OnboardingJob job, Logger logger, boolean dryRun) {
        MachineLog log = MachineLog.of(logger, job);
        MachineId id = job.machine();
        if (!scope.contains(id.subscriptionId())) {
            log.warning("refused: subscription " + id.subscriptionId() + " is outside the configured scope");
            return ReconcileResult.decided(id, Status.OUT_OF_SCOPE, ReconcileRules.outOfScope(), List.of(), dryRun);
        }
        Optional<MachineRecord> prior = store.get(id);
        if (!dryRun && ReconcileRules.coalesce(prior, job)) {
            log.fine("coalesced: state observed at " + prior.get().written().observedAt() + " is newer than the request");
            return ReconcileResult.without(id, Status.COALESCED, false);
        }
        Look look = new Look(job, prior, clock.instant(), log);
        try {
            return look.run(dryRun);
        } catch (MachineStateStore.ConcurrentUpdateException e) {
            log.info("another worker is handling this machine; leaving it to them");
            return ReconcileResult.without(id, Status.LOST_RACE, dryRun);
        } catch (ArmException e) {
            if (e.transientFailure() || dryRun) {
                throw e; // the queue retries; after maxDequeueCount the poison handler records it
            }
            log.warning("Resource Manager refused a call: " + e.getMessage());
            return look.refused(ReconcileRules.jobFailed(e.getMessage()));
        }
    }

    /** A job that failed maxDequeueCount times: record why, with the last error noted for the machine. */
    public MachineRecord recordPoison(OnboardingJob job) {
        return store.recordPoison(job, ReconcileRules.poisoned(store.lastError(job.machine())), clock.instant());
    }

    /** One look at one machine: what is read, done and recorded along the way. */
    private final class Look {
        private final OnboardingJob job;
        private final Optional<MachineRecord> prior;
        private final Instant observedAt;
        private final MachineLog log;
        private final List<String> done = new ArrayList<>();
        /** The row as we last wrote it (our claim), for its ETag. */
        private Optional<MachineRecord> current;
        private ExtensionHistory extension;
        private Optional<GuestCheckResult> newCheck = Optional.empty();
        /** The Run Command the row will record as under way. */
        private Optional<GuestRun> guestRun;

        Look(OnboardingJob job, Optional<MachineRecord> prior, Instant observedAt, MachineLog log) {
            this.job = job;
            this.prior = prior;
            this.current = prior;
            this.observedAt = observedAt;
            this.log = log;
            this.guestRun = prior.flatMap(MachineRecord::guestRun);
        }

        ReconcileResult run(boolean dryRun) {
            MachineId id = job.machine();
            SubscriptionPosture posture = postures.get(id.subscriptionId());
            // A Run Command under way is read first (one call): while it runs, the machine itself is not read again.
            Optional<GuestRunRules.Next> ran = Optional.empty();
            Optional<GuestRun> recorded = dryRun ? Optional.empty() : guestRun;
            if (recorded.isPresent()) {
                GuestRunRules.Next next = GuestRunRules.next(prior.get(), job, recorded.get().handle().map(h -> status(recorded.get(), h)),
                        observedAt, verifyDelay);
                if (next instanceof GuestRunRules.Next.Wait wait) {
                    return stillRunning(recorded.get(), wait.after());
                }
                ran = Optional.of(next);
                guestRun = Optional.empty(); // ended (or lost): whatever this look decides, it is not under way any more
            }
            Optional<MachineFacts> read = facts.collect(id, posture);
            if (read.isEmpty()) {
                Decision gone = ReconcileRules.machineNotFound();
                log.info("SKIPPED MACHINE_NOT_FOUND");
                if (!dryRun) {
                    extension = ExtensionHistory.none();
                    record(gone);
                }
                return ReconcileResult.decided(id, Status.RECORDED, gone, List.of(), dryRun);
            }
            MachineFacts f = read.get();
            Judgement j = judge(f, posture, observedAt);
            Remembered memory = j.memory();
            SensorFacts sensor = j.sensor();
            SensorRules.SensorMemory sensorMemory = j.sensorMemory();
            Decision decision = ReconcileRules.boundTransient(j.decision(), job.attempt());
            if (decision.actions().contains(PlannedAction.RUN_GUEST_CHECK) && !dryRun) {
                Optional<ReconcileResult> started = checkGuest(f, ran.filter(n -> ranFor(GuestRun.Purpose.GUEST_CHECK,
                        actions.guestCheck().script(f).map(GuestScript::name))));
                if (started.isPresent()) {
                    return started.get();
                }
                done.add(PlannedAction.RUN_GUEST_CHECK.name());
                decision = OnboardingRules.decide(f, memory.withGuestCheck(newCheck.orElseThrow()), posture, rules, sensor);
            }
            if (dryRun) {
                log.info("dry run: " + describe(decision));
                return ReconcileResult.decided(id, Status.RECORDED, decision, decision.actions().stream().map(Enum::name).toList(), true);
            }
            if (decision.actions().stream().anyMatch(a -> a != PlannedAction.RUN_GUEST_CHECK)) {
                claim(decision); // of two workers holding the same ETag, one wins: before the first write
            }
            Optional<GuestRunRules.Next> passive = ran.filter(n -> ranFor(GuestRun.Purpose.PASSIVE_MODE,
                    Optional.of(actions.passiveMode().script().name())));
            for (PlannedAction action : decision.actions()) {
                try {
                    if (action == PlannedAction.SET_PASSIVE_MODE) {
                        PassiveMode outcome = setPassiveMode(f, passive);
                        if (outcome instanceof PassiveMode.Started s) {
                            return s.result();
                        }
                        if (outcome instanceof PassiveMode.Failed) {
                            return record(ReconcileRules.passiveModeFailed());
                        }
                        done.add(action.name());
                        continue;
                    }
                    act(action, f, decision);
                } catch (ArmException e) {
                    if (action == PlannedAction.DEPLOY_EXTENSION && e.conflict()) {
                        return lookAgainAfterConflict(posture, e);
                    }
                    throw e;
                }
            }
            ReconcileResult result = record(decision);
            log.info(describe(decision) + (done.isEmpty() ? "" : " done=" + done));
            return result.lookAgainAfter(ReconcileRules.requeueAfter(decision, done, job.attempt(), verifyDelay, sensor, sensorMemory));
        }

        /** Whether the run the row recorded (and this look read to its end) was of this purpose and script. */
        private boolean ranFor(GuestRun.Purpose purpose, Optional<String> script) {
            GuestRun r = prior.flatMap(MachineRecord::guestRun).orElseThrow();
            return script.filter(s -> GuestRunRules.applies(r, purpose, s)).isPresent();
        }

        private RunStatus status(GuestRun run, RunHandle handle) {
            return run.purpose() == GuestRun.Purpose.GUEST_CHECK ? actions.guestCheck().status(job.machine(), handle)
                    : actions.passiveMode().status(job.machine(), handle);
        }

        /**
         * The guest check: its result from the run the row recorded, if it ended; otherwise the check is started (or
         * started again), and the look ends PENDING: returned. A check that cannot start is a result (ran=false).
         */
        private Optional<ReconcileResult> checkGuest(MachineFacts f, Optional<GuestRunRules.Next> ran) {
            Optional<GuestScript> script = actions.guestCheck().script(f);
            if (script.isEmpty()) {
                newCheck = Optional.of(actions.guestCheck().unavailable("no guest check applies to this operating system", log));
                return Optional.empty();
            }
            GuestRunRules.Next next = ran.orElse(GuestRunRules.firstStart());
            if (next instanceof GuestRunRules.Next.Use use) {
                newCheck = Optional.of(actions.guestCheck().result(f, use.output(), log));
                return Optional.empty();
            }
            if (next instanceof GuestRunRules.Next.GiveUp giveUp) {
                newCheck = Optional.of(actions.guestCheck().unavailable(giveUp.why(), log));
                return Optional.empty();
            }
            GuestRunRules.Next.Start start = (GuestRunRules.Next.Start) next;
            try {
                return Optional.of(startRun(GuestRun.Purpose.GUEST_CHECK, script.get(), start, () -> actions.guestCheck().start(f, script.get())));
            } catch (ArmException e) {
                newCheck = Optional.of(actions.guestCheck().unavailable("Run Command failed: " + e.getMessage(), log));
                guestRun = Optional.empty();
                return Optional.empty();
            }
        }

        /** Passive mode: set, failed, or started (the look ends PENDING). */
        private PassiveMode setPassiveMode(MachineFacts f, Optional<GuestRunRules.Next> ran) {
            GuestRunRules.Next next = ran.orElse(GuestRunRules.firstStart());
            if (next instanceof GuestRunRules.Next.Use use) {
                return actions.passiveMode().confirmed(use.output(), log) ? new PassiveMode.Set() : new PassiveMode.Failed();
            }
            if (next instanceof GuestRunRules.Next.GiveUp giveUp) {
                actions.passiveMode().failed(giveUp.why(), log);
                return new PassiveMode.Failed();
            }
            try {
                return new PassiveMode.Started(startRun(GuestRun.Purpose.PASSIVE_MODE, actions.passiveMode().script(),
                        (GuestRunRules.Next.Start) next, () -> actions.passiveMode().start(f)));
            } catch (ArmException e) {
                actions.passiveMode().failed(e.getMessage(), log);
                guestRun = Optional.empty();
                return new PassiveMode.Failed();
            }
        }

        /**
         * Starts a Run Command and records it under way: the claim first (of two workers holding the same ETag, one starts
         * it), then Azure's name for it. Returns the look's result: PENDING, look again after the poll delay.
         */
        private ReconcileResult startRun(GuestRun.Purpose purpose, GuestScript script, GuestRunRules.Next.Start start,
                                         java.util.function.Supplier<Machines.StartedRun> call) {
            start.why().ifPresent(why -> log.info(why + "; starting it again"));
            GuestRun claimed = GuestRun.claimed(purpose, script.name(), clock.instant(), start.starts());
            guestRun = Optional.of(claimed);
            claim(GuestRunRules.running(claimed));
            Machines.StartedRun started = call.get();
            log.info("Run Command " + script.name() + " started (start " + start.starts() + " of at most " + GuestRunRules.MAX_STARTS + ")");
            guestRun = Optional.of(claimed.started(started.handle()));
            Decision pending = GuestRunRules.running(guestRun.get());
            ReconcileResult result = record(pending);
            Duration after = GuestRunRules.pollDelay(started.retryAfter(), verifyDelay);
            log.info(describe(pending) + (done.isEmpty() ? "" : " done=" + done) + "; looking again in " + after.toMillis() + " ms");
            return result.followRunCommand(after);
        }

        /**
         * The Run Command the row records still runs: the row says so again (state only, no history entry: nothing changed
         * but the time of the look, which later jobs are coalesced against), and the job looks again after {@code after}.
         * Another job's claim whose start is not recorded yet is left untouched: that job writes the row next.
         */
        private ReconcileResult stillRunning(GuestRun run, Duration after) {
            MachineRecord p = prior.orElseThrow();
            extension = p.extension();
            Decision pending = GuestRunRules.running(run);
            if (run.handle().isPresent()) {
                current = Optional.of(store.put(row(pending)));
            }
            log.fine(describe(pending) + "; looking again in " + after.toMillis() + " ms");
            return ReconcileResult.decided(job.machine(), Status.RECORDED, pending, List.of(), false).followRunCommand(after);
        }

        /**
         * What the record remembers, judged against these facts, the sensor's facts, and the decision they make; sets the
         * extension history the row will carry.
         */
        private Judgement judge(MachineFacts f, SubscriptionPosture posture, Instant now) {
            Optional<ExtensionState> ext = f.mdeExtension();
            SensorRules.SensorMemory sensorMemory = SensorRules.remember(prior, ext, now, rules.sensorGrace());
            Remembered memory = ReconcileRules.remember(prior, job, ext, now, verifyDelay).withSensor(sensorMemory);
            SensorFacts sensor = facts.sensor(f);
            extension = new ExtensionHistory(ext.map(ExtensionState::provisioningState), memory.extensionFailures(), memory.lastDeployAt())
                    .withSensor(sensorMemory.succeededSince(), sensorMemory.reOnboardedAt(),
                            Sensor.of(sensor).or(() -> prior.flatMap(r -> r.extension().sensor())));
            return new Judgement(memory, sensor, sensorMemory, OnboardingRules.decide(f, memory, posture, rules, sensor));
        }

        /**
         * The extension PUT answered 409: another writer, or another operation on the machine. Reads the machine again and
         * records what that second look decides ({@link ReconcileRules#afterConflict}), without acting on it.
         */
        private ReconcileResult lookAgainAfterConflict(SubscriptionPosture posture, ArmException conflict) {
            log.info("extension PUT answered 409 Conflict; looking again: " + conflict.getMessage());
            Optional<MachineFacts> again = facts.collect(job.machine(), posture);
            Decision second;
            if (again.isEmpty()) {
                extension = ExtensionHistory.none();
                second = ReconcileRules.machineNotFound();
            } else {
                second = judge(again.get(), posture, clock.instant()).decision();
            }
            Decision decision = ReconcileRules.boundTransient(ReconcileRules.afterConflict(second, conflict.getMessage()), job.attempt());
            ReconcileResult result = record(decision);
            log.info(describe(decision) + (done.isEmpty() ? "" : " done=" + done));
            return result.lookAgainAfter(ReconcileRules.requeueAfter(decision, done, job.attempt(), verifyDelay));
        }

        /** Carries out one planned action (the guest check and passive mode are Run Commands: {@link #run}). */
        private void act(PlannedAction action, MachineFacts f, Decision decision) {
            switch (action) {
                case RUN_GUEST_CHECK, SET_PASSIVE_MODE -> {
                    // the check is done before the decision it informs; passive mode is followed across looks
                }
                case ENABLE_WDATP, ENABLE_UNIFIED_SOLUTION, INCLUDE_LINUX -> {
                    IntegrationSetting setting = action.setting().orElseThrow();
                    String sub = job.machine().subscriptionId();
                    actions.enableSetting().apply(sub, setting);
                    done.add("SET " + EnableIntegrationSetting.label(setting));
                    log.info("enforce mode: set " + setting.settingName() + " to " + setting.desiredValue() + " for subscription " + sub);
                }
                case DEPLOY_EXTENSION -> {
                    boolean reOnboarding = SensorRules.reOnboards(decision);
                    int status = actions.deploy().apply(f, decision);
                    log.info("extension " + f.mdeExtensionName() + (reOnboarding ? " (forceReOnboarding)" : "") + " PUT answered " + status);
                    extension = extension.deployed(clock.instant(), reOnboarding);
                    done.add(action.name());
                }
            }
        }

        /**
         * Resource Manager refused a call: records JOB_FAILED with what the row knew of the extension, over the row as this
         * look last wrote it (its claim, whose ETag it holds) or, before any claim, as it was: never racing its own claim.
         */
        ReconcileResult refused(Decision d) {
            extension = new ExtensionHistory(Optional.empty(), prior.map(r -> r.extension().failures()).orElse(0),
                    prior.flatMap(r -> r.extension().lastDeployAt())).withSensor(prior.flatMap(r -> r.extension().succeededSince()),
                    prior.flatMap(r -> r.extension().reOnboardedAt()), prior.flatMap(r -> r.extension().sensor()));
            return record(d);
        }

        /** Writes the state row only (ETag-guarded): the machine is ours until the final record. */
        private void claim(Decision d) {
            current = Optional.of(store.put(row(d)));
        }

        /** Writes the state row and a history entry with the actions done. */
        private ReconcileResult record(Decision d) {
            MachineRecord stored = store.put(row(d));
            current = Optional.of(stored);
            store.appendHistory(stored, done);
            return ReconcileResult.decided(job.machine(), Status.RECORDED, d, done, false);
        }

        private MachineRecord row(Decision d) {
            Provenance written = new Provenance(observedAt, clock.instant(), job.correlationId(), job.source().wire(), job.attempt());
            return MachineRecord.of(job.machine(), d, extension,
                    new MachineRecord.Guest(newCheck.or(() -> prior.flatMap(MachineRecord::guestCheck)), guestRun), written,
                    current.flatMap(MachineRecord::etag));
        }
    }

    /** What passive mode came to in this look. */
    private sealed interface PassiveMode {
        record Set() implements PassiveMode {
        }

        record Failed() implements PassiveMode {
        }

        /** Started: the look ends PENDING with this result. */
        record Started(ReconcileResult result) implements PassiveMode {
        }
    }

    /** One judgement of a machine: what the record remembers, the sensor's facts, and the decision. */
    private record Judgement(Remembered memory, SensorFacts sensor, SensorRules.SensorMemory sensorMemory, Decision decision) {
    }

    static String describe(Decision d) {
        return d.kind() + " " + d.reasons() + (d.actions().isEmpty() ? "" : " actions=" + d.actions())
                + d.detail().map(x -> " detail=" + x).orElse("");
    }
}
