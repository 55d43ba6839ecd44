package com.mdeonboarding.onboarding;

import com.azure.resourcemanager.compute.fluent.models.VirtualMachineExtensionInner;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.azure.ComputeApi;
import com.mdeonboarding.azure.HybridComputeApi;
import com.mdeonboarding.azure.OnboardingPackage;
import com.mdeonboarding.azure.SecurityApi;
import com.mdeonboarding.config.Scope;
import com.mdeonboarding.jobs.JobQueue;
import com.mdeonboarding.jobs.MachineState;
import com.mdeonboarding.jobs.MachineStateStore;
import com.mdeonboarding.jobs.OnboardingJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The reconcile loop for one machine: read the world (never the event), decide with the pure
 * {@link OnboardingRules}, act once, record why. Running it twice changes nothing the second time:
 * a job older than the last observation is coalesced, an extension in flight is PENDING, and the
 * state row's ETag lets only one of two concurrent workers write.
 */
public final class Reconciler {
    /** Re-checks of a machine whose extension stays in provisioning stop after this many attempts; sweeps go on. */
    static final int MAX_PENDING_ATTEMPTS = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Scope scope;
    private final MachineStateStore store;
    private final FactsCollector collector;
    private final PostureCache postures;
    private final SecurityApi security;
    private final ComputeApi compute;
    private final HybridComputeApi hybrid;
    /** Where verify and back-off jobs go; empty for an inline caller that looks again itself (the CLI). */
    private final Optional<JobQueue> queue;
    private final RulesConfig rules;
    private final Duration verifyDelay;
    private final Clock clock;

    public Reconciler(Scope scope, MachineStateStore store, FactsCollector collector, PostureCache postures, SecurityApi security,
                      ComputeApi compute, HybridComputeApi hybrid, JobQueue queue, RulesConfig rules, Duration verifyDelay, Clock clock) {
        this.scope = scope;
        this.store = store;
        this.collector = collector;
        this.postures = postures;
        this.security = security;
        this.compute = compute;
        this.hybrid = hybrid;
        this.queue = Optional.ofNullable(queue);
        this.rules = rules;
        this.verifyDelay = verifyDelay;
        this.clock = clock;
    }

