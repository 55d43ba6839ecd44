package com.mdeonboarding.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures RELIABILITY.md reports, collected while the suite runs and written after every update to
 * {@code functions/target/reliability/figures.txt} (scenario, name, value), with the run's size.
 */
final class Figures {
    private static final Map<String, Map<String, Long>> FIGURES = new TreeMap<>();

    private Figures() {
    }

    /** The fault storm's machine count: 100 by default, 1,000 under -Preliability-full. */
    static int machines() {
        return Integer.getInteger("mde.reliability.machines", 100);
    }

    static synchronized void add(String scenario, String name, long delta) {
        FIGURES.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).merge(name, delta, Long::sum);
        write();
    }

    static synchronized void set(String scenario, String name, long value) {
        FIGURES.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).put(name, value);
        write();
    }

    static synchronized long get(String scenario, String name) {
        return FIGURES.getOrDefault(scenario, Map.of()).getOrDefault(name, 0L);
    }

    private static void write() {
        StringBuilder b = new StringBuilder("# reliability suite figures, " + Instant.now() + ", machines=" + machines()
                + ", jqwik.tries.default=" + System.getProperty("jqwik.tries.default", "1000") + "\n");
        FIGURES.forEach((scenario, m) -> m.forEach((k, v) -> b.append(scenario).append(" | ").append(k).append(" | ").append(v).append('\n')));
        Path dir = Path.of(System.getProperty("mde.repoRoot", ".."), "functions", "target", "reliability");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("figures.txt"), b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
