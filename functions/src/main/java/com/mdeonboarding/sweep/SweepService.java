package com.mdeonboarding.sweep;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.azure.AzureClients;
import com.mdeonboarding.config.DesiredPlan;
import com.mdeonboarding.config.Mode;
import com.mdeonboarding.config.Scope;
import com.mdeonboarding.decide.Billing;
import com.mdeonboarding.decide.Coverage;
import com.mdeonboarding.decide.Estate;
import com.mdeonboarding.decide.OnboardingRules;
import com.mdeonboarding.decide.PostureDrift;
import com.mdeonboarding.storage.MachineStateStore;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.IntegrationSetting;
import com.mdeonboarding.model.IntegrationSettings;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.MachineRow;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.Plan;
import com.mdeonboarding.model.SubscriptionPosture;
import com.mdeonboarding.reconcile.EnableIntegrationSetting;
import com.mdeonboarding.support.Parallel;
import com.mdeonboarding.telemetry.SweepSummary;
import com.mdeonboarding.telemetry.Telemetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One pass over everything in scope. Posture: plans for all subscriptions in one Resource Graph query;
 * integration settings (not in Resource Graph) read for every subscription on every sweep, one list call each,
 * {@value #SETTINGS_READ_CONCURRENCY} at a time (Resource Manager throttles reads per subscription, so one read per
 * subscription is far inside each one's budget; a 429 is waited out by the pipeline's retry), the last value kept as
 * a fallback for a read that fails. Coverage: machines streamed from Resource Graph, one subscription's state rows in
 * memory at a time; machines missing, failed or stuck get a job, which the caller sends to the same queue the events
 * use (or reconciles inline). So a sweep of 1,000 subscriptions and 100,000 machines is about a hundred Resource
 * Graph queries and a thousand settings reads, and the jobs spread over every Function instance.
 */
public final class SweepService {
    /**
     * Settings reads in flight at once. Each subscription has its own read budget (250, refilled at 25 a second), so
     * this bounds the sweep's threads and sockets, not Azure's throttling: 1,000 subscriptions at 50 ms a read is 3 s.
     */
    public static final int SETTINGS_READ_CONCURRENCY = 16;
    /** A stored fallback value is rewritten at least this often, so the "read at" a fallback shows stays recent. */
    public static final Duration SETTINGS_REFRESH_STORED = Duration.ofHours(24);
    private static final DateTimeFormatter SWEEP_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final SweepConfig config;
    private final Scope scope;
    private final Supplier<List<String>> candidateSubscriptions;
    private final AzureClients azure;
    private final EnableIntegrationSetting settingWriter;
    private final MachineStateStore states;
    private final SweepReportStore reports;
    private final Clock clock;
    /** The event wiring step; null when MDE_EVENT_WIRING is off. */
    private final EventWiring wiring;
    private final EstateNow estateNow;

    public SweepService(SweepConfig config, Scope scope, Supplier<List<String>> candidateSubscriptions, AzureClients azure,
                        EnableIntegrationSetting settingWriter, MachineStateStore states, SweepReportStore reports, Clock clock) {
        this.wiring = null;
        this.config = config;
        this.scope = scope;
        this.candidateSubscriptions = candidateSubscriptions;
        this.azure = azure;
        this.settingWriter = settingWriter;
        this.states = states;
        this.reports = reports;
        this.clock = clock;
        this.estateNow = new EstateNow(states, reports, clock);
    }

    private SweepService(SweepService base, EventWiring wiring) {
        this.config = base.config;
        this.scope = base.scope;
        this.candidateSubscriptions = base.candidateSubscriptions;
        this.azure = base.azure;
        this.settingWriter = base.settingWriter;
        this.states = base.states;
        this.reports = base.reports;
        this.clock = base.clock;
        this.estateNow = base.estateNow;
        this.wiring = wiring;
    }

