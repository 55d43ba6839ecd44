package com.mdeonboarding.bench;

import com.mdeonboarding.emulator.server.RequestLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Scenario 1: Resource Manager calls per onboarded machine. A burst of new machines ({@link MachineMix}) in a few
 * subscriptions goes event -> OnResourceWrite -> Azurite queue -> ReconcileMachine (LocalFunctionsHost, batchSize
 * concurrency) -> extension PUT -> delayed verify, until every machine is ONBOARDED. Every figure is counted from the
 * emulator's request log:
 * <ul>
 *   <li>requests under a machine's resource ID (the machine, its extensions, its Run Commands, its resource-level
 *       pricing) are that machine's, exactly;</li>
 *   <li>polls of an asynchronous operation (Run Command) are counted per operation; each guest check makes one;</li>
 *   <li>subscription-level requests: posture (plan + settings) is the cold cost of a subscription, the onboarding
 *       package read is one per deployment unless cached.</li>
 * </ul>
 */
final class CallsPerMachine {
    /** Target from the issue: read machine, write extension, verify. */
    static final int TARGET_WARM = 3;
    /**
     * Scenarios 1, 3 and 4 measure Resource Manager: with the sensor check on, a burst of 1,000 verifies would be paced
     * by the Defender for Endpoint API's 100 calls a minute. Its calls are measured apart ({@link SensorCalls}).
     */
    static final Map<String, String> SENSOR_OFF = Map.of(com.mdeonboarding.config.Settings.SENSOR_CHECK, "off");

    private CallsPerMachine() {
    }

    /** Per-category figures. {@code opsPerMachine}: average requests per machine by operationId (machine-scoped only). */
    record CategoryCalls(MachineMix.Category category, int machines, double machineReads, double machineWrites, double runCommands,
                         Map<String, Double> opsPerMachine, long minCalls, long maxCalls) {
    }

    /** What a burst cost. */
    record Analysis(Map<MachineMix.Category, CategoryCalls> categories, Map<String, Long> subscriptionLevel, long pricingReadsPerSubMax,
                    long packageReads, long extensionPuts, Map<String, Polls> polls, long total, long reads, long writes, long throttled,
                    Map<String, Long> byOperation) {

        /** Status polls of the Run Commands of one provider (Microsoft.Compute for VMs, Microsoft.HybridCompute for Arc). */
        double pollsPerRunCommand(MachineMix.Category c) {
            Polls p = polls.get(c.name().startsWith("ARC") ? "microsoft.hybridcompute" : "microsoft.compute");
            return p == null ? 0 : p.perOperation();
        }

        /** Calls of a warm machine of this category: its own requests, its Run Command polls, its share of package reads. */
        double warm(MachineMix.Category c) {
            CategoryCalls cc = categories.get(c);
            return cc.machineReads + cc.machineWrites + cc.runCommands * pollsPerRunCommand(c) + packageReadsPerDeployment();
        }

        double warmReads(MachineMix.Category c) {
            CategoryCalls cc = categories.get(c);
            return cc.machineReads + cc.runCommands * pollsPerRunCommand(c) + packageReadsPerDeployment();
        }

        double packageReadsPerDeployment() {
            return extensionPuts == 0 ? 0 : Math.max(0, packageReads - coldPackageReads()) / (double) extensionPuts;
        }

        /** Package reads that are one per subscription (cached), counted with the cold cost. */
        long coldPackageReads() {
            return packageReads <= subscriptionLevel.getOrDefault("subscriptions", 0L) ? packageReads : 0;
        }

        long posturePricingReads() {
            return subscriptionLevel.getOrDefault("Pricings_Get", 0L);
        }

        long postureSettingsReads() {
            return subscriptionLevel.getOrDefault("Settings_List", 0L);
        }
    }

