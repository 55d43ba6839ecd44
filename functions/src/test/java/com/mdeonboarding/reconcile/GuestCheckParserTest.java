package com.mdeonboarding.reconcile;

import static com.mdeonboarding.decide.TestFacts.NOW;
import static com.mdeonboarding.model.GuestCheckKind.LINUX;
import static com.mdeonboarding.model.GuestCheckKind.WINDOWS_2012_R2;
import static com.mdeonboarding.model.GuestCheckKind.WINDOWS_2016;
import static com.mdeonboarding.model.ReasonCode.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.model.GuestCheckKind;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.ReasonCode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GuestCheckParserTest {

    private static final String ENDPOINTS_OK = "{\"winatp-gw-cus.microsoft.com\":false,\"winatp-gw-weu.microsoft.com\":true,"
            + "\"events.data.microsoft.com\":true}";

    /** A healthy 2012 R2 line; each row replaces one part. */
    private static String r2(String hotfixes, String ucrt, String tdh, String policy, String endpoints) {
        return "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"windows-downlevel\",\"os\":\"2012R2\",\"build\":\"9600.21620\","
                + "\"hotfixes\":" + hotfixes + ",\"ucrt\":" + ucrt + ",\"tdhVersion\":" + tdh + ",\"ssuDate\":\"2023-03-14\","
                + "\"lcuDate\":\"2023-10-10\",\"defenderFeature\":\"Unknown\",\"defenderService\":\"Missing\","
                + "\"disableAntiSpyware\":" + policy + ",\"proxy\":false,\"endpoints\":" + endpoints + "}";
    }

    private static String ws2016(String build, String ssu, String lcu, String feature, String service, String policy, String endpoints) {
        return "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"windows-downlevel\",\"os\":\"2016\",\"build\":" + build + ","
                + "\"hotfixes\":[],\"ucrt\":true,\"tdhVersion\":\"10.0.14393.0\",\"ssuDate\":" + ssu + ",\"lcuDate\":" + lcu + ","
                + "\"defenderFeature\":\"" + feature + "\",\"defenderService\":\"" + service + "\",\"disableAntiSpyware\":" + policy
                + ",\"proxy\":false,\"endpoints\":" + endpoints + "}";
    }

    private static String linux(String agents, String fanotify) {
        return "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"linux-conflicts\",\"agents\":" + agents + ",\"fanotify\":" + fanotify + "}";
    }

    static Stream<Arguments> good() {
        String hotfixesBoth = "[\"KB2999226\",\"KB3080149\"]";
        return Stream.of(
                Arguments.of("2012 R2 all present", WINDOWS_2012_R2, r2(hotfixesBoth, "true", "\"6.3.9600.17958\"", "false", ENDPOINTS_OK),
                        List.of()),
                Arguments.of("2012 R2 KBs missing but files prove them", WINDOWS_2012_R2,
                        r2("[]", "true", "\"6.3.9600.20000\"", "false", ENDPOINTS_OK), List.of()),
                Arguments.of("2012 R2 KB2999226 missing", WINDOWS_2012_R2, r2("[\"KB3080149\"]", "false", "\"6.3.9600.17958\"", "false",
                        ENDPOINTS_OK), List.of(PREREQ_KB2999226_MISSING)),
                Arguments.of("2012 R2 KB3080149 missing (old tdh.dll)", WINDOWS_2012_R2, r2("[\"KB2999226\"]", "true", "\"6.3.9600.17415\"",
                        "false", ENDPOINTS_OK), List.of(PREREQ_KB3080149_MISSING)),
                Arguments.of("2012 R2 both missing, no tdh", WINDOWS_2012_R2, r2("[]", "false", "null", "false", ENDPOINTS_OK),
                        List.of(PREREQ_KB2999226_MISSING, PREREQ_KB3080149_MISSING)),
                Arguments.of("2012 R2 lower-case KB ids", WINDOWS_2012_R2, r2("[\"kb2999226\",\"kb3080149\"]", "false", "null", "false",
                        ENDPOINTS_OK), List.of()),
                Arguments.of("2012 R2 Defender missing is fine (installed by the unified solution)", WINDOWS_2012_R2,
                        r2(hotfixesBoth, "true", "null", "false", ENDPOINTS_OK), List.of()),
                Arguments.of("2012 R2 DisableAntiSpyware", WINDOWS_2012_R2, r2(hotfixesBoth, "true", "null", "true", ENDPOINTS_OK),
                        List.of(DEFENDER_AV_DISABLED_BY_POLICY)),
                Arguments.of("2012 R2 all gateways down", WINDOWS_2012_R2, r2(hotfixesBoth, "true", "null", "false",
                        "{\"winatp-gw-cus.microsoft.com\":false,\"winatp-gw-weu.microsoft.com\":false,\"events.data.microsoft.com\":true}"),
                        List.of(MDE_ENDPOINTS_UNREACHABLE)),
                Arguments.of("2012 R2 cyber data down", WINDOWS_2012_R2, r2(hotfixesBoth, "true", "null", "false",
                        "{\"winatp-gw-cus.microsoft.com\":true,\"events.data.microsoft.com\":false}"), List.of(MDE_ENDPOINTS_UNREACHABLE)),
                Arguments.of("2012 R2 no endpoint data is no finding", WINDOWS_2012_R2, r2(hotfixesBoth, "true", "null", "false", "{}"),
                        List.of()),
                Arguments.of("2016 healthy", WINDOWS_2016, ws2016("\"14393.6709\"", "\"2023-10-10\"", "\"2024-01-09\"", "Installed",
                        "Running", "false", ENDPOINTS_OK), List.of()),
                Arguments.of("2016 SSU too old", WINDOWS_2016, ws2016("\"14393.6709\"", "\"2021-08-10\"", "\"2024-01-09\"", "Installed",
                        "Running", "false", ENDPOINTS_OK), List.of(PREREQ_SSU_OUTDATED)),
                Arguments.of("2016 SSU on the day", WINDOWS_2016, ws2016("\"14393.6709\"", "\"2021-09-14\"", "\"2024-01-09\"", "Installed",
                        "Running", "false", ENDPOINTS_OK), List.of()),
                Arguments.of("2016 build below 14393.2515", WINDOWS_2016, ws2016("\"14393.2485\"", "\"2021-10-12\"", "\"2024-01-09\"",
                        "Installed", "Running", "false", ENDPOINTS_OK), List.of(PREREQ_LCU_OUTDATED)),
                Arguments.of("2016 build exactly 14393.2515", WINDOWS_2016, ws2016("\"14393.2515\"", "\"2021-10-12\"", "\"2018-09-21\"",
                        "Installed", "Running", "false", ENDPOINTS_OK), List.of()),
                Arguments.of("2016 no revision: LCU date decides", WINDOWS_2016, ws2016("\"14393\"", "\"2021-10-12\"", "\"2018-06-12\"",
                        "Installed", "Running", "false", ENDPOINTS_OK), List.of(PREREQ_LCU_OUTDATED)),
                Arguments.of("2016 unknown dates are no finding", WINDOWS_2016, ws2016("null", "null", "null", "Installed", "Running",
                        "false", ENDPOINTS_OK), List.of()),
                Arguments.of("2016 Defender feature not installed", WINDOWS_2016, ws2016("\"14393.6709\"", "\"2023-10-10\"", "\"2024-01-09\"",
                        "NotInstalled", "Missing", "false", ENDPOINTS_OK), List.of(DEFENDER_AV_NOT_INSTALLED)),
                Arguments.of("2016 WinDefend missing", WINDOWS_2016, ws2016("\"14393.6709\"", "\"2023-10-10\"", "\"2024-01-09\"",
                        "Unknown", "Missing", "false", ENDPOINTS_OK), List.of(DEFENDER_AV_NOT_INSTALLED)),
                Arguments.of("2016 WinDefend stopped", WINDOWS_2016, ws2016("\"14393.6709\"", "\"2023-10-10\"", "\"2024-01-09\"",
                        "Installed", "Stopped", "false", ENDPOINTS_OK), List.of(DEFENDER_AV_NOT_RUNNING)),
                Arguments.of("2016 everything wrong", WINDOWS_2016, ws2016("\"14393.1884\"", "\"2018-01-09\"", "\"2018-01-09\"",
                        "Installed", "Stopped", "true", "{\"winatp-gw-cus.microsoft.com\":false,\"events.data.microsoft.com\":false}"),
                        List.of(PREREQ_SSU_OUTDATED, PREREQ_LCU_OUTDATED, DEFENDER_AV_NOT_RUNNING, DEFENDER_AV_DISABLED_BY_POLICY,
                                MDE_ENDPOINTS_UNREACHABLE)),
                Arguments.of("Linux clean", LINUX, linux("[]", "[]"), List.of()),
                Arguments.of("Linux ds_agent", LINUX, linux("[\"ds_agent\"]", "[]"), List.of(LINUX_CONFLICTING_AGENT)),
                Arguments.of("Linux fanotify user", LINUX, linux("[]", "[\"/opt/av/bin/scand\"]"), List.of(LINUX_CONFLICTING_AGENT)),
                Arguments.of("Linux both", LINUX, linux("[\"cbsensor\",\"MFEcma\"]", "[\"/usr/bin/foo\"]"), List.of(LINUX_CONFLICTING_AGENT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("good")
    void mapsFindings(String name, GuestCheckKind kind, String line, List<ReasonCode> findings) {
        GuestCheckResult r = GuestCheckParser.parse(line + "\n", kind, NOW);
        assertTrue(r.ran(), r.summary());
        assertEquals(findings, r.findings(), r.summary());
        assertEquals(NOW, r.checkedAt());
        assertFalse(r.summary().isBlank());
    }

    static Stream<Arguments> unreadable() {
        String good = linux("[]", "[]");
        return Stream.of(
                Arguments.of("null", null),
                Arguments.of("empty", ""),
                Arguments.of("blank lines", "\n\n  \n"),
                Arguments.of("plain garbage", "Enable succeeded: \n[stdout]\n\u0000\u00ff garbage %%%\n[stderr]\n"),
                Arguments.of("no marker", "{\"check\":\"something-else\",\"version\":1}"),
                Arguments.of("truncated at the end", good.substring(0, good.length() - 12)),
                Arguments.of("truncated at the start (Run Command keeps the last 4096 bytes)", good.substring(12)),
                Arguments.of("marker but broken JSON", "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"linux-conflicts\",\"agents\":[}"),
                Arguments.of("wrong version", "{\"check\":\"mde-prereq\",\"version\":2,\"kind\":\"linux-conflicts\",\"agents\":[]}"),
                Arguments.of("version missing", "{\"check\":\"mde-prereq\",\"kind\":\"linux-conflicts\",\"agents\":[]}"),
                Arguments.of("wrong kind for the machine", r2("[]", "false", "null", "false", "{}")),
                Arguments.of("a JSON array", "[\"check\",\"mde-prereq\"]"),
                Arguments.of("PowerShell error only", "Get-HotFix : Access is denied.\nAt line:1 char:1\n+ CategoryInfo : NotSpecified"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void unreadableOutputMeansTheCheckDidNotRun(String name, String output) {
        GuestCheckResult r = GuestCheckParser.parse(output, LINUX, NOW);
        assertFalse(r.ran());
        assertEquals(List.of(), r.findings());
        assertFalse(r.summary().isBlank());
        assertEquals(NOW, r.checkedAt());
    }

    @Test
    void findsTheLineAmongOthers() {
        String output = "Enable succeeded: \n[stdout]\nWARNING: something\n"
                + linux("[\"ds_agent\"]", "[]") + "\n\n[stderr]\nfind: '/proc/123/fdinfo': No such file or directory\n";
        GuestCheckResult r = GuestCheckParser.parse(output, LINUX, NOW);
        assertTrue(r.ran());
        assertEquals(List.of(LINUX_CONFLICTING_AGENT), r.findings());
        assertTrue(r.summary().contains("ds_agent"), r.summary());
    }

    @Test
    void lastReadableLineWins() {
        String output = linux("[\"ds_agent\"]", "[]") + "\n" + linux("[]", "[]") + "\n" + linux("[\"cbsensor\"]", "[]").substring(0, 40);
        GuestCheckResult r = GuestCheckParser.parse(output, LINUX, NOW);
        assertTrue(r.ran());
        assertEquals(List.of(), r.findings());
    }

    @Test
    void toleratesWindowsLineEndingsAndPrefixes() {
        String output = "\r\nsome banner\r\n  " + ws2016("\"14393.2485\"", "\"2023-10-10\"", "\"2024-01-09\"", "Installed", "Running",
                "false", ENDPOINTS_OK) + "  \r\n";
        GuestCheckResult r = GuestCheckParser.parse(output, WINDOWS_2016, NOW);
        assertTrue(r.ran(), r.summary());
        assertEquals(List.of(PREREQ_LCU_OUTDATED), r.findings());
    }

    @Test
    void wrongTypesCountAsUnknown() {
        String line = "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"windows-downlevel\",\"build\":14393,\"ssuDate\":20210101,"
                + "\"lcuDate\":\"not a date\",\"defenderFeature\":null,\"defenderService\":42,\"disableAntiSpyware\":\"yes\","
                + "\"endpoints\":[\"x\"],\"hotfixes\":\"KB2999226\"}";
        GuestCheckResult r = GuestCheckParser.parse(line, WINDOWS_2016, NOW);
        assertTrue(r.ran(), r.summary());
        assertEquals(List.of(), r.findings());
    }

    @Test
    void summaryNamesUnreachableEndpoints() {
        GuestCheckResult r = GuestCheckParser.parse(r2("[\"KB2999226\",\"KB3080149\"]", "true", "null", "false",
                "{\"winatp-gw-cus.microsoft.com\":true,\"events.data.microsoft.com\":false}"), WINDOWS_2012_R2, NOW);
        assertTrue(r.summary().contains("events.data.microsoft.com"), r.summary());
    }

    @Test
    void readsThePassiveModeScriptOutput() {
        assertTrue(GuestCheckParser.passiveModeSet("{\"check\":\"mde-passive-mode\",\"version\":1,\"forceDefenderPassiveMode\":1,\"regExitCode\":0}"));
        assertFalse(GuestCheckParser.passiveModeSet("{\"check\":\"mde-passive-mode\",\"version\":1,\"forceDefenderPassiveMode\":0,\"regExitCode\":1}"));
        assertFalse(GuestCheckParser.passiveModeSet("ERROR: Access is denied."));
        assertFalse(GuestCheckParser.passiveModeSet(null));
    }
}
