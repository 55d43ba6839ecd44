package com.mdeonboarding.bench;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.storage.JobCodec;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.testing.Azurite;
import com.mdeonboarding.testing.RepoPaths;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Scenario 5: the staged Function App's size, and the time from a fresh JVM ({@link ColdStartProbe} on the staged
 * classpath) to the first reconcile finished (read, decide, record, extension PUT) against the emulator and Azurite
 * running in this JVM. Also with the management modules the compute SDK drags in (network, storage, msi,
 * authorization) taken off the classpath, to see what they cost and whether the app needs them.
 */
final class ColdStart {
    /**
     * Classpath variants: the staged package, and the same without jars that a candidate exclusion would drop (by file
     * name prefix), to see whether the app still reconciles without them and what they cost at start-up.
     */
    static final Map<String, Variant> VARIANTS = variants();

    /** A classpath variant: jars left out (file name prefixes) and JVM options (the Functions host takes them from an app setting). */
    record Variant(List<String> drop, List<String> jvmOptions) {
    }

    /** Where the AppCDS variant's archive goes: written by one unmeasured run with -XX:ArchiveClassesAtExit first. */
    private static final Path CDS_ARCHIVE = Path.of(System.getProperty("java.io.tmpdir"), "mde-onboarding-cold-start.jsa");
    /** The package before this round (BENCHMARKS.md of the previous round: compute SDK and its modules still staged). */
    static final String BEFORE = "57 jars, 34.1 MB; fresh JVM to first reconcile 2,014 ms";

    private static Map<String, Variant> variants() {
        Map<String, Variant> v = new java.util.LinkedHashMap<>();
        v.put("staged", new Variant(List.of(), List.of()));
        v.put("staged without netty-tcnative (JDK TLS)", new Variant(List.of("netty-tcnative-"), List.of()));
        v.put("staged without jna, jna-platform, msal4j-persistence-extension", new Variant(List.of("jna-", "msal4j-persistence-extension-"),
                List.of()));
        // JVM options, not package changes: a class-data-sharing archive of the app's classes (made by one earlier run),
        // and the C1 compiler only (less JIT work while everything runs once).
        v.put("staged, AppCDS archive (-XX:SharedArchiveFile)", new Variant(List.of(), List.of("-XX:SharedArchiveFile=" + CDS_ARCHIVE)));
        v.put("staged, -XX:TieredStopAtLevel=1", new Variant(List.of(), List.of("-XX:TieredStopAtLevel=1")));
        return v;
    }
    private static final Pattern PROBE = Pattern.compile("mainAt=(\\d+) servicesMs=(\\d+) firstMs=(\\d+) secondMs=(\\d+) uptimeMs=(\\d+) classes=(\\d+) cpuMs=(\\d+)");

    private ColdStart() {
    }

    record Size(int jars, long bytes, List<String> largest, Map<String, Long> variantSavings) {
    }

    /** Medians over the runs; {@code failure} when the probe did not finish a reconcile. */
    record Run(String variant, int runs, long wallMillis, long mainAt, long servicesMillis, long firstMillis, long secondMillis,
               long classes, long cpuMillis, String failure) {
    }

    record Result(Size size, List<Run> runs) {
    }

    /** bin/benchmark runs from a private copy of the staged app ({@code -Dmde.bench.staging}). */
    static Path stagingDir() {
        String copy = System.getProperty("mde.bench.staging");
        return copy != null ? Path.of(copy) : RepoPaths.repoRoot().resolve("functions/target/azure-functions/mde-onboarding");
    }

