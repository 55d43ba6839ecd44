package com.mdeonboarding.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * infra/grant-defender-api-permission.sh, without Azure: its fixed parts read as data, {@code bash -n}, and
 * its control flow run against a stand-in {@code az} on PATH that answers what the script asks (the answers'
 * shapes follow the Graph appRoleAssignment documentation; the JMESPath queries are checked as text, since
 * the stand-in does not evaluate them).
 */
class DefenderApiPermissionScriptTest {
    static final String WINDOWS_DEFENDER_ATP_APP_ID = "fc780465-2017-40d4-a0c5-307022471b92";
    static final String IDENTITY = "3f6c1d2e-8a9b-4c0d-9e1f-2a3b4c5d6e7f";
    static final String ATP_OBJECT_ID = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
    static final String ROLE_ID = "11111111-2222-4333-8444-555555555555";

    static Path script() {
        return ArmTemplate.infraDir().resolve("grant-defender-api-permission.sh");
    }

    static String text() throws IOException {
        return Files.readString(script());
    }

    @Test
    void usesTheWindowsDefenderAtpAppIdAndTheMachineReadAllApplicationRole() throws IOException {
        String s = text();
        assertTrue(s.contains("readonly WINDOWS_DEFENDER_ATP_APP_ID=\"" + WINDOWS_DEFENDER_ATP_APP_ID + "\""), "the WindowsDefenderATP app ID");
        assertTrue(s.contains("readonly APP_ROLE=\"Machine.Read.All\""), "the least permission GET /api/machines accepts");
        assertTrue(s.contains("appRoles[?value=='$APP_ROLE' && contains(allowedMemberTypes, 'Application')].id"),
                "the role's ID is looked up in the principal's appRoles, application roles only");
        assertTrue(s.contains("/v1.0/servicePrincipals/$principal_id/appRoleAssignments"), "the documented Graph call");
        assertTrue(s.contains("{\"principalId\":\"%s\",\"resourceId\":\"%s\",\"appRoleId\":\"%s\"}"), "the documented body");
        assertTrue(s.contains("az cloud show --query endpoints.microsoftGraphResourceId"), "Graph of the signed-in cloud, not a fixed host");
        assertFalse(s.contains("Machine.ReadWrite.All"), "never more than read");
    }

    @Test
    void isAnExecutableBashScriptThatParses() throws Exception {
        String s = text();
        assertTrue(s.startsWith("#!/usr/bin/env bash\n"), "bash shebang");
        assertTrue(s.contains("\nset -euo pipefail\n"), "stops at the first failure");
        assertTrue(Files.isExecutable(script()), "executable (git mode 755)");
        Run r = run(List.of("bash", "-n", script().toString()), Map.of());
        assertEquals(0, r.exit, r.output);
    }

    // --- control flow against a stand-in az -------------------------------------------------------

    @TempDir
    Path dir;
    Path log;

    @BeforeEach
    void fakeAz() throws IOException {
        log = dir.resolve("az.log");
        Path az = dir.resolve("az");
        // Each call is logged as one line (arguments separated by tabs); answers depend on FAKE_* variables.
        Files.writeString(az, """
                #!/usr/bin/env bash
                (IFS=$'\\t'; echo "$*") >> "$FAKE_LOG"
                case "$1 $2" in
                  "cloud show") echo "https://graph.microsoft.com/" ;;
                  "ad sp")
                    if [[ "$*" == *"--id %1$s"* ]]; then
                      [[ -n "${FAKE_NO_ATP:-}" ]] && { echo "ERROR: Service principal '%1$s' doesn't exist" >&2; exit 3; }
                      if [[ "$*" == *appRoles* ]]; then echo "%3$s"; else echo "%2$s"; fi
                    else
                      echo "%4$s"
                    fi ;;
                  "rest --method")
                    if [[ "$3" == GET ]]; then echo "${FAKE_EXISTING:-}";
                    elif [[ -n "${FAKE_CONFLICT:-}" ]]; then
                      echo 'ERROR: Bad Request({"error":{"code":"Request_BadRequest","message":"Permission being assigned already exists on the object"}})' >&2; exit 1
                    else echo "bm8tc3VjaC1hc3NpZ25tZW50"; fi ;;
                  *) echo "unexpected az call: $*" >&2; exit 9 ;;
                esac
                """.formatted(WINDOWS_DEFENDER_ATP_APP_ID, ATP_OBJECT_ID, ROLE_ID, IDENTITY), StandardCharsets.UTF_8);
        assertTrue(az.toFile().setExecutable(true));
    }