    static Analysis analyze(List<MachineMix.Machine> machines, RequestLog log, int subscriptions) {
        Map<String, MachineMix.Machine> byId = new HashMap<>();
        machines.forEach(m -> byId.put(m.id().toLowerCase(Locale.ROOT), m));
        Map<String, Map<String, Long>> perMachine = new HashMap<>();
        Map<String, long[]> rw = new HashMap<>();
        Map<String, Map<String, Long>> polls = new TreeMap<>();
        Map<String, Long> subLevel = new TreeMap<>();
        Map<String, Long> pricingPerSub = new HashMap<>();
        long throttled = 0;
        long packageReads = 0;
        long puts = 0;
        for (RequestLog.Entry e : log.snapshot()) {
            if (e.status() == 429) {
                throttled++;
            }
            if (Bench.isExtensionPut(e)) {
                puts++;
            }
            var machine = Bench.machineOf(e.path());
            if (machine.isPresent()) {
                perMachine.computeIfAbsent(machine.get(), k -> new TreeMap<>()).merge(e.operationId(), 1L, Long::sum);
                rw.computeIfAbsent(machine.get(), k -> new long[2])[e.write() ? 1 : 0]++;
                continue;
            }
            var op = Bench.operationOf(e.path());
            if (op.isPresent()) {
                String provider = e.path().toLowerCase(Locale.ROOT).contains("/microsoft.hybridcompute/") ? "microsoft.hybridcompute"
                        : "microsoft.compute";
                polls.computeIfAbsent(provider, k -> new HashMap<>()).merge(op.get(), 1L, Long::sum);
                continue;
            }
            if (e.operationId().equals("MdeOnboardings_Get")) {
                packageReads++;
            }
            if (e.operationId().equals("Pricings_Get")) {
                String sub = e.path().split("/")[2].toLowerCase(Locale.ROOT);
                pricingPerSub.merge(sub, 1L, Long::sum);
            }
            subLevel.merge(e.operationId(), 1L, Long::sum);
        }
        subLevel.put("subscriptions", (long) subscriptions);
        Map<MachineMix.Category, CategoryCalls> cats = new EnumMap<>(MachineMix.Category.class);
        for (MachineMix.Category c : MachineMix.Category.values()) {
            List<String> ids = machines.stream().filter(m -> m.category() == c).map(m -> m.id().toLowerCase(Locale.ROOT)).toList();
            if (ids.isEmpty()) {
                continue;
            }
            Map<String, Double> ops = new TreeMap<>();
            double reads = 0;
            double writes = 0;
            double runCommands = 0;
            long min = Long.MAX_VALUE;
            long max = 0;
            for (String id : ids) {
                Map<String, Long> o = perMachine.getOrDefault(id, Map.of());
                o.forEach((k, v) -> ops.merge(k, v / (double) ids.size(), Double::sum));
                long[] x = rw.getOrDefault(id, new long[2]);
                reads += x[0];
                writes += x[1];
                long rc = o.getOrDefault("VirtualMachines_RunCommand", 0L) + o.getOrDefault("MachineRunCommands_CreateOrUpdate", 0L);
                runCommands += rc;
                min = Math.min(min, x[0] + x[1]);
                max = Math.max(max, x[0] + x[1]);
            }
            cats.put(c, new CategoryCalls(c, ids.size(), reads / ids.size(), writes / ids.size(), runCommands / ids.size(), ops, min, max));
        }
        Map<String, Polls> pollStats = new TreeMap<>();
        polls.forEach((provider, ops) -> pollStats.put(provider, new Polls(ops.size(), ops.values().stream().mapToLong(Long::longValue).sum(),
                ops.values().stream().mapToLong(Long::longValue).min().orElse(0), ops.values().stream().mapToLong(Long::longValue).max().orElse(0))));
        return new Analysis(cats, subLevel, pricingPerSub.values().stream().mapToLong(Long::longValue).max().orElse(0), packageReads, puts,
                pollStats, log.total(), log.countReads(), log.countWrites(), throttled, log.countsByOperation());
    }

