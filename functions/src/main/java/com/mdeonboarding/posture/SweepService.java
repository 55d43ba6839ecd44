package com.mdeonboarding.posture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.azure.CallCounter;
import com.mdeonboarding.azure.ResourceGraphApi;
import com.mdeonboarding.azure.SecurityApi;
import com.mdeonboarding.config.DesiredPlan;
import com.mdeonboarding.config.RemediationMode;
import com.mdeonboarding.config.Scope;
import com.mdeonboarding.jobs.JobQueue;
import com.mdeonboarding.jobs.JobSource;
import com.mdeonboarding.jobs.MachineState;
import com.mdeonboarding.jobs.MachineStateStore;
import com.mdeonboarding.jobs.OnboardingJob;
import com.mdeonboarding.onboarding.MachineId;
import com.mdeonboarding.onboarding.SubscriptionPosture;
import com.mdeonboarding.posture.PostureDrift.IntegrationSettings;
import com.mdeonboarding.posture.PostureDrift.Plan;
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
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * One pass over everything in scope. Posture: plans for all subscriptions in one Resource Graph query;
 * integration settings (not in Resource Graph) read per subscription within a budget, oldest first,
 * and remembered between sweeps. Coverage: machines streamed from Resource Graph, one subscription's
 * state rows in memory at a time; machines missing, failed or stuck get a job on the same queue the
 * events use. So a sweep of 1,000 subscriptions and 100,000 machines is about a hundred Resource
 * Manager calls, and the jobs spread over every Function instance.
 */
public final class SweepService {
    /** Settings reads per sweep: the one per-subscription call a sweep makes. */
    public static final int SETTINGS_READS_PER_SWEEP = 40;
    /** Known settings older than this are re-read (within the budget). */
    public static final Duration SETTINGS_MAX_AGE = Duration.ofHours(24);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SWEEP_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Scope scope;
    private final Supplier<List<String>> candidateSubscriptions;
    private final ResourceGraphApi graph;
    private final SecurityApi security;
    private final MachineStateStore states;
    private final SweepReportStore reports;
    private final JobQueue queue;
    private final CallCounter calls;
    private final DesiredPlan desiredPlan;
    private final RemediationMode defaultMode;
    private final String exclusionTag;
    private final Clock clock;

    public SweepService(Scope scope, Supplier<List<String>> candidateSubscriptions, ResourceGraphApi graph, SecurityApi security,
                        MachineStateStore states, SweepReportStore reports, JobQueue queue, CallCounter calls, DesiredPlan desiredPlan,
                        RemediationMode defaultMode, String exclusionTag, Clock clock) {
        this.scope = scope;
        this.candidateSubscriptions = candidateSubscriptions;
        this.graph = graph;
        this.security = security;
        this.states = states;
        this.reports = reports;
        this.queue = queue;
        this.calls = calls;
        this.desiredPlan = desiredPlan;
        this.defaultMode = defaultMode;
        this.exclusionTag = exclusionTag;
        this.clock = clock;
    }

    /** A sweep whose jobs go to the onboarding-jobs queue (the timer). */
    public SweepReport run(SweepRequest request, Logger log) {
        return run(request, queue::enqueue, log);
    }

