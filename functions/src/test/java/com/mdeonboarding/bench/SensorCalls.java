package com.mdeonboarding.bench;

import com.mdeonboarding.emulator.server.RequestLog;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 1, sensor part: Defender for Endpoint API calls per verified machine. A burst of new machines of the scenario 1
 * mix (fewer than the API's 100 calls a minute, so the budget does not pace it) goes event -> queue -> reconcile -> PUT
 * -> verify with the sensor check on, until every machine is ONBOARDED; each Defender request names the machine it
 * looks up in its {@code $filter}, so the calls are attributed exactly, from the emulator's request log.
 */
final class SensorCalls {
    private SensorCalls() {
    }

    record Result(int machines, Duration wall, boolean complete, long calls, long throttled, Map<MachineMix.Category, long[]> perCategory) {
        /** min, max, total per category; and overall. */
        double perMachine() {
            return machines == 0 ? 0 : calls / (double) machines;
        }

        long max() {
            return perCategory.values().stream().mapToLong(v -> v[1]).max().orElse(0);
        }
    }

    static Result run(int machines, int subscriptions) {
        try (BenchWorld w = new BenchWorld(subscriptions, Duration.ofSeconds(1), 3, Map.of())) {
            List<MachineMix.Machine> created = new ArrayList<>();
            List<String> events = new ArrayList<>();
            for (int i = 0; i < machines; i++) {
                MachineMix.Machine m = MachineMix.create(w.emulator.state(), i, subscriptions, "sensor-");
                created.add(m);
                events.add(w.events.take(m.id()));
            }
            w.emulator.defenderRequestLog().clear();
            Instant start = Instant.now();
            events.forEach(w.host::deliverEvent);
            boolean complete = w.host.runUntil(() -> w.allOnboarded(created), Duration.ofMinutes(5));
            Duration wall = Duration.between(start, Instant.now());
            w.host.runUntil(() -> w.host.visibleJobs() == 0, Duration.ofSeconds(10));

            Map<String, Long> byName = new HashMap<>();
            for (RequestLog.Entry e : w.emulator.defenderRequestLog().snapshot()) {
                String q = e.query() == null ? "" : URLDecoder.decode(e.query(), StandardCharsets.UTF_8);
                int at = q.indexOf("startswith(computerDnsName,'");
                if (at >= 0) {
                    String name = q.substring(at + 28, q.indexOf('\'', at + 28));
                    byName.merge(name, 1L, Long::sum);
                }
            }
            Map<MachineMix.Category, long[]> per = new EnumMap<>(MachineMix.Category.class);
            for (MachineMix.Machine m : created) {
                String name = m.id().substring(m.id().lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
                long n = byName.getOrDefault(name, 0L);
                long[] v = per.computeIfAbsent(m.category(), c -> new long[] {Long.MAX_VALUE, 0, 0, 0});
                v[0] = Math.min(v[0], n);
                v[1] = Math.max(v[1], n);
                v[2] += n;
                v[3]++;
            }
            RequestLog log = w.emulator.defenderRequestLog();
            return new Result(machines, wall, complete, log.total(), w.emulator.defenderThrottles().size(), per);
        }
    }

    static String markdown(Result r) {
        Bench.Table t = new Bench.Table("machine", "machines", "Defender API calls / machine (min, max)", "average");
        r.perCategory().forEach((c, v) -> t.row(c.label, v[3], v[0] + ", " + v[1], Bench.f2(v[2] / (double) v[3])));
        return "Burst of " + r.machines() + " new machines of the scenario 1 mix, sensor check on, "
                + (r.complete() ? "all ONBOARDED" : "NOT all onboarded (timed out)") + " in " + Bench.f1(r.wall().toMillis() / 1000.0)
                + " s: " + r.calls() + " Defender for Endpoint API calls (" + Bench.f2(r.perMachine()) + " per verified machine), "
                + r.throttled() + " answered 429.\n\n" + t.markdown();
    }
}