    /** The same sweep with the event wiring step ({@link EventWiring}): run first, writing only in enforce mode. */
    public SweepService withEventWiring(EventWiring eventWiring) {
        return new SweepService(this, eventWiring);
    }

    /** A sweep whose machines that need work are queued to {@code queue}. */
    public SweepReport run(SweepRequest request, Consumer<OnboardingJob> queue, Logger log) {
        return run(request, SweepJobs.queue(queue), log);
    }

    /** A sweep whose machines that need work go to {@code jobs} (the queue, or the CLI's inline reconciler). */
    public SweepReport run(SweepRequest request, SweepJobs jobs, Logger log) {
        Instant started = clock.instant();
        String sweepId = request.sweepId().orElseGet(() -> newSweepId(started));
        Mode mode = request.mode().orElse(config.defaultMode());
        // Only enforce writes posture; observe, onboard and a dry run report what enforce would do ("would ...").
        boolean enforce = mode.writesPosture() && !request.dryRun();
        long reads0 = azure.calls().reads();
        long writes0 = azure.calls().writes();
        long throttled0 = azure.calls().throttled();
        List<String> errors = new ArrayList<>();
        String tag = "[sweepId=" + sweepId + "] ";

        List<String> subs = subscriptions(request, errors);
        log.info(tag + "started: " + subs.size() + " subscriptions, mode " + mode.settingValue() + (request.dryRun() ? " (dry run)" : ""));

        // Event wiring: desired state like posture, written in enforce mode only; observe, onboard and dry runs report what
        // they would do. Only a sweep of the
        // whole scope wires: one of named subscriptions must not take the others for out of scope.
        if (wiring != null && request.subscriptions().isEmpty()) {
            EventWiring.Report wired = wiring.run(subs, id -> !scope.contains(id), enforce, log, tag);
            wired.failures().forEach(f -> errors.add("event wiring of " + f.subscriptionId() + ": " + (f.reason().isEmpty() ? ""
                    : f.reason() + ": ") + f.outcome()));
        }

        // Posture: plans in one query, every subscription's settings read now.
        Map<String, Plan> plans = new HashMap<>();
        Map<String, Plan> planAfterEnforce = new HashMap<>();
        Map<String, Plan> planNow = new HashMap<>();
        long graphRequests = azure.resourceGraph().streamPlans(subs, plans::put);
        Map<String, IntegrationSettings> settings = new HashMap<>();
        int settingsReads = readSettings(subs, settings, request.dryRun(), errors, tag, log);

        Map<String, SweepReport.SubscriptionReport> perSubscription = new TreeMap<>();
        Map<String, SubscriptionPosture> postureNow = new HashMap<>();
        for (String sub : subs) {
            Plan plan = plans.getOrDefault(sub, Plan.free());
            List<PostureDrift.Finding> drift = PostureDrift.findings(plan, Optional.ofNullable(settings.get(sub)), config.desiredPlan());
            List<String> would = new ArrayList<>();
            Optional<Plan> planTarget = config.planEnablement().cap(config.desiredPlan()).flatMap(cap -> PostureDrift.planFix(plan, cap));
            List<String> fixed = enforce ? fix(sub, planTarget, drift, settings, errors, tag, log, would) : List.of();
            if (!enforce) {
                would.addAll(wouldFix(drift, planTarget));
            }
            Plan after = fixed.stream().anyMatch(f -> f.startsWith("plan")) ? planTarget.orElse(plan) : plan;
            planNow.put(sub, plan);
            planAfterEnforce.put(sub, enforce ? after : planTarget.orElse(plan));
            Optional<IntegrationSettings> s = Optional.ofNullable(settings.get(sub));
            postureNow.put(sub, new SubscriptionPosture(sub, after, s, false));
            // The plan as it is now, after enforce mode's fix: the drift text keeps what was found.
            perSubscription.put(sub, new SweepReport.SubscriptionReport(sub,
                    new SweepReport.PlanView(after.pricingTier(), after.subPlan().orElse(null), after.enforce()), settingsView(s),
                    drift.stream().map(d -> d.kind() + " (" + d.observed() + ", want " + d.desired() + ")").toList(), fixed,
                    new SweepReport.MachineCounts(0, 0)).withWould(would.isEmpty() ? null : List.copyOf(would)));
        }

        // Sensors: the device list once, joined to the machines below.
        SensorSweep sensors = SensorSweep.start(config.sensorCheck(), azure.defenderEndpoint(), azure.defenderCalls(), errors, log, tag);

        // Coverage: stream machines; one subscription's state rows in memory at a time (rows come ordered by id).
        CoverageTally tally = new CoverageTally(request.collectMachines(), !request.dryRun() && jobs.decidesInline());
        Instant now = clock.instant();
        ExclusionPricing exclusions = new ExclusionPricing(azure.defender(), reports, enforce, clock);
        boolean observing = !config.defaultMode().writesMachines();
        graphRequests += azure.resourceGraph().streamMachines(subs, row -> {
            MachineId id = row.id();
            Optional<MachineRecord> last = tally.lastDecision(id);
            SubscriptionPosture posture = postureNow.getOrDefault(id.subscriptionId(),
                    new SubscriptionPosture(id.subscriptionId(), Plan.free(), Optional.empty(), false));
            Coverage.Status status = Coverage.classify(row, last, config.exclusionTag(), config.canary(), posture, now);
            exclusions.see(id, OnboardingRules.excluded(row.tags(), config.exclusionTag()),
                    posture.standard() && posture.satisfied(IntegrationSetting.WDATP));
            DecisionKind reported = tally.count(row, status, last, Coverage.reported(status, last, posture), sensors.reportsActive(id));
            // Observe mode records a would-be decision for every machine: an excluded one never seen gets its one look too.
            boolean firstObserved = observing && status == Coverage.Status.EXCLUDED && last.isEmpty();
            if ((status == Coverage.Status.NEEDS_JOB || firstObserved) && !request.dryRun()) {
                jobs.add(OnboardingJob.create(id, JobSource.SWEEP, now));
            }
            // The sensor of an excluded machine is not ours to chase, and a machine already given a job gets one look.
            boolean sensorIsOurs = status == Coverage.Status.ONBOARDED || status == Coverage.Status.BACKING_OFF;
            if (sensorIsOurs && ExtensionState.succeeded(row.extensionState().orElse("")) && sensors.needsJob(id, last, request.dryRun())) {
                tally.givenJob(id, reported);
                jobs.add(OnboardingJob.create(id, JobSource.SWEEP, now));
            }
        }, bad -> errors.add("Resource Graph returned an unexpected machine ID: " + bad));
        SweepJobs.Outcome handled = request.dryRun() ? new SweepJobs.Outcome(Map.of(), 0, 0) : jobs.finish();
        tally.settle(handled.decisions());
        SweepReport.Exclusions excluded = exclusions.finish(subs, errors, tag, log);

        // The estate as it stands at the end (after this sweep's own reconciles where the caller ran them): the rows of now,
        // and for machines without one, what this sweep saw. The dashboard counts the same way later.
        Optional<EstateNow.Snapshot> live = Optional.empty();
        if (!request.dryRun()) {
            reports.saveUnrecorded(sweepId, tally.unrecorded);
            live = Optional.of(estateNow.read(Optional.of(sweepId), subs, tally.unrecorded));
        }
        Estate.Tally estate = live.map(l -> l.tally(m -> true)).orElse(tally.estate);
        Map<String, String> names = displayNames(subs);
        List<SweepReport.SubscriptionReport> subReports = new ArrayList<>();
        for (SweepReport.SubscriptionReport r : perSubscription.values()) {
            long[] c = tally.perSubscription.getOrDefault(r.subscriptionId(), new long[2]);
            SweepReport.SubscriptionReport withCounts = r.withCounts(new SweepReport.MachineCounts(c[0], c[1]))
                    .withDisplayName(names.get(r.subscriptionId()));
            subReports.add(live.isEmpty() ? withCounts : withCounts.withStandings(SweepReport.EstateView.of(now,
                    estate.perSubscription().getOrDefault(r.subscriptionId(), Estate.Counts.none())).standings()));
        }
        Instant finished = clock.instant();
        long reads = azure.calls().reads() - reads0;
        long writes = azure.calls().writes() - writes0;
        SweepReport report = new SweepReport(
                new SweepReport.Run(sweepId, started.toString(), finished.toString(), Duration.between(started, finished).toMillis(),
                        mode.settingValue(), request.dryRun()),
                new SweepReport.Totals(subs.size(), tally.machines, tally.coverage, tally.decisions, tally.reasons, handled.queued(),
                        handled.reconciledInline()),
                new SweepReport.Calls(reads + writes, reads, writes, graphRequests, settingsReads), subReports, errors,
                request.collectMachines() ? tally.needingWork : null, new SweepReport.Sections(sensors.totals(),
                rollout(mode, request.dryRun(), perSubscription.values(), tally, planNow, planAfterEnforce, handled, excluded),
                live.map(l -> SweepReport.EstateView.of(l.asOf(), estate.total())).orElse(null)));
        if (!request.dryRun()) {
            reports.save(report, estate);
        }
        log.info(tag + report.summary());
        Telemetry.sweep(summary(report, sensors.permissionDenied(), azure.calls().throttled() - throttled0));
        return report;
    }

