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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Scenario 4: latency from an event's arrival at the trigger to the machine's first write (the emulator's request-log
 * timestamp of its extension PUT, or of its Run Command start for a machine that gets a guest check first) and to its
 * extension PUT, over a stream of events at a steady rate, with host.json's queue settings (batchSize 16,
 * newBatchThreshold 8, maxPollingInterval 2 s), per kind of machine. Machines are the {@link MachineMix}: down-level
 * Windows and Linux get a read-only guest check (a Run Command) before their PUT.
 */
final class Latency {
    static final long TARGET_P99_MILLIS = 2000;
    static final int WARM_UP = 100;

    private Latency() {
    }

    record Stats(int count, long p50, long p90, long p99, long max) {
        static Stats of(List<Long> millis) {
            long[] s = Bench.sorted(millis);
            return new Stats(s.length, Bench.percentile(s, 50), Bench.percentile(s, 90), Bench.percentile(s, 99), s.length == 0 ? 0 : s[s.length - 1]);
        }
    }

    /**
     * @param firstWrite per kind: event to the first write (extension PUT, or Run Command start)
     * @param toPut      per kind: event to the extension PUT
     */
    record Result(boolean mix, int events, double ratePerSecond, Map<MachineMix.Category, Stats> firstWrite,
                  Map<MachineMix.Category, Stats> toPut, int missing, List<String> problems, String delays) {
        /** The kind whose first write has the highest p99. */
        Map.Entry<MachineMix.Category, Stats> worstFirstWrite() {
            return firstWrite.entrySet().stream().max(java.util.Comparator.comparingLong(e -> e.getValue().p99())).orElseThrow();
        }
    }

    /** {@code mix}: the scenario 1 mix (guest checks included); otherwise machines that deploy directly. */
    static Result run(boolean mix, int events, double ratePerSecond, int subscriptions) {
        return run(mix, events, ratePerSecond, subscriptions, false);
    }

