package com.mdeonboarding.bench;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.api.ApiRequest;
import com.mdeonboarding.api.ApiResponse;
import com.mdeonboarding.api.DashboardEndpoint;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRow;
import com.mdeonboarding.sweep.SweepRequest;
import com.mdeonboarding.sweep.SweepReportStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Scenario 6: GET /api/dashboard on a swept generated tenant. In {@link SweepChild}'s JVM (mode {@code dashboard}): every
 * machine Resource Graph lists gets a state row (a fixed mix of decisions and reasons, written in table batches with the
 * state table's public schema, outside the measured window), one real sweep stores its report and estate counts, then the
 * dashboard route is timed in process (table reads, aggregation, rendering; no socket) for the unfiltered page and each
 * filter, a few times each.
 */
final class DashboardScale {
    /** Timed requests per variant, after one warm-up request. */
    static final int RUNS = 7;
    static final long TARGET_MILLIS = 1000;

    private DashboardScale() {
    }

    static void run(Services s, TableClient state, List<String> scope, Logger log, ObjectNode out) {
        long t0 = System.nanoTime();
        List<MachineRow> rows = new ArrayList<>();
        s.azure.resourceGraph().streamMachines(scope, rows::add, bad -> { });
        long seeded = seed(state, rows);
        out.put("seedMillis", (System.nanoTime() - t0) / 1_000_000);
        out.put("stateRows", seeded);
        long t1 = System.nanoTime();
        s.sweeps.run(SweepRequest.scheduled(), job -> { }, log);
        out.put("sweepMillis", (System.nanoTime() - t1) / 1_000_000);

        // The estate now (every state row and the sweep's machines without one): what a page reads when no snapshot young
        // enough is kept (EstateNow reuses one for ten times its read time, at most 5 minutes). Timed on its own, cold.
        String sweepId = s.reports.latestSweepId().orElseThrow();
        List<SweepReportStore.Unrecorded> unrecorded = s.reports.unrecorded(sweepId);
        long t2 = System.nanoTime();
        com.mdeonboarding.sweep.EstateNow.Snapshot estate = s.estateNow.read(java.util.Optional.of(sweepId), scope.isEmpty()
                ? rows.stream().map(r -> r.id().subscriptionId()).distinct().toList() : scope, unrecorded);
        out.put("estateReadMillis", (System.nanoTime() - t2) / 1_000_000);
        out.put("estateMachines", estate.machines().size());

        String someSub = rows.get(rows.size() / 2).id().subscriptionId();
        Map<String, Map<String, String>> variants = new LinkedHashMap<>();
        variants.put("unfiltered", Map.of());
        variants.put("kind=arc", Map.of("kind", "arc"));
        variants.put("reason=OS_UNSUPPORTED", Map.of("reason", "OS_UNSUPPORTED"));
        variants.put("subscription=one", Map.of("subscription", someSub));
        variants.put("reason=JOB_FAILED (rare)", Map.of("reason", "JOB_FAILED"));
        DashboardEndpoint endpoint = DashboardEndpoint.from(s);
        ObjectNode results = out.putObject("dashboard");
        for (Map.Entry<String, Map<String, String>> v : variants.entrySet()) {
            ApiResponse warm = endpoint.handle(ApiRequest.get(v.getValue()), log);
            if (warm.status() != 200) {
                throw new IllegalStateException("dashboard " + v.getKey() + " answered " + warm.status() + ": " + warm.body());
            }
            long[] millis = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long a = System.nanoTime();
                endpoint.handle(ApiRequest.get(v.getValue()), log);
                millis[i] = (System.nanoTime() - a) / 1_000_000;
            }
            Arrays.sort(millis);
            ObjectNode r = results.putObject(v.getKey());
            r.put("medianMillis", millis[RUNS / 2]);
            r.put("maxMillis", millis[RUNS - 1]);
            r.put("bytes", warm.body().getBytes(StandardCharsets.UTF_8).length);
            r.put("machinesListed", count(warm.body(), "<tr class=\"machine\""));
        }
    }

    /** Decision mix by the machine's position: 55% onboarded, 25% blocked (five reasons), 10% deploy, 5% skipped, 5% none. */
    private static long seed(TableClient state, List<MachineRow> rows) {
        Map<String, List<TableEntity>> byPartition = new TreeMap<>();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String[] blocked = {"PLAN_NOT_ENABLED", "VM_NOT_RUNNING", "OS_UNSUPPORTED", "ARC_DISCONNECTED", "EXTENSION_FAILED,EXTENSION_OTHER"};
        long n = 0;
        for (int i = 0; i < rows.size(); i++) {
            MachineId id = rows.get(i).id();
            int bucket = i % 20;
            String decision;
            String reasons;
            if (bucket < 11) {
                decision = "ONBOARDED";
                reasons = "EXTENSION_HEALTHY";
            } else if (bucket < 16) {
                decision = "BLOCKED";
                reasons = blocked[bucket - 11];
            } else if (bucket < 18) {
                decision = "DEPLOY";
                reasons = "EXTENSION_MISSING";
            } else if (bucket < 19) {
                decision = "SKIPPED";
                reasons = "EXCLUDED_BY_TAG";
            } else {
                continue;
            }
            // The state table's schema (MachineStateStore: a public contract).
            byPartition.computeIfAbsent(id.subscriptionId(), k -> new ArrayList<>()).add(new TableEntity(id.subscriptionId(),
                    URLEncoder.encode(id.key(), StandardCharsets.UTF_8)).addProperty("ResourceId", id.id()).addProperty("Decision", decision)
                    .addProperty("Reasons", reasons).addProperty("Detail", "benchmark row " + i).addProperty("ExtensionState", "")
                    .addProperty("ExtensionFailures", 0).addProperty("ObservedAt", now).addProperty("UpdatedAt", now)
                    .addProperty("CorrelationId", "bench-" + i).addProperty("Source", "sweep").addProperty("Attempt", 1));
            n++;
        }
        List<List<TableEntity>> batches = new ArrayList<>();
        for (List<TableEntity> p : byPartition.values()) {
            for (int i = 0; i < p.size(); i += 100) {
                batches.add(p.subList(i, Math.min(p.size(), i + 100)));
            }
        }
        com.mdeonboarding.support.Parallel.forEach(batches, 4, b -> state.submitTransaction(b.stream()
                .map(e -> new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE, e)).toList()));
        return n;
    }

    /** The world's state table (its Services created it). */
    static TableClient stateTable(String storage, String tableName) {
        return new TableClientBuilder().connectionString(storage).tableName(tableName).buildClient();
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static String markdown(JsonNode r) {
        Bench.Table t = new Bench.Table("page", "median", "max", "HTML size", "machines listed");
        r.path("dashboard").fields().forEachRemaining(e -> t.row(e.getKey(), e.getValue().path("medianMillis").asLong() + " ms",
                e.getValue().path("maxMillis").asLong() + " ms", String.format(Locale.ROOT, "%,d bytes", e.getValue().path("bytes").asLong()),
                e.getValue().path("machinesListed").asLong()));
        return String.format(Locale.ROOT, "Tenant: %,d subscriptions, %,d machines, %,d state rows (seeded in %.1f s); the sweep that"
                        + " stored the report and estate counts took %.1f s. %d timed requests per page after one warm-up, in process"
                        + " (DashboardEndpoint.handle: table reads, aggregation, rendering; no socket). Counting the estate now (every"
                        + " state row, %,d machines) took %,d ms cold; pages within ten times that reuse the snapshot, so the timed"
                        + " requests below are the reused path, and the warm-up the cold one.%n%n",
                r.path("subscriptions").asLong(), r.path("machines").asLong(), r.path("stateRows").asLong(),
                r.path("seedMillis").asLong() / 1000.0, r.path("sweepMillis").asLong() / 1000.0, RUNS, r.path("estateMachines").asLong(),
                r.path("estateReadMillis").asLong()) + t.markdown();
    }
}
