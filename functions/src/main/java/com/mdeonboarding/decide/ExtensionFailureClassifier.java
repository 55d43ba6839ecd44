package com.mdeonboarding.decide;

import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.ReasonCode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a Failed MDE extension's status (instance-view code, message and substatuses) to the reason code that tells the
 * operator what to fix. Pure. Sources: section 2c of ../shared/reference/defender-azure-apis.md and the code/message table
 * of ../shared/reference/defender-endpoint-api.md (messages seen in the wild),
 * the Windows downlevel installer's exit codes and messages (microsoft/mdefordownlevelserver Install.ps1) and the
 * Linux installer's exit codes (microsoft/mdatp-xplat mde_installer.sh), which the extensions surface in their
 * status messages (Azure/Microsoft-Defender-for-Cloud MDEExtErrorReport.ps1 reads them from there).
 *
 * <p>Rules run in a fixed order, most specific first: an {@code ERR_*} name or a phrase wins over a bare number.
 * The status code ({@code ProvisioningState/failed/51}) is not interpreted: the same number means different things
 * for the two extensions (51 came with "not supported" on Windows 10, and is an install-path error for Linux).
 */
public final class ExtensionFailureClassifier {

    private ExtensionFailureClassifier() {
    }

    private record Rule(ReasonCode code, Pattern text, List<Integer> exitCodes) {
    }

    private static Rule rule(ReasonCode code, String regex, Integer... exitCodes) {
        return new Rule(code, Pattern.compile(regex, Pattern.CASE_INSENSITIVE), List.of(exitCodes));
    }

    private static final List<Rule> RULES = List.of(
            // Azure/azure-cli #23663: "Onboarding to MDE via Microsoft Defender for Cloud for this operating system is
            // not supported" (log: "MDE onboarding package applicability: 0"); installers: 10/11 unsupported distro/version.
            rule(ReasonCode.EXTENSION_OS_NOT_SUPPORTED,
                    "operating system is not supported|package applicability: ?0|ERR_UNSUPPORTED_(DISTRO|VERSION)"
                            + "|unsupported (distro|version|operating system)|Is this a server SKU",
                    10, 11),
            // azsec/scaf-azure-arm-templates #3/#6 (Windows) and #2 (Linux, "'NoneType' is not iterable"): empty
            // protected settings; installers: 30 ERR_ONBOARDING_NOT_FOUND, 31 ERR_ONBOARDING_FAILED.
            rule(ReasonCode.EXTENSION_ONBOARDING_PACKAGE,
                    "defenderForEndpointOnboardingScript|mdeOnboardings|'NoneType' is not iterable|ERR_ONBOARDING_(NOT_FOUND|FAILED)"
                            + "|onboarding (script|package|blob|info)",
                    30, 31),
            // mde_installer.sh: fanotify users or ds_agent/cbsensor/MFEcma services -> 5 ERR_CONFLICTING_APPS.
            rule(ReasonCode.EXTENSION_CONFLICTING_AGENT, "ERR_CONFLICTING_APPS|conflicting (app|service)|fanotify", 5),
            // Install.ps1: 39 ERR_MDE_GROUP_POLICY_DISABLED when Policies\...\Windows Defender[DisableAntiSpyware]=1.
            rule(ReasonCode.EXTENSION_DEFENDER_DISABLED,
                    "ERR_MDE_GROUP_POLICY_DISABLED|DisableAntiSpyware|disabled by (group )?policy|group policy", 39),
            // Install.ps1: 35 ERR_NOT_OFFBOARDED, the machine is still onboarded another way (defender-endpoint-api.md's table).
            rule(ReasonCode.EXTENSION_NOT_OFFBOARDED, "ERR_NOT_OFFBOARDED|not offboarded|offboard (it|the machine) first", 35),
            // Install.ps1: KB2999226/KB3080149/KB3045999, "Windows Defender platform update requirement not met ...
            // (LCU)", Windows-Defender feature restarts (12 ERR_PENDING_REBOOT, 13 ERR_INSUFFICIENT_REQUIREMENTS);
            // mde_installer.sh: 12 ERR_INSUFFICIENT_REQUIREMENTS (cores, RAM, disk), 23 ERR_FAILED_DEPENDENCY.
            rule(ReasonCode.EXTENSION_PREREQUISITES_MISSING,
                    "\\bKB\\d{6,7}\\b|cumulative update|servicing stack|platform update|Windows-Defender|Windows Defender (feature|platform|antivirus)"
                            + "|WinDefend|mpasdesc\\.dll"
                            + "|ERR_PENDING_REBOOT|ERR_INSUFFICIENT_REQUIREMENTS|ERR_FAILED_DEPENDENCY|reboot|restart (is )?required"
                            + "|requires \\d+ cores|MB of RAM|free disk space|python (is )?not (found|installed)"
                            // MicrosoftDocs/azure-docs #102162: MDE.Linux exit 52 "No Python interpreter found".
                            + "|no python interpreter",
                    12, 13, 23),
            // Install.ps1 / mde_installer.sh: 4 ERR_NO_INTERNET_CONNECTIVITY; mde_installer.sh: 24 ERR_FAILED_REPO_SETUP.
            rule(ReasonCode.EXTENSION_CONNECTIVITY,
                    "ERR_NO_INTERNET_CONNECTIVITY|ERR_FAILED_REPO_SETUP|internet connectivity|proxy|timed? ?out|could not resolve"
                            + "|name resolution|unable to connect|could not connect|connection (refused|reset|closed)"
                            + "|network is unreachable|no route to host|unable to fetch|repo list|gpg key|\\bTLS\\b|\\bSSL\\b",
                    4, 24));

