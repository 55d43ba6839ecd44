package com.mdeonboarding.bench;

import com.mdeonboarding.storage.JobCodec;
import com.mdeonboarding.testing.LocalFunctionsHost;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How busy the host's workers were (LocalFunctionsHost runs the real ReconcileMachine with host.json's batchSize as
 * its number of workers): busy time over workers x window, and the worker time each kind of machine took, summed over
 * all its invocations (onboarding pass, verify, re-verifies). A Run Command awaited inside the job shows here as the
 * guest-checked kinds' extra seconds per machine.
 */
record WorkerOccupancy(int workers, double windowSeconds, double busyFraction, double busiestWorkerFraction, double idlestWorkerFraction,
                       int invocations, Map<MachineMix.Category, Double> workerSecondsPerMachine) {

    static WorkerOccupancy of(LocalFunctionsHost.Occupancy o, List<MachineMix.Machine> machines) {
        Map<String, MachineMix.Category> kind = new HashMap<>();
        machines.forEach(m -> kind.put(m.id().toLowerCase(Locale.ROOT), m.category()));
        Map<MachineMix.Category, Long> nanos = new EnumMap<>(MachineMix.Category.class);
        for (LocalFunctionsHost.Invocation i : o.invocations()) {
            MachineMix.Category c = kind.get(JobCodec.decode(i.body()).machine().id().toLowerCase(Locale.ROOT));
            if (c != null) {
                nanos.merge(c, i.busyNanos(), Long::sum);
            }
        }
        Map<MachineMix.Category, Long> counts = new EnumMap<>(MachineMix.Category.class);
        machines.forEach(m -> counts.merge(m.category(), 1L, Long::sum));
        Map<MachineMix.Category, Double> perMachine = new EnumMap<>(MachineMix.Category.class);
        nanos.forEach((c, n) -> perMachine.put(c, n / 1e9 / counts.get(c)));
        Map<String, Long> byWorker = o.busyNanosByWorker();
        double window = o.windowNanos();
        double max = byWorker.values().stream().mapToLong(Long::longValue).max().orElse(0) / window;
        // Workers that never ran a job count as idle (0), so the idlest is 0 when fewer threads than slots ran.
        double min = byWorker.size() < o.workers() ? 0 : byWorker.values().stream().mapToLong(Long::longValue).min().orElse(0) / window;
        return new WorkerOccupancy(o.workers(), window / 1e9, o.fraction(), max, min, o.invocations().size(), perMachine);
    }

    /** "62% (busiest 70%, idlest 55%)". */
    String summary() {
        return Math.round(busyFraction * 100) + "% (busiest worker " + Math.round(busiestWorkerFraction * 100) + "%, idlest "
                + Math.round(idlestWorkerFraction * 100) + "%)";
    }

    /** "VM, Windows Server 2019/2022 0.21 s; ..." */
    String perKind() {
        StringBuilder b = new StringBuilder();
        workerSecondsPerMachine.forEach((c, s) -> b.append(b.isEmpty() ? "" : "; ").append(c.label).append(' ').append(Bench.f2(s)).append(" s"));
        return b.toString();
    }
}