    private static Script script(BenchWorld w, int machines, int subscriptions) {
        List<com.mdeonboarding.model.MachineId> ids = new ArrayList<>();
        for (int i = 0; i < machines; i++) {
            ids.add(com.mdeonboarding.model.MachineId.parse(MachineMix.create(w.emulator.state(), i, subscriptions, "script-").id()));
        }
        FluentScript fluent = new FluentScript(w.emulator.baseUrl(), w.emulator.caCertificatePemPath());
        w.emulator.requestLog().clear();
        Instant start = Instant.now();
        FluentScript.Onboarded done = fluent.onboard(ids, BenchWorld.BATCH_SIZE);
        Duration wall = Duration.between(start, Instant.now());
        RequestLog log = w.emulator.requestLog();
        return new Script(machines, log.total(), new TreeMap<>(log.countsByOperation()), wall, done.succeeded());
    }

    /** Status polls of asynchronous operations (Run Commands) of one provider. */
    record Polls(long operations, long polls, long min, long max) {
        double perOperation() {
            return operations == 0 ? 0 : polls / (double) operations;
        }
    }

    /** The result of one burst. */
    record Result(int machines, int subscriptions, Duration wall, boolean complete, Analysis analysis, List<String> problems, String delays,
                  Script script) {
    }

    /** The public scripts' loop (FluentScript) on new machines of the same mix in the same world: calls per machine. */
    record Script(int machines, long calls, Map<String, Long> byOperation, Duration wall, int succeeded) {
    }

    static Result run(int machines, int subscriptions) {
        return run(machines, subscriptions, false);
    }

    /**
     * {@code realistic}: the time-scaled world (Run Commands 30-90 s, MDE provisioning 2-6 min, at 1/30) with the app's
     * default verify delay (30 s, which is 1 s there), so verifies find extensions still Creating as they would in Azure.
     */
    static Result run(int machines, int subscriptions, boolean realistic) {
        // Otherwise the emulator finishes extension PUTs and Run Commands after 1 s; the reconciler verifies 3 s after its
        // PUT, so a verify finds the extension Succeeded (a verify that finds it still Creating re-reads later).
        try (BenchWorld w = realistic ? new BenchWorld(subscriptions, BenchWorld.azureAtTimeScale(), 1, SENSOR_OFF)
                : new BenchWorld(subscriptions, Duration.ofSeconds(1), 3, SENSOR_OFF)) {
            List<MachineMix.Machine> created = new ArrayList<>();
            List<String> events = new ArrayList<>();
            for (int i = 0; i < machines; i++) {
                MachineMix.Machine m = MachineMix.create(w.emulator.state(), i, subscriptions, "burst-");
                created.add(m);
                events.add(w.events.take(m.id()));
            }
            w.emulator.requestLog().clear();
            Instant start = Instant.now();
            for (String e : events) {
                w.host.deliverEvent(e);
            }
            boolean complete = w.host.runUntil(() -> w.allOnboarded(created), Duration.ofMinutes(5));
            Duration wall = Duration.between(start, Instant.now());
            // Let any re-check still queued run, so that every call the burst causes is counted.
            w.host.runUntil(() -> w.host.visibleJobs() == 0, Duration.ofSeconds(10));
            Analysis analysis = analyze(created, w.emulator.requestLog(), subscriptions);
            Script script = realistic ? null : script(w, Math.min(machines, 200), subscriptions);
            return new Result(machines, subscriptions, wall, complete, analysis, w.problems(), w.emulator.delays().describe(), script);
        }
    }

