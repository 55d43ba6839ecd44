package com.mdeonboarding.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.testing.Azurite;
import com.mdeonboarding.testing.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's console examples are what the commands print. Every {@code ```console} block is run, in order, in one
 * bash session (so variables and files carry over, as in a terminal) against the emulator with the sample tenant and
 * Azurite, with the staged package as {@code bin/mde-onboarding}; each command's output must equal the lines under it
 * in the README, IDs, times and durations aside. {@code -Dmde.updateReadme=true} writes the outputs into the README
 * instead (review the diff). Ports differ from the README's (8443, 7071, Azurite's 10000-10002): they are put in for
 * the run and taken out of the output. The Azure SDK's "no SLF4J binding" notice is left out.
 */
class ReadmeExamplesIT {
    private static final Path README = RepoPaths.repoRoot().resolve("README.md");
    private static final Pattern MARKER = Pattern.compile("\n<<<readme-example (\\d+|end)>>>\n");

    /** A command line of a block, and the output the README shows under it. */
    record Command(String line, List<String> expected) {
    }

    /** A console block: where its content lines are in the README, and its commands. */
    record Block(int from, int to, List<Command> commands) {
    }

    static List<Block> blocks(List<String> readme) {
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            if (!readme.get(i).equals("```console")) {
                continue;
            }
            int from = i + 1;
            int to = from;
            while (!readme.get(to).equals("```")) {
                to++;
            }
            List<Command> commands = new ArrayList<>();
            for (int j = from; j < to; j++) {
                String l = readme.get(j);
                if (l.startsWith("$ ")) {
                    commands.add(new Command(l.substring(2), new ArrayList<>()));
                } else {
                    commands.get(commands.size() - 1).expected().add(l);
                }
            }
            out.add(new Block(from, to, commands));
            i = to;
        }
        return out;
    }

    @Test
    void theReadmeConsoleExamplesAreWhatTheCommandsPrint() throws Exception {
        List<String> readme = Files.readAllLines(README, StandardCharsets.UTF_8);
        List<Block> blocks = blocks(readme);
        assertTrue(blocks.size() >= 5, "the README's console blocks");
        try (ArmEmulator emulator = ArmEmulator.builder().sampleTenant().port(0).build().start()) {
            Path work = Files.createTempDirectory("readme-examples");
            Files.createDirectories(work.resolve(".tools/emulator"));
            Files.copy(emulator.caCertificatePemPath(), work.resolve(".tools/emulator/emulator-ca.pem"));
            Path bin = Files.createDirectories(work.resolve("bin")).resolve("mde-onboarding");
            String dir = System.getProperty("mde.stagingDir");
            Path staged = dir != null ? Path.of(dir) : RepoPaths.repoRoot().resolve("functions/target/azure-functions/mde-onboarding");
            assertTrue(Files.isDirectory(staged.resolve("lib")), "no staged Function App at " + staged + "; run `mvn verify`");
            Files.writeString(bin, "#!/usr/bin/env bash\nexec java -cp '" + staged + "/*:" + staged + "/lib/*' com.mdeonboarding.cli.Main \"$@\"\n");
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));

            String armPort = String.valueOf(emulator.port());
            String servePort = String.valueOf(Azurite.freePort());
            Map<String, String> ports = azuritePorts();
            List<Command> all = blocks.stream().flatMap(b -> b.commands().stream()).toList();
            String outputs = run(work, script(all, armPort, servePort), emulator);

            Matcher m = MARKER.matcher(outputs);
            List<String> actual = new ArrayList<>();
            int last = -1;
            while (m.find()) {
                if (last >= 0) {
                    actual.add(outputs.substring(last, m.start()));
                }
                last = m.end();
            }
            assertEquals(all.size(), actual.size(), "one output per command:\n" + outputs);

            List<String> updated = new ArrayList<>(readme);
            int k = 0;
            for (int bi = blocks.size() - 1; bi >= 0; bi--) {
                // Replaced from the last block up, so the earlier blocks' line numbers stay valid.
                Block b = blocks.get(bi);
                int first = all.indexOf(b.commands().get(0));
                List<String> lines = new ArrayList<>();
                for (int c = 0; c < b.commands().size(); c++) {
                    Command cmd = b.commands().get(c);
                    List<String> got = lines(back(actual.get(first + c), armPort, servePort, ports));
                    lines.add("$ " + cmd.line());
                    lines.addAll(got);
                    if (!Boolean.getBoolean("mde.updateReadme")) {
                        assertEquals(masked(cmd.expected()), masked(got), "README output of '" + cmd.line() + "' differs from what it prints;"
                                + " if that is intended, rerun with -Dmde.updateReadme=true and review the diff");
                    }
                    k++;
                }
                for (int line = b.to() - 1; line >= b.from(); line--) {
                    updated.remove(line);
                }
                updated.addAll(b.from(), lines);
            }
            assertEquals(all.size(), k);
            if (Boolean.getBoolean("mde.updateReadme")) {
                Files.write(README, updated, StandardCharsets.UTF_8);
            }
        }
    }

    /** The commands, each after a marker that keeps the previous command's exit status for the next ($?). */
    private static String script(List<Command> commands, String armPort, String servePort) {
        StringBuilder s = new StringBuilder("set +e\n");
        for (int i = 0; i < commands.size(); i++) {
            s.append("__rc=$?; printf '\\n<<<readme-example ").append(i).append(">>>\\n'; (exit $__rc)\n");
            String line = commands.get(i).line().replace("127.0.0.1:8443", "127.0.0.1:" + armPort)
                    .replace("127.0.0.1:7071", "127.0.0.1:" + servePort);
            if (line.endsWith("bin/mde-onboarding serve &")) {
                // In a terminal its start-up line shows while the next commands run; here: wait for it, then show it.
                s.append(line, 0, line.length() - 1).append(" --port ").append(servePort).append(" > serve.log 2>&1 &\n")
                        .append("for i in $(seq 1 150); do grep -q 'HTTP API on' serve.log 2>/dev/null && break; sleep 0.2; done\n")
                        .append("grep -v '^SLF4J' serve.log\n");
            } else {
                s.append(line).append('\n');
            }
        }
        s.append("printf '\\n<<<readme-example end>>>\\n'\nkill $(jobs -p) 2>/dev/null\nwait 2>/dev/null\n");
        return s.toString();
    }

    private static String run(Path work, String script, ArmEmulator emulator) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(work.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("MDE_") || k.startsWith("AzureWebJobsStorage") || k.startsWith("AZURE_"));
        env.put("AzureWebJobsStorage", Azurite.get().connectionString());
        env.put("MDE_ARM_ENDPOINT", emulator.baseUrl());
        env.put("MDE_ARM_CA_CERT", ".tools/emulator/emulator-ca.pem");
        // As the README's exports say: without it the sensor check would ask the real Defender for Endpoint API.
        env.put("MDE_DEFENDER_API_ENDPOINT", emulator.baseUrl());
        // As the README's exports say: the demo onboards and may enable Plan 1 (a fresh deployment observes first).
        env.put("MDE_MODE", "onboard");
        env.put("MDE_PLAN_ENABLEMENT", "P1");
        Path out = work.resolve("examples.out");
        pb.redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            throw new AssertionError("the examples did not finish within 10 minutes:\n" + Files.readString(out));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** The ports this run used, back to the README's. */
    private static String back(String output, String armPort, String servePort, Map<String, String> azurite) {
        String s = output.replace("127.0.0.1:" + armPort, "127.0.0.1:8443").replace("127.0.0.1:" + servePort, "127.0.0.1:7071");
        for (Map.Entry<String, String> e : azurite.entrySet()) {
            s = s.replace("127.0.0.1:" + e.getKey() + "/", "127.0.0.1:" + e.getValue() + "/");
        }
        return s;
    }

    private static Map<String, String> azuritePorts() {
        Map<String, String> ports = new java.util.HashMap<>();
        for (String[] service : new String[][] {{"BlobEndpoint", "10000"}, {"QueueEndpoint", "10001"}, {"TableEndpoint", "10002"}}) {
            Matcher m = Pattern.compile(service[0] + "=http://127\\.0\\.0\\.1:([0-9]+)/").matcher(Azurite.get().connectionString());
            assertTrue(m.find());
            ports.put(m.group(1), service[1]);
        }
        return ports;
    }

    private static List<String> lines(String output) {
        List<String> out = new ArrayList<>();
        for (String l : output.split("\n", -1)) {
            if (!l.startsWith("SLF4J: ")) {
                out.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l); // HTTP header lines (curl -i) end in CR LF
            }
        }
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** What differs from run to run: IDs, times, durations. */
    static String masked(List<String> lines) {
        return String.join("\n", lines)
                .replaceAll("[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}", "<sweepId>")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>")
                .replaceAll("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z", "<time>")
                .replaceAll("[0-9]+ ms", "<n> ms")
                .replaceAll("\"durationMillis\":[0-9]+", "\"durationMillis\":<n>");
    }
}
