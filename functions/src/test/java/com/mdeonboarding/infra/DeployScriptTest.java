package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.testing.RepoPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * infra/deploy.sh --what-if runs here, against nothing: with an {@code az} on PATH that records every call and fails,
 * it prints its plan, calls nothing, and its steps are the README's "One command" list, in order.
 */
class DeployScriptTest {
    private static final Pattern STEP = Pattern.compile("^step (\\d+): (\\S+)");
    private static final Pattern README_STEP = Pattern.compile("^(\\d+)\\. \\*\\*([a-z-]+)\\*\\*:");

    record Run(int exit, String out, List<String> azCalls) {
    }

    static Run whatIf(Path tmp, String... extra) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = tmp.resolve("az-calls");
        Path az = bin.resolve("az");
        Files.writeString(az, "#!/bin/sh\necho \"$@\" >> '" + calls + "'\nexit 1\n");
        Files.setPosixFilePermissions(az, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> cmd = new ArrayList<>(List.of("bash", RepoPaths.repoRoot().resolve("infra/deploy.sh").toString(), "--what-if",
                "--resource-group", "rg-mde-onboarding", "--location", "westeurope", "--management-group", "contoso-landing-zones"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, Files.exists(calls) ? Files.readAllLines(calls) : List.of());
    }

    static List<String> steps(String text, Pattern p) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                assertEquals(out.size() + 1, Integer.parseInt(m.group(1)), "steps are numbered in order: " + line);
                out.add(m.group(2));
            }
        }
        return out;
    }

    @Test
    void whatIfPrintsThePlanCallsNothingAndMatchesTheReadme(@TempDir Path tmp) throws Exception {
        Run r = whatIf(tmp);
        assertEquals(0, r.exit(), r.out());
        assertEquals(List.of(), r.azCalls(), "--what-if calls nothing");
        List<String> script = steps(r.out(), STEP);
        String readme = Files.readString(RepoPaths.repoRoot().resolve("README.md"));
        int start = readme.indexOf("### One command");
        int end = readme.indexOf("\n### ", start + 1);
        List<String> documented = steps(readme.substring(start, end), README_STEP);
        assertEquals(documented, script, "README.md 'One command' and infra/deploy.sh list the same steps");
        assertEquals(List.of("check", "providers", "resource-group", "app", "monitoring", "roles", "wiring-role", "package", "upload", "doctor", "admin"),
                script);
        assertTrue(r.out().contains("infra/grant-defender-api-permission.sh <identityPrincipalId output of main.json>"), r.out());
        assertTrue(readme.substring(start, end).contains("infra/grant-defender-api-permission.sh <identityPrincipalId output of main.json>"),
                "the README shows what the script prints for the admin");
        for (String template : List.of("infra/main.json", "infra/roles-management-group.json", "infra/roles-wiring-management-group.json")) {
            assertTrue(r.out().contains(template), "the plan deploys " + template);
        }
        assertTrue(r.out().contains("eventWiring=on"), "the app is deployed with the wiring on");
    }

    @Test
    void badUsageSaysWhatIsMissingAndCallsNothing(@TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        ProcessBuilder pb = new ProcessBuilder("bash", RepoPaths.repoRoot().resolve("infra/deploy.sh").toString(), "--what-if",
                "--location", "westeurope").redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("missing --resource-group --management-group"), out);
        assertFalse(out.contains("step 1"), out);
        Run badMode = whatIf(tmp, "--mode", "yolo");
        assertEquals(2, badMode.exit());
        assertTrue(badMode.out().contains("--mode is observe, onboard or enforce"), badMode.out());
    }
}
