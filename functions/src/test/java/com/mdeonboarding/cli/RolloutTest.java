package com.mdeonboarding.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepRequest;
import com.mdeonboarding.testing.TestWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 24, safe rollout, against the emulator: observe writes nothing and says what enforce would do and cost; the
 * billed plan needs MDE_PLAN_ENABLEMENT even in enforce; an excluded machine gets resource-level pricing Free once and
 * loses it when un-excluded; 'sweep --enforce' refuses without a person to confirm, and with --subscription X --yes
 * writes only in X; a canary run touches exactly the machines its rules select.
 */
class RolloutTest {
    static final String FREE = "f0000000-0000-4000-8000-000000000001";
    static final String WDATP_OFF = "f0000000-0000-4000-8000-000000000002";
    static final String GOOD = "f0000000-0000-4000-8000-000000000003";
    static final Map<String, Boolean> WDATP_OFF_SETTINGS = Map.of("WDATP", false, "WDATP_UNIFIED_SOLUTION", true,
            "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false);
    private static final Logger LOG = Logger.getLogger(RolloutTest.class.getName());

    /** Free with 3 machines, P2 with WDATP off and 2 machines, P2 all on with 1 machine. */
    static Tenant tenant() {
        return new Tenant("72f988bf-86f1-41af-91ab-2d7cd011db47", List.of(
                TestWorld.subscription(FREE, PricingSpec.free(), TestWorld.ALL_ON),
                TestWorld.subscription(WDATP_OFF, PricingSpec.standard("P2"), WDATP_OFF_SETTINGS),
                TestWorld.subscription(GOOD, PricingSpec.standard("P2"), TestWorld.ALL_ON)), Map.of());
    }

    static TestWorld world(Map<String, String> settings) {
        TestWorld w = TestWorld.builder(tenant()).settings(settings).prefix("Rollout").build();
        for (int i = 0; i < 3; i++) {
            vm(w, FREE, "rg-free", "free-" + i, Map.of());
        }
        for (int i = 0; i < 2; i++) {
            vm(w, WDATP_OFF, "rg-off", "off-" + i, Map.of());
        }
        vm(w, GOOD, "rg-good", "good-0", Map.of());
        w.emulator.requestLog().clear();
        return w;
    }

    static String vm(TestWorld w, String sub, String rg, String name, Map<String, String> tags) {
        return w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).resourceGroup(rg).name(name)
                .tags(tags).build());
    }

    static SweepReport sweep(TestWorld w, SweepRequest r) {
        return w.services.sweeps.run(r, job -> { }, LOG);
    }

    static long count(TestWorld w, String operation) {
        return w.emulator.requestLog().count(operation);
    }

    @Test
    void observeWritesNothingToAzureAndSaysWhatEnforceWouldDoAndWhatItCosts() {
        try (TestWorld w = world(Map.of(Settings.MODE, "observe", Settings.PLAN_ENABLEMENT, "P1"))) {
            SweepReport r = sweep(w, SweepRequest.scheduled());
            assertEquals(0, w.emulator.requestLog().countWrites(), "observe: no PUT, PATCH, DELETE or POST action: "
                    + w.emulator.requestLog().countsByOperation());
            assertEquals("observe", r.mode());
            SweepReport.Rollout ro = r.rollout();
            assertTrue(ro.would().contains("would enable Defender for Servers on 1 subscription(s), 3 servers (+$15 a month) in enforce mode"),
                    ro.would().toString());
            assertTrue(ro.would().contains("would set WDATP=true in 1 subscription(s) in enforce mode"), ro.would().toString());
            // 2 servers on P2 + 1 on P2 now ($45); enforce with P1 enablement would add 3 x $5.
            assertEquals("Defender for Servers list cost: 3 servers, $45 a month now; enforce mode would make it 6 servers, $60 a month"
                    + " (MDE_PLAN_ENABLEMENT=P1)", ro.billing().line());
            assertTrue(r.summary().endsWith(ro.billing().line()), "the log line carries the cost");
            SweepReport stored = w.services.reports.latest().orElseThrow();
            assertEquals(ro.billing(), stored.rollout().billing(), "the stored report has the cost line");
        }
    }

    @Test
    void enforceEnablesNoBilledPlanWithoutPlanEnablementAndExactlyTheAllowedOneWithIt() {
        try (TestWorld w = world(Map.of(Settings.MODE, "enforce"))) {
            SweepReport r = sweep(w, SweepRequest.scheduled());
            assertEquals(0, count(w, "Pricings_Update"), "MDE_PLAN_ENABLEMENT=never: no plan is written, even in enforce");
            assertEquals(1, count(w, "Settings_Update"), "WDATP is switched on where it is off");
            assertEquals("Free", w.emulator.state().pricing(FREE).pricingTier());
            assertTrue(r.rollout().would().stream().anyMatch(l -> l.startsWith("1 subscription(s) with 3 servers are on Free and stay so"
                    + " (MDE_PLAN_ENABLEMENT=never); Defender for Servers P1 there would cost $15 a month")), r.rollout().would().toString());
            assertEquals("Defender for Servers list cost: 3 servers, $45 a month before this sweep; 3 servers, $45 a month after"
                    + " (MDE_PLAN_ENABLEMENT=never)", r.rollout().billing().line());
        }
        try (TestWorld w = world(Map.of(Settings.MODE, "enforce", Settings.PLAN_ENABLEMENT, "P1", Settings.DESIRED_PLAN, "P2"))) {
            SweepReport r = sweep(w, SweepRequest.scheduled());
            assertEquals(1, count(w, "Pricings_Update"), "one plan write: the Free subscription, capped at P1");
            assertEquals("P1", w.emulator.state().pricing(FREE).subPlan());
            assertEquals("P2", w.emulator.state().pricing(WDATP_OFF).subPlan(), "never a downgrade");
            assertEquals("Defender for Servers list cost: 3 servers, $45 a month before this sweep; 6 servers, $60 a month after"
                    + " (MDE_PLAN_ENABLEMENT=P1)", r.rollout().billing().line());
        }
    }

    @Test
    void anExcludedMachineGetsResourceLevelFreeOnceAndLosesItWhenTheExclusionIsLifted() {
        try (TestWorld w = world(Map.of(Settings.MODE, "enforce"))) {
            String ours = vm(w, GOOD, "rg-good", "excluded", Map.of("MdeOnboardingExclude", "true"));
            String theirs = vm(w, GOOD, "rg-good", "excluded-by-hand", Map.of("MdeOnboardingExclude", "true"));
            w.emulator.state().setResourcePricing(theirs, PricingSpec.free());
            String inFree = vm(w, FREE, "rg-free", "excluded-free-sub", Map.of("MdeOnboardingExclude", "true"));
            w.emulator.requestLog().clear();

            SweepReport first = sweep(w, SweepRequest.scheduled());
            assertEquals(List.of(ours.toLowerCase(Locale.ROOT)), pricingWrites(w, "PUT"), "one PUT, on the machine that inherits the plan");
            assertEquals("Free", w.emulator.state().resourcePricing(ours).pricingTier());
            assertEquals(new SweepReport.Exclusions(2, 1, 0, 1, 0, 0), first.rollout().exclusions(),
                    "the Free-subscription machine needs nothing; the hand-set one is reported");

            w.emulator.requestLog().clear();
            SweepReport second = sweep(w, SweepRequest.scheduled());
            assertEquals(List.of(), pricingWrites(w, "PUT"), "nothing on the next sweep");
            assertEquals(List.of(), pricingWrites(w, "DELETE"));
            assertEquals(new SweepReport.Exclusions(2, 0, 1, 1, 0, 0), second.rollout().exclusions());

            w.emulator.state().setTags(ours, Map.of());
            w.emulator.state().setTags(theirs, Map.of());
            w.emulator.requestLog().clear();
            SweepReport third = sweep(w, SweepRequest.scheduled());
            assertEquals(List.of(ours.toLowerCase(Locale.ROOT)), pricingWrites(w, "DELETE"), "DELETE ours only: it inherits again");
            assertEquals("Free", w.emulator.state().resourcePricing(theirs).pricingTier(), "someone else's setting is left alone");
            assertEquals(1, third.rollout().exclusions().freeRemoved());
            assertFalse(inFree.isEmpty());
        }
    }

    @Test
    void outsideEnforceTheReportSaysDefenderForCloudWillStillDeployToExcludedMachines() {
        try (TestWorld w = world(Map.of(Settings.MODE, "onboard"))) {
            vm(w, GOOD, "rg-good", "excluded", Map.of("MdeOnboardingExclude", "true"));
            w.emulator.requestLog().clear();
            SweepReport r = sweep(w, SweepRequest.scheduled());
            assertEquals(0, w.emulator.requestLog().countWrites());
            assertEquals(1, r.rollout().exclusions().stillDeployedByDefenderForCloud());
            assertTrue(r.rollout().would().stream().anyMatch(l -> l.startsWith("1 machine(s) excluded by tag are in subscriptions with the"
                    + " Defender for Endpoint integration on: Defender for Cloud will still deploy MDE to them")), r.rollout().would().toString());
        }
    }

    /** PUTs or DELETEs of resource-level pricings: the machine IDs, lower case. */
    static List<String> pricingWrites(TestWorld w, String method) {
        return w.emulator.requestLog().snapshot().stream().filter(e -> e.method().equals(method) && e.path().contains("/pricings/")
                        && e.path().toLowerCase(Locale.ROOT).contains("/providers/microsoft.compute/"))
                .map(e -> e.path().substring(0, e.path().indexOf("/providers/Microsoft.Security")).toLowerCase(Locale.ROOT)).toList();
    }

    // ------------------------------------------------------------------ the command line

    record Run(int exit, String out, String err) {
    }

    static Run run(Map<String, String> env, boolean stdinTerminal, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String was = System.getProperty(Main.STDIN_TERMINAL_PROPERTY);
        System.setProperty(Main.STDIN_TERMINAL_PROPERTY, Boolean.toString(stdinTerminal));
        try {
            int exit = Main.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            if (was == null) {
                System.clearProperty(Main.STDIN_TERMINAL_PROPERTY);
            } else {
                System.setProperty(Main.STDIN_TERMINAL_PROPERTY, was);
            }
        }
    }

    @Test
    void sweepEnforceWithoutAPersonToConfirmRefusesAndContactsNothing() {
        try (TestWorld w = world(Map.of(Settings.MODE, "onboard"))) {
            Run r = run(w.env, false, "", "sweep", "--enforce");
            assertEquals(Main.USAGE, r.exit(), r.err());
            assertTrue(r.err().contains("no one can confirm that here (stdin is not a terminal); nothing was done"), r.err());
            assertTrue(r.err().contains("then run again with --yes"), r.err());
            assertEquals(0, w.emulator.requestLog().total(), "nothing read or written");
            assertEquals(0, w.queuedJobs());

            Run declined = run(w.env, true, "no\n", "sweep", "--enforce", "--subscription", WDATP_OFF);
            assertEquals(Main.USAGE, declined.exit(), declined.err());
            assertTrue(declined.err().contains(WDATP_OFF + ": would set WDATP=true"), declined.err());
            assertTrue(declined.err().contains("Cost: Defender for Servers list cost: 2 servers, $30 a month now"), declined.err());
            assertTrue(declined.err().contains("not confirmed; nothing written"), declined.err());
            assertEquals(0, w.emulator.requestLog().countWrites(), "the preview reads only");
        }
    }

    @Test
    void sweepEnforceForOneSubscriptionWithYesWritesOnlyThereAndPrintsTheCost() {
        try (TestWorld w = world(Map.of(Settings.MODE, "onboard", Settings.PLAN_ENABLEMENT, "P1"))) {
            Run r = run(w.env, false, "", "sweep", "--enforce", "--subscription", FREE, "--yes");
            assertTrue(r.exit() == Main.OK || r.exit() == Main.ATTENTION, r.err());
            Set<String> written = w.emulator.requestLog().snapshot().stream().filter(RequestLog.Entry::write)
                    .map(e -> e.path().split("/")[2]).collect(Collectors.toSet());
            assertEquals(Set.of(FREE), written, "writes only in the subscription asked for");
            assertEquals("P1", w.emulator.state().pricing(FREE).subPlan(), "the plan, as MDE_PLAN_ENABLEMENT allows");
            assertFalse(w.emulator.state().setting(WDATP_OFF, "WDATP"), "another subscription's drift is left alone");
            assertTrue(r.out().contains("Cost: Defender for Servers list cost: 0 servers, $0 a month before this sweep; 3 servers, $15 a month"
                    + " after (MDE_PLAN_ENABLEMENT=P1)"), r.out());
            SweepReport stored = w.services.reports.latest().orElseThrow();
            assertEquals("enforce", stored.mode());
            assertEquals(3, stored.rollout().billing().serversAfter(), "the report has the cost too");
        }
    }

    /** Issue 24 item 6: a tenant can be previewed with only a sign-in; no Storage account, nothing written anywhere. */
    @Test
    void planNeedsOnlyASignInAndPrintsPerSubscriptionWhatObserveWouldRecordWithTheCost() {
        try (TestWorld w = world(Map.of(Settings.MODE, "observe", Settings.PLAN_ENABLEMENT, "P1"))) {
            Map<String, String> signedInOnly = new HashMap<>(w.env);
            signedInOnly.remove(Settings.STORAGE);
            Run r = run(signedInOnly, false, "", "plan");
            assertTrue(r.exit() == Main.OK || r.exit() == Main.ATTENTION, r.out() + r.err());
            assertTrue(r.err().contains("no Storage configured (AzureWebJobsStorage unset)"), r.err());
            assertTrue(r.out().contains("Cost: Defender for Servers list cost: 3 servers, $45 a month now; enforce mode would make it 6 servers,"
                    + " $60 a month (MDE_PLAN_ENABLEMENT=P1)"), r.out());
            assertTrue(r.out().contains(WDATP_OFF + ": would set WDATP=true (enforce mode)"), r.out());
            assertTrue(r.out().contains(FREE + ": would enable Defender for Servers P1"), r.out());
            for (String sub : List.of(FREE, WDATP_OFF, GOOD)) {
                assertTrue(r.out().contains(sub), "a row per subscription: " + sub);
            }
            assertTrue(r.out().contains("free-0") && r.out().contains("DEPLOY"), "each machine's would-be decision: " + r.out());
            assertEquals(0, w.emulator.requestLog().countWrites(), "nothing written to Azure");
            assertEquals(Map.of(), w.stateRows(), "nothing written to the world's Storage either");

            Map<String, String> broken = new HashMap<>(signedInOnly);
            broken.put(Settings.MODE, "sometimes");
            assertEquals(Main.USAGE, run(broken, false, "", "plan").exit(), "the other settings are still validated");
            assertEquals(Main.USAGE, run(signedInOnly, false, "", "status",
                    "/subscriptions/" + FREE + "/resourceGroups/rg-free/providers/Microsoft.Compute/virtualMachines/free-0").exit(),
                    "only plan runs without Storage");
        }
    }

    /**
     * A canary with an include tag and a resource-group exclusion, in a tenant where each rule matters: tagged machines
     * in two groups (one excluded), untagged machines in the same groups.
     */
    @Test
    void aCanaryRunTouchesExactlyTheMachinesItsRulesSelect() {
        Map<String, String> canary = Map.of(Settings.MODE, "onboard", Settings.SCOPE_INCLUDE_TAG, "Ring=canary",
                Settings.SCOPE_EXCLUDE_RESOURCE_GROUPS, "rg-prod");
        try (TestWorld w = TestWorld.builder(tenant()).settings(canary).scope(List.of(GOOD)).prefix("Canary").build()) {
            String taggedA = vm(w, GOOD, "rg-app", "tagged-a", Map.of("Ring", "canary"));
            String taggedB = vm(w, GOOD, "rg-web", "tagged-b", Map.of("ring", "Canary"));
            vm(w, GOOD, "rg-app", "untagged", Map.of());
            vm(w, GOOD, "rg-app", "other-ring", Map.of("Ring", "prod"));
            String taggedProd = vm(w, GOOD, "rg-prod", "tagged-prod", Map.of("Ring", "canary"));
            vm(w, GOOD, "rg-prod", "untagged-prod", Map.of());
            w.emulator.requestLog().clear();

            Map<String, String> env = new HashMap<>(w.env);
            Run r = run(env, false, "", "sweep", "--json");
            assertTrue(r.exit() == Main.OK || r.exit() == Main.ATTENTION, r.err());
            assertEquals(Set.of(taggedA.toLowerCase(Locale.ROOT), taggedB.toLowerCase(Locale.ROOT)), w.acceptedExtensionPuts().keySet(),
                    "only the tagged machines outside rg-prod");
            assertTrue(r.out().contains("only machines tagged Ring=canary; never resource groups rg-prod (exclusions win)"), r.out());
            assertFalse(w.acceptedExtensionPuts().containsKey(taggedProd.toLowerCase(Locale.ROOT)));
        }
    }
}
