package com.mdeonboarding.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the output of a guest check script (guest-checks/*.ps1|sh) into a {@link GuestCheckResult}. Pure, and
 * total: whatever the output (empty, garbled, truncated, other lines around the JSON), it returns a result and
 * never throws; output it cannot read gives {@code ran=false} with a summary saying why.
 *
 * <p>Format, version 1 (one line; other lines are ignored; the last matching line wins):
 * <pre>
 * {"check":"mde-prereq","version":1,"kind":"windows-downlevel","os":"2016","build":"14393.2515",
 *  "hotfixes":["KB2999226"],"ucrt":true,"tdhVersion":"6.3.9600.17958","ssuDate":"2021-10-12","lcuDate":"2023-01-10",
 *  "defenderFeature":"Installed|NotInstalled|Unknown","defenderService":"Running|Stopped|Missing",
 *  "disableAntiSpyware":false,"proxy":false,"endpoints":{"winatp-gw-cus.microsoft.com":true,...}}
 * {"check":"mde-prereq","version":1,"kind":"linux-conflicts","agents":["ds_agent"],"fanotify":["/usr/bin/foo"]}
 * </pre>
 * A field that is missing or of the wrong type counts as unknown and yields no finding: the check reports what it
 * can prove, and the extension's own failure message covers the rest.
 */
public final class GuestCheckParser {

    /** Windows Server 2016: "The Servicing Stack Update (SSU) from September 14, 2021 or later" (configure-server-endpoints). */
    static final LocalDate MIN_SSU_2016 = LocalDate.of(2021, 9, 14);
    /** Windows Server 2016: "The Latest Cumulative Update (LCU) from September 20, 2018 or later" (same page). */
    static final LocalDate MIN_LCU_2016 = LocalDate.of(2018, 9, 20);
    /** That LCU is KB4457127, OS build 14393.2515; Install.ps1 requires the Defender platform 4.10.14393.2515. */
    static final int MIN_UBR_2016 = 2515;
    /** Install.ps1: KB3080149 is present when tdh.dll is at least 6.3.9600.17958. */
    static final int[] MIN_TDH_2012R2 = {6, 3, 9600, 17958};

    private static final Pattern MARKER = Pattern.compile("\"check\"\\s*:\\s*\"mde-prereq\"");
    private static final Pattern PASSIVE_MARKER = Pattern.compile("\"check\"\\s*:\\s*\"mde-passive-mode\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private GuestCheckParser() {
    }

    /**
     * @param runCommandStdout what Run Command returned (stdout, or the whole message with [stdout]/[stderr] sections)
     * @param kind             the check that was run (from {@link GuestChecks#kindFor(MachineFacts)})
     * @param now              when the output was received; becomes {@code checkedAt}
     */
    public static GuestCheckResult parse(String runCommandStdout, GuestCheckKind kind, Instant now) {
        Optional<JsonNode> json = findLine(runCommandStdout, MARKER);
        if (json.isEmpty()) {
            return GuestCheckResult.unavailable(now, "no readable mde-prereq line in the Run Command output ("
                    + describe(runCommandStdout) + ")");
        }
        JsonNode root = json.get();
        if (root.path("version").asInt(-1) != 1) {
            return GuestCheckResult.unavailable(now, "unsupported guest check version " + root.path("version"));
        }
        String reported = root.path("kind").asText("");
        if (!reported.equals(kind.jsonKind())) {
            return GuestCheckResult.unavailable(now, "expected a " + kind.jsonKind() + " check, got '" + reported + "'");
        }
        return switch (kind) {
            case WINDOWS_2012_R2, WINDOWS_2016 -> windows(root, kind, now);
            case LINUX -> linux(root, now);
        };
    }

    /** True when the passive-mode script's output shows ForceDefenderPassiveMode=1. */
    public static boolean passiveModeSet(String runCommandStdout) {
        return findLine(runCommandStdout, PASSIVE_MARKER).map(n -> n.path("forceDefenderPassiveMode").asInt(0) == 1).orElse(false);
    }

    private static GuestCheckResult windows(JsonNode root, GuestCheckKind kind, Instant now) {
        Set<ReasonCode> findings = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        Set<String> hotfixes = strings(root.path("hotfixes"));
        if (kind == GuestCheckKind.WINDOWS_2012_R2) {
            // A KB counts as present when listed, or when the file Microsoft's installer checks shows it.
            if (!hotfixes.contains("KB2999226") && !bool(root, "ucrt").orElse(false)) {
                findings.add(ReasonCode.PREREQ_KB2999226_MISSING);
            }
            Optional<String> tdh = text(root, "tdhVersion");
            if (!hotfixes.contains("KB3080149") && !tdh.map(v -> atLeast(v, MIN_TDH_2012R2)).orElse(false)) {
                findings.add(ReasonCode.PREREQ_KB3080149_MISSING);
            }
            // No Defender feature/service rules: on 2012 R2 the unified solution installs the antivirus itself (2a).
        } else {
            Optional<LocalDate> ssu = date(root, "ssuDate");
            if (ssu.isPresent() && ssu.get().isBefore(MIN_SSU_2016)) {
                findings.add(ReasonCode.PREREQ_SSU_OUTDATED);
            } else if (ssu.isEmpty()) {
                notes.add("SSU date unknown");
            }
            // The build revision is exact; the install date is the fallback (a date before the release proves it old).
            Optional<Integer> ubr = text(root, "build").flatMap(GuestCheckParser::revision);
            Optional<LocalDate> lcu = date(root, "lcuDate");
            if (ubr.isPresent() ? ubr.get() < MIN_UBR_2016 : lcu.map(d -> d.isBefore(MIN_LCU_2016)).orElse(false)) {
                findings.add(ReasonCode.PREREQ_LCU_OUTDATED);
            }
            String feature = root.path("defenderFeature").asText("Unknown");
            String service = root.path("defenderService").asText("");
            if (feature.equalsIgnoreCase("NotInstalled") || service.equalsIgnoreCase("Missing")) {
                findings.add(ReasonCode.DEFENDER_AV_NOT_INSTALLED);
            } else if (service.equalsIgnoreCase("Stopped")) {
                findings.add(ReasonCode.DEFENDER_AV_NOT_RUNNING);
            }
        }
        if (bool(root, "disableAntiSpyware").orElse(false)) {
            findings.add(ReasonCode.DEFENDER_AV_DISABLED_BY_POLICY);
        }
        List<String> unreachable = unreachable(root.path("endpoints"));
        if (!unreachable.isEmpty()) {
            findings.add(ReasonCode.MDE_ENDPOINTS_UNREACHABLE);
        }
        String summary = "windows-downlevel " + root.path("os").asText("?") + " build " + root.path("build").asText("?")
                + (unreachable.isEmpty() ? "" : "; unreachable: " + String.join(", ", unreachable))
                + (notes.isEmpty() ? "" : "; " + String.join(", ", notes))
                + "; findings: " + (findings.isEmpty() ? "none" : findings);
        return new GuestCheckResult(true, List.copyOf(findings), now, summary);
    }

    /**
     * Endpoints that cannot be reached. The Command and Control gateways (winatp-gw-*) are one group: the tenant's
     * geography picks one, so the group is reachable when any gateway is. Every other host must be reachable.
     */
    private static List<String> unreachable(JsonNode endpoints) {
        List<String> down = new ArrayList<>();
        boolean anyGateway = false;
        boolean gatewayReachable = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = endpoints.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            boolean ok = e.getValue().isBoolean() && e.getValue().asBoolean();
            if (e.getKey().startsWith("winatp-gw-")) {
                anyGateway = true;
                gatewayReachable |= ok;
            } else if (!ok) {
                down.add(e.getKey());
            }
        }
        if (anyGateway && !gatewayReachable) {
            down.add(0, "winatp-gw-*");
        }
        return down;
    }

    private static GuestCheckResult linux(JsonNode root, Instant now) {
        Set<String> agents = strings(root.path("agents"));
        Set<String> fanotify = strings(root.path("fanotify"));
        boolean conflict = !agents.isEmpty() || !fanotify.isEmpty();
        String summary = "linux-conflicts: agents " + (agents.isEmpty() ? "none" : String.join(", ", agents))
                + "; fanotify users " + (fanotify.isEmpty() ? "none" : String.join(", ", fanotify));
        return new GuestCheckResult(true, conflict ? List.of(ReasonCode.LINUX_CONFLICTING_AGENT) : List.of(), now, summary);
    }

    // ---------------------------------------------------------------- reading

    /** The last line carrying the marker whose JSON object parses. */
    private static Optional<JsonNode> findLine(String output, Pattern marker) {
        if (output == null || output.isEmpty()) {
            return Optional.empty();
        }
        List<String> lines = output.lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            Matcher m = marker.matcher(line);
            if (!m.find()) {
                continue;
            }
            int start = line.lastIndexOf('{', m.start());
            int end = line.lastIndexOf('}');
            if (start < 0 || end <= start) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line.substring(start, end + 1));
                if (node != null && node.isObject()) {
                    return Optional.of(node);
                }
            } catch (Exception e) {
                // garbled or truncated: try an earlier line, else report unavailable
            }
        }
        return Optional.empty();
    }

    private static String describe(String output) {
        if (output == null || output.isBlank()) {
            return "empty";
        }
        String flat = output.strip().replaceAll("\\s+", " ");
        return output.length() + " characters, starting '" + (flat.length() > 80 ? flat.substring(0, 80) + "..." : flat) + "'";
    }

    private static Set<String> strings(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        if (node.isArray()) {
            node.forEach(n -> {
                if (n.isTextual() && !n.asText().isBlank()) {
                    String s = n.asText().trim();
                    out.add(s.regionMatches(true, 0, "KB", 0, 2) ? s.toUpperCase(Locale.ROOT) : s);
                }
            });
        }
        return out;
    }

    private static Optional<Boolean> bool(JsonNode root, String field) {
        JsonNode n = root.path(field);
        return n.isBoolean() ? Optional.of(n.asBoolean()) : Optional.empty();
    }

    private static Optional<String> text(JsonNode root, String field) {
        JsonNode n = root.path(field);
        return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText().trim()) : Optional.empty();
    }

    private static Optional<LocalDate> date(JsonNode root, String field) {
        try {
            return text(root, field).map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** "14393.2515" -> 2515; "14393" -> empty. */
    private static Optional<Integer> revision(String build) {
        Matcher m = Pattern.compile("^\\d{1,6}\\.(\\d{1,6})$").matcher(build);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** Dotted version comparison; a malformed version is not "at least" anything. */
    static boolean atLeast(String version, int[] min) {
        String[] parts = version.trim().split("\\.");
        for (int i = 0; i < min.length; i++) {
            int v;
            try {
                v = i < parts.length ? Integer.parseInt(parts[i]) : 0;
            } catch (NumberFormatException e) {
                return false; // includes numbers too large for an int
            }
            if (v != min[i]) {
                return v > min[i];
            }
        }
        return true;
    }
}
