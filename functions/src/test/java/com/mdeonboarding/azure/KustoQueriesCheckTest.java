package com.mdeonboarding.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.mdeonboarding.testing.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Resource Graph query the app ships (functions/src/main/resources/kql) is checked with Microsoft's own Kusto
 * language service ({@code @kusto/language-service-next}, pinned in functions/src/test/kusto/package.json) by
 * functions/src/test/kusto/check-queries.js: syntax, tables, columns and functions against the Resource Graph
 * schema, and the operators and join flavors Resource Graph supports. Node.js is a prerequisite (README); the
 * checker's npm packages are installed here on first use ({@code npm ci}).
 */
class KustoQueriesCheckTest {
    private static final Path CHECKER_DIR = RepoPaths.repoRoot().resolve("functions/src/test/kusto");
    private static final Path QUERIES_DIR = RepoPaths.repoRoot().resolve("functions/src/main/resources/kql");
    /** "file:line:column: Severity CODE: message", as check-queries.js prints a problem. */
    private static final Pattern PROBLEM = Pattern.compile("^(.+\\.kql):(\\d+):(\\d+): (\\w+) (\\w+): (.*)$");
    private static final Pattern OK = Pattern.compile("^(.+\\.kql): ok$");

    private record Run(int exitCode, String output, Map<String, List<String>> problemCodesByFile, List<String> okFiles) {
    }