    static List<Path> stagedJars() {
        Path dir = stagingDir();
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> app = Files.list(dir); Stream<Path> lib = Files.list(dir.resolve("lib"))) {
            app.filter(p -> p.toString().endsWith(".jar")).forEach(jars::add);
            lib.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
        } catch (IOException e) {
            throw new IllegalStateException("no staged Function App at " + dir + "; run bin/benchmark (it runs mvn package)", e);
        }
        return jars;
    }

    private static boolean dropped(Path jar, List<String> prefixes) {
        return prefixes.stream().anyMatch(d -> jar.getFileName().toString().startsWith(d));
    }

    static Size size() {
        List<Path> jars = stagedJars();
        long total = 0;
        Map<String, Long> savings = new java.util.LinkedHashMap<>();
        for (Path j : jars) {
            long s = j.toFile().length();
            total += s;
            VARIANTS.forEach((name, variant) -> {
                if (!variant.drop().isEmpty() && dropped(j, variant.drop())) {
                    savings.merge(name, s, Long::sum);
                }
            });
        }
        List<String> largest = jars.stream().sorted(Comparator.comparingLong((Path p) -> p.toFile().length()).reversed()).limit(6)
                .map(p -> p.getFileName().toString().replaceAll("\\.jar$", "") + " " + Bench.mb(p.toFile().length())).toList();
        return new Size(jars.size(), total, largest, savings);
    }

    static Result run(int runsPerVariant) {
        Size size = size();
        List<Run> runs = new ArrayList<>();
        try (ArmEmulator arm = ArmEmulator.builder().tenant(MachineMix.tenant(1)).port(0).extensionProvisioningDelay(Duration.ofSeconds(1))
                .build().start()) {
            List<String> variants = List.copyOf(VARIANTS.keySet());
            // The AppCDS archive, from one unmeasured run of the same probe.
            probe(arm, new Variant(List.of(), List.of("-XX:ArchiveClassesAtExit=" + CDS_ARCHIVE)), 9999, new long[8]);
            int n = variants.size();
            List<List<long[]>> samples = new ArrayList<>();
            variants.forEach(v -> samples.add(new ArrayList<>()));
            String[] failures = new String[n];
            // Alternate the variants, so that whatever else the machine does falls on all alike.
            for (int i = 0; i < runsPerVariant; i++) {
                for (int v = 0; v < n; v++) {
                    if (failures[v] == null) {
                        long[] s = new long[8];
                        failures[v] = probe(arm, VARIANTS.get(variants.get(v)), n * i + v, s);
                        if (failures[v] == null) {
                            samples.get(v).add(s);
                        }
                    }
                }
            }
            for (int v = 0; v < n; v++) {
                List<long[]> x = samples.get(v);
                runs.add(new Run(variants.get(v), x.size(), median(x, 0), median(x, 1), median(x, 2), median(x, 3), median(x, 4), median(x, 6),
                        median(x, 7), failures[v]));
            }
        }
        return new Result(size, runs);
    }

    private static long median(List<long[]> samples, int i) {
        if (samples.isEmpty()) {
            return 0;
        }
        long[] v = samples.stream().mapToLong(s -> s[i]).sorted().toArray();
        return v[v.length / 2];
    }

    /** One fresh JVM; fills {wall, mainAt, services, first, second, uptime, classes, cpu}; returns a failure or null. */
    private static String probe(ArmEmulator arm, Variant variant, int n, long[] out) {
        String sub = MachineMix.subscriptionId(0);
        List<String> messages = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            String id = arm.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).name("cold-" + n + "-" + k)
                    .resourceGroup("rg-cold").build());
            ids.add(id);
            messages.add(JobCodec.encode(OnboardingJob.create(MachineId.parse(id), JobSource.EVENT, Instant.now())));
        }
        List<String> cp = new ArrayList<>();
        for (Path j : stagedJars()) {
            if (!dropped(j, variant.drop())) {
                cp.add(j.toString());
            }
        }
        cp.add(workerLibrary());
        cp.add(ownClassDirectory());
        String suffix = Bench.suffix();
        List<String> cmd = new ArrayList<>(List.of(Bench.javaBin()));
        cmd.addAll(variant.jvmOptions());
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp), ColdStartProbe.class.getName(), messages.get(0), messages.get(1)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("MDE_") || k.startsWith("AzureWebJobs"));
        env.putAll(Bench.settings(arm.baseUrl(), arm.caCertificatePemPath(), Azurite.get().connectionString(), suffix, List.of(sub)));
        env.put(Settings.VERIFY_DELAY_SECONDS, "30");
        try {
            long puts0 = arm.requestLog().count("VirtualMachineExtensions_CreateOrUpdate");
            long t0 = System.nanoTime();
            Process p = pb.start();
            StringBuilder output = new StringBuilder();
            long wall = -1;
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (l.equals("FIRST-RECONCILE-DONE")) {
                        wall = (System.nanoTime() - t0) / 1_000_000;
                    }
                    output.append(l).append('\n');
                }
            }
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return "did not finish within 2 minutes";
            }
            Matcher m = PROBE.matcher(output);
            if (!m.find()) {
                String first = output.toString().lines().filter(l -> l.contains("Exception") || l.contains("Error")).findFirst().orElse(output.toString().trim());
                return first.length() > 160 ? first.substring(0, 160) + "..." : first;
            }
            if (arm.requestLog().count("VirtualMachineExtensions_CreateOrUpdate") - puts0 != 2) {
                return "the probe finished without the two extension PUTs";
            }
            out[0] = wall;
            for (int i = 1; i <= 7; i++) {
                out[i] = Long.parseLong(m.group(i));
            }
            return null;
        } catch (IOException e) {
            throw Bench.io(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Functions worker's library (ExecutionContext): provided by the worker at run time, so not staged. */
    private static String workerLibrary() {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("azure-functions-java-core-library")) {
                return e;
            }
        }
        throw new IllegalStateException("azure-functions-java-core-library is not on the benchmark's classpath");
    }

    /** The directory (or jar) this class was loaded from: the probe's only test-side class. */
    private static String ownClassDirectory() {
        try {
            return Path.of(ColdStartProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String markdown(Result r) {
        Size s = r.size();
        StringBuilder b = new StringBuilder();
        b.append("Staged Function App (`functions/target/azure-functions/mde-onboarding`): **").append(s.jars()).append(" jars, ")
                .append(Bench.mb(s.bytes())).append("**; largest: ").append(String.join(", ", s.largest())).append(".\n")
                .append("Before (previous round): ").append(BEFORE).append(".\n");
        s.variantSavings().forEach((v, bytes) -> b.append("Left out in \"").append(v).append("\": ").append(Bench.mb(bytes)).append(".\n"));
        b.append('\n');
        Bench.Table t = new Bench.Table("classpath", "runs", "JVM start to main", "Services built", "first reconcile",
                "fresh JVM to first reconcile finished", "CPU time to then (all threads)", "second reconcile (warm)", "classes loaded", "result");
        for (Run run : r.runs()) {
            if (run.failure() != null && run.runs() == 0) {
                t.row(run.variant(), 0, "", "", "", "", "", "", "", "fails: " + run.failure());
                continue;
            }
            t.row(run.variant(), run.runs(), run.mainAt() + " ms", run.servicesMillis() + " ms", run.firstMillis() + " ms",
                    "**" + run.wallMillis() + " ms**", run.cpuMillis() + " ms", run.secondMillis() + " ms", run.classes(), run.failure() == null ? "works" : run.failure());
        }
        return b + t.markdown();
    }
}
