package com.mdeonboarding.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.decide.GuestCheckRules;
import com.mdeonboarding.decide.GuestReport;
import com.mdeonboarding.model.GuestCheckKind;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a guest check script's Run Command output: finds its one-line JSON report among whatever else the output
 * holds, and hands it to {@link GuestCheckRules} to judge. Total: whatever the output (empty, garbled, truncated,
 * other lines around the JSON), it returns a result and never throws.
 *
 * <p>Format, version 1 (one line; other lines are ignored; the last matching line wins):
 * <pre>
 * {"check":"mde-prereq","version":1,"kind":"windows-downlevel","os":"2016","build":"14393.2515",
 *  "hotfixes":["KB2999226"],"ucrt":true,"tdhVersion":"6.3.9600.17958","ssuDate":"2021-10-12","lcuDate":"2023-01-10",
 *  "defenderFeature":"Installed|NotInstalled|Unknown","defenderService":"Running|Stopped|Missing",
 *  "disableAntiSpyware":false,"proxy":false,"endpoints":{"winatp-gw-cus.microsoft.com":true,...}}
 * {"check":"mde-prereq","version":1,"kind":"linux-conflicts","agents":["ds_agent"],"fanotify":["/usr/bin/foo"]}
 * </pre>
 */
public final class GuestCheckParser {
    private static final Pattern MARKER = Pattern.compile("\"check\"\\s*:\\s*\"mde-prereq\"");
    private static final Pattern PASSIVE_MARKER = Pattern.compile("\"check\"\\s*:\\s*\"mde-passive-mode\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private GuestCheckParser() {
    }

    /**
     * @param runCommandStdout what Run Command returned (stdout, or the whole message with [stdout]/[stderr] sections)
     * @param kind             the check that was run
     * @param now              when the output was received; becomes {@code checkedAt}
     */
    public static GuestCheckResult parse(String runCommandStdout, GuestCheckKind kind, Instant now) {
        return GuestCheckRules.judge(findLine(runCommandStdout, MARKER), describe(runCommandStdout), kind, now);
    }

    /** True when the passive-mode script's output shows ForceDefenderPassiveMode=1. */
    public static boolean passiveModeSet(String runCommandStdout) {
        return GuestCheckRules.passiveModeSet(findLine(runCommandStdout, PASSIVE_MARKER));
    }

    /** The last line carrying the marker whose JSON object parses. */
    private static Optional<GuestReport> findLine(String output, Pattern marker) {
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
                    return Optional.of(new JsonReport(node));
                }
            } catch (Exception e) {
                // garbled or truncated: try an earlier line, else report unavailable
            }
        }
        return Optional.empty();
    }

    /** Length and start of output that held no report: escaped, since whoever is admin in the guest wrote it. */
    private static String describe(String output) {
        if (output == null || output.isBlank()) {
            return "empty";
        }
        String flat = output.strip().replaceAll("[ \\t\\r\\n]+", " ");
        return output.length() + " characters, starting '" + Text.printable(flat, 80) + "'";
    }

    /** The report line's fields; a field that is missing or of another type is empty. */
    private record JsonReport(JsonNode root) implements GuestReport {
        @Override
        public Optional<String> text(String field) {
            JsonNode n = root.path(field);
            return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText().trim()) : Optional.empty();
        }

        @Override
        public Optional<Boolean> bool(String field) {
            JsonNode n = root.path(field);
            return n.isBoolean() ? Optional.of(n.asBoolean()) : Optional.empty();
        }

        @Override
        public Optional<Integer> integer(String field) {
            // As Jackson's asInt reads it: a number, or a string holding one.
            JsonNode n = root.path(field);
            if (n.isNumber()) {
                return Optional.of(n.asInt());
            }
            return n.isTextual() && n.asText().trim().matches("-?\\d{1,9}") ? Optional.of(Integer.parseInt(n.asText().trim())) : Optional.empty();
        }

        @Override
        public List<String> strings(String field) {
            List<String> out = new ArrayList<>();
            JsonNode n = root.path(field);
            if (n.isArray()) {
                n.forEach(x -> {
                    if (x.isTextual()) {
                        out.add(x.asText());
                    }
                });
            }
            return out;
        }

        @Override
        public int count(String field) {
            JsonNode n = root.path(field);
            return n.isArray() ? n.size() : 0;
        }

        @Override
        public Map<String, Optional<Boolean>> flags(String field) {
            Map<String, Optional<Boolean>> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path(field).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().isBoolean() ? Optional.of(e.getValue().asBoolean()) : Optional.empty());
            }
            return out;
        }

        @Override
        public String raw(String field) {
            return root.path(field).toString();
        }
    }
}
