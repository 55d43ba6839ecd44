package com.mdeonboarding.decide;

import static com.mdeonboarding.model.ReasonCode.EXTENSION_CONFLICTING_AGENT;
import static com.mdeonboarding.model.ReasonCode.EXTENSION_CONNECTIVITY;
import static com.mdeonboarding.model.ReasonCode.EXTENSION_DEFENDER_DISABLED;
import static com.mdeonboarding.model.ReasonCode.EXTENSION_NOT_OFFBOARDED;
import static com.mdeonboarding.model.ReasonCode.EXTENSION_ONBOARDING_PACKAGE;
import static com.mdeonboarding.model.ReasonCode.EXTENSION_OS_NOT_SUPPORTED;
import static com.mdeonboarding.model.ReasonCode.EXTENSION_OTHER;
import static com.mdeonboarding.model.ReasonCode.EXTENSION_PREREQUISITES_MISSING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.ReasonCode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExtensionFailureClassifierTest {

    private static final String VM_PREFIX = "VM has reported a failure when processing extension 'MDE.Windows'. Error message: ";

    static Stream<Arguments> messages() {
        return Stream.of(
                // Section 2c of the reference: messages seen in the wild.
                Arguments.of("Windows 10 client (azure-cli #23663)", "ProvisioningState/failed/51",
                        "Failed to configure Microsoft Defender for Endpoint: Onboarding to MDE via Microsoft Defender for Cloud for this"
                                + " operating system is not supported", EXTENSION_OS_NOT_SUPPORTED),
                Arguments.of("applicability log line", null, "MDE onboarding package applicability: 0", EXTENSION_OS_NOT_SUPPORTED),
                Arguments.of("missing protected setting (scaf #6)", "ProvisioningState/failed/0", VM_PREFIX + "\"Failed to configure Microsoft"
                        + " Defender for Endpoint: Protected Setting defenderForEndpointOnboardingScript does not exist, please use"
                        + " mdeOnboardings API to retreive it (https://docs.microsoft.com/en-us/rest/api/securitycenter)\"",
                        EXTENSION_ONBOARDING_PACKAGE),
                Arguments.of("Linux missing protected setting (scaf #2)", null,
                        "Failed to configure Microsoft Defender for Endpoint: argument of type 'NoneType' is not iterable",
                        EXTENSION_ONBOARDING_PACKAGE),
                Arguments.of("null-valued expression (scaf #3)", null, VM_PREFIX + "\"Failed to configure Microsoft Defender for Endpoint:"
                        + " You cannot call a method on a null-valued expression.\"", EXTENSION_OTHER),
                // Windows downlevel installer (Install.ps1) messages.
                Arguments.of("LCU requirement", null, "Windows Defender platform update requirement not met. Please apply the latest"
                        + " cumulative update (LCU) for Windows first. Minimum required is https://support.microsoft.com/en-us/help/4457127",
                        EXTENSION_PREREQUISITES_MISSING),
                Arguments.of("KB not applicable", null, "KB2999226 not applicable, please follow the instructions from"
                        + " https://support.microsoft.com/kb/2999226", EXTENSION_PREREQUISITES_MISSING),
                Arguments.of("KB install failed", null, "KB3080149 installation failed with exitcode: 2359302. Please follow the instructions"
                        + " from https://support.microsoft.com/kb/3080149", EXTENSION_PREREQUISITES_MISSING),
                Arguments.of("feature restart", null, "Restart is required by 'Windows-Defender'", EXTENSION_PREREQUISITES_MISSING),
                Arguments.of("WinDefend removal reboot", null, "Please reboot this computer to remove 'WinDefend' Service",
                        EXTENSION_PREREQUISITES_MISSING),
                Arguments.of("slow disk known issue", null, "Could not find c:\\program files\\windows defender\\mpasdesc.dll, - 310 WinDefend",
                        EXTENSION_PREREQUISITES_MISSING),
                Arguments.of("DisableAntiSpyware policy", null, "Remove(or change it to 0) HKLM:\\Software\\Policies\\Microsoft\\Windows"
                        + " Defender[DisableAntiSpyware] and try installing again.", EXTENSION_DEFENDER_DISABLED),
                Arguments.of("disabled by group policy", null, "Microsoft Defender Antivirus is disabled by group policy",
                        EXTENSION_DEFENDER_DISABLED),
                Arguments.of("Windows server SKU question (code 10)", null, "Is this a server SKU? Is this '2012 R2' or '2016' Server?",
                        EXTENSION_OS_NOT_SUPPORTED),
                // Linux installer (mde_installer.sh) messages and exit codes.
                Arguments.of("conflicting applications", null, "[x] found conflicting applications: [/usr/bin/foo], aborting",
                        EXTENSION_CONFLICTING_AGENT),
                Arguments.of("conflicting service", null, "[x] found conflicting service: [ds_agent], aborting", EXTENSION_CONFLICTING_AGENT),
                Arguments.of("unsupported distro", null, "[x] unsupported distro kali 2024.1", EXTENSION_OS_NOT_SUPPORTED),
                Arguments.of("internet connectivity", null, "[x] internet connectivity needed for install", EXTENSION_CONNECTIVITY),
                Arguments.of("repo list", null, "[x] unable to fetch repo list", EXTENSION_CONNECTIVITY),
                Arguments.of("minimum cores", null, "[x] MDE requires 2 cores or more to run, found 1.", EXTENSION_PREREQUISITES_MISSING),
                Arguments.of("minimum RAM", null, "[x] MDE requires at least 2048 MB of RAM to run. found 900 MB.",
                        EXTENSION_PREREQUISITES_MISSING),
                Arguments.of("ERR name only", null, "installer failed: ERR_FAILED_REPO_SETUP", EXTENSION_CONNECTIVITY),
                Arguments.of("exit code 5", null, "Enable failed: exit code 5", EXTENSION_CONFLICTING_AGENT),
                Arguments.of("exit code 10", null, "Non-zero exit code: 10, /var/lib/waagent/MDE.Linux/install.sh", EXTENSION_OS_NOT_SUPPORTED),
                Arguments.of("exit code 11", null, "installer exited with code 11", EXTENSION_OS_NOT_SUPPORTED),
                Arguments.of("exit status 4", null, "command exited with exit status=4", EXTENSION_CONNECTIVITY),
                Arguments.of("exiting (24)", null, "[*] exiting (24)", EXTENSION_CONNECTIVITY),
                Arguments.of("exit code 12", null, "exit code: 12", EXTENSION_PREREQUISITES_MISSING),
                Arguments.of("exit code 23", null, "returned 23", EXTENSION_PREREQUISITES_MISSING),
                Arguments.of("exit code 30", null, "Non-zero exit code: 30", EXTENSION_ONBOARDING_PACKAGE),
                Arguments.of("exit code 31", null, "exit code 31", EXTENSION_ONBOARDING_PACKAGE),
                Arguments.of("exit code 39", null, "exit code 39", EXTENSION_DEFENDER_DISABLED),
                Arguments.of("exit code 21 is other", null, "exit code 21", EXTENSION_OTHER),
                // The code/message table of defender-endpoint-api.md.
                Arguments.of("Linux exit 52, no Python (azure-docs #102162)", "ProvisioningState/failed/52",
                        "Enable failed: No Python interpreter found on the machine", EXTENSION_PREREQUISITES_MISSING),
                Arguments.of("down-level ERR_NOT_OFFBOARDED", null, "[Error] ERR_NOT_OFFBOARDED: offboard the machine first",
                        EXTENSION_NOT_OFFBOARDED),
                Arguments.of("down-level exit code 35", null, "Install.ps1 exited with code 35", EXTENSION_NOT_OFFBOARDED),
                Arguments.of("HRESULT is not an exit code", null, "error code 0x80070005", EXTENSION_OTHER),
                // Connectivity in plain words.
                Arguments.of("proxy", null, "Unable to reach the service through the proxy", EXTENSION_CONNECTIVITY),
                Arguments.of("timeout", null, "The operation has timed out.", EXTENSION_CONNECTIVITY),
                Arguments.of("name resolution", null, "Could not resolve host: packages.microsoft.com", EXTENSION_CONNECTIVITY),
                Arguments.of("phrase beats number", null, "found conflicting applications, exit code 4", EXTENSION_CONFLICTING_AGENT),
                Arguments.of("status code alone is not interpreted", "ProvisioningState/failed/51", null, EXTENSION_OTHER),
                Arguments.of("nothing at all", null, null, EXTENSION_OTHER),
                Arguments.of("empty message", null, "", EXTENSION_OTHER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void classifies(String name, String code, String message, ReasonCode expected) {
        assertEquals(expected, ExtensionFailureClassifier.classify(Optional.ofNullable(code), Optional.ofNullable(message)));
    }

    /** A failed MDE.Windows puts the installer's log in substatuses (Azure/azure-cli #23663); the status itself says little. */
    @Test
    void theSubstatusesAreReadToo() {
        String log = "[Information] MDE onboarding package applicability: 0\r\n[Error] Failed to configure Microsoft Defender for Endpoint:"
                + " Onboarding to MDE via Microsoft Defender for Cloud for this operating system is not supported";
        ExtensionState failed = new ExtensionState("MDE.Windows", "MDE.Windows", ExtensionState.PUBLISHER, "Failed",
                Optional.of("ProvisioningState/failed/51"), Optional.of("Enable failed"), List.of("first log", log));
        assertEquals(EXTENSION_OS_NOT_SUPPORTED, ExtensionFailureClassifier.classify(failed));
        assertEquals(EXTENSION_OTHER, ExtensionFailureClassifier.classify(failed.statusCode(), failed.statusMessage()),
                "without them it could not tell");
        String detail = ExtensionFailureClassifier.failureDetail(failed);
        assertTrue(detail.startsWith("Enable failed; installer log: first log | "), detail);
        assertTrue(detail.endsWith("is not supported"), detail);
        ExtensionState longLog = new ExtensionState("MDE.Linux", "MDE.Linux", ExtensionState.PUBLISHER, "Failed", Optional.empty(),
                Optional.empty(), List.of("x".repeat(5000) + " [x] found conflicting service: [ds_agent], aborting"));
        assertEquals(EXTENSION_CONFLICTING_AGENT, ExtensionFailureClassifier.classify(longLog));
        String tail = ExtensionFailureClassifier.failureDetail(longLog);
        assertTrue(tail.startsWith("provisioningState Failed; installer log: ...") && tail.endsWith("aborting"), tail);
        assertTrue(tail.length() < ExtensionFailureClassifier.LOG_TAIL + 100, "the end of the log, not all of it");
        ExtensionState none = new ExtensionState("MDE.Windows", "MDE.Windows", ExtensionState.PUBLISHER, "Failed", Optional.empty(),
                Optional.of("boom"));
        assertEquals("boom", ExtensionFailureClassifier.failureDetail(none));
    }

    @Test
    void onlyAnUnsupportedOsOrAMachineStillOnboardedElsewhereIsNotWorthRetrying() {
        assertFalse(ExtensionFailureClassifier.worthRetrying(EXTENSION_OS_NOT_SUPPORTED));
        assertFalse(ExtensionFailureClassifier.worthRetrying(EXTENSION_NOT_OFFBOARDED));
        for (ReasonCode c : new ReasonCode[] {EXTENSION_PREREQUISITES_MISSING, EXTENSION_DEFENDER_DISABLED, EXTENSION_CONNECTIVITY,
                EXTENSION_CONFLICTING_AGENT, EXTENSION_ONBOARDING_PACKAGE, EXTENSION_OTHER}) {
            assertTrue(ExtensionFailureClassifier.worthRetrying(c), c.name());
        }
    }

    @Test
    void readsExitCodes() {
        assertEquals(OptionalInt.of(5), ExtensionFailureClassifier.exitCode("exit code 5"));
        assertEquals(OptionalInt.of(10), ExtensionFailureClassifier.exitCode("Non-zero exit code: 10, /var/lib/x"));
        assertEquals(OptionalInt.empty(), ExtensionFailureClassifier.exitCode("exitcode: 2359302"));
        assertEquals(OptionalInt.empty(), ExtensionFailureClassifier.exitCode("no code here"));
    }
}
