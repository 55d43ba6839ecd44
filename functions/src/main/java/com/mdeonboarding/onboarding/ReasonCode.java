package com.mdeonboarding.onboarding;

/**
 * Stable reason codes: operators filter, alert and script on these names, so never rename one.
 * Each carries the sentence an operator reads: what is wrong and what to do.
 */
public enum ReasonCode {
    // Healthy / in progress
    EXTENSION_HEALTHY("The MDE extension is installed and provisioned successfully."),
    EXTENSION_MISSING("The MDE extension is not installed; it will be deployed."),
    EXTENSION_PROVISIONING("The MDE extension is being provisioned; the outcome will be checked again shortly."),
    EXTENSION_RETRY("The MDE extension failed to provision; it will be deployed again."),

    // Subscription posture
    PLAN_NOT_ENABLED("Defender for Servers (Plan 1 or Plan 2) is not enabled for this machine's subscription or for the machine itself; enable it in Defender for Cloud > Environment settings."),
    INTEGRATION_DISABLED("The Defender for Endpoint integration (setting WDATP) is off for this subscription; turn on 'Endpoint protection' in Defender for Cloud, or run in enforce mode."),
    UNIFIED_SOLUTION_DISABLED("Windows Server 2012 R2 and 2016 need the unified solution (setting WDATP_UNIFIED_SOLUTION), which is off for this subscription; enable it, or run in enforce mode."),
    LINUX_INTEGRATION_DISABLED("Linux machines are excluded from the Defender for Endpoint integration (WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW is not false); include Linux in Defender for Cloud, or run in enforce mode."),

    // Operating system
    OS_UNSUPPORTED("This operating system is not supported by Defender for Endpoint onboarding through Defender for Cloud (e.g. Windows client SKUs, end-of-life Windows Server or Linux releases, appliance images)."),
    OS_UNKNOWN("Azure does not report this machine's operating system yet (the VM agent or Arc agent has not sent it); it will be checked again. Make sure the agent is running."),

    // Machine reachability
    VM_NOT_RUNNING("The VM is not running; start it and it will be onboarded (extensions can only be installed on a running VM)."),
    VM_AGENT_NOT_READY("The VM agent is not reporting Ready; extensions cannot be installed until it does. Check the Azure VM agent (WindowsAzureGuestAgent / waagent) on the machine."),
    ARC_DISCONNECTED("The Arc machine is Disconnected: its Connected Machine agent has not sent a heartbeat for 15 minutes or more. Check the himds service and connectivity to Azure Arc."),
    ARC_EXPIRED("The Arc machine's status is Expired (disconnected for 45 days or more); disconnect and reconnect it with azcmagent before it can be managed again."),
    ARC_ERROR("The Arc machine's agent reports an error; run 'azcmagent show' and 'azcmagent check' on the machine."),

    // Deliberate skips
    EXCLUDED_BY_TAG("The machine carries the exclusion tag and is deliberately left alone."),
    MANAGED_BY_SECURITY_CONNECTOR("The Arc machine carries MDFCSecurityConnector=true: it is onboarded by a Defender for Cloud multicloud connector, not by this tool."),
    OUT_OF_SCOPE("The machine's subscription is outside the configured scope (MDE_SCOPE_SUBSCRIPTIONS / MDE_SCOPE_MANAGEMENT_GROUP / MDE_SCOPE_EXCLUDE_SUBSCRIPTIONS)."),
    MACHINE_NOT_FOUND("The machine no longer exists (or this identity cannot read it)."),

    // Guest prerequisite checks (Run Command, read-only)
    GUEST_CHECK_UNAVAILABLE("The guest prerequisite check could not run (agent not ready or Run Command unavailable); onboarding continues without it."),
    PREREQ_KB2999226_MISSING("Windows Server 2012 R2 lacks KB2999226 (Universal C Runtime), which the Defender Antivirus service needs; install it or a recent monthly rollup."),
    PREREQ_KB3080149_MISSING("Windows Server 2012 R2 lacks KB3080149 (telemetry update), which the EDR sensor needs; install it or a recent monthly rollup."),
    PREREQ_SSU_OUTDATED("Windows Server 2016 needs the servicing stack update of 2021-09-14 or later; install the latest SSU."),
    PREREQ_LCU_OUTDATED("Windows Server 2016 needs a cumulative update of 2018-09-20 or later; install the latest cumulative update."),
    DEFENDER_AV_NOT_INSTALLED("The Microsoft Defender Antivirus feature is not installed; install it (Install-WindowsFeature Windows-Defender) and update it."),
    DEFENDER_AV_NOT_RUNNING("The Microsoft Defender Antivirus service (WinDefend) is not running; start it or find what stops it."),
    DEFENDER_AV_DISABLED_BY_POLICY("Microsoft Defender Antivirus is disabled by policy (DisableAntiSpyware); remove that policy, or use passive mode if another antivirus is primary."),
    MDE_ENDPOINTS_UNREACHABLE("The machine cannot reach the Defender for Endpoint service endpoints; allow them through the proxy or firewall."),
    LINUX_CONFLICTING_AGENT("A security agent that conflicts with Defender for Endpoint on Linux is running (fanotify user, ds_agent, cbsensor or MFEcma); remove it or configure coexistence first."),

    // Extension outcomes
    EXTENSION_FAILED("The MDE extension failed to provision repeatedly; see the classified cause and the extension's own message."),
    EXTENSION_OS_NOT_SUPPORTED("The extension reports that onboarding this operating system through Defender for Cloud is not supported."),
    EXTENSION_PREREQUISITES_MISSING("The extension reports missing prerequisites (updates or the Defender Antivirus feature on Windows Server 2012 R2/2016)."),
    EXTENSION_DEFENDER_DISABLED("The extension reports that Microsoft Defender Antivirus is disabled (often by group policy)."),
    EXTENSION_CONNECTIVITY("The extension could not reach the Defender for Endpoint service or package repositories; check proxy and firewall."),
    EXTENSION_CONFLICTING_AGENT("The extension reports a conflicting security agent on the machine."),
    EXTENSION_ONBOARDING_PACKAGE("The extension did not receive a valid onboarding package; check Microsoft.Security/mdeOnboardings for the subscription."),
    EXTENSION_OTHER("The extension failed for a reason not classified; read its message."),

    // Steps recorded along the way
    PASSIVE_MODE_SET("ForceDefenderPassiveMode was set because the machine carries the passive-mode tag."),
    PASSIVE_MODE_FAILED("Setting ForceDefenderPassiveMode through Run Command failed; onboarding waits so that Defender does not start in active mode beside another antivirus."),
    SETTING_ENABLED("An MDE integration setting was switched on for the subscription (enforce mode)."),

    // Errors in our own processing
    JOB_FAILED("Processing this machine failed repeatedly (see the last error); the job is in the poison queue and was recorded here.");

    private final String sentence;

    ReasonCode(String sentence) {
        this.sentence = sentence;
    }

    /** What an operator should read: what is wrong and what to do. */
    public String sentence() {
        return sentence;
    }
}
