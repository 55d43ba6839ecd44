package com.mdeonboarding.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.TenantGenerator;
import com.mdeonboarding.testing.Azurite;
import com.mdeonboarding.testing.RepoPaths;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Scenario 2: sweeps of generated tenants. The emulator runs as a separate process ({@code java -jar
 * mde-onboarding-emulator.jar --generate SUBS,MACHINES,42}), so its heap is not counted; each sweep runs in a fresh JVM
 * limited to -Xmx256m ({@link SweepChild}), with a job sink that counts (the ~55% of machines needing a job would
 * otherwise be as many Azurite enqueues; the queue's work is scenario 3). Beside it: the calls the scripted tools'
 * per-subscription, per-machine loop needs on the same tenant, computed from the tenant and, where asked, measured.
 */
final class SweepScale {
    static final long SEED = 42;
    /** The emulator's (and our assumption of Resource Manager's) list page size. */
    static final int LIST_PAGE = 100;
    static final String CHILD_HEAP = "-Xmx256m";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepScale() {
    }

    /** One tenant size: sweep figures per scope mode, the naive loop computed (and measured, if asked). */
    record Result(int subscriptions, int machines, List<JsonNode> sweeps, long naiveComputed, JsonNode naiveMeasured) {
    }

    static Result run(int subscriptions, int machines, List<String> modes, boolean measureNaive) {
        long naive = naiveCalls(TenantGenerator.generate(subscriptions, machines, SEED));
        Path dir;
        try {
            dir = Files.createTempDirectory("bench-emulator");
        } catch (IOException e) {
            throw Bench.io(e);
        }
        Path ca = dir.resolve("ca.pem");
        Process emulator = startEmulator(subscriptions, machines, ca, dir.resolve("emulator.log"));
        try {
            String baseUrl = awaitBaseUrl(emulator, dir.resolve("emulator.log"));
            List<JsonNode> sweeps = new ArrayList<>();
            for (String mode : modes) {
                sweeps.add(child(baseUrl, ca, mode));
            }
            JsonNode naiveMeasured = measureNaive ? child(baseUrl, ca, "naive") : null;
            return new Result(subscriptions, machines, sweeps, naive, naiveMeasured);
        } finally {
            emulator.destroy();
            try {
                if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
                    emulator.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Scenario 6: the generated tenant in its own emulator process, {@link DashboardScale} in a child JVM. */
    static JsonNode dashboard(int subscriptions, int machines) {
        Path dir;
        try {
            dir = Files.createTempDirectory("bench-emulator");
        } catch (IOException e) {
            throw Bench.io(e);
        }
        Path ca = dir.resolve("ca.pem");
        Process emulator = startEmulator(subscriptions, machines, ca, dir.resolve("emulator.log"));
        try {
            return child(awaitBaseUrl(emulator, dir.resolve("emulator.log")), ca, "dashboard");
        } finally {
            emulator.destroy();
            try {
                if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
                    emulator.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The scripted tools' calls on this tenant: list subscriptions (pages of 100), per subscription list VMs and Arc
     * machines (one page per 100, at least one each), read plan and settings (2), then one status read per machine.
     */
    static long naiveCalls(Tenant tenant) {
        long calls = pages(tenant.subscriptions().size());
        for (SubscriptionSpec s : tenant.subscriptions()) {
            int vms = s.virtualMachines() == null ? 0 : s.virtualMachines().size();
            int arcs = s.arcMachines() == null ? 0 : s.arcMachines().size();
            calls += pages(vms) + pages(arcs) + 2 + vms + arcs;
        }
        return calls;
    }

    private static long pages(int items) {
        return Math.max(1, (items + LIST_PAGE - 1) / LIST_PAGE);
    }

    /** bin/benchmark passes a private copy ({@code -Dmde.bench.emulatorJar}). */
    static Path emulatorJar() {
        String copy = System.getProperty("mde.bench.emulatorJar");
        if (copy != null) {
            return Path.of(copy);
        }
        Path target = RepoPaths.repoRoot().resolve("emulator").resolve("target");
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().matches("mde-onboarding-emulator-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no emulator jar in " + target + "; run bin/benchmark (it builds it)"));
        } catch (IOException e) {
            throw Bench.io(e);
        }
    }

    private static Process startEmulator(int subscriptions, int machines, Path ca, Path logFile) {
        try {
            // 1,000,000 machines take about 1.7 GB of the emulator's heap and two minutes to generate (measured).
            return new ProcessBuilder(Bench.javaBin(), "-Xmx8g", "-jar", emulatorJar().toString(), "--generate",
                    subscriptions + "," + machines + "," + SEED, "--port", "0", "--cert-out", ca.toString(), "--page-size",
                    String.valueOf(LIST_PAGE)).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        } catch (IOException e) {
            throw Bench.io(e);
        }
    }

    private static String awaitBaseUrl(Process p, Path logFile) {
        long deadline = System.currentTimeMillis() + 600_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                for (String line : Files.readAllLines(logFile)) {
                    if (line.trim().startsWith("base URL:")) {
                        return line.substring(line.indexOf("https://")).trim();
                    }
                }
                if (!p.isAlive()) {
                    throw new IllegalStateException("the emulator exited: " + Files.readString(logFile));
                }
            } catch (IOException e) {
                throw Bench.io(e);
            }
            Bench.sleep(200);
        }
        throw new IllegalStateException("the emulator did not start within 600 s");
    }

    /** Runs {@link SweepChild} in a fresh JVM with {@value #CHILD_HEAP} and returns its RESULT. */
    static JsonNode child(String baseUrl, Path ca, String mode) {
        List<String> cmd = List.of(Bench.javaBin(), CHILD_HEAP, "-cp", System.getProperty("java.class.path"),
                "-Dmde.repoRoot=" + RepoPaths.repoRoot(), SweepChild.class.getName(), baseUrl, ca.toString(),
                Azurite.get().connectionString(), mode);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> {
                List<String> all = new ArrayList<>();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        all.add(l);
                    }
                } catch (IOException e) {
                    throw Bench.io(e);
                }
                return all;
            });
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("the sweep (" + mode + ") did not finish within 15 minutes");
            }
            List<String> out = lines.get(1, TimeUnit.MINUTES);
            for (String l : out) {
                if (l.startsWith("RESULT ")) {
                    return JSON.readTree(l.substring(7));
                }
            }
            throw new IllegalStateException("the sweep (" + mode + ") printed no result (exit " + p.exitValue() + "):\n"
                    + String.join("\n", out.subList(Math.max(0, out.size() - 40), out.size())));
        } catch (IOException e) {
            throw Bench.io(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Resource Graph's documented quota: 15 queries per 5-second window per user (Learn, "Guidance for throttled requests"). */
    static final int GRAPH_QUOTA = 15;
    static final double GRAPH_WINDOW_SECONDS = 5;

    /** The shortest time {@code queries} Resource Graph queries can take under the quota (the first window is free). */
    static double graphBoundSeconds(long queries) {
        return Math.max(0, Math.ceil(queries / (double) GRAPH_QUOTA) - 1) * GRAPH_WINDOW_SECONDS;
    }

    /** Scenario 5b: one large sweep, with what bounds it. */
    static String scaleMarkdown(Result r) {
        JsonNode s = r.sweeps().get(0);
        long queries = s.path("byOperation").path("Resources").asLong();
        double wall = s.path("wallMillis").asLong() / 1000.0;
        double bound = graphBoundSeconds(queries);
        Bench.Table t = new Bench.Table("tenant", "calls (reads/writes)", "Resource Graph queries", "settings reads", "wall time",
                "Resource Graph bound (15 per 5 s)", "wall / bound", "peak heap (" + CHILD_HEAP + ")", "GC time", "machines", "jobs found", "429s",
                "scripted loop (computed)", "ratio");
        long calls = s.path("calls").asLong();
        t.row(String.format(java.util.Locale.ROOT, "%,d subs / %,d machines", r.subscriptions(), r.machines()),
                calls + " (" + s.path("reads").asLong() + "/" + s.path("writes").asLong() + ")", queries, s.path("byOperation").path("Settings_List").asLong(),
                Bench.f1(wall) + " s", Bench.f1(bound) + " s", Bench.f2(wall / Math.max(0.001, bound)), Bench.mb(s.path("peakHeapBytes").asLong()),
                s.path("gcMillis").asLong() + " ms", s.path("machines").asLong(), s.path("jobs").asLong(), s.path("throttled").asLong(),
                String.format(java.util.Locale.ROOT, "%,d", r.naiveComputed()),
                String.format(java.util.Locale.ROOT, "%,.0f x", r.naiveComputed() / (double) Math.max(1, calls)));
        return t.markdown() + "\nThe emulator (a separate JVM, -Xmx8g) enforces Resource Graph's quota of " + GRAPH_QUOTA + " queries per "
                + Math.round(GRAPH_WINDOW_SECONDS) + " s and answers `x-ms-user-quota-remaining` / `x-ms-user-quota-resets-after`; the app waits "
                + "them out. Errors reported by the sweep: " + s.path("errors").asLong() + ".\n";
    }

    static String markdown(List<Result> results) {
        Bench.Table t = new Bench.Table("tenant", "scope", "calls (reads/writes)", "Resource Graph pages", "settings reads",
                "subscription list pages", "Defender API calls (device records)", "wall time", "peak heap (" + CHILD_HEAP + ")",
                "GC time", "jobs found", "429s", "scripted loop (computed)", "ratio");
        StringBuilder notes = new StringBuilder();
        for (Result r : results) {
            String tenant = String.format(java.util.Locale.ROOT, "%,d subs / %,d machines", r.subscriptions(), r.machines());
            for (JsonNode s : r.sweeps()) {
                long calls = s.path("calls").asLong();
                t.row(tenant, s.path("mode").asText().equals("explicit") ? "listed (MDE_SCOPE_SUBSCRIPTIONS)" : "discovered (no scope)",
                        calls + " (" + s.path("reads").asLong() + "/" + s.path("writes").asLong() + ")",
                        s.path("byOperation").path("Resources").asLong(), s.path("byOperation").path("Settings_List").asLong(),
                        s.path("byOperation").path("Subscriptions_List").asLong(),
                        s.path("defenderApiCalls").asLong() + String.format(java.util.Locale.ROOT, " (%,d)", s.path("devices").asLong()),
                        Bench.f1(s.path("wallMillis").asLong() / 1000.0) + " s", Bench.mb(s.path("peakHeapBytes").asLong()),
                        s.path("gcMillis").asLong() + " ms", s.path("jobs").asLong(), s.path("throttled").asLong(),
                        String.format(java.util.Locale.ROOT, "%,d", r.naiveComputed()),
                        String.format(java.util.Locale.ROOT, "%,.0f x", r.naiveComputed() / (double) Math.max(1, calls)));
                if (s.path("reportCalls").asLong() != calls) {
                    notes.append("- ").append(tenant).append(": the sweep report counted ").append(s.path("reportCalls").asLong())
                            .append(" calls, the emulator ").append(calls).append(".\n");
                }
            }
            if (r.naiveMeasured() != null) {
                JsonNode n = r.naiveMeasured();
                notes.append("- Scripted loop measured on ").append(tenant).append(" (the fluent azure-resourcemanager API, 8 subscriptions at a time): ")
                        .append(String.format(java.util.Locale.ROOT, "%,d", n.path("calls").asLong())).append(" calls (computed ")
                        .append(String.format(java.util.Locale.ROOT, "%,d", r.naiveComputed())).append(") in ")
                        .append(Bench.f1(n.path("wallMillis").asLong() / 1000.0)).append(" s, ").append(n.path("machines").asLong())
                        .append(" machines read one by one; the app's sweep was ")
                        .append(Bench.f1(n.path("wallMillis").asLong() / (double) Math.max(1, r.sweeps().get(0).path("wallMillis").asLong())))
                        .append(" x faster and made ").append(String.format(java.util.Locale.ROOT, "%,.0f", n.path("calls").asLong()
                                / (double) Math.max(1, r.sweeps().get(0).path("calls").asLong()))).append(" x fewer calls.\n");
            }
        }
        return t.markdown() + (notes.isEmpty() ? "" : "\n" + notes);
    }
}