    /**
     * The event wiring step alone over the whole scope ({@code wire}, {@code doctor}): {@code write} false reports only.
     * Subscription-listing problems are added to the report's failures rather than taken for "out of scope".
     */
    public EventWiring.Report wire(EventWiring step, boolean write, Logger log) {
        List<String> errors = new ArrayList<>();
        List<String> subs = subscriptions(SweepRequest.scheduled(), errors);
        errors.forEach(e -> log.warning(e));
        return step.run(subs, id -> !scope.contains(id), write, log, "[wire] ");
    }

    /** The sweep's telemetry record (README, "Telemetry"): what the workbook charts and the alerts watch. */
    static SweepSummary summary(SweepReport r, boolean defenderApiPermissionMissing, long throttled) {
        SweepReport.SensorTotals sensor = r.sensor();
        long drifted = r.subscriptions().stream().filter(x -> !x.drift().isEmpty()).count();
        long fixed = r.subscriptions().stream().filter(x -> !x.fixed().isEmpty()).count();
        return new SweepSummary(r.run().sweepId(), r.run().mode(), r.run().dryRun(), r.run().durationMillis(),
                new SweepSummary.Counts(r.totals().subscriptionsInScope(), r.totals().machines(), r.totals().coverage(), drifted, fixed,
                        r.totals().jobsQueued() + r.totals().reconciledInline(), r.calls().total(), throttled),
                new SweepSummary.Sensors(sensor == null ? 0 : sensor.extensionSucceeded(), sensor == null ? 0 : sensor.protectedMachines(),
                        sensor != null && sensor.checked(), defenderApiPermissionMissing),
                r.errors());
    }

