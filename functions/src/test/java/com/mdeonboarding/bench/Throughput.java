package com.mdeonboarding.bench;

import com.mdeonboarding.emulator.FaultRule;
import com.mdeonboarding.emulator.RequestLog;
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
 * Scenario 3: onboarding jobs per second for one worker (one LocalFunctionsHost, host.json's batchSize 16 as its
 * concurrency) with 50 ms added to every emulated Resource Manager call. The jobs are queued first (events through the
 * real trigger into Azurite); the clock runs from the host's start to the last extension PUT in the emulator's request
 * log. Verify jobs come 30 s later (MDE_VERIFY_DELAY_SECONDS default), outside the window: this measures the onboarding
 * pass (read, decide, record, PUT, enqueue the verify).
 */
final class Throughput {
    static final Duration ADDED_LATENCY = Duration.ofMillis(50);
    static final double TARGET = 50.0;

    private Throughput() {
    }

    record Result(String workload, int machines, int concurrency, Duration window, double machinesPerSecond, long calls, long throttled,
                  double callsPerMachine, double armMillisPerMachine, long readToPutMillis, double cpuLoad, Throttling wouldThrottle) {
    }

    /**
     * Replays the request log through Resource Manager's documented per-subscription token buckets (reads: 250, refilled
     * 25/s; writes: 200, refilled 10/s) and counts the requests Azure would have answered 429.
     */
    record Throttling(long reads, long writes, double peakWritesPerSecondPerSubscription) {
    }

    static Result run(String workload, int machines, int subscriptions, int concurrency) {
        boolean mixed = workload.equals("mix");
        try (BenchWorld w = new BenchWorld(subscriptions, Duration.ofSeconds(1), 30, CallsPerMachine.SENSOR_OFF)) {
            w.host.concurrency(concurrency);
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
            Instant start = Instant.now();
            w.host.runUntil(() -> puts(w.emulator.requestLog()) >= machines, Duration.ofMinutes(5));
            long cpuNanos = os.getProcessCpuTime() - cpu0;
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
            return new Result(workload, machines, concurrency, window, machines / seconds, calls, throttled, calls / (double) machines,
                    armMillis, readToPut(log), cpuLoad, throttling(log));
        }
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
        Bench.Table t = new Bench.Table("workload", "machines", "concurrency", "window", "machines / s", "target >= 50 / s",
                "calls / machine", "time in Resource Manager / machine", "last read to PUT (claim: 2 Storage ops), median",
                "CPU (both cores)", "429s", "Azure would throttle (reads/writes)", "peak writes / s / subscription");
        for (Result r : results) {
            t.row(r.workload().equals("mix") ? "scenario 1 mix (guest checks included)" : "Windows Server VMs (no guest check)",
                    r.machines(), r.concurrency(), Bench.f1(r.window().toMillis() / 1000.0) + " s", Bench.f1(r.machinesPerSecond()),
                    r.machinesPerSecond() >= TARGET ? "met" : "missed by " + Bench.f1(TARGET - r.machinesPerSecond()),
                    Bench.f2(r.callsPerMachine()), Math.round(r.armMillisPerMachine()) + " ms", r.readToPutMillis() + " ms",
                    Math.round(r.cpuLoad() * 100) + "%", r.throttled(), r.wouldThrottle().reads() + "/" + r.wouldThrottle().writes(),
                    Math.round(r.wouldThrottle().peakWritesPerSecondPerSubscription()));
        }
        return t.markdown();
    }
}
