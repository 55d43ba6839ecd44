package com.mdeonboarding.reconcile;

import static com.mdeonboarding.decide.TestFacts.arc;
import static com.mdeonboarding.decide.TestFacts.arcLinux;
import static com.mdeonboarding.decide.TestFacts.vm;
import static com.mdeonboarding.decide.TestFacts.vmLinux;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.decide.OsSupport;
import com.mdeonboarding.model.GuestCheckKind;
import com.mdeonboarding.model.GuestScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GuestCheckScriptsTest {

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
        String script = withoutComments(GuestCheckScripts.check(kind).script(), kind == GuestCheckKind.LINUX ? "#" : "#");
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
        GuestScript s = GuestCheckScripts.passiveMode();
        assertEquals("RunPowerShellScript", s.commandId());
        assertTrue(s.script().contains("reg.exe add \"HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Advanced Threat Protection\""
                + " /v ForceDefenderPassiveMode /t REG_DWORD /d 1 /f"), s.script());
        assertTrue(s.script().contains("\"check\":\"mde-passive-mode\""));
    }

    @Test
    void checkScriptsPrintTheMarker() {
        for (GuestCheckKind kind : GuestCheckKind.values()) {
            String script = GuestCheckScripts.check(kind).script();
            assertTrue(script.contains("mde-prereq") && script.contains(kind.jsonKind()), kind.name());
            assertFalse(script.contains("\r"), kind + " has CR line endings");
        }
        assertTrue(GuestCheckScripts.check(GuestCheckKind.LINUX).script().startsWith("#!/bin/sh\n"));
    }

    @Test
    void scriptForFollowsTheOs() {
        assertEquals(Optional.of("windows-downlevel.ps1"), OsSupport.classify(vm().ws2012r2().build()).guestCheck().map(GuestCheckScripts::check).map(GuestScript::name));
        assertEquals(Optional.of("RunPowerShellScript"), OsSupport.classify(vm().ws2016().build()).guestCheck().map(GuestCheckScripts::check).map(GuestScript::commandId));
        assertEquals(Optional.of("RunShellScript"), OsSupport.classify(vmLinux().build()).guestCheck().map(GuestCheckScripts::check).map(GuestScript::commandId));
        assertEquals(Optional.of("linux-conflicts.sh"), OsSupport.classify(arcLinux().build()).guestCheck().map(GuestCheckScripts::check).map(GuestScript::name));
        assertEquals(Optional.empty(), OsSupport.classify(vm().build()).guestCheck().map(GuestCheckScripts::check));
        assertEquals(Optional.empty(), OsSupport.classify(arc().build()).guestCheck().map(GuestCheckScripts::check));
        assertEquals(Optional.empty(), OsSupport.classify(vm().osName("Windows 10 Pro").build()).guestCheck().map(GuestCheckScripts::check));
        assertEquals(Optional.of(GuestCheckKind.WINDOWS_2016), OsSupport.classify(vm().ws2016().build()).guestCheck());
        assertFalse(OsSupport.classify(vm().ws2016().build()).guestCheck().map(GuestCheckScripts::check).orElseThrow().lines().isEmpty());
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