    /**
     * The subscriptions' display names, from the subscription list (already read when the scope is every visible
     * subscription; one more request otherwise). Names are for people: a failed read leaves them out, nothing else.
     */
    private Map<String, String> displayNames(List<String> subs) {
        Map<String, String> known = azure.subscriptions().knownDisplayNames();
        if (subs.isEmpty() || known.keySet().containsAll(subs)) {
            return known;
        }
        try {
            return azure.subscriptions().displayNames();
        } catch (ArmException e) {
            return known;
        }
    }

    /** e.g. 20261128T101435Z-89197854: when it started, and eight hex digits. */
    public static String newSweepId(Instant at) {
        return SWEEP_ID.format(at) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The requested-sweeps queue's message (what RunRequestedSweep and serve receive): runs the sweep it asks for; a
     * message that is not a request is logged and dropped (retrying cannot fix it).
     */
    public void runRequested(String message, String messageId, Consumer<OnboardingJob> queue, Logger log) {
        Optional<SweepRequestQueue.Requested> requested = SweepRequestQueue.decode(message);
        if (requested.isEmpty()) {
            log.severe("[messageId=" + com.mdeonboarding.model.Text.printable(messageId, 80) + "] not a sweep request, dropped: "
                    + SweepRequestQueue.describe(message));
            return;
        }
        runRequested(requested.get(), queue, log);
    }

    /**
     * Runs a sweep someone asked for (POST /api/sweeps), its jobs to {@code queue}; nothing when a report under its ID
     * is stored already (a redelivered message whose sweep finished).
     */
    public Optional<SweepReport> runRequested(SweepRequestQueue.Requested r, Consumer<OnboardingJob> queue, Logger log) {
        if (reports.get(r.sweepId()).isPresent()) {
            log.info("[sweepId=" + r.sweepId() + "] already done; not run again");
            return Optional.empty();
        }
        log.info("[sweepId=" + r.sweepId() + "] requested at " + r.requestedAt() + "; running");
        return Optional.of(run(SweepRequest.requested(r.sweepId()), queue, log));
    }

    private static SweepReport.SettingsView settingsView(Optional<IntegrationSettings> s) {
        return new SweepReport.SettingsView(
                s.flatMap(x -> x.value(IntegrationSetting.WDATP)).orElse(null),
                s.flatMap(x -> x.value(IntegrationSetting.WDATP_UNIFIED_SOLUTION)).orElse(null),
                s.flatMap(x -> x.value(IntegrationSetting.WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW)).orElse(null),
                s.map(x -> x.readAt().toString()).orElse(null));
    }

    private List<String> subscriptions(SweepRequest request, List<String> errors) {
        List<String> candidates = request.subscriptions().isEmpty() && scope.isExplicitList()
                ? new ArrayList<>(scope.explicitSubscriptions())
                : request.subscriptions().isEmpty() ? candidateSubscriptions.get() : request.subscriptions();
        List<String> out = new ArrayList<>();
        for (String s : candidates) {
            String id = s.toLowerCase(Locale.ROOT);
            if (scope.contains(id)) {
                if (!out.contains(id)) {
                    out.add(id);
                }
            } else {
                errors.add("subscription " + id + " is outside the configured scope; not swept");
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /**
     * Reads every subscription's settings ({@value #SETTINGS_READ_CONCURRENCY} at a time). A read that fails even after
     * the pipeline's retries is one report error, and the value last stored for that subscription stands in, its age
     * said in the error; a subscription never read is "not read yet" (no drift claimed on a guess).
     */
    private int readSettings(List<String> subs, Map<String, IntegrationSettings> settings, boolean dryRun, List<String> errors,
                             String tag, Logger log) {
        Map<String, IntegrationSettings> stored = reports.knownSettings();
        Map<String, IntegrationSettings> read = new ConcurrentHashMap<>();
        Map<String, String> failed = new ConcurrentHashMap<>();
        AtomicInteger reads = new AtomicInteger();
        Parallel.forEach(subs, SETTINGS_READ_CONCURRENCY, sub -> {
            reads.incrementAndGet();
            try {
                read.put(sub, azure.defender().settings(sub));
            } catch (ArmException e) {
                failed.put(sub, e.getMessage());
            }
        });
        Instant rewriteBefore = clock.instant().minus(SETTINGS_REFRESH_STORED);
        for (String sub : subs) {
            IntegrationSettings now = read.get(sub);
            IntegrationSettings before = stored.get(sub);
            if (now != null) {
                settings.put(sub, now);
                boolean changed = before == null || !before.values().equals(now.values());
                if (!dryRun && (changed || before.readAt().isBefore(rewriteBefore))) {
                    reports.saveSettings(sub, now);
                }
                continue;
            }
            String fallback = before == null ? "; not read yet, so no drift is reported for it"
                    : "; using the value read at " + before.readAt();
            errors.add("subscription " + sub + ": reading integration settings failed: " + failed.get(sub) + fallback);
            if (before != null) {
                settings.put(sub, before);
            }
        }
        if (!failed.isEmpty()) {
            log.warning(tag + failed.size() + " of " + subs.size() + " subscriptions' integration settings could not be read"
                    + " (see the report's errors)");
        }
        return reads.get();
    }

    /**
     * Enforce mode: one write per drift, WDATP first (the other settings need it). The plan only as MDE_PLAN_ENABLEMENT
     * allows ({@code planTarget}); a plan drift it holds back is a "would" line instead.
     */
    private List<String> fix(String sub, Optional<Plan> planTarget, List<PostureDrift.Finding> drift,
                             Map<String, IntegrationSettings> settings, List<String> errors, String tag, Logger log, List<String> would) {
        List<String> fixed = new ArrayList<>();
        for (PostureDrift.Finding d : drift) {
            try {
                Optional<IntegrationSetting> setting = d.kind().setting();
                if (setting.isPresent()) {
                    settingWriter.apply(sub, setting.get());
                    IntegrationSettings updated = settings.get(sub).with(setting.get(), setting.get().desiredValue());
                    settings.put(sub, updated);
                    reports.saveSettings(sub, updated);
                    fixed.add(EnableIntegrationSetting.label(setting.get()));
                } else if (planTarget.isEmpty()) {
                    would.add(heldPlan(d));
                } else if (fixed.stream().noneMatch(f -> f.startsWith("plan"))) {
                    azure.defender().putPlan(sub, planTarget.get());
                    fixed.add("plan: Standard " + planTarget.get().subPlan().orElse(""));
                }
            } catch (ArmException e) {
                errors.add("subscription " + sub + ": fixing " + d.kind() + " failed: " + e.getMessage());
            }
        }
        if (!fixed.isEmpty()) {
            log.info(tag + "[subscriptionId=" + sub + "] enforce mode fixed: " + fixed);
        }
        return fixed;
    }

    /** What enforce mode would write for this subscription's drift, as "would ..." lines (observe, onboard, a dry run). */
    private List<String> wouldFix(List<PostureDrift.Finding> drift, Optional<Plan> planTarget) {
        List<String> would = new ArrayList<>();
        boolean planDone = false;
        for (PostureDrift.Finding d : drift) {
            Optional<IntegrationSetting> setting = d.kind().setting();
            if (setting.isPresent()) {
                would.add("would set " + EnableIntegrationSetting.label(setting.get()) + " (enforce mode)");
            } else if (planTarget.isEmpty()) {
                would.add(heldPlan(d));
            } else if (!planDone) {
                planDone = true;
                would.add("would enable Defender for Servers " + planTarget.get().subPlan().orElse("") + " (enforce mode, "
                        + Settings_PLAN_ENABLEMENT + "=" + config.planEnablement().settingValue() + ")");
            }
        }
        return would;
    }

    /** A plan drift MDE_PLAN_ENABLEMENT holds back. */
    private String heldPlan(PostureDrift.Finding d) {
        return "would need Defender for Servers " + d.desired().replace("Standard ", "") + " (now " + d.observed()
                + "): not enabled, " + Settings_PLAN_ENABLEMENT + "=" + config.planEnablement().settingValue()
                + " (enabling or upgrading a billed plan is its own setting)";
    }

    private static final String Settings_PLAN_ENABLEMENT = com.mdeonboarding.config.Settings.PLAN_ENABLEMENT;

    /** The report's rollout section: canary, cost before and after, what was held back. */
    private SweepReport.Rollout rollout(Mode mode, boolean dryRun, java.util.Collection<SweepReport.SubscriptionReport> subs,
                                        CoverageTally tally, Map<String, Plan> planNow, Map<String, Plan> planAfter,
                                        SweepJobs.Outcome handled, SweepReport.Exclusions excluded) {
        boolean enforce = mode.writesPosture() && !dryRun;
        long serversBefore = 0;
        long serversAfter = 0;
        java.math.BigDecimal before = java.math.BigDecimal.ZERO;
        java.math.BigDecimal after = java.math.BigDecimal.ZERO;
        long newServers = 0;
        int newSubs = 0;
        long freeServers = 0;
        int freeSubs = 0;
        Map<String, Integer> settingSubs = new TreeMap<>();
        for (SweepReport.SubscriptionReport r : subs) {
            long servers = tally.perSubscription.getOrDefault(r.subscriptionId(), new long[2])[0];
            Plan now = planNow.getOrDefault(r.subscriptionId(), Plan.free());
            Plan then = planAfter.getOrDefault(r.subscriptionId(), now);
            if (now.standard()) {
                serversBefore += servers;
            } else {
                freeServers += servers;
                freeSubs++;
            }
            if (then.standard()) {
                serversAfter += servers;
            }
            before = before.add(Billing.monthly(now, servers, config.prices()));
            after = after.add(Billing.monthly(then, servers, config.prices()));
            if (!now.equals(then) && !enforce) {
                newServers += servers;
                newSubs++;
            }
            if (r.would() != null && !enforce) {
                for (String w : r.would()) {
                    if (w.startsWith("would set ")) {
                        settingSubs.merge(w.substring("would set ".length()).replace(" (enforce mode)", ""), 1, Integer::sum);
                    }
                }
            }
        }
        List<String> would = new ArrayList<>();
        String enablement = Settings_PLAN_ENABLEMENT + "=" + config.planEnablement().settingValue();
        String line;
        if (enforce) {
            line = "Defender for Servers list cost: " + Billing.servers(serversBefore) + ", " + Billing.money(before) + " a month before"
                    + " this sweep; " + Billing.servers(serversAfter) + ", " + Billing.money(after) + " a month after (" + enablement + ")";
        } else {
            line = "Defender for Servers list cost: " + Billing.servers(serversBefore) + ", " + Billing.money(before) + " a month now; "
                    + (newSubs > 0 ? "enforce mode would make it " + Billing.servers(serversAfter) + ", " + Billing.money(after) + " a month"
                    : "enforce mode would not change it") + " (" + enablement + ")";
            if (newSubs > 0) {
                would.add("would enable Defender for Servers on " + newSubs + " subscription(s), " + Billing.servers(newServers) + " (+"
                        + Billing.money(after.subtract(before)) + " a month) in enforce mode");
            }
            settingSubs.forEach((setting, n) -> would.add("would set " + setting + " in " + n + " subscription(s) in enforce mode"));
        }
        if (freeSubs > 0 && config.planEnablement() == com.mdeonboarding.config.PlanEnablement.NEVER) {
            DesiredPlan p = config.desiredPlan();
            would.add(freeSubs + " subscription(s) with " + Billing.servers(freeServers) + " are on Free and stay so (" + enablement
                    + "); Defender for Servers " + p + " there would cost " + Billing.money(config.prices().of(p)
                    .multiply(java.math.BigDecimal.valueOf(freeServers))) + " a month");
        }
        if (!mode.writesMachines() && !dryRun) {
            long deploy = handled.decisions().values().stream().filter(k -> k == DecisionKind.DEPLOY).count();
            long needing = tally.perSubscription.values().stream().mapToLong(c -> c[1]).sum();
            would.add(handled.decisions().isEmpty()
                    ? needing + " machine(s) need work; each one's would-be decision is recorded when it is reconciled (observe mode"
                            + " writes nothing to Azure)"
                    : "would DEPLOY the MDE extension to " + deploy + " machine(s) (observe mode: nothing written)");
        }
        if (excluded.stillDeployedByDefenderForCloud() > 0) {
            would.add(excluded.stillDeployedByDefenderForCloud() + " machine(s) excluded by tag are in subscriptions with the Defender"
                    + " for Endpoint integration on: Defender for Cloud will still deploy MDE to them unless they have resource-level"
                    + " pricing Free; enforce mode gives each that (one write per machine, once)");
        }
        return new SweepReport.Rollout(config.canary().describe(), config.planEnablement().settingValue(),
                new SweepReport.Billing(serversBefore, before, serversAfter, after, line), would, excluded);
    }

    /** Counts, and the current subscription's state rows. */
    private final class CoverageTally {
        final Map<String, Long> coverage = new LinkedHashMap<>();
        final Map<String, Long> decisions = new TreeMap<>();
        final Map<String, Long> reasons = new TreeMap<>();
        final Map<String, long[]> perSubscription = new HashMap<>();
        final List<String> needingWork;
        /** What each machine given a job was counted as, until its reconcile says (only when the caller reconciles inline). */
        private final Map<MachineId, DecisionKind> provisional;
        /** The dashboard's counts (standing, decision, reason, kind per subscription), stored with the report. */
        final Estate.Tally estate = new Estate.Tally();
        /** Machines seen with no state row, and where they stand (with the rows of now: every machine in scope). */
        final List<SweepReportStore.Unrecorded> unrecorded = new ArrayList<>();
        long machines;
        private String currentSubscription;
        private Map<String, MachineRecord> currentStates = Map.of();

        CoverageTally(boolean collect, boolean decidedInline) {
            this.needingWork = collect ? new ArrayList<>() : null;
            this.provisional = decidedInline ? new HashMap<>() : null;
            for (DecisionKind k : Coverage.REPORT_ORDER) {
                coverage.put(k.name(), 0L);
            }
        }

        /** The jobs' own decisions replace what their machines were counted as: the coverage of now. */
        void settle(Map<MachineId, DecisionKind> decided) {
            if (provisional == null) {
                return;
            }
            decided.forEach((id, kind) -> {
                DecisionKind before = provisional.get(id);
                if (before != null) {
                    coverage.merge(before.name(), -1L, Long::sum);
                    coverage.merge(kind.name(), 1L, Long::sum);
                }
            });
        }

        Optional<MachineRecord> lastDecision(MachineId id) {
            if (!id.subscriptionId().equals(currentSubscription)) {
                currentSubscription = id.subscriptionId();
                currentStates = new HashMap<>();
                for (MachineRecord s : states.listSubscription(currentSubscription)) {
                    currentStates.put(s.machine().key(), s);
                }
            }
            return Optional.ofNullable(currentStates.get(id.key()));
        }

        DecisionKind count(MachineRow row, Coverage.Status status, Optional<MachineRecord> last, DecisionKind reported, boolean sensorActive) {
            MachineId id = row.id();
            machines++;
            coverage.merge(reported.name(), 1L, Long::sum);
            if (status == Coverage.Status.NEEDS_JOB) {
                givenJob(id, reported);
            }
            last.ifPresent(l -> {
                decisions.merge(l.kind().name(), 1L, Long::sum);
                l.reasons().forEach(r -> reasons.merge(r.name(), 1L, Long::sum));
            });
            estate.add(id.subscriptionId(), id.kind(), last.map(MachineRecord::kind), last.map(MachineRecord::reasons).orElse(List.of()),
                    status, sensorActive);
            if (last.isEmpty()) {
                unrecorded.add(new SweepReportStore.Unrecorded(id, Estate.unrecorded(status, sensorActive)));
            }
            long[] c = perSubscription.computeIfAbsent(id.subscriptionId(), k -> new long[2]);
            c[0]++;
            if (status == Coverage.Status.NEEDS_JOB) {
                c[1]++;
                if (needingWork != null) {
                    needingWork.add(id.id());
                }
            }
            return reported;
        }

        /** A machine counted as {@code reported} got a job: where the caller reconciles inline, its decision replaces that. */
        void givenJob(MachineId id, DecisionKind reported) {
            if (provisional != null) {
                provisional.put(id, reported);
            }
        }
    }
}