    /** A sweep whose jobs go to {@code jobs} (the CLI reconciles them inline). */
    public SweepReport run(SweepRequest request, Consumer<OnboardingJob> jobs, Logger log) {
        Instant started = clock.instant();
        String sweepId = SWEEP_ID.format(started) + "-" + UUID.randomUUID().toString().substring(0, 8);
        RemediationMode mode = request.mode().orElse(defaultMode);
        boolean enforce = mode == RemediationMode.ENFORCE && !request.dryRun();
        long reads0 = calls.reads();
        long writes0 = calls.writes();
        List<String> errors = new ArrayList<>();
        String tag = "[sweepId=" + sweepId + "] ";

        List<String> subs = subscriptions(request, errors);
        log.info(tag + "started: " + subs.size() + " subscriptions, mode " + mode.settingValue() + (request.dryRun() ? " (dry run)" : ""));

        // Posture: plans in one query, settings within the budget.
        Map<String, Plan> plans = new HashMap<>();
        long graphRequests = graph.stream(ResourceGraphApi.query("pricings-v1"), subs, row -> plans.put(
                row.path("subscriptionId").asText().toLowerCase(Locale.ROOT), plan(row)));
        Map<String, IntegrationSettings> settings = new HashMap<>(reports.knownSettings());
        int settingsReads = refreshSettings(subs, settings, request.dryRun(), errors, tag, log);

        Map<String, SweepReport.SubscriptionReport> perSubscription = new TreeMap<>();
        Map<String, Coverage.PostureNow> postureNow = new HashMap<>();
        for (String sub : subs) {
            Plan plan = plans.getOrDefault(sub, new Plan("Free", Optional.empty(), "False", List.of()));
            Optional<IntegrationSettings> known = Optional.ofNullable(settings.get(sub));
            List<PostureDrift.Finding> drift = PostureDrift.findings(plan, known, desiredPlan);
            List<String> fixed = enforce ? fix(sub, plan, drift, settings, errors, tag, log) : List.of();
            Plan after = fixed.stream().anyMatch(f -> f.startsWith("plan")) ? new Plan("Standard", Optional.of(desiredPlan.name()), plan.enforce(), plan.extensions()) : plan;
            Optional<IntegrationSettings> s = Optional.ofNullable(settings.get(sub));
            postureNow.put(sub, new Coverage.PostureNow(after.standard(), s.flatMap(IntegrationSettings::wdatp),
                    s.flatMap(IntegrationSettings::unifiedSolution), s.flatMap(IntegrationSettings::excludeLinux).map(x -> !x)));
            perSubscription.put(sub, new SweepReport.SubscriptionReport(sub, plan.pricingTier(), plan.subPlan().orElse(null), plan.enforce(),
                    s.flatMap(IntegrationSettings::wdatp).orElse(null), s.flatMap(IntegrationSettings::unifiedSolution).orElse(null),
                    s.flatMap(IntegrationSettings::excludeLinux).orElse(null), s.map(x -> x.readAt().toString()).orElse(null),
                    drift.stream().map(d -> d.kind() + " (" + d.observed() + ", want " + d.desired() + ")").toList(), fixed, 0, 0));
        }

        // Coverage: stream machines; one subscription's state rows in memory at a time (rows come ordered by id).
        CoverageTally tally = new CoverageTally(request.collectMachines());
        Instant now = clock.instant();
        graphRequests += graph.stream(ResourceGraphApi.query("machines-v1"), subs, row -> {
            Optional<MachineId> id = MachineId.tryParse(row.path("id").asText(""));
            if (id.isEmpty()) {
                errors.add("Resource Graph returned an unexpected machine ID: " + row.path("id").asText("").replaceAll("\\p{Cntrl}", "?"));
                return;
            }
            Optional<MachineState> last = tally.lastDecision(id.get());
            Coverage.MachineRow machine = new Coverage.MachineRow(id.get(), tags(row.path("tags")),
                    Optional.ofNullable(row.path("mdeExtensionState").textValue()));
            Coverage.Status status = Coverage.classify(machine, last.map(l -> new Coverage.LastDecision(l.decision(), l.reasons(), l.updatedAt())),
                    exclusionTag, postureNow.getOrDefault(id.get().subscriptionId(), new Coverage.PostureNow(false, Optional.empty(),
                            Optional.empty(), Optional.empty())), now);
            tally.count(id.get(), status, last);
            if (status == Coverage.Status.NEEDS_JOB && !request.dryRun()) {
                jobs.accept(OnboardingJob.create(id.get(), JobSource.SWEEP, now));
            }
        });

        List<SweepReport.SubscriptionReport> subReports = new ArrayList<>();
        for (SweepReport.SubscriptionReport r : perSubscription.values()) {
            long[] c = tally.perSubscription.getOrDefault(r.subscriptionId(), new long[2]);
            subReports.add(new SweepReport.SubscriptionReport(r.subscriptionId(), r.pricingTier(), r.subPlan(), r.enforce(), r.wdatp(),
                    r.unifiedSolution(), r.excludeLinux(), r.settingsReadAt(), r.drift(), r.fixed(), c[0], c[1]));
        }
        Instant finished = clock.instant();
        long reads = calls.reads() - reads0;
        long writes = calls.writes() - writes0;
        SweepReport report = new SweepReport(sweepId, started.toString(), finished.toString(), Duration.between(started, finished).toMillis(),
                mode.settingValue(), request.dryRun(), subs.size(), tally.machines, tally.coverage, tally.decisions, tally.reasons,
                request.dryRun() ? 0 : tally.coverage.getOrDefault(Coverage.Status.NEEDS_JOB.name(), 0L),
                new SweepReport.Calls(reads + writes, reads, writes, graphRequests, settingsReads), subReports, errors,
                request.collectMachines() ? tally.needingWork : null);
        if (!request.dryRun()) {
            reports.save(report);
        }
        log.info(tag + report.summary());
        return report;
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

    private int refreshSettings(List<String> subs, Map<String, IntegrationSettings> settings, boolean dryRun, List<String> errors,
                                String tag, Logger log) {
        Instant staleBefore = clock.instant().minus(SETTINGS_MAX_AGE);
        List<String> due = subs.stream()
                .filter(s -> !settings.containsKey(s) || settings.get(s).readAt().isBefore(staleBefore))
                .sorted(Comparator.comparing(s -> settings.containsKey(s) ? settings.get(s).readAt() : Instant.EPOCH))
                .limit(SETTINGS_READS_PER_SWEEP).toList();
        int reads = 0;
        for (String sub : due) {
            try {
                reads++;
                SubscriptionPosture p = security.settingsOnly(sub);
                IntegrationSettings s = new IntegrationSettings(p.wdatp(), p.unifiedSolution(), p.excludeLinux(), clock.instant());
                settings.put(sub, s);
                if (!dryRun) {
                    reports.saveSettings(sub, s);
                }
            } catch (ArmException e) {
                errors.add("subscription " + sub + ": reading integration settings failed: " + e.getMessage());
            }
        }
        long unknown = subs.stream().filter(s -> !settings.containsKey(s)).count();
        if (unknown > 0) {
            log.info(tag + unknown + " subscriptions' integration settings are not known yet; later sweeps read "
                    + SETTINGS_READS_PER_SWEEP + " per pass");
        }
        return reads;
    }

    /** Enforce mode: one write per drift, WDATP first (the other settings need it). */
    private List<String> fix(String sub, Plan plan, List<PostureDrift.Finding> drift, Map<String, IntegrationSettings> settings,
                             List<String> errors, String tag, Logger log) {
        List<String> fixed = new ArrayList<>();
        for (PostureDrift.Finding d : drift) {
            try {
                switch (d.kind()) {
                    case PLAN_NOT_ENABLED, SUBPLAN_BELOW_DESIRED -> {
                        if (fixed.stream().noneMatch(f -> f.startsWith("plan"))) {
                            ObjectNode body = PostureDrift.pricingFix(plan, desiredPlan, JSON).orElseThrow();
                            security.putSubscriptionPricing(sub, body);
                            fixed.add("plan: Standard " + desiredPlan);
                        }
                    }
                    case WDATP_DISABLED -> fixed.add(setting(sub, SecurityApi.WDATP, true, settings));
                    case UNIFIED_SOLUTION_DISABLED -> fixed.add(setting(sub, SecurityApi.WDATP_UNIFIED_SOLUTION, true, settings));
                    case LINUX_EXCLUDED -> fixed.add(setting(sub, SecurityApi.WDATP_EXCLUDE_LINUX, false, settings));
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

    private String setting(String sub, String name, boolean value, Map<String, IntegrationSettings> settings) {
        security.putSetting(sub, name, value);
        IntegrationSettings s = settings.get(sub);
        IntegrationSettings updated = new IntegrationSettings(
                name.equals(SecurityApi.WDATP) ? Optional.of(value) : s.wdatp(),
                name.equals(SecurityApi.WDATP_UNIFIED_SOLUTION) ? Optional.of(value) : s.unifiedSolution(),
                name.equals(SecurityApi.WDATP_EXCLUDE_LINUX) ? Optional.of(value) : s.excludeLinux(), s.readAt());
        settings.put(sub, updated);
        reports.saveSettings(sub, updated);
        return name + "=" + value;
    }

    private static Plan plan(JsonNode row) {
        List<SubscriptionPosture.PlanExtension> ext = new ArrayList<>();
        for (JsonNode e : row.path("extensions")) {
            ext.add(new SubscriptionPosture.PlanExtension(e.path("name").asText(), "true".equalsIgnoreCase(e.path("isEnabled").asText())));
        }
        String subPlan = row.path("subPlan").asText("");
        return new Plan(row.path("pricingTier").asText("Free"), subPlan.isEmpty() ? Optional.empty() : Optional.of(subPlan),
                row.path("enforce").asText(""), ext);
    }

    private static Map<String, String> tags(JsonNode n) {
        Map<String, String> tags = new HashMap<>();
        n.fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText("")));
        return tags;
    }

    /** Counts, and the current subscription's state rows. */
    private final class CoverageTally {
        final Map<String, Long> coverage = new LinkedHashMap<>();
        final Map<String, Long> decisions = new TreeMap<>();
        final Map<String, Long> reasons = new TreeMap<>();
        final Map<String, long[]> perSubscription = new HashMap<>();
        final List<String> needingWork;
        long machines;
        private String currentSubscription;
        private Map<String, MachineState> currentStates = Map.of();

        CoverageTally(boolean collect) {
            this.needingWork = collect ? new ArrayList<>() : null;
            for (Coverage.Status s : Coverage.Status.values()) {
                coverage.put(s.name(), 0L);
            }
        }

        Optional<MachineState> lastDecision(MachineId id) {
            if (!id.subscriptionId().equals(currentSubscription)) {
                currentSubscription = id.subscriptionId();
                currentStates = new HashMap<>();
                for (MachineState s : states.listSubscription(currentSubscription)) {
                    currentStates.put(s.machine().key(), s);
                }
            }
            return Optional.ofNullable(currentStates.get(id.key()));
        }

        void count(MachineId id, Coverage.Status status, Optional<MachineState> last) {
            machines++;
            coverage.merge(status.name(), 1L, Long::sum);
            last.ifPresent(l -> {
                decisions.merge(l.decision().name(), 1L, Long::sum);
                l.reasons().forEach(r -> reasons.merge(r.name(), 1L, Long::sum));
            });
            long[] c = perSubscription.computeIfAbsent(id.subscriptionId(), k -> new long[2]);
            c[0]++;
            if (status == Coverage.Status.NEEDS_JOB) {
                c[1]++;
                if (needingWork != null) {
                    needingWork.add(id.id());
                }
            }
        }
    }
}