    /** {@code realistic}: the time-scaled world (Run Commands 30-90 s, provisioning 2-6 min, at 1/30; verify after 1 s). */
    static Result run(boolean mix, int events, double ratePerSecond, int subscriptions, boolean realistic) {
        try (BenchWorld w = realistic ? new BenchWorld(subscriptions, BenchWorld.azureAtTimeScale(), 1, CallsPerMachine.SENSOR_OFF)
                : new BenchWorld(subscriptions, Duration.ofSeconds(1), 30, CallsPerMachine.SENSOR_OFF)) {
            Map<String, Instant> arrivals = new ConcurrentHashMap<>();
            Map<String, MachineMix.Category> categories = new ConcurrentHashMap<>();
            // Warm-up, not measured: a Function instance that has been running (its cold start is scenario 5). The
            // first reconciles of a fresh JVM load classes and open connections, and the backlog they leave would
            // otherwise dominate the tail.
            int warmUp = WARM_UP;
            for (int i = 0; i < warmUp; i++) {
                MachineMix.Machine m = mix ? MachineMix.create(w.emulator.state(), i, subscriptions, "warm-")
                        : MachineMix.createDirect(w.emulator.state(), i, subscriptions, "warm-");
                w.host.deliverEvent(w.events.take(m.id()));
            }
            w.host.runUntil(() -> puts(w.emulator.requestLog()) >= warmUp, Duration.ofSeconds(120));
            AtomicBoolean produced = new AtomicBoolean();
            w.emulator.requestLog().clear();
            long intervalNanos = (long) (1e9 / ratePerSecond);
            Thread producer = new Thread(() -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < events; i++) {
                    long due = t0 + i * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Bench.sleep(wait / 1_000_000);
                    }
                    MachineMix.Machine m = mix ? MachineMix.create(w.emulator.state(), i, subscriptions, "lat-")
                            : MachineMix.createDirect(w.emulator.state(), i, subscriptions, "lat-");
                    String event = w.events.take(m.id());
                    String key = m.id().toLowerCase(Locale.ROOT);
                    categories.put(key, m.category());
                    arrivals.put(key, Instant.now());
                    w.host.deliverEvent(event);
                }
                produced.set(true);
            }, "bench-event-producer");
            producer.start();
            w.host.runUntil(() -> produced.get() && puts(w.emulator.requestLog()) >= events, Duration.ofSeconds((long) (events / ratePerSecond) + 120));
            Map<String, Instant> putAt = new HashMap<>();
            Map<String, Instant> firstWriteAt = new HashMap<>();
            for (RequestLog.Entry e : w.emulator.requestLog().snapshot()) {
                if (Bench.isExtensionPut(e)) {
                    Bench.machineOf(e.path()).ifPresent(id -> putAt.putIfAbsent(id, e.timestamp()));
                }
                if (Bench.isExtensionPut(e) || Throughput.isRunCommandStart(e)) {
                    Bench.machineOf(e.path()).ifPresent(id -> firstWriteAt.putIfAbsent(id, e.timestamp()));
                }
            }
            Map<MachineMix.Category, List<Long>> first = new EnumMap<>(MachineMix.Category.class);
            Map<MachineMix.Category, List<Long>> toPut = new EnumMap<>(MachineMix.Category.class);
            int missing = 0;
            for (Map.Entry<String, Instant> a : arrivals.entrySet()) {
                Instant put = putAt.get(a.getKey());
                if (put == null) {
                    missing++;
                    continue;
                }
                MachineMix.Category c = categories.get(a.getKey());
                toPut.computeIfAbsent(c, k -> new ArrayList<>()).add(Duration.between(a.getValue(), put).toMillis());
                first.computeIfAbsent(c, k -> new ArrayList<>()).add(Duration.between(a.getValue(), firstWriteAt.get(a.getKey())).toMillis());
            }
            Map<MachineMix.Category, Stats> firstStats = new EnumMap<>(MachineMix.Category.class);
            Map<MachineMix.Category, Stats> putStats = new EnumMap<>(MachineMix.Category.class);
            first.forEach((c, l) -> firstStats.put(c, Stats.of(l)));
            toPut.forEach((c, l) -> putStats.put(c, Stats.of(l)));
            return new Result(mix, events, ratePerSecond, firstStats, putStats, missing, w.problems(),
                    w.emulator.delays().describe());
        }
    }

    private static long puts(RequestLog log) {
        return log.count("VirtualMachineExtensions_CreateOrUpdate") + log.count("MachineExtensions_CreateOrUpdate");
    }

    static String markdown(List<Result> results) {
        Bench.Table t = new Bench.Table("stream", "machine", "events", "first write p50", "p90", "p99", "max", "target p99 < 2 s",
                "extension PUT p50", "PUT p99");
        StringBuilder notes = new StringBuilder();
        for (Result r : results) {
            String stream = (r.mix() ? "scenario 1 mix" : "no guest check (70% Windows Server VMs, 30% Arc)") + " at " + Bench.f1(r.ratePerSecond())
                    + "/s (" + r.delays() + ")";
            r.firstWrite().forEach((c, s) -> row(t, stream, c.label + (c.guestCheck ? " (first write: Run Command start)" : ""), s,
                    r.toPut().get(c)));
            if (r.missing() > 0) {
                notes.append("- ").append(stream).append(": ").append(r.missing()).append(" machines got no PUT in time.\n");
            }
            long failed = r.problems().stream().filter(p -> p.startsWith("HOST")).count();
            if (!r.problems().isEmpty()) {
                notes.append("- ").append(stream).append(": ").append(failed).append(" invocations failed (retried after the 15 s visibilityTimeout), ")
                        .append(r.problems().size() - failed).append(" warnings; first: ")
                        .append(r.problems().get(0).length() > 300 ? r.problems().get(0).substring(0, 300) + "..." : r.problems().get(0)).append('\n');
            }
        }
        return t.markdown() + (notes.isEmpty() ? "" : "\n" + notes);
    }

    private static void row(Bench.Table t, String stream, String label, Stats s, Stats put) {
        t.row(stream, label, s.count(), s.p50() + " ms", s.p90() + " ms", s.p99() + " ms", s.max() + " ms",
                s.p99() < TARGET_P99_MILLIS ? "met" : "missed by " + (s.p99() - TARGET_P99_MILLIS) + " ms", put.p50() + " ms", put.p99() + " ms");
    }
}