    @Test
    void everyShippedQueryPassesMicrosoftsKustoLanguageService() throws IOException {
        List<String> shipped;
        try (Stream<Path> files = Files.list(QUERIES_DIR)) {
            shipped = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".kql")).sorted().toList();
        }
        assertTrue(shipped.size() >= 3, "the app's queries are in " + QUERIES_DIR + ": " + shipped);

        Run run = check(List.of()); // no arguments: the checker reads every .kql the app ships

        assertEquals(0, run.exitCode(), "Kusto language service diagnostics for the shipped queries:\n" + run.output());
        assertEquals(shipped, run.okFiles().stream().map(f -> Path.of(f).getFileName().toString()).sorted().toList(),
                "each shipped query was analysed:\n" + run.output());
    }

    @Test
    void theCheckerReportsWhatIsWrong(@TempDir Path dir) throws IOException {
        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("unknown-column", "resources\n| where nosuch == 'a'\n");
        broken.put("syntax-error", "resources | where (\n");
        broken.put("unknown-function", "resources | extend x = nosuchfn(name)\n");
        broken.put("unknown-table", "nosuchtable | take 1\n");
        broken.put("unsupported-operator", "resources | mv-apply x = tags on (take 1)\n");
        broken.put("unsupported-join-kind", "resources | join kind=rightouter (resources) on id\n");
        broken.put("join-hint", "resources | join hint.strategy=broadcast (resources) on id\n");
        broken.put("four-joins", "resources | join (resources) on id | join (resources) on id | join (resources) on id"
                + " | join (resources) on id\n");
        broken.put("fine", "resources | where type =~ 'microsoft.compute/virtualmachines' | project id, osType = "
                + "tostring(properties.storageProfile.osDisk.osType) | order by id asc\n");
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, String> e : broken.entrySet()) {
            Path f = dir.resolve(e.getKey() + ".kql");
            Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
            args.add(f.toString());
        }

        Run run = check(args);

        assertEquals(1, run.exitCode(), run.output());
        Map<String, List<String>> codes = run.problemCodesByFile();
        assertEquals(List.of("KS142"), codes.get("unknown-column.kql"), run.output()); // not a known column
        assertTrue(codes.getOrDefault("syntax-error.kql", List.of()).stream().allMatch(c -> c.startsWith("KS"))
                && !codes.getOrDefault("syntax-error.kql", List.of()).isEmpty(), run.output());
        assertEquals(List.of("KS211"), codes.get("unknown-function.kql"), run.output());
        assertEquals(List.of("KS204"), codes.get("unknown-table.kql"), run.output());
        assertEquals(List.of("RG001"), codes.get("unsupported-operator.kql"), run.output());
        assertEquals(List.of("RG003"), codes.get("unsupported-join-kind.kql"), run.output());
        assertEquals(List.of("RG004"), codes.get("join-hint.kql"), run.output());
        assertEquals(List.of("RG002"), codes.get("four-joins.kql"), run.output());
        assertEquals(List.of("fine.kql"), run.okFiles().stream().map(f -> Path.of(f).getFileName().toString()).toList(),
                run.output());
        assertTrue(run.output().contains("unknown-column.kql:2:9: Error KS142: The name 'nosuch'"),
                "problems carry line, column and the service's message:\n" + run.output());
    }

    /**
     * Every query infra/monitoring.json ships (workbook panels, alert rules) parses and binds against the Application
     * Insights tables (traces, requests, exceptions, customEvents) under the same Kusto language service
     * (functions/src/test/kusto/check-monitoring.js); and the checker does find an unknown column there.
     */
    @Test
    void everyMonitoringQueryBindsAgainstTheApplicationInsightsTables(@TempDir Path dir) throws IOException {
        Run shipped = check("check-monitoring.js", List.of());
        assertEquals(0, shipped.exitCode(), "Kusto language service diagnostics for infra/monitoring.json:\n" + shipped.output());
        assertTrue(shipped.output().contains("alert/poison: ok") && shipped.output().contains("workbook/time-to-protected: ok"),
                shipped.output());

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"variables\":{\"workbook\":{\"items\":[{\"name\":\"bad\",\"content\":{\"query\":"
                + "\"traces | where nosuch == 1\"}}]}},\"resources\":[]}", StandardCharsets.UTF_8);
        Run bad = check("check-monitoring.js", List.of(broken.toString()));
        assertEquals(1, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("workbook/bad:1:16: Error KS142"), bad.output());
    }

    private static Run check(List<String> files) throws IOException {
        return check("check-queries.js", files);
    }

    private static Run check(String script, List<String> files) throws IOException {
        String node = requireNode();
        installChecker();
        List<String> command = new ArrayList<>(List.of(node, CHECKER_DIR.resolve(script).toString()));
        command.addAll(files);
        Process p = new ProcessBuilder(command).directory(CHECKER_DIR.toFile()).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("check-queries.js did not finish within 2 minutes:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, List<String>> problems = new LinkedHashMap<>();
        List<String> ok = new ArrayList<>();
        for (String line : output.split("\\R")) {
            Matcher m = PROBLEM.matcher(line);
            if (m.matches()) {
                problems.computeIfAbsent(Path.of(m.group(1)).getFileName().toString(), k -> new ArrayList<>()).add(m.group(5));
            }
            Matcher o = OK.matcher(line);
            if (o.matches()) {
                ok.add(o.group(1));
            }
        }
        return new Run(p.exitValue(), output, problems, ok);
    }

    /** Node.js is a prerequisite of the build (README): without it this test fails, it never skips. */
    private static String requireNode() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return "node";
            }
        } catch (IOException e) {
            // not on PATH: fall through to the message
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return fail("Node.js is required to check the Resource Graph queries with Microsoft's Kusto language service, "
                + "and 'node' was not found on PATH: install Node.js 20 with npm (a prerequisite in README.md) and run "
                + "the tests again");
    }

    /** npm ci from the committed package-lock.json, once, when node_modules is missing. */
    private static synchronized void installChecker() throws IOException {
        if (Files.isRegularFile(CHECKER_DIR.resolve("node_modules/@kusto/language-service-next/package.json"))) {
            return;
        }
        Path log = RepoPaths.repoRoot().resolve("functions/target/kusto-checker-npm-ci.log");
        Files.createDirectories(log.getParent());
        try {
            Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(CHECKER_DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("npm ci in " + CHECKER_DIR + " did not finish within 10 minutes (see " + log + ")");
            }
            if (p.exitValue() != 0) {
                fail("npm ci in " + CHECKER_DIR + " failed (see " + log + "):\n" + Files.readString(log));
            }
        } catch (IOException e) {
            fail("cannot run npm to install the Kusto language service in " + CHECKER_DIR
                    + ": install Node.js 20 with npm (a prerequisite in README.md)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
