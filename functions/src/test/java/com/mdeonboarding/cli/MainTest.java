package com.mdeonboarding.cli;

import static com.mdeonboarding.testing.OperatorWorld.SUB_FREE;
import static com.mdeonboarding.testing.OperatorWorld.SUB_IN;
import static com.mdeonboarding.testing.OperatorWorld.SUB_OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.testing.OperatorWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process against the emulator and Azurite: JSON, tables and exit codes. */
class MainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OperatorWorld world;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        world = new OperatorWorld();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @BeforeEach
    void fresh() {
        world.emulator.requestLog().clear();
        world.takeEvents();
    }

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                // Exactly one JSON document on stdout, nothing else.
                var parser = JSON.createParser(out);
                JsonNode doc = JSON.readTree(parser);
                assertEquals(null, parser.nextToken(), "stdout holds one JSON document only:\n" + out);
                return doc;
            } catch (java.io.IOException e) {
                throw new AssertionError("stdout is not JSON:\n" + out + "\nstderr:\n" + err, e);
            }
        }

        JsonNode machine(String id) {
            for (JsonNode m : json().path("machines")) {
                if (m.path("resourceId").asText().equalsIgnoreCase(id)) {
                    return m;
                }
            }
            throw new AssertionError("no " + id + " in " + out);
        }
    }

    static Run run(Map<String, String> env, String... args) {
        return runWithStdin(env, "", args);
    }

    static Run runWithStdin(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run run(String... args) {
        return run(world.env, args);
    }

    private static String vm(String sub, String name) {
        return world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).resourceGroup("rg-cli").name(name).build());
    }

    private static long extensionPuts() {
        return world.emulator.requestLog().count("VirtualMachineExtensions_CreateOrUpdate")
                + world.emulator.requestLog().count("MachineExtensions_CreateOrUpdate");
    }

    @Test
    void onboardDeploysWaitsUntilProvisionedAndSaysWhyTheOthersAreNot() {
        world.clearQueue();
        String win = vm(SUB_IN, "cli-win");
        String arc = world.emulator.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg-cli")
                .name("cli-arc").ubuntu2204().build());
        String stopped = world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg-cli")
                .name("cli-stopped").powerState("deallocated").build());
        Run r = run("onboard", win, arc, stopped, "--json", "--wait", "60s");
        assertEquals(Main.ATTENTION, r.exit(), "one machine is blocked: exit 1\n" + r.err());
        for (String id : List.of(win, arc)) {
            JsonNode m = r.machine(id);
            assertEquals("ONBOARDED", m.path("decision").asText(), m.toString());
            assertEquals(List.of(ReasonCode.EXTENSION_HEALTHY.name(), ReasonCode.SENSOR_ACTIVE.name()), texts(m.path("reasons")),
                    "the emulated sensor reports at once");
            // What was done, across the looks; Linux gets the read-only guest check first.
            assertEquals(id.equals(win) ? List.of("DEPLOY_EXTENSION") : List.of("RUN_GUEST_CHECK", "DEPLOY_EXTENSION"), texts(m.path("actions")));
            assertEquals("RECORDED", m.path("status").asText());
            assertTrue(m.path("attempts").asInt() >= 2, "looked again after deploying: " + m);
        }
        JsonNode b = r.machine(stopped);
        assertEquals("BLOCKED", b.path("decision").asText());
        assertEquals(List.of(ReasonCode.VM_NOT_RUNNING.name()), texts(b.path("reasons")));
        assertEquals(List.of(), texts(b.path("actions")));
        assertEquals(2, extensionPuts(), "one PUT per deployable machine");
        assertEquals(0, world.queueLength(), "inline, the CLI looks again itself: no verify jobs left behind in the queue");
        assertEquals("{\"BLOCKED\":1,\"ONBOARDED\":2}", r.json().path("summary").toString());
        assertEquals(1, r.json().path("exitCode").asInt());
        // Logs and progress went to stderr, with the job's IDs.
        String cid = r.machine(win).path("correlationId").asText();
        assertTrue(r.err().contains("[correlationId=" + cid + "] [resourceId=" + win + "]"), r.err());
        assertNoPackage(r);
    }

    @Test
    void aMachineStillProvisioningWhenTheWaitEndsGetsTheVerifyJobTheOutputPromises() {
        world.clearQueue();
        String win = vm(SUB_IN, "cli-nowait");
        Run r = run("onboard", win, "--wait", "0", "--json");
        assertEquals(Main.ATTENTION, r.exit(), "still provisioning: exit 1\n" + r.err());
        JsonNode m = r.machine(win);
        assertEquals("DEPLOY", m.path("decision").asText(), m.toString());
        assertEquals(1, world.queuedJobs(), "the verify job the output speaks of is on the queue: " + m);
        assertTrue(m.path("detail").asText().contains("verify job is queued"), m.toString());
        assertTrue(m.path("verifyJobQueued").asBoolean(), m.toString());
        // The Function App's ReconcileMachine (through the local host) finishes what the command line started.
        assertTrue(world.host.runUntil(() -> "ONBOARDED".equals(com.mdeonboarding.testing.TestWorld.decision(world.stateRow(win))),
                java.time.Duration.ofSeconds(30)), "the verify job finished it: " + world.stateRow(win));
        assertEquals(1, world.acceptedExtensionPuts().get(win.toLowerCase(java.util.Locale.ROOT)), "one PUT: the verify job only looked");
        assertEquals(0, world.queuedJobs());
    }

    @Test
    void onboardDryRunDecidesAndWritesNothing() {
        String win = vm(SUB_IN, "cli-dry");
        Run r = run("onboard", win, "--dry-run", "--json");
        assertEquals(Main.OK, r.exit(), r.err());
        JsonNode m = r.machine(win);
        assertEquals("DEPLOY", m.path("decision").asText());
        assertEquals(List.of(ReasonCode.EXTENSION_MISSING.name()), texts(m.path("reasons")));
        assertEquals(List.of("DEPLOY_EXTENSION"), texts(m.path("actions")), "what would be written");
        assertTrue(r.json().path("dryRun").asBoolean());
        assertEquals("DECIDED", m.path("status").asText(), "a dry run records nothing, and says so");
        assertEquals(0, world.emulator.requestLog().countWrites(), "a dry run writes nothing to Azure");
        assertTrue(world.services.stateStore.get(MachineId.parse(win)).isEmpty(), "nor to the state store");
    }

    @Test
    void onboardPrintsATableAndTheOperatorSentences() {
        String free = vm(SUB_FREE, "cli-free");
        Run r = run("onboard", free);
        assertEquals(Main.ATTENTION, r.exit(), r.err());
        assertTrue(r.out().contains("subscription " + SUB_FREE), r.out());
        assertTrue(r.out().matches("(?s).*MACHINE\\s+KIND\\s+DECISION\\s+REASONS\\s+ACTIONS.*"), r.out());
        assertTrue(r.out().matches("(?s).*rg-cli/cli-free\\s+VM\\s+BLOCKED\\s+PLAN_NOT_ENABLED\\s+-.*"), r.out());
        assertTrue(r.out().contains("PLAN_NOT_ENABLED: " + ReasonCode.PLAN_NOT_ENABLED.sentence()), r.out());
    }

    @Test
    void badIdsAndOutOfScopeMachinesAreRefusedBeforeAnyCall() {
        String traversal = "/subscriptions/" + SUB_IN + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/../../x";
        Run bad = run("onboard", traversal, "--json");
        assertEquals(Main.USAGE, bad.exit());
        assertEquals("", bad.out());
        assertEquals(1, bad.err().lines().filter(l -> !l.startsWith("SLF4J")).count(), bad.err());
        assertTrue(bad.err().contains("not a resource ID of an Azure VM or Arc machine: '" + traversal + "'"), bad.err());

        Run forged = run("onboard", "/subscriptions/" + SUB_IN + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/a\nINFO forged");
        assertEquals(Main.USAGE, forged.exit());
        assertTrue(forged.err().contains("a\\u000aINFO forged"), "control characters are escaped: " + forged.err());

        String out = "/subscriptions/" + SUB_OUT + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/x";
        Run scope = run("onboard", out);
        assertEquals(Main.USAGE, scope.exit());
        assertTrue(scope.err().contains("outside the configured scope") && scope.err().contains(SUB_OUT), scope.err());
        assertEquals(0, world.emulator.requestLog().total(), "no Resource Manager call for a refused command");
    }

    @Test
    void usageAndConfigurationErrorsExit2WithOneLine() {
        assertEquals(Main.USAGE, run().exit());
        assertEquals(Main.USAGE, run("frobnicate").exit());
        Run opt = run("status", "x", "--enforce");
        assertEquals(Main.USAGE, opt.exit());
        assertTrue(opt.err().contains("'status' does not take --enforce"), opt.err());
        assertEquals(Main.USAGE, run("onboard").exit());
        assertEquals(Main.USAGE, run("onboard", "x", "--wait", "soon").exit());
        assertEquals(Main.USAGE, run("plan", "--subscription", "not-a-guid").exit());
        Run help = run("--help");
        assertEquals(Main.OK, help.exit());
        assertTrue(help.out().startsWith("Usage: mde-onboarding"), help.out());
        for (String command : List.of("onboard", "event", "status", "plan", "sweep", "serve", "doctor")) {
            assertTrue(help.out().contains("\n  " + command + " "), "the command list names " + command + ":\n" + help.out());
        }

        Map<String, String> noStorage = new HashMap<>(world.env);
        noStorage.remove(Settings.STORAGE);
        Run config = run(noStorage, "status", "/subscriptions/" + SUB_IN + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/a");
        assertEquals(Main.USAGE, config.exit());
        assertTrue(config.err().startsWith("mde-onboarding: configuration: AzureWebJobsStorage: is not set"), config.err());

        Map<String, String> badMode = new HashMap<>(world.env);
        badMode.put(Settings.MODE, "sometimes");
        Run mode = run(badMode, "sweep");
        assertEquals(Main.USAGE, mode.exit());
        assertTrue(mode.err().contains("MDE_MODE: 'sometimes' is not valid"), mode.err());
        assertFalse(mode.err().contains("AccountKey"), "no secret in the message");
    }

    @Test
    void everyCommandHasItsOwnHelpVersionAndSuggestionsForTypos() {
        Run plan = run("plan", "--help");
        assertEquals(Main.OK, plan.exit());
        assertTrue(plan.out().startsWith("Usage: mde-onboarding plan"), plan.out());
        assertTrue(plan.out().contains("--subscription=ID") && plan.out().contains("--json"), "plan's own options:\n" + plan.out());
        assertFalse(plan.out().contains("--enforce") || plan.out().contains("--wait"), "and no other command's:\n" + plan.out());
        assertTrue(plan.out().contains("Exit codes:"), "exit codes per command:\n" + plan.out());
        assertEquals(plan.out(), run("help", "plan").out(), "'help plan' is 'plan --help'");

        Run typo = run("plna");
        assertEquals(Main.USAGE, typo.exit());
        assertTrue(typo.err().contains("did you mean 'plan'?"), typo.err());
        Run option = run("onboard", "--jsn", "/x");
        assertEquals(Main.USAGE, option.exit());
        assertTrue(option.err().contains("did you mean '--json'?"), option.err());

        Run version = run("--version");
        assertEquals(Main.OK, version.exit());
        assertTrue(version.out().matches("mde-onboarding \\d+\\.\\d+\\.\\d+.*\\R"), version.out());
    }

    @Test
    void onboardOfAMachineThatDoesNotExistExits1() {
        String missing = "/subscriptions/" + SUB_IN + "/resourceGroups/rg-cli/providers/Microsoft.Compute/virtualMachines/no-such-vm";
        Run r = run("onboard", missing, "--json");
        assertEquals(Main.ATTENTION, r.exit(), "a typo must not look like success\n" + r.err());
        assertEquals(List.of(ReasonCode.MACHINE_NOT_FOUND.name()), texts(r.machine(missing).path("reasons")));
        assertEquals(Main.ATTENTION, run("onboard", missing, "--dry-run").exit(), "nor in a dry run");
    }

    @Test
    void aFailedSignInToAzureExits2QuicklyWithTheCauseAndWhatToDo() {
        // A real (non-loopback) Resource Manager endpoint and no credential anywhere on this machine: DefaultAzureCredential fails.
        Map<String, String> env = new HashMap<>(world.env);
        env.remove(Settings.ARM_ENDPOINT);
        env.remove(Settings.ARM_CA_CERT);
        env.remove(Settings.DEFENDER_API_ENDPOINT); // the Defender emulator is accepted only with the Resource Manager one
        env.put(Settings.SCOPE_SUBSCRIPTIONS, SUB_IN);
        long started = System.nanoTime();
        Run r = run(env, "plan", "--json");
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertEquals(Main.USAGE, r.exit(), r.err());
        assertTrue(seconds < 15, "a failed sign-in is reported within 15 s, took " + seconds + " s");
        assertEquals("", r.out(), "no half document on stdout");
        String line = lastLine(r.err());
        assertTrue(line.startsWith("mde-onboarding: cannot sign in to Azure Resource Manager (https://management.azure.com)"), line);
        assertTrue(line.contains("DefaultAzureCredential"), "the inner cause: " + line);
        for (String advice : List.of("az login", "managed identity", Settings.MANAGED_IDENTITY_CLIENT_ID)) {
            assertTrue(line.contains(advice), "what to do (" + advice + "): " + line);
        }
        assertFalse(line.contains("Exception"), "no Java exception names: " + line);
    }

    @Test
    void anUnreachableStorageAccountFailsInSecondsNamingTheSetting() {
        int closed = com.mdeonboarding.testing.Azurite.freePort();
        Map<String, String> env = new HashMap<>(world.env);
        env.put(Settings.STORAGE, "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0LWtleS1ub3QtcmVhbA==;"
                + "QueueEndpoint=http://127.0.0.1:" + closed + "/devstoreaccount1;TableEndpoint=http://127.0.0.1:" + closed + "/devstoreaccount1;");
        long started = System.nanoTime();
        Run r = run(env, "status", "/subscriptions/" + SUB_IN + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/a");
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertEquals(Main.USAGE, r.exit(), r.err());
        assertTrue(seconds < 10, "an unreachable Storage account is reported within seconds, took " + seconds + " s");
        String line = lastLine(r.err());
        assertTrue(line.contains(Settings.STORAGE) && line.contains("http://127.0.0.1:" + closed + "/devstoreaccount1"), line);
        assertTrue(line.contains("refused"), "why, in words: " + line);
        for (String internal : List.of("Exception", "StorageSettings[", "AccountKey", "c2VjcmV0", "io.netty")) {
            assertFalse(line.contains(internal), "no Java toString or secret (" + internal + "): " + line);
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void eventReconcilesTheMachinesAnEventGridDeliveryNames() throws Exception {
        String win = vm(SUB_IN, "cli-event-win");
        String arc = world.emulator.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg-cli")
                .name("cli-event-arc").build());
        // The emulator publishes one JSON array per write; a delivery is one array of events.
        List<String> events = new ArrayList<>();
        for (String e : world.takeEvents()) {
            JSON.readTree(e).forEach(x -> events.add(x.toString()));
        }
        Path file = dir.resolve("delivery.json");
        Files.writeString(file, "[" + String.join(",", events) + "]");
        Run r = run("event", file.toString(), "--json", "--wait", "60");
        assertEquals(Main.OK, r.exit(), r.err());
        assertEquals("ONBOARDED", r.machine(win).path("decision").asText());
        assertEquals("ONBOARDED", r.machine(arc).path("decision").asText());
        assertEquals(2, r.json().path("events").path("machines").asInt());

        // The same delivery again: the machines were observed after those events, so nothing is done.
        Run again = run("event", file.toString(), "--json");
        assertEquals(Main.OK, again.exit(), again.err());
        assertEquals("COALESCED", again.machine(win).path("status").asText());
        assertEquals("ONBOARDED", again.machine(win).path("decision").asText(), "reported from the state store");
        assertEquals(2, extensionPuts());
    }

    @Test
    void eventReadsCloudEventsFromStdinAndCountsWhatItCouldNotUse() {
        String win = vm(SUB_IN, "cli-cloud");
        String ext = win + "/extensions/MDE.Windows";
        String delivery = "[" + cloudEvent("1", win, "Microsoft.Compute/virtualMachines/write") + ","
                + cloudEvent("2", ext, "Microsoft.Compute/virtualMachines/extensions/write") + ","
                + "{\"specversion\":\"1.0\",\"id\":\"3\",\"type\":\"Microsoft.Resources.ResourceWriteSuccess\",\"source\":\"x\","
                + "\"data\":{\"operationName\":\"Microsoft.Compute/virtualMachines/write\",\"resourceUri\":\"/subscriptions/../etc\"}}]";
        Run r = runWithStdin(world.env, delivery, "event", "-", "--dry-run", "--json");
        assertEquals(Main.ATTENTION, r.exit(), "a malformed event must not pass silently\n" + r.err());
        assertEquals("DEPLOY", r.machine(win).path("decision").asText());
        JsonNode counts = r.json().path("events");
        assertEquals(1, counts.path("machines").asInt());
        assertEquals(1, counts.path("ignored").asInt());
        assertEquals(1, counts.path("malformed").asInt());
        assertTrue(r.err().contains("[eventId=3] malformed event skipped"), r.err());
        assertEquals(0, world.emulator.requestLog().countWrites());
    }

    private static String cloudEvent(String id, String subject, String operation) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"Microsoft.Resources.ResourceWriteSuccess\","
                + "\"source\":\"/subscriptions/" + SUB_IN + "\",\"subject\":\"" + subject + "\",\"time\":\"2026-11-28T10:00:00Z\","
                + "\"data\":{\"resourceUri\":\"" + subject + "\",\"operationName\":\"" + operation + "\",\"status\":\"Succeeded\"}}";
    }

    @Test
    void eventInputThatIsNotADeliveryExits2() throws Exception {
        assertEquals(Main.USAGE, run("event", dir.resolve("missing.json").toString()).exit());
        Path notJson = dir.resolve("notes.txt");
        Files.writeString(notJson, "hello");
        Run r = run("event", notJson.toString());
        assertEquals(Main.USAGE, r.exit());
        assertTrue(r.err().contains("no event in " + notJson + " could be read"), r.err());
    }

    @Test
    void statusShowsTheDecisionSentencesAndHistory() {
        String stopped = world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg-cli")
                .name("cli-status").powerState("deallocated").build());
        assertEquals(Main.ATTENTION, run("onboard", stopped).exit());
        Run r = run("status", stopped, "--json");
        assertEquals(Main.ATTENTION, r.exit(), "a blocked machine: exit 1");
        JsonNode m = r.machine(stopped);
        assertEquals("BLOCKED", m.path("decision").asText());
        assertEquals(List.of(ReasonCode.VM_NOT_RUNNING.name()), texts(m.path("reasons")));
        assertEquals(ReasonCode.VM_NOT_RUNNING.sentence(), m.path("state").path("reasons").get(0).path("sentence").asText());
        assertEquals("manual", m.path("state").path("history").get(0).path("source").asText());

        Run human = run("status", stopped);
        assertTrue(human.out().contains("reason        VM_NOT_RUNNING: " + ReasonCode.VM_NOT_RUNNING.sentence()), human.out());
        assertTrue(human.out().contains("History (newest first):"), human.out());

        String unknown = "/subscriptions/" + SUB_IN + "/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/never";
        Run none = run("status", unknown, "--json");
        assertEquals(Main.ATTENTION, none.exit());
        assertTrue(none.machine(unknown).path("decision").isNull());
        assertTrue(none.machine(unknown).path("state").isNull());
    }

    @Test
    void planReportsDriftAndPerMachineDecisionsWithoutWriting() {
        String inScope = vm(SUB_IN, "cli-plan-new");
        String onFree = vm(SUB_FREE, "cli-plan-free");
        Run r = run("plan", "--subscription", SUB_IN, "--subscription", SUB_FREE.toUpperCase(), "--json");
        assertEquals(Main.ATTENTION, r.exit(), "the Free-tier machine is blocked\n" + r.err());
        JsonNode report = r.json().path("report");
        assertTrue(report.path("dryRun").asBoolean());
        assertEquals(2, report.path("subscriptionsInScope").asInt());
        JsonNode free = null;
        for (JsonNode s : report.path("subscriptions")) {
            if (s.path("subscriptionId").asText().equals(SUB_FREE)) {
                free = s;
            }
        }
        assertTrue(free != null && free.path("drift").get(0).asText().startsWith("PLAN_NOT_ENABLED"), report.toString());
        assertEquals("DEPLOY", r.machine(inScope).path("decision").asText());
        assertEquals(List.of("DEPLOY_EXTENSION"), texts(r.machine(inScope).path("actions")));
        assertEquals("BLOCKED", r.machine(onFree).path("decision").asText());
        assertEquals(List.of(ReasonCode.PLAN_NOT_ENABLED.name()), texts(r.machine(onFree).path("reasons")));
        assertEquals(0, world.emulator.requestLog().countWrites(), "a plan writes nothing to Azure");

        Run human = run("plan", "--subscription", SUB_FREE);
        assertTrue(human.out().contains("dry run: nothing written"), human.out());
        assertTrue(human.out().contains("PLAN_NOT_ENABLED (Free"), human.out());
        assertTrue(human.out().contains("rg-cli/cli-plan-free"), human.out());
        assertEquals(Main.USAGE, run("plan", "--subscription", SUB_OUT).exit(), "out of scope");
    }

    @Test
    void sweepEnforceFixesThePlanAndOnboardsInline() {
        try (OperatorWorld w = new OperatorWorld()) {
            w.emulator.state().setPricing(SUB_FREE, PricingSpec.free());
            String machine = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_FREE).resourceGroup("rg")
                    .name("sweep-me").build());
            Map<String, String> env = new HashMap<>(w.env);
            env.put(Settings.SCOPE_SUBSCRIPTIONS, SUB_FREE);
            env.put(Settings.PLAN_ENABLEMENT, "P1");
            Run r = run(env, "sweep", "--enforce", "--yes", "--json", "--wait", "60s");
            assertEquals(Main.OK, r.exit(), r.out() + r.err());
            JsonNode report = r.json().path("report");
            assertEquals("enforce", report.path("mode").asText());
            assertTrue(report.path("subscriptions").get(0).path("fixed").get(0).asText().startsWith("plan"), report.toString());
            assertEquals("ONBOARDED", r.machine(machine).path("decision").asText());
            assertEquals("Standard", w.emulator.state().pricing(SUB_FREE).pricingTier());
            assertEquals(report.path("sweepId").asText(), w.services.reports.latest().orElseThrow().sweepId(), "a real sweep stores its report");
            // The report says the truth of now: the plan after the fix, the coverage after the sweep's own reconciles.
            assertEquals("Standard", report.path("subscriptions").get(0).path("pricingTier").asText(), report.toString());
            assertEquals("P1", report.path("subscriptions").get(0).path("subPlan").asText(), report.toString());
            assertTrue(report.path("subscriptions").get(0).path("drift").get(0).asText().contains("Free"), "drift says what was found");
            assertEquals("{\"ONBOARDED\":1,\"PENDING\":0,\"DEPLOY\":0,\"BLOCKED\":0,\"SKIPPED\":0}", report.path("coverage").toString());
            assertEquals(Map.of("ONBOARDED", 1L, "PENDING", 0L, "DEPLOY", 0L, "BLOCKED", 0L, "SKIPPED", 0L),
                    w.services.reports.latest().orElseThrow().coverage(), "and stores it so");
            // The report says how its jobs were handled: reconciled here, none queued (and none is on the queue).
            assertEquals(0, w.queuedJobs());
            assertEquals(0, report.path("jobsQueued").asInt(), report.toString());
            assertEquals(1, report.path("reconciledInline").asInt(), report.toString());

            // Without waiting, what is still provisioning goes to the queue, and the report counts exactly that.
            String next = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_FREE).resourceGroup("rg")
                    .name("sweep-me-later").build());
            Run quick = run(env, "sweep", "--json", "--wait", "0", "--progress");
            assertTrue(quick.err().contains("reconcile progress: 1 of 1 machines done (100%)"), "progress on stderr:\n" + quick.err());
            assertEquals(Main.ATTENTION, quick.exit(), "still provisioning: " + quick.err());
            assertEquals(1, w.queuedJobs(), "the verify job is on the queue");
            assertEquals(1, quick.json().path("report").path("jobsQueued").asInt(), quick.json().path("report").toString());
            assertTrue(quick.machine(next).path("verifyJobQueued").asBoolean(), quick.machine(next).toString());
        }
    }

    @Test
    void serveAnswersTheHttpRoutesOnLoopbackAsTheFunctionsHostWould() throws Exception {
        String win = vm(SUB_IN, "cli-serve");
        java.util.logging.Logger log = java.util.logging.Logger.getAnonymousLogger();
        log.setUseParentHandlers(false);
        try (LocalHttpApi api = new LocalHttpApi(world.services, 0, log)) {
            api.start();
            var http = java.net.http.HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + api.port() + "/api";
            var post = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/onboarding"))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"resourceIds\":[\"" + win + "\"]}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(202, post.statusCode(), post.body());
            assertEquals(win, JSON.readTree(post.body()).path("jobs").get(0).path("resourceId").asText());
            world.clearQueue();
            String encoded = java.net.URLEncoder.encode(win, StandardCharsets.UTF_8);
            var state = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/machines/state?resourceId=" + encoded)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(404, state.statusCode(), "not reconciled yet: " + state.body());
            assertTrue(state.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            var doubleEncoded = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/machines/state?resourceId="
                    + java.net.URLEncoder.encode(encoded, StandardCharsets.UTF_8))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(400, doubleEncoded.statusCode(), "decoded once only: " + doubleEncoded.body());
            var openapi = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/openapi.json")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, openapi.statusCode());
            var unknown = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/onboarding")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(405, unknown.statusCode(), "GET /api/onboarding: the route takes POST");
            assertEquals("POST", unknown.headers().firstValue("Allow").orElse(""));
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void assertNoPackage(Run r) {
        for (String secret : List.of(world.emulator.state().onboardingPackageMarker(),
                world.emulator.state().onboardingPackageWindowsBase64().substring(0, 40),
                world.emulator.state().onboardingPackageLinuxBase64().substring(0, 40))) {
            assertFalse(r.out().contains(secret) || r.err().contains(secret), "the onboarding package leaked");
        }
    }
}
