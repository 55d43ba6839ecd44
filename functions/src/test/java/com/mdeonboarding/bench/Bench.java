package com.mdeonboarding.bench;

import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.app.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small helpers the benchmark scenarios share: settings for a world, request-log arithmetic, statistics, Markdown. */
final class Bench {
    private Bench() {
    }

    /** Machine IDs inside Resource Manager paths (lower case): everything under one machine attributes to it. */
    private static final Pattern MACHINE = Pattern.compile(
            "^(/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\\.(?:compute/virtualmachines|hybridcompute/machines)/[^/]+)");
    /** Asynchronous-operation status and result URLs: {@code .../locations/{l}/operations|operationStatus|operationResults/{id}}. */
    private static final Pattern OPERATION = Pattern.compile("/locations/[^/]+/(?:operations|operationstatus|operationresults)/([^/?]+)");

    /** The machine a request path belongs to, lower case, when it is under one. */
    static Optional<String> machineOf(String path) {
        Matcher m = MACHINE.matcher(path.toLowerCase(Locale.ROOT));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The asynchronous operation a poll is about. */
    static Optional<String> operationOf(String path) {
        Matcher m = OPERATION.matcher(path.toLowerCase(Locale.ROOT));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static boolean isExtensionPut(RequestLog.Entry e) {
        return e.operationId().equals("VirtualMachineExtensions_CreateOrUpdate") || e.operationId().equals("MachineExtensions_CreateOrUpdate");
    }

    /** App settings for a world on the given emulator and Azurite, with its own queue and tables. */
    static Map<String, String> settings(String armBaseUrl, Path caPem, String storage, String suffix, List<String> scope) {
        Map<String, String> env = new HashMap<>();
        env.put(Settings.STORAGE, storage);
        env.put(Settings.JOBS_QUEUE, "bench-" + suffix);
        env.put(Settings.STATE_TABLE, "BenchState" + suffix);
        env.put(Settings.HISTORY_TABLE, "BenchHistory" + suffix);
        env.put(Settings.REPORTS_TABLE, "BenchReports" + suffix);
        env.put(Settings.ARM_ENDPOINT, armBaseUrl);
        env.put(Settings.ARM_CA_CERT, caPem.toString());
        env.put(Settings.DEFENDER_API_ENDPOINT, armBaseUrl);
        if (!scope.isEmpty()) {
            env.put(Settings.SCOPE_SUBSCRIPTIONS, String.join(",", scope));
        }
        return env;
    }

    static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static Services services(Map<String, String> env) {
        return new Services(Settings.from(env), Clock.systemUTC());
    }

    /** The nearest-rank percentile of {@code sortedMillis} (0 < p <= 100). */
    static long percentile(long[] sortedMillis, double p) {
        if (sortedMillis.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedMillis.length);
        return sortedMillis[Math.max(0, Math.min(sortedMillis.length - 1, rank - 1))];
    }

    static long[] sorted(List<Long> values) {
        long[] a = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** Resets the peak usage of every heap pool (after a GC), so {@link #peakHeapBytes()} covers only what follows. */
    static void resetPeakHeap() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    /**
     * The sum of the heap pools' peak usage since the last reset. The pools peak at different moments, so this is an
     * upper bound of the heap actually in use at any one time.
     */
    static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024.0);
    }

    static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** A Markdown table. */
    static final class Table {
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();

        Table(String... header) {
            this.header = List.of(header);
        }

        Table row(Object... cells) {
            List<String> r = new ArrayList<>();
            for (Object c : cells) {
                r.add(String.valueOf(c).replace("|", "\\|"));
            }
            rows.add(r);
            return this;
        }

        String markdown() {
            StringBuilder b = new StringBuilder();
            b.append("| ").append(String.join(" | ", header)).append(" |\n");
            b.append("|").append("---|".repeat(header.size())).append("\n");
            for (List<String> r : rows) {
                b.append("| ").append(String.join(" | ", r)).append(" |\n");
            }
            return b.toString();
        }
    }

    /** Runs a short command and returns its output (stdout and stderr), or a note that it could not run. */
    static String command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(" + String.join(" ", cmd) + " unavailable: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The java executable of this JVM (child JVMs use the same one). */
    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static UncheckedIOException io(IOException e) {
        return new UncheckedIOException(e);
    }
}
