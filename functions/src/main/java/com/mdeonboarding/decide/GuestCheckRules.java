package com.mdeonboarding.decide;

import com.mdeonboarding.model.GuestCheckKind;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.Text;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges what a guest check script (guest-checks/*.ps1|sh) reported, read by the shell into a {@link GuestReport}, and
 * turns it into a {@link GuestCheckResult}. Pure, and total: whatever the report holds, it returns a result and never
 * throws; a report it cannot judge gives {@code ran=false} with a summary saying why.
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
public final class GuestCheckRules {

    /** Windows Server 2016: "The Servicing Stack Update (SSU) from September 14, 2021 or later" (configure-server-endpoints). */
    static final LocalDate MIN_SSU_2016 = LocalDate.of(2021, 9, 14);
    /** Windows Server 2016: "The Latest Cumulative Update (LCU) from September 20, 2018 or later" (same page). */
    static final LocalDate MIN_LCU_2016 = LocalDate.of(2018, 9, 20);
    /** That LCU is KB4457127, OS build 14393.2515; Install.ps1 requires the Defender platform 4.10.14393.2515. */
    static final int MIN_UBR_2016 = 2515;
    /** Install.ps1: KB3080149 is present when tdh.dll is at least 6.3.9600.17958. */
    static final int[] MIN_TDH_2012R2 = {6, 3, 9600, 17958};

    /*
     * Shapes every guest-reported field must have. The report is written by whoever is admin or root in the guest, and its
     * fields reach log lines, the state table and operators' screens: a value of another shape is not believed (it counts
     * as unknown) and never shown; what is shown is escaped and bounded (MAX_SUMMARY).
     */
    /** Process or service names (ds_agent, cbsensor, MFEcma, mfetpd, falcon-sensor). */
    static final Pattern AGENT = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._+@:-]{0,63}$");
    /** Absolute executable paths (fanotify users). */
    static final Pattern PATH = Pattern.compile("^/[A-Za-z0-9._+@/-]{1,254}$");
    static final Pattern KB = Pattern.compile("^KB\\d{6,8}$", Pattern.CASE_INSENSITIVE);
    /** "14393.2515": major build and revision (UBR). */
    static final Pattern BUILD = Pattern.compile("^\\d{1,6}\\.\\d{1,6}$");
    static final Pattern DOTTED_VERSION = Pattern.compile("^\\d{1,6}(\\.\\d{1,6}){1,3}$");
    static final Pattern OS_LABEL = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._-]{0,19}$");
    static final Pattern HOST = Pattern.compile("^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$");
    static final Set<String> DEFENDER_FEATURE = Set.of("Installed", "NotInstalled", "Unknown");
    static final Set<String> DEFENDER_SERVICE = Set.of("Running", "Stopped", "Missing");
    /** At most this many names of one kind are shown; the rest are counted. */
    static final int MAX_NAMES_SHOWN = 5;
    static final int MAX_SUMMARY = 500;

    private GuestCheckRules() {
    }

    /**
     * @param report the check's report line; empty when the output held no readable one
     * @param output a description of the output for the summary when there was no report (length and start)
     * @param kind   the check that was run (from {@link OsSupport#classify})
     * @param now    when the output was received; becomes {@code checkedAt}
     */
    public static GuestCheckResult judge(Optional<GuestReport> report, String output, GuestCheckKind kind, Instant now) {
        if (report.isEmpty()) {
            return GuestCheckResult.unavailable(now, "no readable mde-prereq line in the Run Command output (" + output + ")");
        }
        GuestReport root = report.get();
        if (root.integer("version").orElse(-1) != 1) {
            return GuestCheckResult.unavailable(now, "unsupported guest check version " + Text.printable(root.raw("version"), 40));
        }
        String reported = root.text("kind").orElse("");
        if (!reported.equals(kind.jsonKind())) {
            return GuestCheckResult.unavailable(now, "expected a " + kind.jsonKind() + " check, got '" + Text.printable(reported, 40) + "'");
        }
        return switch (kind) {
            case WINDOWS_2012_R2, WINDOWS_2016 -> windows(root, kind, now);
            case LINUX -> linux(root, now);
        };
    }

    /** True when the passive-mode script's report shows ForceDefenderPassiveMode=1. */
    public static boolean passiveModeSet(Optional<GuestReport> report) {
        return report.flatMap(r -> r.integer("forceDefenderPassiveMode")).map(v -> v == 1).orElse(false);
    }

    private static GuestCheckResult windows(GuestReport root, GuestCheckKind kind, Instant now) {
        Set<ReasonCode> findings = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        Set<String> hotfixes = valid(root, "hotfixes", KB);
        if (kind == GuestCheckKind.WINDOWS_2012_R2) {
            // A KB counts as present when listed, or when the file Microsoft's installer checks shows it.
            if (!hotfixes.contains("KB2999226") && !root.bool("ucrt").orElse(false)) {
                findings.add(ReasonCode.PREREQ_KB2999226_MISSING);
            }
            Optional<String> tdh = shaped(root, "tdhVersion", DOTTED_VERSION);
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
            Optional<Integer> ubr = shaped(root, "build", BUILD).flatMap(GuestCheckRules::revision);
            Optional<LocalDate> lcu = date(root, "lcuDate");
            if (ubr.isPresent() ? ubr.get() < MIN_UBR_2016 : lcu.map(d -> d.isBefore(MIN_LCU_2016)).orElse(false)) {
                findings.add(ReasonCode.PREREQ_LCU_OUTDATED);
            }
            String feature = root.text("defenderFeature").filter(DEFENDER_FEATURE::contains).orElse("Unknown");
            String service = root.text("defenderService").filter(DEFENDER_SERVICE::contains).orElse("");
            if (feature.equalsIgnoreCase("NotInstalled") || service.equalsIgnoreCase("Missing")) {
                findings.add(ReasonCode.DEFENDER_AV_NOT_INSTALLED);
            } else if (service.equalsIgnoreCase("Stopped")) {
                findings.add(ReasonCode.DEFENDER_AV_NOT_RUNNING);
            }
        }
        if (root.bool("disableAntiSpyware").orElse(false)) {
            findings.add(ReasonCode.DEFENDER_AV_DISABLED_BY_POLICY);
        }
        List<String> unreachable = unreachable(root.flags("endpoints"));
        if (!unreachable.isEmpty()) {
            findings.add(ReasonCode.MDE_ENDPOINTS_UNREACHABLE);
        }
        String summary = "windows-downlevel " + shaped(root, "os", OS_LABEL).orElse("?") + " build " + shaped(root, "build", BUILD).orElse("?")
                + (unreachable.isEmpty() ? "" : "; unreachable: " + String.join(", ", unreachable))
                + (notes.isEmpty() ? "" : "; " + String.join(", ", notes))
                + "; findings: " + (findings.isEmpty() ? "none" : findings);
        return new GuestCheckResult(true, List.copyOf(findings), now, Text.printable(summary, MAX_SUMMARY));
    }

    /**
     * Endpoints that cannot be reached. The Command and Control gateways (winatp-gw-*) are one group: the tenant's
     * geography picks one, so the group is reachable when any gateway is. Every other host must be reachable.
     */
    private static List<String> unreachable(Map<String, Optional<Boolean>> endpoints) {
        List<String> down = new ArrayList<>();
        boolean anyGateway = false;
        boolean gatewayReachable = false;
        for (Map.Entry<String, Optional<Boolean>> e : endpoints.entrySet()) {
            if (!HOST.matcher(e.getKey()).matches()) {
                continue; // not a host name: nothing the check can have tried
            }
            boolean ok = e.getValue().orElse(false);
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

    private static GuestCheckResult linux(GuestReport root, Instant now) {
        Set<String> agents = valid(root, "agents", AGENT);
        Set<String> fanotify = valid(root, "fanotify", PATH);
        // Any entry is an agent that stops the installer, even one whose name cannot be shown.
        int unreadableAgents = root.count("agents") - agents.size();
        int unreadableUsers = root.count("fanotify") - fanotify.size();
        boolean conflict = root.count("agents") > 0 || root.count("fanotify") > 0;
        String summary = "linux-conflicts: agents " + names(agents, unreadableAgents) + "; fanotify users " + names(fanotify, unreadableUsers);
        return new GuestCheckResult(true, conflict ? List.of(ReasonCode.LINUX_CONFLICTING_AGENT) : List.of(), now,
                Text.printable(summary, MAX_SUMMARY));
    }

    // ---------------------------------------------------------------- reading

    /** The items of a list field that have the field's shape (trimmed; KB numbers in upper case); the others are dropped. */
    private static Set<String> valid(GuestReport root, String field, Pattern shape) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : root.strings(field)) {
            String t = s.trim();
            if (shape.matcher(t).matches()) {
                out.add(t.regionMatches(true, 0, "KB", 0, 2) ? t.toUpperCase(java.util.Locale.ROOT) : t);
            }
        }
        return out;
    }

    /** A text field, only when it has the shape it must have. */
    private static Optional<String> shaped(GuestReport root, String field, Pattern shape) {
        return root.text(field).filter(v -> shape.matcher(v).matches());
    }

    /** "a, b, c and 4 more (2 unreadable)": a bounded list of validated names. */
    private static String names(Set<String> names, int unreadable) {
        if (names.isEmpty() && unreadable <= 0) {
            return "none";
        }
        List<String> shown = names.stream().limit(MAX_NAMES_SHOWN).toList();
        String text = String.join(", ", shown) + (names.size() > shown.size() ? " and " + (names.size() - shown.size()) + " more" : "");
        if (unreadable > 0) {
            text = (text.isEmpty() ? "" : text + " ") + "(" + unreadable + " unreadable)";
        }
        return text;
    }

    private static Optional<LocalDate> date(GuestReport root, String field) {
        try {
            return root.text(field).map(LocalDate::parse);
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
