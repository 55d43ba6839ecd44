package com.mdeonboarding.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.config.Mode;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.ExtensionSpec;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.TenantGenerator;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepRequest;
import com.mdeonboarding.sweep.SweepService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Compliance sweeps against the emulator: posture drift in audit and enforce mode, machine coverage through the queue, scale. */
class ComplianceSweepTest {
    static final String FREE = "a0000000-0000-4000-8000-000000000001";
    static final String P1 = "a0000000-0000-4000-8000-000000000002";
    static final String WDATP_OFF = "a0000000-0000-4000-8000-000000000003";
    static final String LINUX_OUT = "a0000000-0000-4000-8000-000000000004";
    static final String GOOD = "a0000000-0000-4000-8000-000000000005";
    static final Map<String, Boolean> ALL_ON = Map.of("WDATP", true, "WDATP_UNIFIED_SOLUTION", true, "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false);
    private static final Logger LOG = Logger.getLogger(ComplianceSweepTest.class.getName());

    static Tenant driftedTenant() {
        PricingSpec p2WithScanning = new PricingSpec("Standard", "P2", "False",
                List.of(Map.of("name", "AgentlessVmScanning", "isEnabled", "True")), null, null);
        return new Tenant("72f988bf-86f1-41af-91ab-2d7cd011db47", List.of(
                OnboardingWorld.subscription(FREE, PricingSpec.free(), ALL_ON),
                OnboardingWorld.subscription(P1, PricingSpec.standard("P1"), ALL_ON),
                OnboardingWorld.subscription(WDATP_OFF, PricingSpec.standard("P2"), Map.of("WDATP", false, "WDATP_UNIFIED_SOLUTION", true,
                        "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false)),
                OnboardingWorld.subscription(LINUX_OUT, PricingSpec.standard("P2"), Map.of("WDATP", true, "WDATP_UNIFIED_SOLUTION", true,
                        "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", true)),
                OnboardingWorld.subscription(GOOD, p2WithScanning, ALL_ON)), Map.of());
    }

    private static long writes(RequestLog log) {
        return log.count("Pricings_Update") + log.count("Settings_Update");
    }

    private static Map<String, List<String>> driftBySubscription(SweepReport r) {
        return r.subscriptions().stream().collect(Collectors.toMap(SweepReport.SubscriptionReport::subscriptionId,
                s -> s.drift().stream().map(d -> d.substring(0, d.indexOf(' '))).toList()));
    }

    @Test
    void auditReportsDriftEnforceFixesItWithOneWriteEachAndASecondEnforceSweepWritesNothing() {
        // The billed plan needs its own setting, even in enforce (issue 24): here it may go up to P2.
        try (OnboardingWorld w = new OnboardingWorld(driftedTenant(), Map.of(Settings.DESIRED_PLAN, "P2", Settings.PLAN_ENABLEMENT, "P2"))) {
            SweepReport audit = w.services.sweeps.run(SweepRequest.scheduled(), w.services.jobQueue::enqueue, LOG);
            assertEquals("onboard", audit.mode());
            Map<String, List<String>> drift = driftBySubscription(audit);
            assertEquals(List.of("PLAN_NOT_ENABLED"), drift.get(FREE));
            assertEquals(List.of("SUBPLAN_BELOW_DESIRED"), drift.get(P1));
            assertEquals(List.of("WDATP_DISABLED"), drift.get(WDATP_OFF));
            assertEquals(List.of("LINUX_EXCLUDED"), drift.get(LINUX_OUT));
            assertEquals(List.of(), drift.get(GOOD));
            assertEquals(0, writes(w.emulator.requestLog()), "audit mode never writes");
            assertEquals(audit.sweepId(), w.services.reports.latest().orElseThrow().sweepId(), "the report is stored and readable");

            SweepReport enforce = w.services.sweeps.run(new SweepRequest(false, Optional.of(Mode.ENFORCE), List.of(), false), w.services.jobQueue::enqueue, LOG);
            assertEquals(4, writes(w.emulator.requestLog()), "one write per drift");
            TenantState s = w.emulator.state();
            assertEquals("Standard", s.pricing(FREE).pricingTier());
            assertEquals("P2", s.pricing(FREE).subPlan());
            assertEquals("P2", s.pricing(P1).subPlan());
            assertTrue(s.setting(WDATP_OFF, "WDATP"));
            assertEquals(false, s.setting(LINUX_OUT, "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW"), "false means Linux is included");
            assertEquals(4, enforce.subscriptions().stream().filter(r -> !r.fixed().isEmpty()).count());

            long before = writes(w.emulator.requestLog());
            SweepReport again = w.services.sweeps.run(new SweepRequest(false, Optional.of(Mode.ENFORCE), List.of(), false), w.services.jobQueue::enqueue, LOG);
            assertEquals(before, writes(w.emulator.requestLog()), "a second enforce sweep writes nothing");
            assertTrue(driftBySubscription(again).values().stream().allMatch(List::isEmpty), driftBySubscription(again).toString());
        }
    }

    @Test
    void enforceNeverDowngradesP2AndNeverSendsP2OnlyExtensionsToP1() {
        try (OnboardingWorld w = new OnboardingWorld(driftedTenant(), Map.of(Settings.DESIRED_PLAN, "P1", Settings.PLAN_ENABLEMENT, "P2"))) {
            SweepReport r = w.services.sweeps.run(new SweepRequest(false, Optional.of(Mode.ENFORCE), List.of(), false), w.services.jobQueue::enqueue, LOG);
            assertEquals(List.of(), driftBySubscription(r).get(GOOD), "P2 is not below P1");
            assertEquals("P2", w.emulator.state().pricing(GOOD).subPlan());
            assertEquals("P1", w.emulator.state().pricing(FREE).subPlan(), "Free is raised to the desired P1");
            assertTrue(r.errors().isEmpty(), r.errors().toString());
        }
    }

    @Test
    void machinesMissingOrFailedAreOnboardedThroughTheQueueOnboardedOnesGetNoJobAndBlockedOnesBackOff() {
        try (OnboardingWorld w = new OnboardingWorld(driftedTenant(), Map.of())) {
            TenantState s = w.emulator.state();
            String onboarded = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(GOOD).name("has-mde")
                    .extension(ExtensionSpec.mde("MDE.Windows", "Succeeded")).build());
            String missing = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(GOOD).name("no-mde").build());
            String failed = s.createArcMachine(ArcMachineSpec.builder().subscriptionId(GOOD).name("failed-mde")
                    .extension(ExtensionSpec.mde("MDE.Windows", "Failed")).build());
            String excluded = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(GOOD).name("excluded")
                    .tag("MdeOnboardingExclude", "true").build());
            String stopped = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(GOOD).name("stopped").powerState("deallocated").build());
            w.events.clear(); // this test is about the sweep, not events

            SweepReport first = w.services.sweeps.run(SweepRequest.scheduled(), w.services.jobQueue::enqueue, LOG);
            assertEquals(3, first.jobsQueued(), first.coverage().toString());
            assertEquals(1L, first.coverage().get("ONBOARDED"));
            assertEquals(1L, first.coverage().get("SKIPPED"), "excluded");
            assertEquals(3L, first.coverage().get("DEPLOY"), "missing, failed, and never seen: each gets a job");
            assertTrue(w.host.runUntil(() -> "ONBOARDED".equals(decision(w, missing)) && "ONBOARDED".equals(decision(w, failed))
                    && "BLOCKED".equals(decision(w, stopped)), Duration.ofSeconds(60)), String.join("\n", w.host.logLines()));
            assertEquals(null, w.stateRow(onboarded), "an onboarded machine gets no job");
            assertEquals(null, w.stateRow(excluded), "an excluded machine gets no job");

            SweepReport second = w.services.sweeps.run(SweepRequest.scheduled(), w.services.jobQueue::enqueue, LOG);
            assertEquals(0, second.jobsQueued(), second.coverage().toString());
            assertEquals(3L, second.coverage().get("ONBOARDED"));
            assertEquals(1L, second.coverage().get("BLOCKED"), "the blocked machine is not hammered");
        }
    }

    @Test
    void scopeCanBeAManagementGroupOrEverySubscriptionVisibleMinusExclusions() {
        Tenant base = driftedTenant();
        Tenant withGroup = new Tenant(base.tenantId(), base.subscriptions(), Map.of("mg-prod", List.of(GOOD, P1)));
        try (OnboardingWorld w = new OnboardingWorld(withGroup, Map.of(Settings.SCOPE_SUBSCRIPTIONS, "",
                Settings.SCOPE_MANAGEMENT_GROUP, "mg-prod"))) {
            SweepReport r = w.services.sweeps.run(SweepRequest.scheduled(), w.services.jobQueue::enqueue, LOG);
            assertEquals(List.of(P1, GOOD), r.subscriptions().stream().map(SweepReport.SubscriptionReport::subscriptionId).toList());
            assertTrue(w.services.scope.contains(GOOD));
            assertEquals(false, w.services.scope.contains(FREE), "outside the group");
        }
        try (OnboardingWorld w = new OnboardingWorld(base, Map.of(Settings.SCOPE_SUBSCRIPTIONS, "",
                Settings.SCOPE_EXCLUDE_SUBSCRIPTIONS, FREE))) {
            SweepReport r = w.services.sweeps.run(SweepRequest.scheduled(), w.services.jobQueue::enqueue, LOG);
            assertEquals(4, r.totals().subscriptionsInScope(), "every visible subscription but the excluded one");
            assertEquals(1, w.emulator.requestLog().count("Subscriptions_List"));
            assertTrue(r.subscriptions().stream().noneMatch(s -> s.subscriptionId().equals(FREE)));
        }
    }

    private static String decision(OnboardingWorld w, String id) {
        var row = w.stateRow(id);
        return row == null ? null : String.valueOf(row.getProperty("Decision"));
    }

    /**
     * Issue #15.2: a sweep read the settings of at most 40 subscriptions, oldest first, so a setting switched off in a
     * subscription read last sweep was noticed only once its turn came round again (25 sweeps for 1,000
     * subscriptions). Now every sweep reads every subscription's settings.
     */
    @Test
    void aSettingSwitchedOffAnywhereIsDriftInTheVeryNextSweep() {
        Tenant tenant = TenantGenerator.generate(100, 1_000, 42);
        try (OnboardingWorld w = new OnboardingWorld(tenant, Map.of())) {
            SweepReport first = w.services.sweeps.run(SweepRequest.scheduled(), job -> { }, LOG);
            assertTrue(first.subscriptions().stream().allMatch(s -> s.settings().settingsReadAt() != null),
                    "one sweep knows every subscription's settings");
            List<String> switchedOff = new ArrayList<>();
            for (SweepReport.SubscriptionReport s : first.subscriptions()) {
                if (Boolean.TRUE.equals(s.settings().wdatp()) && switchedOff.size() < 3) {
                    w.emulator.state().setSetting(s.subscriptionId(), "WDATP", false);
                    switchedOff.add(s.subscriptionId());
                }
            }
            w.emulator.requestLog().clear();
            SweepReport second = w.services.sweeps.run(SweepRequest.scheduled(), job -> { }, LOG);
            assertEquals(100, w.emulator.requestLog().count("Settings_List"), "one settings list per subscription, every sweep");
            assertEquals(100, second.calls().settingsReads());
            for (String sub : switchedOff) {
                assertTrue(driftBySubscription(second).get(sub).contains("WDATP_DISABLED"), sub + ": " + driftBySubscription(second));
            }
            assertTrue(second.errors().isEmpty(), second.errors().toString());
        }
    }

    /** Throttled settings reads are waited out (Retry-After) by the pipeline: every subscription is still read. */
    @Test
    void throttledSettingsReadsAreWaitedOutAndEverySubscriptionIsStillRead() {
        Tenant tenant = TenantGenerator.generate(60, 600, 43);
        try (OnboardingWorld w = new OnboardingWorld(tenant, Map.of())) {
            w.emulator.faults().add(FaultRule.forOperation("Settings_List").status(429).retryAfterSeconds(1).times(25));
            SweepReport r = w.services.sweeps.run(SweepRequest.scheduled(), job -> { }, LOG);
            assertTrue(r.errors().isEmpty(), r.errors().toString());
            assertEquals(60 + 25, w.emulator.requestLog().count("Settings_List"));
            assertEquals(25, w.emulator.requestLog().count("Settings_List", 429));
            assertTrue(r.subscriptions().stream().allMatch(s -> s.settings().settingsReadAt() != null));
        }
    }

    /**
     * A read that keeps failing (here 403, which no retry changes) is one error naming the subscription, and the value
     * the last sweep read stands in, with its age; nothing else in the sweep is lost.
     */
    @Test
    void aSettingsReadThatFailsFallsBackToTheLastValueAndSaysSo() {
        try (OnboardingWorld w = new OnboardingWorld(driftedTenant(), Map.of())) {
            SweepReport first = w.services.sweeps.run(SweepRequest.scheduled(), job -> { }, LOG);
            w.emulator.faults().add(FaultRule.forPath("/subscriptions/" + WDATP_OFF + "/providers/Microsoft.Security/settings")
                    .status(403));
            SweepReport second = w.services.sweeps.run(SweepRequest.scheduled(), job -> { }, LOG);
            assertEquals(1, second.errors().size(), second.errors().toString());
            String error = second.errors().get(0);
            assertTrue(error.startsWith("subscription " + WDATP_OFF + ": reading integration settings failed: ")
                    && error.contains("using the value read at " + readAt(first, WDATP_OFF)), error);
            assertEquals(List.of("WDATP_DISABLED"), driftBySubscription(second).get(WDATP_OFF), "drift from the last value");
            assertEquals(driftBySubscription(first), driftBySubscription(second));
        }
    }

    private static String readAt(SweepReport r, String sub) {
        return r.subscriptions().stream().filter(s -> s.subscriptionId().equals(sub)).findFirst().orElseThrow().settings().settingsReadAt();
    }

    /**
     * A generated tenant of 100 subscriptions and 10,000 machines: the sweep's Resource Manager calls are exact:
     * one Resource Graph page for the plans, ten for the machines, and one settings list per subscription.
     */
    @Test
    void aSweepOfTenThousandMachinesMakesElevenQueriesAndOneSettingsReadPerSubscription() {
        Tenant tenant = TenantGenerator.generate(100, 10_000, 42);
        try (OnboardingWorld w = new OnboardingWorld(tenant, Map.of())) {
            w.emulator.requestLog().clear();
            List<OnboardingJob> jobs = new ArrayList<>();
            SweepReport r = w.services.sweeps.run(SweepRequest.scheduled(), jobs::add, LOG);
            assertEquals(10_000, r.machines());
            RequestLog log = w.emulator.requestLog();
            assertEquals(11, log.count("Resources"), "Resource Graph: 1 plans page + 10 machine pages");
            assertEquals(100, log.count("Settings_List"));
            // And the subscription list once, for the subscriptions' display names (the dashboard shows them).
            assertEquals(1, log.count("Subscriptions_List"));
            assertEquals(11 + 100 + 1, log.total(), log.countsByOperation().toString());
            assertEquals(log.total(), r.calls().total(), "the report's count agrees with the emulator's request log");
            assertEquals(jobs.size(), r.jobsQueued());
            // Jobs: machines that need work (each to deploy or re-check: a fresh tenant), and onboarded machines whose sensor is
            // not Active (never looked at before).
            assertEquals(r.coverage().get("DEPLOY") + r.coverage().get("BLOCKED") + r.sensor().jobsQueued(), jobs.size());
            // Sensors: the device list in one call (fewer than 10,000 devices), joined by resource ID.
            assertEquals(1, w.emulator.defenderRequestLog().count("ListMachines"));
            assertEquals(1, r.sensor().devices().defenderApiCalls());
            assertEquals(w.emulator.state().deviceCount(), r.sensor().devices().records());
            assertEquals(r.coverage().get("ONBOARDED").longValue(), r.sensor().extensionSucceeded());
            assertEquals(r.sensor().extensionSucceeded(), r.sensor().health().values().stream().mapToLong(Long::longValue).sum());
            assertTrue(r.sensor().protectedMachines() > 0.8 * r.sensor().extensionSucceeded(), r.sensor().toString());
            long notActive = r.sensor().extensionSucceeded() - r.sensor().protectedMachines() - r.sensor().health().get("NOT_SEEN")
                    - r.sensor().health().get("UNKNOWN");
            assertEquals(notActive, r.sensor().jobsQueued(), "a job for each onboarded machine whose sensor is not Active");
        }
    }
}