    /** "exit code 5", "exited with code 5", "exit status=5", "exitcode: 5", "returned 5", "error code 5". */
    private static final Pattern EXIT_CODE = Pattern.compile(
            "(?:exit(?:ed)?(?: with)?\\s*(?:code|status)|returned(?: exit code)?|error code|exiting)\\s*[:=(]?\\s*(\\d{1,3})(?![\\dx])",
            Pattern.CASE_INSENSITIVE);

    /**
     * The cause of a Failed extension from everything it reported: its status message and its substatuses, where a failed
     * MDE.Windows puts the installer's log (Azure/azure-cli #23663: the status says little, the substatus ends with "...
     * for this operating system is not supported").
     */
    public static ReasonCode classify(ExtensionState failed) {
        StringBuilder text = new StringBuilder(failed.statusMessage().orElse(""));
        failed.substatuses().forEach(s -> text.append('\n').append(s));
        return classify(failed.statusCode(), Optional.of(text.toString()));
    }

    /** How much of the installer's log a decision's detail shows: its end, where the installer writes its error. */
    static final int LOG_TAIL = 600;

    /** The extension's own words for a decision's detail: its status message, and the end of the installer's log when there is one. */
    public static String failureDetail(ExtensionState failed) {
        String message = failed.statusMessage().orElse("provisioningState " + failed.provisioningState());
        if (failed.substatuses().isEmpty()) {
            return message;
        }
        String log = String.join(" | ", failed.substatuses()).strip();
        return message + "; installer log: " + (log.length() > LOG_TAIL ? "..." + log.substring(log.length() - LOG_TAIL) : log);
    }

    /**
     * @param code    the instance-view status code, e.g. {@code ProvisioningState/failed/51} (kept for the record; see class doc)
     * @param message the extension's own status message
     * @return one of the EXTENSION_* cause codes; {@link ReasonCode#EXTENSION_OTHER} when nothing matches
     */
    public static ReasonCode classify(Optional<String> code, Optional<String> message) {
        String text = message.orElse("");
        for (Rule r : RULES) {
            if (r.text().matcher(text).find()) {
                return r.code();
            }
        }
        OptionalInt exit = exitCode(text);
        if (exit.isPresent()) {
            for (Rule r : RULES) {
                if (r.exitCodes().contains(exit.getAsInt())) {
                    return r.code();
                }
            }
        }
        return ReasonCode.EXTENSION_OTHER;
    }

    /** Whether retrying the same deployment can help; an unsupported OS will fail the same way every time. */
    public static boolean worthRetrying(ReasonCode cause) {
        return cause != ReasonCode.EXTENSION_OS_NOT_SUPPORTED && cause != ReasonCode.EXTENSION_NOT_OFFBOARDED;
    }

    static OptionalInt exitCode(String message) {
        Matcher m = EXIT_CODE.matcher(message);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
