package com.mdeonboarding.reliability;

import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_A;
import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_B;
import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_EXCLUDED;
import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_OUT;
import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_WDATP_OFF;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.config.Mode;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.host.HttpOnboarding;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.reconcile.ReconcileResult;
import com.mdeonboarding.reconcile.Reconciler;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepRequest;
import com.microsoft.azure.functions.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue item 6. A job, an event or an HTTP request naming a machine outside the configured scope (not listed,
 * excluded, outside the management group, unknown) is refused before any Resource Manager call about it; the
 * request log proves it. Posture writes (Settings_Update, Pricings_Update) happen only in enforce mode, and only
 * in scope; in audit mode the only writes are extension PUTs and the read-only guest checks' Run Commands.
 */
class ScopeAndPrivilegeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** In scope, Free plan: an enforce-mode sweep switches its plan on. */
    static final String SUB_FREE_IN = "f6666666-6666-4666-8666-666666666666";
    /** Unknown to Resource Manager and not in scope. */
    static final String SUB_GHOST = "07777777-7777-4777-8777-777777777777";
    static final Set<String> AUDIT_WRITES = Set.of("VirtualMachineExtensions_CreateOrUpdate", "MachineExtensions_CreateOrUpdate",
            "VirtualMachines_RunCommand", "MachineRunCommands_CreateOrUpdate");
    static final Set<String> POSTURE_WRITES = Set.of("Settings_Update", "Pricings_Update");

    @RegisterExtension
    static final SecretScan SECRETS = new SecretScan();

    static Tenant tenant() {
        List<SubscriptionSpec> subs = new ArrayList<>(ReliabilityWorld.defaultTenant().subscriptions());
        subs.add(ReliabilityWorld.subscription(SUB_FREE_IN, PricingSpec.free(), ReliabilityWorld.ALL_ON));
        return new Tenant(ReliabilityWorld.TENANT, subs, Map.of("mg-reliability", List.of(SUB_A, SUB_FREE_IN)));
    }

    static Map<String, String> scope(String mode) {
        return Map.of(Settings.SCOPE_SUBSCRIPTIONS, String.join(",", SUB_A, SUB_B, SUB_WDATP_OFF, SUB_FREE_IN, SUB_EXCLUDED),
                Settings.MODE, mode);
    }

    private static long requestsNaming(ReliabilityWorld w, String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return w.emulator.requestLog().snapshot().stream()
                .filter(e -> (e.path() + "?" + e.query()).toLowerCase(Locale.ROOT).contains(t)).count();
    }

    private static Set<String> writeOperations(ReliabilityWorld w) {
        return w.emulator.requestLog().snapshot().stream().filter(RequestLog.Entry::write).map(RequestLog.Entry::operationId)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void jobsNamingMachinesOutsideTheScopeAreRefusedBeforeAnyResourceManagerCall() {
        try (ReliabilityWorld w = new ReliabilityWorld(tenant(), scope("enforce"))) {
            SECRETS.watch(w.scanner);
            var s = w.emulator.state();
            String in = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("scope-in").build());
            List<String> outside = List.of(
                    s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OUT).name("scope-not-listed").build()),
                    s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_EXCLUDED).name("scope-excluded").build()),
                    "/subscriptions/" + SUB_GHOST + "/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/scope-ghost");
            w.takeEvents();
            w.emulator.requestLog().clear();
            // Jobs as a forged or stale queue message would carry them (every source), plus one in scope.
            for (String id : outside) {
                for (JobSource source : JobSource.values()) {
                    w.services.jobQueue.enqueue(OnboardingJob.create(MachineId.parse(id), source, Instant.now()));
                }
            }
            w.services.jobQueue.enqueue(OnboardingJob.create(MachineId.parse(in), JobSource.MANUAL, Instant.now()));
            assertTrue(w.host.runUntil(() -> w.queuedJobs() == 0 && "ONBOARDED".equals(ReliabilityWorld.decision(
                    w.stateRows().get(in.toLowerCase(Locale.ROOT)))), Duration.ofSeconds(60)), String.join("\n", w.host.logLines()));

            Logger log = w.logger("scope");
            for (String id : outside) {
                for (boolean dryRun : new boolean[] {false, true}) {
                    OnboardingJob job = OnboardingJob.create(MachineId.parse(id), JobSource.MANUAL, Instant.now());
                    ReconcileResult o = dryRun ? w.services.reconciler.plan(job, log) : w.services.reconciler.reconcile(job, log);
                    assertEquals(Reconciler.Status.OUT_OF_SCOPE, o.status(), id);
                }
                assertEquals(0, requestsNaming(w, MachineId.parse(id).subscriptionId()), "no Resource Manager request about " + id);
                assertEquals(null, w.stateRows().get(id.toLowerCase(Locale.ROOT)), "nothing recorded for " + id);
            }
            for (String id : outside.subList(0, 2)) {
                assertEquals(List.of(), s.extensionsOf(id), "no extension on " + id);
            }
            assertEquals(0, w.emulator.requestLog().count("Settings_Update") + w.emulator.requestLog().count("Pricings_Update"),
                    "an onboarded in-scope machine in a healthy subscription needs no posture write, even in enforce mode");
            long refused = w.host.logLines().stream().filter(l -> l.contains("outside the configured scope")).count();
            assertEquals(outside.size() * JobSource.values().length, refused, "each job refused with a log line");
            Figures.add("scope", "out-of-scope jobs refused", refused + outside.size() * 2L);
            Figures.add("scope", "Resource Manager requests about out-of-scope machines", 0);
        }
    }

    @Test
    void eventsAndHttpRequestsNamingMachinesOutsideTheScopeQueueNothingAndCallNothing() throws Exception {
        try (ReliabilityWorld w = new ReliabilityWorld(tenant(), scope("onboard"))) {
            SECRETS.watch(w.scanner);
            var s = w.emulator.state();
            String in = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("http-in").build());
            String notListed = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OUT).name("http-not-listed").build());
            String excluded = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_EXCLUDED).name("http-excluded").build());
            List<String> events = w.takeEvents();
            w.emulator.requestLog().clear();
            int eventJobs = 0;
            for (String e : events) {
                eventJobs += w.host.deliverEvent(e).size();
            }
            assertEquals(1, eventJobs, "only the in-scope machine's event queued a job");

            Logger log = w.logger("http");
            List<String> bodies = List.of(
                    "{\"resourceIds\":[\"" + notListed + "\"]}",
                    "{\"resourceIds\":[\"" + excluded + "\"]}",
                    "{\"resourceIds\":[\"" + in + "\",\"" + notListed + "\"]}",
                    "{\"resourceIds\":[\"/subscriptions/" + SUB_GHOST + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/x\"]}",
                    "{\"subscriptionId\":\"" + SUB_OUT + "\"}",
                    "{\"subscriptionId\":\"" + SUB_EXCLUDED.toUpperCase(Locale.ROOT) + "\"}",
                    "{\"subscriptionId\":\"" + SUB_OUT + "\",\"resourceGroup\":\"rg\"}");
            int queuedBefore = w.queuedJobs();
            for (String body : bodies) {
                HttpCalls.Reply r = HttpCalls.reply(new HttpOnboarding(w.services).run(HttpCalls.request(HttpMethod.POST, "onboarding",
                        Map.of("content-type", "application/json"), Map.of(), Optional.of(body)), HttpCalls.context(HttpOnboarding.NAME, log)));
                w.scanner.add(r.toString());
                assertEquals(403, r.status(), body + " -> " + r);
                assertTrue(r.header("Content-Type").startsWith("application/problem+json"), r.toString());
                JsonNode p = JSON.readTree(r.body());
                assertEquals("urn:mde-onboarding:problem:out-of-scope", p.path("type").asText(), r.toString());
                assertEquals(403, p.path("status").asInt());
                assertEquals(queuedBefore, w.queuedJobs(), "nothing queued for " + body);
                Figures.add("scope", "out-of-scope HTTP requests refused", 1);
            }
            for (String sub : List.of(SUB_OUT, SUB_EXCLUDED, SUB_GHOST)) {
                assertEquals(0, requestsNaming(w, sub), "no Resource Manager request about subscription " + sub);
            }
            Figures.add("scope", "out-of-scope events ignored", events.size() - 1);
        }
    }

    @Test
    void aManagementGroupScopeRefusesMachinesOfOtherSubscriptions() {
        Map<String, String> mg = Map.of(Settings.SCOPE_SUBSCRIPTIONS, "", Settings.SCOPE_EXCLUDE_SUBSCRIPTIONS, "",
                Settings.SCOPE_MANAGEMENT_GROUP, "mg-reliability", Settings.MODE, "enforce");
        try (ReliabilityWorld w = new ReliabilityWorld(tenant(), mg)) {
            SECRETS.watch(w.scanner);
            var s = w.emulator.state();
            String in = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("mg-in").build());
            String other = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_WDATP_OFF).name("mg-other").build());
            w.emulator.requestLog().clear();
            for (String e : w.takeEvents()) {
                w.host.deliverEvent(e);
            }
            w.services.jobQueue.enqueue(OnboardingJob.create(MachineId.parse(other), JobSource.MANUAL, Instant.now()));
            assertTrue(w.host.runUntil(() -> w.queuedJobs() == 0 && "ONBOARDED".equals(ReliabilityWorld.decision(
                    w.stateRows().get(in.toLowerCase(Locale.ROOT)))), Duration.ofSeconds(60)), String.join("\n", w.host.logLines()));
            assertEquals(0, requestsNaming(w, "/subscriptions/" + SUB_WDATP_OFF), "no request about the other subscription");
            assertEquals(0, w.emulator.requestLog().count("Settings_Update"), "enforce mode never fixes a subscription outside the group");
            assertEquals(null, w.stateRows().get(other.toLowerCase(Locale.ROOT)));
            Figures.add("scope", "out-of-scope jobs refused", 1);
        }
    }

    @Test
    void auditModeWritesNoPostureAndOnlyExtensionsAndReadOnlyChecks() {
        try (ReliabilityWorld w = new ReliabilityWorld(tenant(), scope("onboard"))) {
            SECRETS.watch(w.scanner);
            List<String> ids = createDriftedMachines(w);
            w.emulator.requestLog().clear();
            w.takeEvents().forEach(w.host::deliverEvent);
            assertTrue(w.host.runUntil(() -> decided(w, ids) && w.queuedJobs() == 0, Duration.ofSeconds(60)), String.join("\n", w.host.logLines()));
            assertEquals("BLOCKED", ReliabilityWorld.decision(w.stateRows().get(ids.get(1).toLowerCase(Locale.ROOT))));
            assertTrue(ReliabilityWorld.reasons(w.stateRows().get(ids.get(1).toLowerCase(Locale.ROOT))).contains("INTEGRATION_DISABLED"));

            Logger log = w.logger("sweep");
            SweepReport scheduled = w.services.sweeps.run(SweepRequest.scheduled(), w.services.jobQueue::enqueue, log);
            SweepReport dryEnforce = w.services.sweeps.run(new SweepRequest(true, Optional.of(Mode.ENFORCE), List.of(), true), w.services.jobQueue::enqueue, log);
            SweepReport outside = w.services.sweeps.run(new SweepRequest(false, Optional.empty(), List.of(SUB_OUT, SUB_EXCLUDED), false), w.services.jobQueue::enqueue, log);
            assertTrue(scheduled.subscriptions().stream().anyMatch(r -> !r.drift().isEmpty()), "the audit sweep found drift");
            assertTrue(scheduled.subscriptions().stream().allMatch(r -> r.fixed().isEmpty()), "and fixed nothing");
            assertTrue(dryEnforce.subscriptions().stream().allMatch(r -> r.fixed().isEmpty()), "a dry run fixes nothing");
            assertEquals(0, outside.subscriptions().size(), "out-of-scope subscriptions are not swept");
            assertEquals(2, outside.errors().size(), outside.errors().toString());
            w.host.runUntil(() -> w.queuedJobs() == 0, Duration.ofSeconds(60)); // the sweep's jobs, if any

            Set<String> writes = writeOperations(w);
            assertTrue(AUDIT_WRITES.containsAll(writes), "audit mode wrote only extensions and ran only checks: " + writes);
            for (String op : POSTURE_WRITES) {
                assertEquals(0, w.emulator.requestLog().count(op), op + " in audit mode");
            }
            Figures.set("privilege", "posture writes in audit mode", 0);
            Figures.set("privilege", "write operations seen in audit mode", writes.size());
        }
    }

    @Test
    void enforceModeFixesPostureOnlyInScope() {
        // Enabling the billed plan needs its own setting, even in enforce (issue 24).
        Map<String, String> settings = new java.util.HashMap<>(scope("enforce"));
        settings.put(Settings.PLAN_ENABLEMENT, "P1");
        try (ReliabilityWorld w = new ReliabilityWorld(tenant(), settings)) {
            SECRETS.watch(w.scanner);
            List<String> ids = createDriftedMachines(w);
            w.emulator.requestLog().clear();
            w.takeEvents().forEach(w.host::deliverEvent);
            assertTrue(w.host.runUntil(() -> decided(w, ids) && w.queuedJobs() == 0, Duration.ofSeconds(60)), String.join("\n", w.host.logLines()));
            assertEquals("ONBOARDED", ReliabilityWorld.decision(w.stateRows().get(ids.get(1).toLowerCase(Locale.ROOT))),
                    "enforce mode switched WDATP on, then onboarded");
            assertTrue(w.emulator.state().setting(SUB_WDATP_OFF, "WDATP"));

            SweepReport sweep = w.services.sweeps.run(SweepRequest.scheduled(), w.services.jobQueue::enqueue, w.logger("sweep"));
            w.host.runUntil(() -> w.queuedJobs() == 0, Duration.ofSeconds(60));
            assertTrue(sweep.subscriptions().stream().anyMatch(r -> !r.fixed().isEmpty()), "the sweep fixed drift: " + sweep.subscriptions());
            assertEquals("Standard", w.emulator.state().pricing(SUB_FREE_IN).pricingTier(), "the in-scope Free plan was switched on");
            long postureWrites = 0;
            for (RequestLog.Entry e : w.emulator.requestLog().snapshot()) {
                if (POSTURE_WRITES.contains(e.operationId())) {
                    postureWrites++;
                    String p = e.path().toLowerCase(Locale.ROOT);
                    assertTrue(p.contains(SUB_WDATP_OFF) || p.contains(SUB_FREE_IN), "posture write in scope only: " + e);
                }
            }
            assertTrue(postureWrites >= 2, "enforce mode wrote settings and a plan: " + postureWrites);
            for (String sub : List.of(SUB_OUT, SUB_EXCLUDED)) {
                assertEquals(0, requestsNaming(w, "/subscriptions/" + sub), "drifted, but outside the scope: untouched " + sub);
                assertEquals("Free", w.emulator.state().pricing(sub).pricingTier());
            }
            Figures.set("privilege", "posture writes in enforce mode (all in scope)", postureWrites);
        }
    }

    /** A healthy-subscription VM, a VM in the WDATP-off subscription, a VM in the in-scope Free subscription. */
    private static List<String> createDriftedMachines(ReliabilityWorld w) {
        var s = w.emulator.state();
        List<String> ids = List.of(
                s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("priv-ok").build()),
                s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_WDATP_OFF).name("priv-wdatp-off").build()),
                s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_FREE_IN).name("priv-free").build()));
        // Drifted machines outside the scope: never touched in either mode.
        s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OUT).name("priv-out").build());
        s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_EXCLUDED).name("priv-excluded").build());
        return ids;
    }

    private static boolean decided(ReliabilityWorld w, List<String> ids) {
        var rows = w.stateRows();
        return ids.stream().map(id -> ReliabilityWorld.decision(rows.get(id.toLowerCase(Locale.ROOT))))
                .allMatch(d -> d != null && !d.equals("DEPLOY") && !d.equals("PENDING"));
    }
}