    static String markdown(Result r) {
        Analysis a = r.analysis();
        Bench.Table t = new Bench.Table("machine", "machines", "reads / machine", "writes / machine", "calls / machine (warm)",
                "target <= 3", "calls (average per machine)");
        for (CallsPerMachine.CategoryCalls c : a.categories().values()) {
            double warm = a.warm(c.category());
            String ops = c.opsPerMachine().entrySet().stream().map(e -> e.getKey() + " " + Bench.f2(e.getValue()))
                    .collect(Collectors.joining(", "));
            if (c.runCommands() > 0) {
                ops += ", Run Command polls " + Bench.f2(c.runCommands() * a.pollsPerRunCommand(c.category()));
            }
            if (a.packageReadsPerDeployment() > 0) {
                ops += ", MdeOnboardings_Get " + Bench.f2(a.packageReadsPerDeployment());
            }
            t.row(c.category().label, c.machines(), Bench.f2(a.warmReads(c.category())), Bench.f2(c.machineWrites()), Bench.f2(warm),
                    warm <= TARGET_WARM + 1e-9 ? "met" : "missed by " + Bench.f2(warm - TARGET_WARM), ops);
        }
        long subs = r.subscriptions();
        StringBuilder b = new StringBuilder();
        b.append("Burst of ").append(r.machines()).append(" new machines in ").append(subs).append(" subscriptions, ")
                .append(r.complete() ? "all ONBOARDED" : "NOT all onboarded (timed out)").append(" in ")
                .append(Bench.f1(r.wall().toMillis() / 1000.0)).append(" s; ").append(a.total()).append(" Resource Manager calls (")
                .append(a.reads()).append(" reads, ").append(a.writes()).append(" writes), ").append(a.throttled()).append(" answered 429. ")
                .append(r.delays()).append(".\n\n");
        b.append(t.markdown()).append('\n');
        b.append("Cold cost (first machines of a subscription), per subscription: ")
                .append(Bench.f2(a.posturePricingReads() / (double) subs)).append(" plan reads (Pricings_Get) + ")
                .append(Bench.f2(a.postureSettingsReads() / (double) subs)).append(" settings reads (Settings_List)");
        if (a.coldPackageReads() > 0) {
            b.append(" + ").append(Bench.f2(a.coldPackageReads() / (double) subs)).append(" onboarding package reads (MdeOnboardings_Get)");
        }
        b.append("; most plan reads for one subscription: ").append(a.pricingReadsPerSubMax()).append(".\n");
        a.polls().forEach((provider, p) -> b.append("Run Command (").append(provider.equals("microsoft.compute") ? "VM" : "Arc")
                .append("): ").append(p.operations()).append(" operations, ").append(Bench.f2(p.perOperation()))
                .append(" status/result polls each (min ").append(p.min()).append(", max ").append(p.max()).append("). "));
        b.append(" Extension PUTs: ").append(a.extensionPuts()).append(".\n");
        if (r.script() != null) {
            Script sc = r.script();
            b.append("\nThe public scripts' loop (FluentScript: fluent azure-resourcemanager API, ").append(BenchWorld.BATCH_SIZE)
                    .append(" machines at a time) on ").append(sc.machines()).append(" new machines of the same mix in the same world: ")
                    .append(Bench.f2(sc.calls() / (double) sc.machines())).append(" calls per machine (").append(sc.calls()).append(" in all, ")
                    .append(sc.succeeded()).append(" extensions Succeeded, ").append(Bench.f1(sc.wall().toMillis() / 1000.0)).append(" s): ")
                    .append(sc.byOperation()).append(". It reads no plan, no integration setting and runs no prerequisite check, so it"
                            + " deploys where the app records BLOCKED/SKIPPED, and it holds a thread per machine until the extension has finished.\n");
        }
        if (!r.problems().isEmpty()) {
            b.append("\nProblems logged: ").append(r.problems().size()).append(" (first: ").append(r.problems().get(0)).append(")\n");
        }
        return b.toString();
    }

    public static void main(String[] args) {
        int machines = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int subs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Result r = run(machines, subs);
        System.out.println(markdown(r));
        System.out.println(r.analysis().byOperation());
        System.exit(0);
    }
}