    private Run grant(String principal, Map<String, String> fake) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(fake);
        env.put("FAKE_LOG", log.toString());
        env.put("PATH", dir + ":" + System.getenv("PATH"));
        return run(List.of("bash", script().toString(), principal), env);
    }

    private List<List<String>> calls() throws IOException {
        List<List<String>> out = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                out.add(List.of(line.split("\t")));
            }
        }
        return out;
    }

    private List<List<String>> posts() throws IOException {
        return calls().stream().filter(c -> c.size() > 2 && c.get(0).equals("rest") && c.get(2).equals("POST")).toList();
    }

    private static String after(List<String> call, String flag) {
        return call.get(call.indexOf(flag) + 1);
    }

    @Test
    void withoutAnAssignmentItPostsTheDocumentedBodyOnce() throws Exception {
        Run r = grant(IDENTITY, Map.of());
        assertEquals(0, r.exit, r.output);
        List<List<String>> posts = posts();
        assertEquals(1, posts.size(), "one app role assignment: " + calls());
        List<String> post = posts.get(0);
        assertEquals("https://graph.microsoft.com/v1.0/servicePrincipals/" + IDENTITY + "/appRoleAssignments", after(post, "--url"));
        assertEquals("https://graph.microsoft.com", after(post, "--resource"));
        JsonNode body = ArmTemplate.JSON.readTree(after(post, "--body"));
        assertEquals(Map.of("principalId", IDENTITY, "resourceId", ATP_OBJECT_ID, "appRoleId", ROLE_ID),
                ArmTemplate.JSON.convertValue(body, Map.class));
        assertTrue(r.output.contains("Granted Machine.Read.All"), r.output);
    }

    @Test
    void anExistingAssignmentIsLeftAlone() throws Exception {
        Run r = grant(IDENTITY, Map.of("FAKE_EXISTING", "41W1zT6z1U-kJxf62svfp1HFE8pMZhxDun-ThPczmJE"));
        assertEquals(0, r.exit, r.output);
        assertTrue(posts().isEmpty(), "no second assignment: " + calls());
        assertTrue(r.output.contains("already granted"), r.output);
    }

    @Test
    void anAssignmentMadeMeanwhileIsFineToo() throws Exception {
        Run r = grant(IDENTITY, Map.of("FAKE_CONFLICT", "1"));
        assertEquals(0, r.exit, r.output);
        assertEquals(1, posts().size());
        assertTrue(r.output.contains("already granted"), r.output);
    }

    @Test
    void aTenantWithoutDefenderForEndpointFailsWithASentence() throws Exception {
        Run r = grant(IDENTITY, Map.of("FAKE_NO_ATP", "1"));
        assertEquals(1, r.exit, r.output);
        assertTrue(r.output.contains("no WindowsDefenderATP service principal"), r.output);
        assertTrue(posts().isEmpty());
    }

    @Test
    void aBadPrincipalIdIsRefusedBeforeAnyCall() throws Exception {
        Run r = grant("not-a-guid", Map.of());
        assertEquals(2, r.exit, r.output);
        assertTrue(r.output.contains("usage:"), r.output);
        assertTrue(calls().isEmpty(), "no az call: " + calls());
    }

    record Run(int exit, String output) { }

    private static Run run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script finished");
        return new Run(p.exitValue(), out);
    }
}
