package com.mdeonboarding.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.testing.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark scenario and rewrites the generated sections of BENCHMARKS.md (between
 * {@code <!-- bench:NAME -->} and {@code <!-- /bench:NAME -->}); the prose around them stays. Started by
 * {@code bin/benchmark}, which builds what it needs first.
 *
 * <pre>
 * BenchmarkMain [--quick] [--out FILE] [--only s1,s2,s3,s4,s5,s6,s7,jmh]
 * </pre>
 * {@code --quick}: smaller sizes (a minute or two), written to functions/target/BENCHMARKS-quick.md unless --out says
 * otherwise, so quick figures never replace the full ones by accident.
 */
public final class BenchmarkMain {
    private static final Pattern SECTION = Pattern.compile("(<!-- bench:([a-z0-9-]+) -->\\n)(.*?)(<!-- /bench:\\2 -->)", Pattern.DOTALL);

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path out = null;
        List<String> only = List.of("s1", "s2", "s3", "s4", "s5", "s6", "s7", "jmh");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use [--quick] [--out FILE] [--only s1,...]");
            }
        }
        Path root = RepoPaths.repoRoot();
        if (out == null) {
            out = quick ? root.resolve("functions/target/BENCHMARKS-quick.md") : root.resolve("BENCHMARKS.md");
        }
        Map<String, String> sections = new LinkedHashMap<>();
        List<String[]> summary = new ArrayList<>();
        Instant started = Instant.now();

        if (only.contains("s1")) {
            int machines = quick ? 200 : 1000;
            log("scenario 1: calls per onboarded machine, " + machines + " machines in 10 subscriptions");
            CallsPerMachine.Result r = CallsPerMachine.run(machines, 10);
            log("scenario 1: the same in the realistic world (Azure's durations at 1/30), " + (quick ? 100 : 200) + " machines");
            CallsPerMachine.Result real = CallsPerMachine.run(quick ? 100 : 200, 10, true);
            sections.put("calls", CallsPerMachine.markdown(r) + "\n**The realistic world.** " + CallsPerMachine.markdown(real));
            double warm = r.analysis().warm(MachineMix.Category.VM_WINDOWS);
            double worst = r.analysis().categories().keySet().stream().mapToDouble(c -> r.analysis().warm(c)).max().orElse(0);
            summary.add(new String[] {"1. calls per machine, warm", "<= 3", Bench.f2(warm) + " (Windows Server VM); up to " + Bench.f2(worst)
                    + " (Arc with a guest check)", warm <= 3 + 1e-9 ? "met for VMs without a guest check; exceeded by design elsewhere (see below)" : "missed"});
            int verified = quick ? 30 : 60;
            log("scenario 1: Defender for Endpoint API calls per verified machine, " + verified + " machines in 2 subscriptions");
            SensorCalls.Result sc = SensorCalls.run(verified, 2);
            sections.put("sensor-calls", SensorCalls.markdown(sc));
            summary.add(new String[] {"1. Defender API calls per verified machine", "<= 1", Bench.f2(sc.perMachine()) + " (max " + sc.max()
                    + "), " + sc.throttled() + " x 429", sc.complete() && sc.max() <= 1 && sc.throttled() == 0 ? "met" : "missed"});
        }
        if (only.contains("s2")) {
            List<SweepScale.Result> results = new ArrayList<>();
            log("scenario 2: sweep of 100 subscriptions / 10,000 machines");
            results.add(SweepScale.run(100, 10_000, quick ? List.of("explicit") : List.of("explicit", "discover"), !quick));
            if (!quick) {
                log("scenario 2: sweep of 1,000 subscriptions / 100,000 machines");
                results.add(SweepScale.run(1000, 100_000, List.of("explicit", "discover"), false));
            }
            sections.put("sweep", SweepScale.markdown(results));
            SweepScale.Result big = results.get(results.size() - 1);
            JsonNode first = big.sweeps().get(0);
            long devices = first.path("devices").asLong();
            long defenderCalls = first.path("defenderApiCalls").asLong();
            long pages = Math.max(1, (devices + 9_999) / 10_000);
            summary.add(new String[] {"2. Defender API calls per sweep " + String.format(Locale.ROOT, "%,d/%,d", big.subscriptions(), big.machines()),
                    "<= ceil(devices / 10,000) + a few", defenderCalls + String.format(Locale.ROOT, " for %,d device records", devices),
                    defenderCalls <= pages + 2 ? "met" : "missed"});
            for (JsonNode s : big.sweeps()) {
                long calls = s.path("calls").asLong();
                double secs = s.path("wallMillis").asLong() / 1000.0;
                long heap = s.path("peakHeapBytes").asLong();
                long settingsReads = s.path("settingsReads").asLong();
                boolean everySubscription = settingsReads >= big.subscriptions();
                boolean ok = everySubscription && secs < 60 && heap < 256L * 1024 * 1024;
                summary.add(new String[] {"2. sweep " + String.format(Locale.ROOT, "%,d/%,d", big.subscriptions(), big.machines()) + ", "
                        + (s.path("mode").asText().equals("explicit") ? "listed scope" : "discovered scope"),
                        "every subscription's settings read, < 60 s, < 256 MB",
                        calls + " calls (" + settingsReads + " settings reads), " + Bench.f1(secs) + " s, " + Bench.mb(heap),
                        ok ? "met" : "missed" + (everySubscription ? "" : " (settings of " + (big.subscriptions() - settingsReads)
                                + " subscriptions not read)") + (secs >= 60 ? " (time)" : "") + (heap >= 256L * 1024 * 1024 ? " (heap)" : "")});
            }
        }
        if (only.contains("s3")) {
            List<Throughput.Result> results = new ArrayList<>();
            int n = quick ? 300 : 1000;
            log("scenario 3: throughput, " + n + " Windows Server VMs, 50 ms per call");
            results.add(Throughput.run("windows", n, 10));
            if (!quick) {
                log("scenario 3: throughput, " + n + " machines of the scenario 1 mix, 50 ms per call");
                results.add(Throughput.run("mix", n, 10));
            }
            log("scenario 3: throughput, " + n + " machines of the mix in the realistic world (Azure's durations at 1/30)");
            results.add(Throughput.run("mix-azure", n, 10));
            sections.put("throughput", Throughput.markdown(results));
            for (Throughput.Result r : results) {
                summary.add(new String[] {"3. throughput, " + switch (r.workload()) {
                    case "mix" -> "scenario 1 mix (Run Command 1 s)";
                    case "mix-azure" -> "scenario 1 mix, realistic world (Run Command 30-90 s at 1/30)";
                    default -> "Windows Server VMs";
                },
                        ">= 50 machines/s, no 429", Bench.f1(r.machinesPerSecond()) + "/s, " + r.throttled() + " x 429",
                        r.machinesPerSecond() >= Throughput.TARGET && r.throttled() == 0 ? "met"
                                : "missed by " + Bench.f1(Throughput.TARGET - r.machinesPerSecond()) + "/s"});
            }
        }
        if (only.contains("s4")) {
            int n = quick ? 200 : 1000;
            log("scenario 4: latency, " + n + " events at 20/s, machines without a guest check");
            Latency.Result direct = Latency.run(false, n, 20, 10);
            log("scenario 4: latency, " + n + " events at 20/s, the scenario 1 mix");
            Latency.Result mix = Latency.run(true, n, 20, 10);
            log("scenario 4: latency, " + n + " events at 20/s, the scenario 1 mix in the realistic world");
            Latency.Result real = Latency.run(true, n, 20, 10, true);
            sections.put("latency", Latency.markdown(List.of(direct, mix, real)));
            for (Latency.Result r : List.of(direct, mix, real)) {
                Map.Entry<MachineMix.Category, Latency.Stats> worst = r.worstFirstWrite();
                long p99 = worst.getValue().p99();
                summary.add(new String[] {"4. event to first write (extension PUT or Run Command start), p99, every kind: "
                        + (r.mix() ? "scenario 1 mix" : "no guest check") + (r.delays().contains("1/30") ? ", realistic world" : "")
                        + " at " + Bench.f1(r.ratePerSecond()) + "/s", "< 2 s", p99 + " ms (worst kind: " + worst.getKey().label + "; "
                        + r.events() + " events" + (r.missing() > 0 ? ", " + r.missing() + " without a PUT in time" : "") + ")",
                        p99 < Latency.TARGET_P99_MILLIS && r.missing() == 0 ? "met" : "missed by " + Math.max(0, p99 - Latency.TARGET_P99_MILLIS) + " ms"});
            }
        }
        if (only.contains("s5")) {
            log("scenario 5: cold start and size");
            ColdStart.Result r = ColdStart.run(quick ? 1 : 5);
            sections.put("cold-start", ColdStart.markdown(r));
            ColdStart.Run staged = r.runs().get(0);
            boolean met = staged.failure() == null && staged.wallMillis() < 1500 && r.size().bytes() < 30L * 1024 * 1024;
            summary.add(new String[] {"5. fresh JVM to first reconcile; package size", "< 1.5 s; < 30 MB (before: " + ColdStart.BEFORE + ")",
                    staged.wallMillis() + " ms; " + r.size().jars() + " jars, " + Bench.mb(r.size().bytes()), met ? "met"
                            : "missed" + (staged.wallMillis() >= 1500 ? " (time)" : "") + (r.size().bytes() >= 30L * 1024 * 1024 ? " (size)" : "")});
        }
        if (only.contains("s7")) {
            int subs = quick ? 2_000 : 10_000;
            int machines = quick ? 200_000 : 1_000_000;
            log("scenario 7: sweep of " + subs + " subscriptions / " + machines + " machines (Resource Graph quota enforced)");
            SweepScale.Result r = SweepScale.run(subs, machines, List.of("explicit"), false);
            sections.put("scale", SweepScale.scaleMarkdown(r));
            JsonNode s = r.sweeps().get(0);
            long queries = s.path("byOperation").path("Resources").asLong();
            summary.add(new String[] {"7. sweep " + String.format(Locale.ROOT, "%,d/%,d", subs, machines), "measured: calls, time, heap, bound",
                    s.path("calls").asLong() + " calls, " + Bench.f1(s.path("wallMillis").asLong() / 1000.0) + " s (Resource Graph bound "
                            + Bench.f1(SweepScale.graphBoundSeconds(queries)) + " s), " + Bench.mb(s.path("peakHeapBytes").asLong()),
                    s.path("errors").asLong() == 0 ? "measured" : "errors: " + s.path("errors").asLong()});
        }
        if (only.contains("s6")) {
            int subs = quick ? 100 : 1000;
            int machines = quick ? 10_000 : 100_000;
            log("scenario 6: GET /api/dashboard on a swept tenant of " + subs + " subscriptions / " + machines + " machines");
            JsonNode r = SweepScale.dashboard(subs, machines);
            sections.put("dashboard", DashboardScale.markdown(r));
            long worst = 0;
            for (JsonNode v : r.path("dashboard")) {
                worst = Math.max(worst, v.path("medianMillis").asLong());
            }
            long unfiltered = r.path("dashboard").path("unfiltered").path("medianMillis").asLong();
            summary.add(new String[] {"6. dashboard page, " + String.format(Locale.ROOT, "%,d", machines) + " machines swept", "< 1 s",
                    unfiltered + " ms median unfiltered; slowest filter " + worst + " ms",
                    worst < DashboardScale.TARGET_MILLIS ? "met" : "missed"});
        }
        if (only.contains("jmh")) {
            log("JMH: the pure decision function");
            sections.put("jmh", jmh(quick));
        }

        // Rows of scenarios not run this time stay as they were.
        for (String row : previousSummaryRows(out)) {
            String n = row.substring(2, 3);
            if (!only.contains("s" + n)) {
                summary.add(row.substring(2, row.length() - 2).split(" \\| ", -1));
            }
        }
        summary.sort(java.util.Comparator.comparing((String[] r) -> r[0]));
        String stamp = "\n_Measured " + started.truncatedTo(ChronoUnit.SECONDS) + (quick ? " (--quick sizes)" : "") + "._\n";
        sections.replaceAll((k, v) -> v + stamp);
        Bench.Table s = new Bench.Table("scenario", "target", "measured", "status");
        summary.forEach(row -> s.row((Object[]) row));
        sections.put("summary", s.markdown());
        sections.put("machine", machine(quick, started));
        write(out, sections);
        log("wrote " + out);
        System.out.println();
        System.out.println(s.markdown());
        System.exit(0);
    }

    private static String jmh(boolean quick) throws RunnerException {
        OptionsBuilder o = new OptionsBuilder();
        o.include(DecisionBenchmark.class.getName()).forks(1).verbosity(VerboseMode.SILENT)
                .jvmArgs("-Xmx256m");
        if (quick) {
            o.warmupIterations(1).measurementIterations(2).warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
        } else {
            o.warmupIterations(3).measurementIterations(5).warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        Bench.Table t = new Bench.Table("benchmark (OnboardingRules.decide)", "average", "error (99.9%)");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            t.row(name.substring(name.lastIndexOf('.') + 1), Bench.f1(r.getPrimaryResult().getScore()) + " ns",
                    Double.isNaN(r.getPrimaryResult().getScoreError()) ? "n/a" : "± " + Bench.f1(r.getPrimaryResult().getScoreError()) + " ns");
        }
        return t.markdown();
    }

    private static String machine(boolean quick, Instant started) {
        String java = Bench.command(Bench.javaBin(), "-version");
        String commit = Bench.command("git", "-C", RepoPaths.repoRoot().toString(), "rev-parse", "--short", "HEAD");
        String dirty = Bench.command("git", "-C", RepoPaths.repoRoot().toString(), "status", "--porcelain", "--untracked-files=no");
        return "Run " + started.truncatedTo(ChronoUnit.SECONDS) + (quick ? " (--quick sizes)" : "") + " on commit " + commit
                + (dirty.isBlank() ? "" : " with uncommitted changes") + ", " + Bench.f1((Instant.now().toEpochMilli() - started.toEpochMilli()) / 60000.0)
                + " minutes.\n\n```\n$ nproc\n" + Bench.command("nproc") + "\n$ uptime   # at the end: the load others put on the machine too\n"
                + Bench.command("uptime") + "\n$ free -h\n" + Bench.command("free", "-h") + "\n$ java -version\n" + java
                + "\n```\n";
    }

    /** The data rows of the summary table now in {@code file} ("| 1. ... |"). */
    private static List<String> previousSummaryRows(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        Matcher m = SECTION.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (m.find()) {
            if (m.group(2).equals("summary")) {
                return m.group(3).lines().filter(l -> l.matches("\\| [1-9]\\. .*\\|")).toList();
            }
        }
        return List.of();
    }

    /** Replaces each generated section; a section the file lacks is appended under its own heading. */
    static void write(Path file, Map<String, String> sections) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8)
                : "# Benchmarks (quick run)\n\nGenerated by `bin/benchmark --quick`.\n";
        for (Map.Entry<String, String> e : sections.entrySet()) {
            String body = e.getValue().endsWith("\n") ? e.getValue() : e.getValue() + "\n";
            Matcher m = SECTION.matcher(text);
            boolean found = false;
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                if (m.group(2).equals(e.getKey())) {
                    m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + body + m.group(4)));
                    found = true;
                } else {
                    m.appendReplacement(sb, Matcher.quoteReplacement(m.group(0)));
                }
            }
            m.appendTail(sb);
            text = sb.toString();
            if (!found) {
                text += "\n## " + e.getKey() + "\n\n<!-- bench:" + e.getKey() + " -->\n" + body + "<!-- /bench:" + e.getKey() + " -->\n";
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void log(String s) {
        System.out.println("[benchmark] " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + s);
        System.out.flush();
    }
}
