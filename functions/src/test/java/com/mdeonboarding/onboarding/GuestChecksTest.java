package com.mdeonboarding.onboarding;

import static com.mdeonboarding.onboarding.TestFacts.NOW;
import static com.mdeonboarding.onboarding.TestFacts.arc;
import static com.mdeonboarding.onboarding.TestFacts.arcLinux;
import static com.mdeonboarding.onboarding.TestFacts.vm;
import static com.mdeonboarding.onboarding.TestFacts.vmLinux;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class GuestChecksTest {

    /** Commands that write, for PowerShell: verbs that change state, and the write-capable executables. */
    private static final Pattern POWERSHELL_WRITES = Pattern.compile("(?i)\\b(Set|New|Remove|Add|Clear|Enable|Disable|Install|Uninstall"
            + "|Start|Stop|Restart|Suspend|Rename|Move|Copy|Register|Unregister|Update|Invoke|Out|Export|Import)-[A-Za-z]+"
            + "|\\breg(\\.exe)?\\s+(add|delete|import|load|restore|copy)|\\b(sc(\\.exe)?\\s+(config|stop|start|delete|create)"
            + "|netsh\\s+\\S+\\s+set|wusa|dism|msiexec|bcdedit|shutdown)\\b");

    /** Commands that write, for sh. */
    private static final Pattern SHELL_WRITES = Pattern.compile("(?m)(^|[;&|(`$]\\s*|\\s)(rm|mv|cp|tee|dd|chmod|chown|ln|mkdir|touch|kill"
            + "|pkill|killall|apt|apt-get|yum|dnf|zypper|rpm|dpkg|install|truncate|shred|mount|umount|modprobe|insmod|rmmod|sysctl)\\s"
            + "|systemctl\\s+(start|stop|restart|reload|enable|disable|mask|kill)|sed\\s+-i|>>");

    /** Redirections other than to /dev/null or another descriptor. */
    private static final Pattern REDIRECT = Pattern.compile("\\d?>\\s*(?!/dev/null|&\\d|\\$null)(\\S+)");

    @ParameterizedTest
    @EnumSource(GuestCheckKind.class)
    void checkScriptsAreReadOnly(GuestCheckKind kind) {
        String script = withoutComments(GuestChecks.script(kind).script(), kind == GuestCheckKind.LINUX ? "#" : "#");
        Pattern writes = kind == GuestCheckKind.LINUX ? SHELL_WRITES : POWERSHELL_WRITES;
        Matcher m = writes.matcher(script);
        assertFalse(m.find(), () -> kind + " script writes: '" + m.group() + "'");
        List<String> redirects = new ArrayList<>();
        Matcher r = REDIRECT.matcher(script);
        while (r.find()) {
            // Comparison operators in PowerShell are -gt/-le, never '>', so any '>' left is a redirection.
            redirects.add(r.group());
        }
        assertEquals(List.of(), redirects, kind + " script redirects output to a file");
    }

    @Test
    void theWriteDetectorsWork() {
        assertTrue(POWERSHELL_WRITES.matcher("Set-ItemProperty -Path x").find());
        assertTrue(POWERSHELL_WRITES.matcher("$c = New-Object Net.Sockets.TcpClient").find());
        assertTrue(POWERSHELL_WRITES.matcher("reg add \"HKLM\\x\" /v y /d 1 /f").find());
        assertTrue(POWERSHELL_WRITES.matcher("Remove-Item C:\\x").find());
        assertFalse(POWERSHELL_WRITES.matcher("Get-ItemProperty -LiteralPath x; Test-Path y; Write-Output z").find());
        assertTrue(SHELL_WRITES.matcher("rm -f /etc/x").find());
        assertTrue(SHELL_WRITES.matcher("x; systemctl stop mdatp").find());
        assertTrue(SHELL_WRITES.matcher("echo x >> /etc/y").find());
        assertFalse(SHELL_WRITES.matcher("systemctl is-active --quiet ds_agent; grep -Fl x y | cut -d/ -f3").find());
        assertTrue(REDIRECT.matcher("echo x > /etc/y").find());
        assertFalse(REDIRECT.matcher("cmd 2>/dev/null >/dev/null 2>&1").find());
    }

    @Test
    void passiveModeScriptSetsExactlyTheDocumentedValue() {
        GuestCheckScript s = GuestChecks.passiveModeScript();
        assertEquals("RunPowerShellScript", s.commandId());
        assertTrue(s.script().contains("reg.exe add \"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Advanced Threat Protection\""
                + " /v ForceDefenderPassiveMode /t REG_DWORD /d 1 /f"), s.script());
        assertTrue(s.script().contains("\"check\":\"mde-passive-mode\""));
    }

    @Test
    void checkScriptsPrintTheMarker() {
        for (GuestCheckKind kind : GuestCheckKind.values()) {
            String script = GuestChecks.script(kind).script();
            assertTrue(script.contains("mde-prereq") && script.contains(kind.jsonKind()), kind.name());
            assertFalse(script.contains("\r"), kind + " has CR line endings");
        }
        assertTrue(GuestChecks.script(GuestCheckKind.LINUX).script().startsWith("#!/bin/sh\n"));
    }

    @Test
    void scriptForFollowsTheOs() {
        assertEquals(Optional.of("windows-downlevel.ps1"), GuestChecks.scriptFor(vm().ws2012r2().build()).map(GuestCheckScript::name));
        assertEquals(Optional.of("RunPowerShellScript"), GuestChecks.scriptFor(vm().ws2016().build()).map(GuestCheckScript::commandId));
        assertEquals(Optional.of("RunShellScript"), GuestChecks.scriptFor(vmLinux().build()).map(GuestCheckScript::commandId));
        assertEquals(Optional.of("linux-conflicts.sh"), GuestChecks.scriptFor(arcLinux().build()).map(GuestCheckScript::name));
        assertEquals(Optional.empty(), GuestChecks.scriptFor(vm().build()));
        assertEquals(Optional.empty(), GuestChecks.scriptFor(arc().build()));
        assertEquals(Optional.empty(), GuestChecks.scriptFor(vm().osName("Windows 10 Pro").build()));
        assertEquals(Optional.of(GuestCheckKind.WINDOWS_2016), GuestChecks.kindFor(vm().ws2016().build()));
        assertFalse(GuestChecks.scriptFor(vm().ws2016().build()).orElseThrow().lines().isEmpty());
    }

    @Test
    void stalenessRule() {
        GuestCheckResult at = new GuestCheckResult(true, List.of(), NOW, "ok");
        Optional<GuestCheckResult> stored = Optional.of(at);
        assertEquals(stored, GuestChecks.current(stored, Optional.empty(), NOW.plus(Duration.ofMinutes(59))));
        assertEquals(stored, GuestChecks.current(stored, Optional.empty(), NOW.plus(GuestChecks.MAX_AGE)));
        assertEquals(Optional.empty(), GuestChecks.current(stored, Optional.empty(), NOW.plus(Duration.ofMinutes(61))));
        // A check from before the last failure says nothing about the failure.
        assertEquals(Optional.empty(), GuestChecks.current(stored, Optional.of(NOW.plusSeconds(30)), NOW.plusSeconds(60)));
        assertEquals(stored, GuestChecks.current(stored, Optional.of(NOW.minusSeconds(30)), NOW.plusSeconds(60)));
        // A result from the future (clock trouble) is not trusted.
        assertEquals(Optional.empty(), GuestChecks.current(stored, Optional.empty(), NOW.minus(Duration.ofHours(2))));
        assertEquals(Optional.empty(), GuestChecks.current(Optional.empty(), Optional.empty(), Instant.EPOCH));
    }

    private static String withoutComments(String script, String marker) {
        StringBuilder out = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith(marker)) {
                continue;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
