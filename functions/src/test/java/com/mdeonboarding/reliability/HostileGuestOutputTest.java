package com.mdeonboarding.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.model.GuestCheckKind;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.reconcile.GuestCheckParser;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Issue #18 item 3: Run Command output is written by whoever is admin or root in the guest. Every field of a check's
 * report line is generated hostile (line breaks, U+2028/U+2029, bidi overrides, control characters, 5,000-character
 * strings, wrong types, forged log prefixes) and read by the real parser and rules: the result never throws, its summary
 * (which reaches log lines, the state table's Detail and the CLI/HTTP detail) is one printable line of bounded length,
 * and its findings are only the codes that check can produce.
 */
class HostileGuestOutputTest {
    static final int MAX_SUMMARY = 600;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<ReasonCode> WINDOWS_CODES = Set.of(ReasonCode.PREREQ_KB2999226_MISSING, ReasonCode.PREREQ_KB3080149_MISSING,
            ReasonCode.PREREQ_SSU_OUTDATED, ReasonCode.PREREQ_LCU_OUTDATED, ReasonCode.DEFENDER_AV_NOT_INSTALLED,
            ReasonCode.DEFENDER_AV_NOT_RUNNING, ReasonCode.DEFENDER_AV_DISABLED_BY_POLICY, ReasonCode.MDE_ENDPOINTS_UNREACHABLE);
    private static long tried;

    @AfterContainer
    static void figures() {
        Figures.set("guest", "hostile guest report lines tried", tried);
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.of("ds_agent\n09:00:00 SEVERE [correlationId=forged] [resourceId=/x] ONBOARDED", "a\u2028b", "a\u2029b",
                        "\u202eKB2999226", "KB2999226\r\nX-Injected: 1", "14393.2515\n09:00:00 INFO forged", "\u0000", "\u001b[31mred",
                        "x".repeat(5_000), "<script>alert(1)</script>", "../../etc/passwd", " ", "", "KB3080149", "14393.2515",
                        "6.3.9600.17958", "2021-09-14", "NotInstalled", "Stopped", "ds_agent", "/usr/bin/falcon"),
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withCharRange('\u0000', '\u206f').ofMaxLength(80));
    }

    @Property
    void windowsReportsAreReadSafely(@ForAll("hostile") String os, @ForAll("hostile") String build, @ForAll("hostile") String hotfix,
                                     @ForAll("hostile") String tdh, @ForAll("hostile") String date, @ForAll("hostile") String feature,
                                     @ForAll("hostile") String host) {
        ObjectNode n = JSON.createObjectNode().put("check", "mde-prereq").put("version", 1).put("kind", "windows-downlevel")
                .put("os", os).put("build", build).put("tdhVersion", tdh).put("ssuDate", date).put("lcuDate", date)
                .put("defenderFeature", feature).put("defenderService", feature);
        n.putArray("hotfixes").add(hotfix).add("KB2999226");
        n.putObject("endpoints").put(host, false).put("winatp-gw-cus.microsoft.com", false);
        for (GuestCheckKind kind : List.of(GuestCheckKind.WINDOWS_2012_R2, GuestCheckKind.WINDOWS_2016)) {
            check(GuestCheckParser.parse("noise " + os + "\n" + n + "\n" + build, kind, Instant.EPOCH), WINDOWS_CODES);
        }
    }

    @Property
    void linuxReportsAreReadSafely(@ForAll("hostile") String agent, @ForAll("hostile") String fanotify, @ForAll("hostile") String noise) {
        ObjectNode n = JSON.createObjectNode().put("check", "mde-prereq").put("version", 1).put("kind", "linux-conflicts");
        ArrayNode agents = n.putArray("agents").add(agent);
        agents.addObject().put("name", agent);
        n.putArray("fanotify").add(fanotify).add(42);
        GuestCheckResult r = GuestCheckParser.parse(noise + "\n" + n + "\n" + noise, GuestCheckKind.LINUX, Instant.EPOCH);
        check(r, Set.of(ReasonCode.LINUX_CONFLICTING_AGENT));
        // Anything in the agent list is a conflict: a name we cannot show is still an agent that stops the installer.
        assertTrue(r.findings().contains(ReasonCode.LINUX_CONFLICTING_AGENT), r.toString());
    }

    @Property
    void whateverTheOutputItIsOnePrintableLine(@ForAll("hostile") String output) {
        for (GuestCheckKind kind : GuestCheckKind.values()) {
            check(GuestCheckParser.parse(output, kind, Instant.EPOCH), WINDOWS_CODES);
        }
        GuestCheckParser.passiveModeSet(output);
    }

    private static void check(GuestCheckResult r, Set<ReasonCode> allowed) {
        tried++;
        assertTrue(r.summary().length() <= MAX_SUMMARY, "summary of " + r.summary().length() + " characters");
        assertEquals(-1, firstHidden(r.summary()), () -> "hidden character in the summary: " + r.summary());
        assertFalse(r.summary().contains("\n"));
        assertTrue(allowed.containsAll(r.findings()), r.findings().toString());
    }

    /** Index of the first character that could forge or hide a line (control, format, line or paragraph separator), or -1. */
    static int firstHidden(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED) {
                return i;
            }
        }
        return -1;
    }
}
