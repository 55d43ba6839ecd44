package com.mdeonboarding.bench;

import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.testing.LocalFunctionsHost;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Scenario 3: onboarding jobs per second for one instance (one LocalFunctionsHost with host.json's batchSize 16 and
 * newBatchThreshold 8: up to 24 jobs at once) with 50 ms added to every emulated Resource Manager call. The jobs are
 * queued first (events through the real trigger into Azurite); the clock runs from the host's start to the last
 * extension PUT in the emulator's request log. Verify jobs come 30 s later (MDE_VERIFY_DELAY_SECONDS default), outside
 * the window: this measures the onboarding pass (read, decide, record, PUT, enqueue the verify). In the realistic world
 * everything a machine needs falls inside the window: its guest check's Run Command start and status reads, the PUT,
 * and the verifies 1 s (Azure's 30 s) after it.
 */
final class Throughput {
    static final Duration ADDED_LATENCY = Duration.ofMillis(50);
    static final double TARGET = 50.0;

    private Throughput() {
    }

    record Result(String workload, int machines, int workers, Duration window, double machinesPerSecond, long calls, long throttled,
                  double callsPerMachine, double armMillisPerMachine, long readToPutMillis, double cpuLoad, Cpu cpu, Throttling wouldThrottle,
                  WorkerOccupancy occupancy, Script script, String delays, RunCommands runCommands) {
    }

    /**
     * The guest checks' Run Commands in the window: how many were started, how many status reads (a VM's operation
     * status, an Arc run command's GET) each took, and the longest any one invocation held a worker.
     */
    record RunCommands(long started, long statusReads, double longestInvocationSeconds) {
        double readsPerRun() {
            return started == 0 ? 0 : statusReads / (double) started;
        }
    }

    /**
     * CPU time per machine in the window: this JVM (the app, the host stand-in and the Resource Manager emulator) and
     * Azurite (one Node.js process, whose requests are served by one thread), against the cores of the machine.
     */
    record Cpu(double jvmMillisPerMachine, double azuriteMillisPerMachine, double azuriteShareOfOneCore, int cores) {
    }

    /** CPU time of this JVM's child processes (Azurite, started by testing/Azurite through bin/azurite), nanoseconds. */
    private static long childCpuNanos() {
        return ProcessHandle.current().descendants().mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

    /** The public scripts' loop (FluentScript) on as many new machines of the same kinds in the same world. */
    record Script(int machines, int parallel, Duration window, double machinesPerSecond, double callsPerMachine, int succeeded) {
    }

    /**
     * Replays the request log through Resource Manager's documented per-subscription token buckets (reads: 250, refilled
     * 25/s; writes: 200, refilled 10/s) and counts the requests Azure would have answered 429.
     */
    record Throttling(long reads, long writes, double peakWritesPerSecondPerSubscription) {
    }

    /**
     * {@code workload}: "windows" (Windows Server VMs, no guest check), "mix" (scenario 1's mix, every Run Command and
     * extension 1 s), "mix-azure" (the mix in the realistic world: Azure's durations at {@link BenchWorld#TIME_SCALE}).
     */
    static Result run(String workload, int machines, int subscriptions) {
        boolean mixed = workload.startsWith("mix");
        boolean azure = workload.equals("mix-azure");
        // The verify comes after the default 30 s, outside the window; in the realistic world after 1 s = Azure's 30 s.
        try (BenchWorld w = azure ? new BenchWorld(subscriptions, BenchWorld.azureAtTimeScale(), 1, CallsPerMachine.SENSOR_OFF)
                : new BenchWorld(subscriptions, Duration.ofSeconds(1), 30, CallsPerMachine.SENSOR_OFF)) {
            List<MachineMix.Machine> created = new ArrayList<>();
            for (int i = 0; i < machines; i++) {
                MachineMix.Machine m = mixed ? MachineMix.create(w.emulator.state(), i, subscriptions, "tp-")
                        : MachineMix.createWindowsVm(w.emulator.state(), i, subscriptions, "tp-");
                created.add(m);
                w.host.deliverEvent(w.events.take(m.id()));
            }
            w.emulator.faults().add(FaultRule.forAll().latency(ADDED_LATENCY));
            w.emulator.requestLog().clear();
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long azurite0 = childCpuNanos();
            Instant start = Instant.now();
            w.host.resetOccupancy();
            w.host.runUntil(() -> puts(w.emulator.requestLog()) >= machines, Duration.ofMinutes(10));
            WorkerOccupancy occupancy = WorkerOccupancy.of(w.host.occupancy(), created);
            long cpuNanos = os.getProcessCpuTime() - cpu0;
            long azuriteNanos = childCpuNanos() - azurite0;
            double ranSeconds = Math.max(0.001, Duration.between(start, Instant.now()).toMillis() / 1000.0);
            Cpu cpu = new Cpu(cpuNanos / 1e6 / machines, azuriteNanos / 1e6 / machines, azuriteNanos / 1e9 / ranSeconds,
                    Runtime.getRuntime().availableProcessors());
            List<RequestLog.Entry> log = w.emulator.requestLog().snapshot();
            Instant lastPut = log.stream().filter(Bench::isExtensionPut).map(RequestLog.Entry::timestamp).max(Instant::compareTo).orElse(Instant.now());
            Duration window = Duration.between(start, lastPut);
            long calls = log.size();
            long throttled = log.stream().filter(e -> e.status() == 429).count();
            // Time spent inside Resource Manager calls (the emulator's own duration, latency included), per machine.
            double armMillis = log.stream().mapToLong(RequestLog.Entry::durationMillis).sum() / (double) machines;
            double seconds = window.toMillis() / 1000.0;
            double cpuLoad = cpuNanos / 1e9 / Math.max(0.001, Duration.between(start, Instant.now()).toMillis() / 1000.0)
                    / Runtime.getRuntime().availableProcessors();
            // The script waits for each extension to finish (4-12 s each in the realistic world), so it gets a sample there.
            RunCommands runCommands = new RunCommands(log.stream().filter(Throughput::isRunCommandStart).count(),
                    log.stream().filter(Throughput::isRunCommandStatusRead).count(),
                    w.host.occupancy().invocations().stream().mapToLong(LocalFunctionsHost.Invocation::busyNanos).max().orElse(0) / 1e9);
            // The script runs as many machines at once as the host runs jobs.
            Script script = script(w, mixed, azure ? Math.min(machines, 160) : machines, subscriptions, w.host.maxInFlight());
            return new Result(workload, machines, w.host.maxInFlight(), window, machines / seconds, calls, throttled, calls / (double) machines,
                    armMillis, readToPut(log), cpuLoad, cpu, throttling(log), occupancy, script, w.emulator.delays().describe(), runCommands);
        }
    }

    /**
     * The same number of new machines of the same kinds, onboarded by the public scripts' loop (FluentScript, as many at
     * a time as the app's workers) against the same emulator with the same added latency; the window runs to the last
     * extension PUT, as the app's does (the script then also waits for each extension to finish).
     */
    private static Script script(BenchWorld w, boolean mixed, int machines, int subscriptions, int parallel) {
        List<com.mdeonboarding.model.MachineId> ids = new ArrayList<>();
        for (int i = 0; i < machines; i++) {
            MachineMix.Machine m = mixed ? MachineMix.create(w.emulator.state(), i, subscriptions, "sc-")
                    : MachineMix.createWindowsVm(w.emulator.state(), i, subscriptions, "sc-");
            ids.add(com.mdeonboarding.model.MachineId.parse(m.id()));
        }
        FluentScript fluent = new FluentScript(w.emulator.baseUrl(), w.emulator.caCertificatePemPath());
        subscriptionsOf(ids).forEach(fluent::azure); // the script's sign-in per subscription, outside the window
        w.emulator.requestLog().clear();
        Instant start = Instant.now();
        FluentScript.Onboarded done = fluent.onboard(ids, parallel);
        List<RequestLog.Entry> log = w.emulator.requestLog().snapshot();
        Instant lastPut = log.stream().filter(Bench::isExtensionPut).map(RequestLog.Entry::timestamp).max(Instant::compareTo).orElse(Instant.now());
        Duration window = Duration.between(start, lastPut);
        return new Script(machines, parallel, window, machines / Math.max(0.001, window.toMillis() / 1000.0), log.size() / (double) machines,
                done.succeeded());
    }

    private static java.util.Set<String> subscriptionsOf(List<com.mdeonboarding.model.MachineId> ids) {
        java.util.Set<String> subs = new java.util.TreeSet<>();
        ids.forEach(id -> subs.add(id.subscriptionId()));
        return subs;
    }

    /**
     * Median time from a machine's last read to its extension PUT, less the added latency of that read's answer: what
     * the reconciler does in between is decide (microseconds, see the JMH table) and claim the state row, which is two
     * Storage operations (write, then read back the ETag). So this is about two Storage round trips under the load.
     */
    private static long readToPut(List<RequestLog.Entry> log) {
        Map<String, Instant> lastRead = new HashMap<>();
        List<Long> gaps = new ArrayList<>();
        for (RequestLog.Entry e : log) {
            Optional<String> m = Bench.machineOf(e.path());
            if (m.isEmpty()) {
                continue;
            }
            if (Bench.isExtensionPut(e)) {
                Instant r = lastRead.get(m.get());
                if (r != null) {
                    gaps.add(Duration.between(r, e.timestamp()).toMillis() - ADDED_LATENCY.toMillis());
                }
            } else if (!e.write()) {
                lastRead.put(m.get(), e.timestamp());
            }
        }
        return Bench.percentile(Bench.sorted(gaps), 50);
    }

    static boolean isRunCommandStart(RequestLog.Entry e) {
        return e.operationId().equals("VirtualMachines_RunCommand") || e.operationId().equals("MachineRunCommands_CreateOrUpdate");
    }

    /** A VM's Run Command is read at its operation status URL (which carries the output), an Arc one by its GET. */
    private static boolean isRunCommandStatusRead(RequestLog.Entry e) {
        return e.operationId().equals("MachineRunCommands_Get") || (e.operationId().startsWith("LongRunningOperation_")
                && e.path().toLowerCase(Locale.ROOT).contains("/providers/microsoft.compute/locations/"));
    }

    private static long puts(RequestLog log) {
        return log.count("VirtualMachineExtensions_CreateOrUpdate") + log.count("MachineExtensions_CreateOrUpdate");
    }

    static Throttling throttling(List<RequestLog.Entry> log) {
        Map<String, double[]> readBuckets = new HashMap<>();
        Map<String, double[]> writeBuckets = new HashMap<>();
        Map<String, Map<Long, Integer>> writesPerSecond = new HashMap<>();
        long reads = 0;
        long writes = 0;
        for (RequestLog.Entry e : log) {
            Optional<String> sub = subscriptionOf(e.path());
            if (sub.isEmpty() || e.path().toLowerCase(Locale.ROOT).contains("/providers/microsoft.resourcegraph/")) {
                continue;
            }
            double t = e.timestamp().toEpochMilli() / 1000.0;
            boolean denied = e.write() ? !take(writeBuckets, sub.get(), t, 200, 10) : !take(readBuckets, sub.get(), t, 250, 25);
            if (denied && e.write()) {
                writes++;
            } else if (denied) {
                reads++;
            }
            if (e.write()) {
                writesPerSecond.computeIfAbsent(sub.get(), k -> new HashMap<>()).merge(e.timestamp().getEpochSecond(), 1, Integer::sum);
            }
        }
        double peak = writesPerSecond.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).max().orElse(0);
        return new Throttling(reads, writes, peak);
    }

    /** A token bucket per subscription: {@code [tokens, lastTime]}. */
    private static boolean take(Map<String, double[]> buckets, String sub, double t, double capacity, double refillPerSecond) {
        double[] b = buckets.computeIfAbsent(sub, k -> new double[] {capacity, t});
        b[0] = Math.min(capacity, b[0] + (t - b[1]) * refillPerSecond);
        b[1] = t;
        if (b[0] >= 1) {
            b[0] -= 1;
            return true;
        }
        return false;
    }

    private static Optional<String> subscriptionOf(String path) {
        String[] p = path.split("/");
        return p.length > 2 && p[1].equalsIgnoreCase("subscriptions") ? Optional.of(p[2].toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    static String markdown(List<Result> results) {
        Bench.Table t = new Bench.Table("workload", "Run Command / extension durations", "machines", "workers", "window", "machines / s",
                "target >= 50 / s", "calls / machine", "time in Resource Manager / machine", "last read to PUT, median", "CPU (both cores)", "CPU / machine: JVM, Azurite (Azurite's share of one core)",
                "worker occupancy", "429s", "Azure would throttle (reads/writes)", "peak writes / s / subscription",
                "scripted loop (fluent API, same world): machines / s, calls / machine", "ratio (machines / s)");
        StringBuilder notes = new StringBuilder();
        for (Result r : results) {
            String name = switch (r.workload()) {
                case "mix" -> "scenario 1 mix (guest checks included)";
                case "mix-azure" -> "scenario 1 mix, realistic world (time-scaled)";
                default -> "Windows Server VMs (no guest check)";
            };
            t.row(name, r.delays(), r.machines(), r.workers(), Bench.f1(r.window().toMillis() / 1000.0) + " s",
                    Bench.f1(r.machinesPerSecond()), r.machinesPerSecond() >= TARGET ? "met" : "missed by " + Bench.f1(TARGET - r.machinesPerSecond()),
                    Bench.f2(r.callsPerMachine()), Math.round(r.armMillisPerMachine()) + " ms", r.readToPutMillis() + " ms",
                    Math.round(r.cpuLoad() * 100) + "%", Bench.f1(r.cpu().jvmMillisPerMachine()) + " ms, " + Bench.f1(r.cpu().azuriteMillisPerMachine())
                            + " ms (" + Math.round(r.cpu().azuriteShareOfOneCore() * 100) + "%)", r.occupancy().summary(), r.throttled(),
                    r.wouldThrottle().reads() + "/" + r.wouldThrottle().writes(), Math.round(r.wouldThrottle().peakWritesPerSecondPerSubscription()),
                    Bench.f1(r.script().machinesPerSecond()) + "/s, " + Bench.f2(r.script().callsPerMachine()) + " (" + r.script().succeeded() + "/"
                            + r.script().machines() + " Succeeded)",
                    Bench.f1(r.machinesPerSecond() / Math.max(0.001, r.script().machinesPerSecond())) + " x");
            notes.append("- ").append(name).append(": worker time per machine (all its jobs): ").append(r.occupancy().perKind()).append('.');
            if (r.runCommands().started() > 0) {
                notes.append(" ").append(r.runCommands().started()).append(" Run Commands started, ").append(Bench.f2(r.runCommands().readsPerRun()))
                        .append(" status reads each; the longest invocation held its worker ").append(Bench.f2(r.runCommands().longestInvocationSeconds()))
                        .append(" s.");
            }
            notes.append('\n');
        }
        return t.markdown() + "\n" + notes;
    }
}
