package com.mdeonboarding.decide;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.GuestRun;
import com.mdeonboarding.model.IntegrationSetting;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.MachineRecord.ExtensionHistory;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.PlannedAction;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.RunHandle;
import com.mdeonboarding.model.RunStatus;
import com.mdeonboarding.model.Sensor;
import com.mdeonboarding.model.SensorFacts;
import com.mdeonboarding.model.SubscriptionPosture;
import com.mdeonboarding.model.Text;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One reconcile pass, decided: from everything the pass gathered ({@link Observed}), what to do ({@link Intent}), and
 * from what the actions came to ({@link Outcome}), what to record and when to look again ({@link Settled}). Pure: the
 * reconciler gathers, calls {@link #decide}, carries out the intent's actions one after the other, calls {@link #settle},
 * and records. No step decides twice: a Run Command's end, a failed start and a 409 are facts or outcomes that this
 * class turns into the decision, never a reason for the reconciler to read and decide again.
 */
public final class PassRules {
    private PassRules() {
    }

    /**
     * Who looks, at what, and when.
     *
     * @param job      the job looking now
     * @param delivery this pass (one delivery of the job's message): the claim it writes names it
     * @param prior    the machine's state row as the pass found it
     * @param now      when the pass read the world
     */
    public record Look(OnboardingJob job, String delivery, Optional<MachineRecord> prior, Instant now) {
    }

    /**
     * The Run Command scripts the machine would get.
     *
     * @param check   the guest check script its OS needs, if any
     * @param passive the passive-mode script's name
     */
    public record Scripts(Optional<String> check, String passive) {
    }

    /**
     * Everything one pass read.
     *
     * @param look    who looks, at what, and when
     * @param posture the subscription's plan, settings and package state
     * @param run     the status of the Run Command the row records, with its output already parsed for its purpose
     * @param machine the machine as Resource Manager shows it; empty when it is gone, or not read (a run still running)
     * @param sensor  what Defender for Endpoint says of its sensor
     * @param scripts the Run Command scripts the machine would get
     */
    public record Observed(Look look, SubscriptionPosture posture, Optional<RunRead> run, Optional<MachineFacts> machine, SensorFacts sensor,
                           Scripts scripts) {
        public OnboardingJob job() {
            return look.job();
        }

        public String delivery() {
            return look.delivery();
        }

        public Optional<MachineRecord> prior() {
            return look.prior();
        }

        public Instant now() {
            return look.now();
        }

        public Optional<String> checkScript() {
            return scripts.check();
        }

        public String passiveScript() {
            return scripts.passive();
        }
    }

    /**
     * What the state row keeps besides the decision.
     *
     * @param extension what it remembers of the extension and its sensor
     * @param check     the guest check result (new, or the one it had)
     * @param run       the Run Command under way
     */
    public record Kept(ExtensionHistory extension, Optional<GuestCheckResult> check, Optional<GuestRun> run) {
    }

    /**
     * One read of the status of the Run Command the row records, and its output read for the run's purpose.
     *
     * @param status     what the read found; empty when the run has no handle yet (its start is claimed, not recorded)
     * @param asCheck    a guest check's output, judged for the machine's OS
     * @param passiveSet passive mode's output: whether it confirms ForceDefenderPassiveMode=1
     */
    public record RunRead(Optional<RunStatus> status, Optional<GuestCheckResult> asCheck, Optional<Boolean> passiveSet) {
        public static RunRead unread() {
            return new RunRead(Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** Something the pass does in Azure; each action object turns its own errors into an {@link Outcome}. */
    public sealed interface Act {
        /** Start a Run Command (the first time, or again: {@code why}). */
        record StartRun(GuestRun.Purpose purpose, String script, int starts, Optional<String> why) implements Act {
        }

        /** Write one integration setting (enforce mode). */
        record EnableSetting(IntegrationSetting setting) implements Act {
        }

        /** PUT the MDE extension the decision asks for. */
        record Deploy(boolean reOnboarding) implements Act {
        }
    }

    /** What an action came to. */
    public sealed interface Outcome {
        /** Done as asked. */
        record Done(Act act) implements Outcome {
        }

        /** A Run Command started: Azure's name for it, and when its status can tell more. */
        record Started(RunHandle handle, Optional<Duration> retryAfter) implements Outcome {
        }

        /** Resource Manager answered 409 Conflict: another writer or operation holds the resource. */
        record Conflict(String message) implements Outcome {
        }

        /** A Run Command could not be started (the refusal is a fact about the guest, not a failed job). */
        record CouldNotStart(String why) implements Outcome {
        }

        /** Resource Manager refused the write for a reason a retry will not fix. */
        record Refused(String message) implements Outcome {
        }
    }

    /** When to look again, and whether that look is the job's next attempt or the same one (reading a Run Command). */
    public record Requeue(Duration after, boolean sameAttempt) {
    }

    /** What the pass records when nothing it wrote was needed: the row is left alone, written as state only, or recorded. */
    public enum Write {
        /** Nothing: another job's claim is about to be answered by that job. */
        NONE,
        /** The state row only (the look's time), no history entry: nothing changed. */
        STATE_ONLY,
        /** The state row and a history entry. */
        RECORD
    }

    /**
     * What one pass is to do.
     *
     * @param planned  the decision rules' answer with its planned actions (what {@code plan} prints)
     * @param decision what the row says while the actions run (the claim) and, when they all succeed, after them
     * @param acts     the actions, in order; a claim is written before the first
     * @param kept     what the row keeps besides the decision
     * @param used     actions already done by earlier looks that this pass completed (a check read, passive mode confirmed)
     * @param write    how the pass records
     * @param requeue  when to look again if every action succeeds
     */
    public record Intent(Decision planned, Decision decision, List<Act> acts, Kept kept, List<String> used, Write write,
                         Optional<Requeue> requeue) {
        public Intent {
            acts = List.copyOf(acts);
            used = List.copyOf(used);
        }
    }

    /**
     * What the pass records after its actions, and when the machine is looked at again.
     *
     * @param done the actions done, as the history's Actions column names them
     */
    public record Settled(Decision decision, Kept kept, List<String> done, Optional<Requeue> requeue) {
        public Settled {
            done = List.copyOf(done);
        }
    }

    /**
     * Whether the pass must read the machine: not while the Run Command the row records is still running (one status read
     * is the whole look then). The same rule {@link #decide} applies.
     */
    public static boolean needsMachine(Optional<MachineRecord> prior, OnboardingJob job, Optional<RunRead> run, Instant now,
                                       Duration verifyDelay) {
        return runNext(prior, job, run, now, verifyDelay).filter(n -> n instanceof GuestRunRules.Next.Wait).isEmpty();
    }

    /** The one decision of a pass. */
    public static Intent decide(Observed o, RulesConfig rules, Duration verifyDelay) {
        Optional<GuestRunRules.Next> ran = runNext(o.prior(), o.job(), o.run(), o.now(), verifyDelay);
        Optional<GuestRun> recorded = o.prior().flatMap(MachineRecord::guestRun);
        if (ran.isPresent() && ran.get() instanceof GuestRunRules.Next.Wait wait) {
            // Still running: the row says so again (state only); another job's claim not started yet is left to that job.
            GuestRun run = recorded.orElseThrow();
            Decision pending = GuestRunRules.running(run);
            MachineRecord p = o.prior().orElseThrow();
            return new Intent(pending, pending, List.of(), new Kept(p.extension(), p.guestCheck(), recorded), List.of(),
                    run.handle().isPresent() ? Write.STATE_ONLY : Write.NONE, Optional.of(new Requeue(wait.after(), true)));
        }
        if (o.machine().isEmpty()) {
            Decision gone = ReconcileRules.machineNotFound();
            return new Intent(gone, gone, List.of(), new Kept(ExtensionHistory.none(), o.prior().flatMap(MachineRecord::guestCheck),
                    Optional.empty()), List.of(), Write.RECORD, Optional.empty());
        }
        MachineFacts f = o.machine().get();
        Optional<ExtensionState> ext = f.mdeExtension();
        SensorRules.SensorMemory sensorMemory = SensorRules.remember(o.prior(), ext, o.now(), rules.sensorGrace());
        Remembered memory = ReconcileRules.remember(o.prior(), o.delivery(), ext, o.now(), verifyDelay).withSensor(sensorMemory);
        ExtensionHistory extension = new ExtensionHistory(ext.map(ExtensionState::provisioningState), memory.extensionFailures(),
                memory.lastDeployAt()).withSensor(sensorMemory.succeededSince(), sensorMemory.reOnboardedAt(),
                Sensor.of(o.sensor()).or(() -> o.prior().flatMap(r -> r.extension().sensor())));

        // The guest check this pass has, from the run the row recorded (if it was this machine's check and it ended).
        List<String> used = new ArrayList<>();
        Optional<GuestCheckResult> check = Optional.empty();
        Optional<GuestRunRules.Next> checkRun = ran.filter(n -> recorded.filter(r -> o.checkScript()
                .filter(s -> GuestRunRules.applies(r, GuestRun.Purpose.GUEST_CHECK, s)).isPresent()).isPresent());
        if (checkRun.isPresent() && checkRun.get() instanceof GuestRunRules.Next.Use) {
            check = Optional.of(o.run().flatMap(RunRead::asCheck).orElseGet(() -> unavailable(o.now(), "its output could not be read")));
        } else if (checkRun.isPresent() && checkRun.get() instanceof GuestRunRules.Next.GiveUp giveUp) {
            check = Optional.of(unavailable(o.now(), giveUp.why()));
        }
        Decision planned = ReconcileRules.boundTransient(OnboardingRules.decide(f, check.map(memory::withGuestCheck).orElse(memory),
                o.posture(), rules, o.sensor()), o.job().attempt());
        if (check.isPresent()) {
            used.add(PlannedAction.RUN_GUEST_CHECK.name());
        }
        Optional<GuestCheckResult> keep = check.or(() -> o.prior().flatMap(MachineRecord::guestCheck));

        if (planned.actions().contains(PlannedAction.RUN_GUEST_CHECK)) {
            GuestRunRules.Next.Start start = checkRun.filter(n -> n instanceof GuestRunRules.Next.Start)
                    .map(n -> (GuestRunRules.Next.Start) n).orElse((GuestRunRules.Next.Start) GuestRunRules.firstStart());
            // The rules plan a check only for an OS that has one (OnboardingRules.needsGuestCheck), whose script gather found.
            String script = o.checkScript().orElseThrow(() -> new IllegalStateException("a guest check was planned for an OS without one"));
            return startRun(o, planned, GuestRun.Purpose.GUEST_CHECK, script, start, extension, keep);
        }
        if (planned.actions().contains(PlannedAction.SET_PASSIVE_MODE)) {
            Optional<GuestRunRules.Next> passiveRun = ran.filter(n -> recorded
                    .filter(r -> GuestRunRules.applies(r, GuestRun.Purpose.PASSIVE_MODE, o.passiveScript())).isPresent());
            GuestRunRules.Next next = passiveRun.orElse(GuestRunRules.firstStart());
            if (next instanceof GuestRunRules.Next.Start start) {
                return startRun(o, planned, GuestRun.Purpose.PASSIVE_MODE, o.passiveScript(), start, extension, keep);
            }
            if (next instanceof GuestRunRules.Next.GiveUp || !o.run().flatMap(RunRead::passiveSet).orElse(false)) {
                Decision failed = ReconcileRules.passiveModeFailed();
                return new Intent(planned, failed, List.of(), new Kept(extension, keep, Optional.empty()), used, Write.RECORD, Optional.empty());
            }
            used.add(PlannedAction.SET_PASSIVE_MODE.name());
        }
        List<Act> acts = new ArrayList<>();
        for (PlannedAction a : planned.actions()) {
            if (a == PlannedAction.DEPLOY_EXTENSION) {
                acts.add(new Act.Deploy(SensorRules.reOnboards(planned)));
            } else if (a.setting().isPresent()) {
                acts.add(new Act.EnableSetting(a.setting().get()));
            }
        }
        Optional<Requeue> requeue = LookAgain.afterPass(planned, acts.stream().anyMatch(a -> a instanceof Act.Deploy)
                        ? List.of(PlannedAction.DEPLOY_EXTENSION.name()) : used, o.job().attempt(), verifyDelay, o.sensor(), sensorMemory)
                .map(d -> new Requeue(d, false));
        return new Intent(planned, planned, acts, new Kept(extension, keep, Optional.empty()), used, Write.RECORD, requeue);
    }

    /** A Run Command to start: the row claims it first (no handle yet), so that of two workers one starts it. */
    private static Intent startRun(Observed o, Decision planned, GuestRun.Purpose purpose, String script, GuestRunRules.Next.Start start,
                                   ExtensionHistory extension, Optional<GuestCheckResult> check) {
        GuestRun claimed = GuestRun.claimed(purpose, script, o.now(), start.starts());
        return new Intent(planned, GuestRunRules.running(claimed), List.of(new Act.StartRun(purpose, script, start.starts(), start.why())),
                new Kept(extension, check, Optional.of(claimed)), List.of(), Write.RECORD, Optional.empty());
    }

    /**
     * What the pass records, from the intent and what its actions came to (in order; the reconciler stops at the first
     * that is not {@link Outcome.Done}).
     */
    public static Settled settle(Observed o, Intent intent, List<Outcome> outcomes, Duration verifyDelay) {
        Decision decision = intent.decision();
        ExtensionHistory extension = intent.kept().extension();
        Optional<GuestCheckResult> check = intent.kept().check();
        Optional<GuestRun> run = intent.kept().run();
        Optional<Requeue> requeue = intent.requeue();
        List<String> done = new ArrayList<>(intent.used());
        int attempt = o.job().attempt();
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Outcome.Done d) {
                if (d.act() instanceof Act.Deploy deploy) {
                    extension = extension.deployed(o.now(), deploy.reOnboarding());
                    done.add(PlannedAction.DEPLOY_EXTENSION.name());
                } else if (d.act() instanceof Act.EnableSetting s) {
                    done.add("SET " + s.setting().label());
                }
            } else if (outcome instanceof Outcome.Started s) {
                run = run.map(r -> r.started(s.handle()));
                decision = GuestRunRules.running(run.orElseThrow());
                requeue = Optional.of(new Requeue(LookAgain.pollDelay(s.retryAfter(), verifyDelay), true));
            } else if (outcome instanceof Outcome.CouldNotStart c) {
                boolean passive = run.map(r -> r.purpose() == GuestRun.Purpose.PASSIVE_MODE).orElse(false);
                run = Optional.empty();
                if (passive) {
                    decision = ReconcileRules.passiveModeFailed();
                    requeue = Optional.empty();
                } else {
                    // The check could not run: a fact the next look decides with at once (onboarding goes on without it).
                    check = Optional.of(unavailable(o.now(), "Run Command failed: " + c.why()));
                    decision = new Decision(DecisionKind.PENDING, List.of(ReasonCode.GUEST_CHECK_UNAVAILABLE), List.of(),
                            Optional.of("guest check: " + check.get().summary()));
                    requeue = Optional.of(new Requeue(LookAgain.MIN_POLL, true));
                }
            } else if (outcome instanceof Outcome.Conflict c) {
                // Another writer's extension, or another operation on the machine: the next look reads what it left, soon.
                decision = ReconcileRules.boundTransient(new Decision(DecisionKind.PENDING, List.of(ReasonCode.EXTENSION_WRITE_CONFLICT),
                        List.of(), Optional.of(c.message())), attempt);
                requeue = LookAgain.afterPass(decision, done, attempt, verifyDelay).map(d -> new Requeue(d, false));
            } else if (outcome instanceof Outcome.Refused r) {
                decision = ReconcileRules.jobFailed(r.message());
                extension = refusedHistory(o.prior());
                run = Optional.empty();
                requeue = Optional.empty();
            }
        }
        return new Settled(decision, new Kept(extension, check, run), done, requeue);
    }

    /**
     * Resource Manager refused a call (reading or writing): the row keeps what it knew of the extension and its sensor,
     * with no provisioning state (the look could not tell it).
     */
    public static ExtensionHistory refusedHistory(Optional<MachineRecord> prior) {
        return new ExtensionHistory(Optional.empty(), prior.map(r -> r.extension().failures()).orElse(0),
                prior.flatMap(r -> r.extension().lastDeployAt())).withSensor(prior.flatMap(r -> r.extension().succeededSince()),
                prior.flatMap(r -> r.extension().reOnboardedAt()), prior.flatMap(r -> r.extension().sensor()));
    }

    /** What the rules say of the run the row records, after its status was read; empty when the row records none. */
    private static Optional<GuestRunRules.Next> runNext(Optional<MachineRecord> prior, OnboardingJob job, Optional<RunRead> run,
                                                         Instant now, Duration verifyDelay) {
        if (prior.flatMap(MachineRecord::guestRun).isEmpty() || run.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(GuestRunRules.next(prior.get(), job, run.get().status(), now, verifyDelay));
    }

    /** A check that could not run or tell anything; the reason can quote the guest's own output, so it is escaped and cut. */
    private static GuestCheckResult unavailable(Instant now, String why) {
        return GuestCheckResult.unavailable(now, Text.printable(why, 300));
    }
}