    /** The same reconciler without follow-up jobs, for callers that look again themselves (the command line). */
    public Reconciler inline() {
        return new Reconciler(scope, store, collector, postures, security, compute, hybrid, null, rules, verifyDelay, clock);
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

    /** What happened: the decision (when one was made), the writes done (or planned, in a dry run). */
    public record Outcome(MachineId machine, Status status, Optional<Decision> decision, List<String> actions, boolean dryRun) {
    }

    public Outcome reconcile(OnboardingJob job, Logger log) {
        return reconcile(job, log, false);
    }

    /** {@code dryRun}: read and decide only; no Resource Manager write, no Run Command, no state written. */
    public Outcome reconcile(OnboardingJob job, Logger log, boolean dryRun) {
        MachineId id = job.machine();
        String tag = "[correlationId=" + job.correlationId() + "] [resourceId=" + id.id() + "] ";
        if (!scope.contains(id.subscriptionId())) {
            log.warning(tag + "refused: subscription " + id.subscriptionId() + " is outside the configured scope");
            return new Outcome(id, Status.OUT_OF_SCOPE, Optional.of(Decision.of(DecisionKind.SKIPPED, ReasonCode.OUT_OF_SCOPE)), List.of(), dryRun);
        }
        Optional<MachineState> prior = store.get(id);
        if (!dryRun && job.attempt() == 1 && prior.isPresent() && prior.get().observedAt().isAfter(job.requestedAt())
                && !ownUnfinishedClaim(prior.get(), job)) {
            log.fine(tag + "coalesced: state observed at " + prior.get().observedAt() + " is newer than the request");
            return new Outcome(id, Status.COALESCED, Optional.empty(), List.of(), false);
        }
        Instant observedAt = clock.instant();
        try {
            return decideAndAct(job, prior, observedAt, tag, log, dryRun);
        } catch (MachineStateStore.ConcurrentUpdateException e) {
            log.info(tag + "another worker is handling this machine; leaving it to them");
            return new Outcome(id, Status.LOST_RACE, Optional.empty(), List.of(), dryRun);
        } catch (ArmException e) {
            if (e.transientFailure() || dryRun) {
                throw e; // the queue retries; after maxDequeueCount the poison handler records it
            }
            log.warning(tag + "Resource Manager refused a call: " + e.getMessage());
            Decision d = new Decision(DecisionKind.BLOCKED, List.of(ReasonCode.JOB_FAILED), List.of(), Optional.of(e.getMessage()));
            record(job, prior, d, Optional.empty(), prior.map(MachineState::extensionFailures).orElse(0),
                    prior.flatMap(MachineState::lastDeployAt), Optional.empty(), observedAt, List.of());
            return new Outcome(id, Status.RECORDED, Optional.of(d), List.of(), false);
        }
    }

    private Outcome decideAndAct(OnboardingJob job, Optional<MachineState> prior, Instant observedAt, String tag, Logger log,
                                 boolean dryRun) {
        MachineId id = job.machine();
        SecurityApi.PostureReading posture = postures.get(id.subscriptionId());
        Optional<MachineFacts> read = collector.collect(id, !posture.fullyCovered());
        if (read.isEmpty()) {
            Decision gone = Decision.of(DecisionKind.SKIPPED, ReasonCode.MACHINE_NOT_FOUND);
            log.info(tag + "SKIPPED MACHINE_NOT_FOUND");
            if (!dryRun) {
                record(job, prior, gone, Optional.empty(), 0, Optional.empty(), Optional.empty(), observedAt, List.of());
            }
            return new Outcome(id, Status.RECORDED, Optional.of(gone), List.of(), dryRun);
        }
        MachineFacts facts = read.get();
        Optional<ExtensionState> ext = facts.mdeExtension();
        Optional<Instant> lastDeployAt = prior.flatMap(MachineState::lastDeployAt);
        int failures = countFailures(prior, ext);
        facts = facts.withExtensionFailures(failures);
        Optional<Instant> lastFailureAt = ext.filter(ExtensionState::failed).isPresent() ? lastDeployAt : Optional.empty();
        Optional<GuestCheckResult> guest = GuestChecks.current(prior.flatMap(MachineState::guestCheck), lastFailureAt, observedAt);
        if (guest.isPresent()) {
            facts = facts.withGuestCheck(guest.get());
        }

        Decision decision = OnboardingRules.decide(facts, posture.posture(), rules);
        List<String> done = new ArrayList<>();
        if (decision.actions().contains(PlannedAction.RUN_GUEST_CHECK) && !dryRun) {
            GuestCheckResult result = runGuestCheck(facts, tag, log);
            done.add(PlannedAction.RUN_GUEST_CHECK.name());
            facts = facts.withGuestCheck(result);
            guest = Optional.of(result);
            decision = OnboardingRules.decide(facts, posture.posture(), rules);
        }
        // Our own PUT can still be on its way: do not deploy twice while the extension is not visible yet.
        boolean ourDeployInFlight = ext.isEmpty() && prior.map(p -> p.decision() == DecisionKind.DEPLOY).orElse(false)
                && lastDeployAt.filter(t -> t.plus(verifyDelay.multipliedBy(2)).isAfter(observedAt)).isPresent();
        if (decision.kind() == DecisionKind.DEPLOY && ourDeployInFlight) {
            decision = new Decision(DecisionKind.PENDING, List.of(ReasonCode.EXTENSION_PROVISIONING), List.of(),
                    Optional.of("our deployment at " + lastDeployAt.get() + " is not visible yet"));
        }
        if (dryRun) {
            log.info(tag + "dry run: " + describe(decision));
            return new Outcome(id, Status.RECORDED, Optional.of(decision), decision.actions().stream().map(Enum::name).toList(), true);
        }

        Optional<String> extensionState = ext.map(ExtensionState::provisioningState);
        boolean writes = decision.actions().stream().anyMatch(a -> a != PlannedAction.RUN_GUEST_CHECK);
        Optional<MachineState> claimed = prior;
        if (writes) {
            // Claim the machine before the first write: of two workers holding the same ETag, one wins.
            claimed = Optional.of(record(job, prior, decision, extensionState, failures, lastDeployAt, guest, observedAt, null));
        }
        for (PlannedAction action : decision.actions()) {
            switch (action) {
                case RUN_GUEST_CHECK -> { }
                case ENABLE_WDATP -> enable(id, SecurityApi.WDATP, true, done, tag, log);
                case ENABLE_UNIFIED_SOLUTION -> enable(id, SecurityApi.WDATP_UNIFIED_SOLUTION, true, done, tag, log);
                case INCLUDE_LINUX -> enable(id, SecurityApi.WDATP_EXCLUDE_LINUX, false, done, tag, log);
                case SET_PASSIVE_MODE -> {
                    if (!setPassiveMode(facts, tag, log)) {
                        decision = new Decision(DecisionKind.BLOCKED, List.of(ReasonCode.PASSIVE_MODE_FAILED), List.of(), Optional.empty());
                        record(job, claimed, decision, extensionState, failures, lastDeployAt, guest, observedAt, done);
                        return new Outcome(id, Status.RECORDED, Optional.of(decision), done, false);
                    }
                    done.add(action.name());
                }
                case DEPLOY_EXTENSION -> {
                    extensionState = Optional.of(deploy(facts, tag, log));
                    lastDeployAt = Optional.of(clock.instant());
                    done.add(action.name());
                }
            }
        }
        record(job, claimed, decision, extensionState, failures, lastDeployAt, guest, observedAt, done);
        log.info(tag + describe(decision) + (done.isEmpty() ? "" : " done=" + done));
        followUp(job, decision, done, tag, log);
        return new Outcome(id, Status.RECORDED, Optional.of(decision), done, false);
    }

    /**
     * This job's own claim, whose deployment was never recorded (a DEPLOY row without a {@code lastDeployAt} after
     * its observation, written under this job's correlation ID): the job claimed the machine, then failed or its
     * worker died, before or after the PUT, and no verify job follows. Its redelivery must look again rather than
     * be coalesced into its own claim (which would leave the machine at DEPLOY until a sweep); the look finds the
     * extension if the PUT went through (PENDING or ONBOARDED, no second PUT). Another job's claim still coalesces:
     * that job is alive, or its own redelivery will come.
     */
    static boolean ownUnfinishedClaim(MachineState s, OnboardingJob job) {
        return s.decision() == DecisionKind.DEPLOY && s.correlationId().equals(job.correlationId())
                && s.lastDeployAt().map(t -> !t.isAfter(s.observedAt())).orElse(true);
    }

    /** A Failed outcome counts once, when it first shows after our own deployment; success resets the count. */
    static int countFailures(Optional<MachineState> prior, Optional<ExtensionState> ext) {
        int before = prior.map(MachineState::extensionFailures).orElse(0);
        if (ext.map(ExtensionState::succeeded).orElse(false)) {
            return 0;
        }
        boolean newFailure = ext.map(ExtensionState::failed).orElse(false)
                && prior.flatMap(MachineState::lastDeployAt).isPresent()
                && !prior.flatMap(MachineState::extensionState).map(s -> s.equalsIgnoreCase("Failed")).orElse(false);
        return newFailure ? before + 1 : before;
    }

    private void enable(MachineId id, String setting, boolean value, List<String> done, String tag, Logger log) {
        security.putSetting(id.subscriptionId(), setting, value);
        postures.invalidate(id.subscriptionId());
        done.add("SET " + setting + "=" + value);
        log.info(tag + "enforce mode: set " + setting + " to " + value + " for subscription " + id.subscriptionId());
    }

    private String deploy(MachineFacts facts, String tag, Logger log) {
        MachineId id = MachineId.parse(facts.resourceId());
        MdeExtensionSpec spec = MdeExtensionSpec.forMachine(facts);
        OnboardingPackage pkg = postures.onboardingPackage(id.subscriptionId(), facts.osType());
        if (id.kind() == MachineKind.VM) {
            VirtualMachineExtensionInner ext = new VirtualMachineExtensionInner()
                    .withLocation(facts.location())
                    .withPublisher(spec.publisher())
                    .withTypePropertiesType(spec.type())
                    .withTypeHandlerVersion(spec.typeHandlerVersion())
                    .withAutoUpgradeMinorVersion(spec.autoUpgradeMinorVersion())
                    .withSettings(spec.settings())
                    .withProtectedSettings(MdeExtensionSpec.protectedSettings(pkg.reveal()));
            int status = compute.beginPutExtension(id, spec.name(), ext);
            log.info(tag + "extension " + spec.name() + " PUT answered " + status);
        } else {
            ObjectNode body = JSON.createObjectNode();
            body.put("location", facts.location());
            ObjectNode p = body.putObject("properties");
            p.put("publisher", spec.publisher());
            p.put("type", spec.type());
            p.put("typeHandlerVersion", spec.typeHandlerVersion());
            p.put("autoUpgradeMinorVersion", spec.autoUpgradeMinorVersion());
            p.set("settings", JSON.valueToTree(spec.settings()));
            p.putObject("protectedSettings").put(MdeExtensionSpec.PROTECTED_SETTING, pkg.reveal());
            int status = hybrid.putExtension(id, spec.name(), body).status();
            log.info(tag + "extension " + spec.name() + " PUT answered " + status);
        }
        return "Creating";
    }

    private GuestCheckResult runGuestCheck(MachineFacts facts, String tag, Logger log) {
        Instant now = clock.instant();
        Optional<GuestCheckKind> kind = GuestChecks.kindFor(facts);
        if (kind.isEmpty()) {
            return GuestCheckResult.unavailable(now, "no guest check applies to this operating system");
        }
        GuestCheckScript script = GuestChecks.script(kind.get());
        try {
            String out = runScript(facts, script);
            GuestCheckResult r = GuestCheckParser.parse(out, kind.get(), clock.instant());
            log.info(tag + "guest check " + script.name() + ": " + (r.ran() ? r.findings() : "did not run") + " (" + r.summary() + ")");
            return r;
        } catch (ArmException e) {
            log.log(Level.WARNING, tag + "guest check could not run: " + e.getMessage());
            return GuestCheckResult.unavailable(now, "Run Command failed: " + e.getMessage());
        }
    }

    private boolean setPassiveMode(MachineFacts facts, String tag, Logger log) {
        try {
            boolean set = GuestCheckParser.passiveModeSet(runScript(facts, GuestChecks.passiveModeScript()));
            log.info(tag + "ForceDefenderPassiveMode " + (set ? "set" : "NOT confirmed by the script"));
            return set;
        } catch (ArmException e) {
            log.warning(tag + "setting passive mode failed: " + e.getMessage());
            return false;
        }
    }

    private String runScript(MachineFacts facts, GuestCheckScript script) {
        MachineId id = MachineId.parse(facts.resourceId());
        if (id.kind() == MachineKind.VM) {
            return compute.runCommand(id, script.commandId(), script.lines());
        }
        String name = "mde-onboarding-" + script.name().replaceAll("\\.[a-z0-9]+$", "").toLowerCase(Locale.ROOT);
        return hybrid.runCommand(id, facts.location(), name, script.script());
    }

    private void followUp(OnboardingJob job, Decision decision, List<String> done, String tag, Logger log) {
        Duration delay;
        if (done.contains(PlannedAction.DEPLOY_EXTENSION.name())) {
            delay = verifyDelay;
        } else if (decision.kind() == DecisionKind.PENDING && job.attempt() < MAX_PENDING_ATTEMPTS) {
            delay = verifyDelay.multipliedBy(1L << Math.min(4, job.attempt() - 1));
        } else {
            return;
        }
        if (queue.isEmpty()) {
            return;
        }
        queue.get().enqueue(job.next(clock.instant()), delay);
        log.fine(tag + "re-check in " + delay.toSeconds() + " s");
    }

    /** Writes the state row (ETag-guarded) and, unless this is only a claim ({@code actions} null), a history entry. */
    private MachineState record(OnboardingJob job, Optional<MachineState> prior, Decision d, Optional<String> extensionState, int failures,
                                Optional<Instant> lastDeployAt, Optional<GuestCheckResult> guest, Instant observedAt, List<String> actions) {
        MachineState s = new MachineState(job.machine(), d.kind(), d.reasons(), d.detail(), extensionState, failures, lastDeployAt,
                guest.or(() -> prior.flatMap(MachineState::guestCheck)), observedAt, clock.instant(), job.correlationId(),
                job.source().wire(), job.attempt(), prior.flatMap(MachineState::etag));
        MachineState stored = store.put(s);
        if (actions != null) {
            store.appendHistory(stored, actions);
        }
        return stored;
    }

    static String describe(Decision d) {
        return d.kind() + " " + d.reasons() + (d.actions().isEmpty() ? "" : " actions=" + d.actions())
                + d.detail().map(x -> " detail=" + x).orElse("");
    }
}
