package com.mdeonboarding.model;

/**
 * Stable reason codes: operators filter, alert and script on these names, so never rename one.
 * Each carries the sentence an operator reads: what is wrong and what to do.
 */
public enum ReasonCode {
    // Healthy / in progress
    EXTENSION_HEALTHY("The MDE extension is installed and provisioned successfully; nothing to do."),
    EXTENSION_MISSING("The MDE extension is not installed; it will be deployed."),
    EXTENSION_PROVISIONING("The MDE extension is being provisioned; the outcome will be checked again shortly."),
    EXTENSION_RETRY("The MDE extension failed to provision; it will be deployed again (the next reason code is the classified cause)."),
    EXTENSION_WRITE_CONFLICT("Resource Manager refused the extension write with 409 Conflict: another writer (Defender for Cloud's"
            + " own provisioning, a policy remediation) or another operation on the machine is in progress. Nothing is written"
            + " over it; the machine is looked at again shortly."),

    // The Defender for Endpoint sensor (the device record(s) of the machine, joined by Azure resource ID)
    SENSOR_ACTIVE("The machine's Defender for Endpoint device is onboarded and Active: its sensor reports, so the machine is"
            + " protected; nothing to do."),
    SENSOR_AWAITING_FIRST_REPORT("The MDE extension succeeded and the machine has not appeared as a Defender for Endpoint device"
            + " yet (a new device usually shows within minutes); it is checked again until MDE_SENSOR_GRACE_MINUTES have passed"
            + " since the extension first succeeded."),
    SENSOR_NOT_SEEN("No Defender for Endpoint device has appeared for this machine within MDE_SENSOR_GRACE_MINUTES after the"
            + " extension succeeded. It is re-deployed once with forceReOnboarding; if the device still does not appear, check the"
            + " machine's connectivity to the Defender for Endpoint endpoints (port 443, through its proxy if it has one: run the"
            + " client analyzer, or 'mdatp connectivity test' on Linux) and that the onboarding package belongs to this tenant's"
            + " Defender for Endpoint (Defender for Cloud > Environment settings > integrations). A device shown in the portal"
            + " without the machine's Azure resource ID is never matched by name."),
    SENSOR_INACTIVE("The machine's Defender for Endpoint device is Inactive: its sensor has stopped reporting (a device goes"
            + " Inactive after 7 days without a signal). Check that the machine runs, that the Defender for Endpoint service"
            + " (Sense on Windows, mdatp on Linux) is running, and its connectivity to the Defender for Endpoint endpoints."),
    SENSOR_IMPAIRED_COMMUNICATION("The machine's Defender for Endpoint device reports impaired communications: the sensor cannot"
            + " reach every Defender for Endpoint endpoint it needs. Allow them through the firewall or proxy, and check with the"
            + " client analyzer (or 'mdatp connectivity test' on Linux)."),
    SENSOR_NO_DATA("The machine's Defender for Endpoint device reports no sensor data (NoSensorData or"
            + " NoSensorDataImpairedCommunication): the sensor is onboarded but sends no telemetry. Check that the Defender for"
            + " Endpoint service is running and not disabled by policy, that the DiagTrack (Connected User Experiences and"
            + " Telemetry) service runs on Windows, and the machine's connectivity."),
    SENSOR_UNVERIFIED("Whether the machine's Defender for Endpoint sensor reports was not checked, so the decision rests on the"
            + " extension's state alone; the detail says why (MDE_SENSOR_CHECK=off, the app's identity lacks the Machine.Read.All"
            + " permission of the WindowsDefenderATP API: run infra/grant-defender-api-permission.sh, or the API could not be"
            + " reached or had no call to spare)."),

    // Subscription posture
    PLAN_NOT_ENABLED("Defender for Servers (Plan 1 or Plan 2) is not on for this machine: its subscription is on the Free tier,"
            + " or the plan is switched off on the machine itself (resource-level pricing Free). Enable it in Defender for Cloud"
            + " > Environment settings, or remove the machine's own pricing setting."),
    INTEGRATION_DISABLED("The Defender for Endpoint integration (setting WDATP) is off for this subscription; turn on 'Endpoint"
            + " protection' in Defender for Cloud > Environment settings > Defender plans > Servers, or set"
            + " MDE_MODE=enforce to let this tool switch it on."),
    UNIFIED_SOLUTION_DISABLED("Windows Server 2012 R2 and 2016 need the unified solution (setting WDATP_UNIFIED_SOLUTION), which is"
            + " off for this subscription; enable it in Defender for Cloud, or set MDE_MODE=enforce."),
    LINUX_INTEGRATION_DISABLED("Linux machines are excluded from the Defender for Endpoint integration (setting"
            + " WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW is not false); include Linux in Defender for Cloud, or set MDE_MODE=enforce."),

    // Operating system
    OS_UNSUPPORTED("This operating system is not supported by Defender for Endpoint onboarding through Defender for Cloud (for"
            + " example Windows client editions, Windows Server 2012 or older, Hyper-V Server, Linux releases MDE does not"
            + " list, or appliance images); the detail names the rule that matched. Exclude the machine by tag or onboard it another way."),
    OS_UNKNOWN("The operating system is not reported yet (the VM agent or Arc agent has not sent it) or cannot be identified from"
            + " what Azure reports (shown in the detail); nothing is deployed on a guess. Make sure the agent is running; the"
            + " machine is checked again on the next pass."),

    // Machine reachability
    VM_NOT_RUNNING("The VM is not running; extensions can only be installed on a running VM, so start it and it will be onboarded."),
    VM_AGENT_NOT_READY("The VM agent is not reporting Ready (or the VM's instance view does not show its power state or agent"
            + " status yet); extensions cannot be installed until it does. Check the Azure VM agent (WindowsAzureGuestAgent or"
            + " waagent) on the machine."),
    ARC_DISCONNECTED("The Arc machine is Disconnected: its Connected Machine agent has sent no heartbeat for 15 to 30 minutes or"
            + " more. Check the himds service and the machine's connectivity to Azure Arc ('azcmagent check')."),
    ARC_EXPIRED("The Arc machine's status is Expired (disconnected for 45 days or more); disconnect and reconnect it with"
            + " azcmagent before it can be managed again."),
    ARC_ERROR("The Arc machine's agent reports an error; run 'azcmagent show' and 'azcmagent check' on the machine."),
    ARC_NOT_CONNECTED("The Arc machine's status is not Connected (still connecting, or not reported); extensions can only be"
            + " installed on a Connected machine. Check the Connected Machine agent with 'azcmagent show'; it is checked again on the next pass."),

    // Deliberate skips
    EXCLUDED_BY_TAG("The machine carries the exclusion tag (MDE_EXCLUSION_TAG) with the value true and is deliberately left"
            + " alone; remove the tag to have it onboarded."),
    MANAGED_BY_SECURITY_CONNECTOR("The Arc machine carries MDFCSecurityConnector=true: it is onboarded by a Defender for Cloud"
            + " multicloud connector, not by this tool; nothing to do here."),
    EXCLUDED_BY_RESOURCE_GROUP("The machine's resource group is listed in MDE_SCOPE_EXCLUDE_RESOURCE_GROUPS, so it is deliberately"
            + " left alone (an exclusion wins over every include setting); remove the group from that list to have it onboarded."),
    OUTSIDE_CANARY("The machine is outside the canary scope: it lacks the MDE_SCOPE_INCLUDE_TAG tag, or is not in a resource group"
            + " of MDE_SCOPE_RESOURCE_GROUPS, or is not listed in MDE_SCOPE_MACHINES (each that is set must hold). It is left"
            + " alone until the canary scope is widened."),
    EXTENSION_REMOVED("The MDE extension was on this machine and was removed by someone else (the detail says who and when, when"
            + " the delete event said); it is not reinstalled, so a deliberate removal is respected (change control). Set"
            + " MDE_REINSTALL_REMOVED=on, or request a manual reconcile of the machine, to have it deployed again."),
    OUT_OF_SCOPE("The machine's subscription is outside the configured scope (MDE_SCOPE_SUBSCRIPTIONS / MDE_SCOPE_MANAGEMENT_GROUP"
            + " / MDE_SCOPE_EXCLUDE_SUBSCRIPTIONS); change the scope settings to include it."),
    MACHINE_NOT_FOUND("The machine no longer exists, or this tool's identity cannot read it; if it exists, grant the identity"
            + " Reader on it."),

    // Guest prerequisite checks (Run Command, read-only)
    GUEST_CHECK_RUNNING("The read-only guest prerequisite check is running on the machine through Run Command (in Azure"
            + " usually 20 to 90 seconds). No worker waits for it: the machine is looked at again until it ends, and onboarding"
            + " then continues with its result. A Run Command that is lost or does not end is started once more; after that,"
            + " onboarding continues without the check (GUEST_CHECK_UNAVAILABLE)."),
    GUEST_CHECK_UNAVAILABLE("The read-only guest prerequisite check could not run or its output could not be read (agent not"
            + " ready, Run Command unavailable or blocked); onboarding continues without it, and the extension's own status"
            + " will show a missing prerequisite."),
    GUEST_CHECKS_OFF("Guest checks and passive mode are switched off (MDE_GUEST_CHECKS=off), so no Run Command reaches this"
            + " machine: its prerequisites are not checked before onboarding (the extension's own status will show a missing"
            + " one), and a machine tagged for passive mode (MDE_PASSIVE_MODE_TAG) waits, since ForceDefenderPassiveMode cannot"
            + " be set. Turn MDE_GUEST_CHECKS on (and assign the Guest Checks role), or set ForceDefenderPassiveMode on the"
            + " machine yourself and remove the tag."),
    PREREQ_KB2999226_MISSING("Windows Server 2012 R2 lacks KB2999226 (Universal C Runtime), which the Defender Antivirus service"
            + " needs; install KB2999226 (after its prerequisite KB2919355) and onboarding will continue."),
    PREREQ_KB3080149_MISSING("Windows Server 2012 R2 lacks KB3080149 (update for customer experience and diagnostic telemetry),"
            + " which the EDR sensor needs; install KB3080149 (after its prerequisite KB2919355) and onboarding will continue."),
    PREREQ_SSU_OUTDATED("Windows Server 2016 needs the servicing stack update of 2021-09-14 or later; install the latest"
            + " servicing stack update."),
    PREREQ_LCU_OUTDATED("Windows Server 2016 needs the cumulative update of 2018-09-20 (KB4457127, build 14393.2515) or later;"
            + " install the latest cumulative update."),
    DEFENDER_AV_NOT_INSTALLED("The Microsoft Defender Antivirus feature is not installed on this Windows Server 2016 machine;"
            + " install it (Install-WindowsFeature Windows-Defender), restart if asked, and update it."),
    DEFENDER_AV_NOT_RUNNING("The Microsoft Defender Antivirus service (WinDefend) is not running; start it, or find what stops it."),
    DEFENDER_AV_DISABLED_BY_POLICY("Microsoft Defender Antivirus is disabled by policy (DisableAntiSpyware under"
            + " HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender), and the MDE installer refuses to run while it is set;"
            + " remove that policy, and tag the machine for passive mode if another antivirus is primary."),
    MDE_ENDPOINTS_UNREACHABLE("The machine cannot reach the Defender for Endpoint service (winatp-gw-*.microsoft.com or"
            + " events.data.microsoft.com on port 443); allow them through the firewall or proxy, or configure a static proxy"
            + " (netsh winhttp or the TelemetryProxyServer policy)."),
    LINUX_CONFLICTING_AGENT("A security agent that makes Defender for Endpoint on Linux refuse to install is running (a fanotify"
            + " user, ds_agent, cbsensor, MFEcma or mfetpd; the detail names it); remove or stop it before onboarding."),

    // Extension outcomes
    EXTENSION_FAILED("The MDE extension failed to provision repeatedly, or for a reason a retry cannot fix, and is no longer"
            + " retried automatically; fix the classified cause (the next reason code) using the extension's own message in"
            + " the detail, then request a manual reconcile."),
    EXTENSION_OS_NOT_SUPPORTED("The extension reports that onboarding this operating system through Defender for Cloud is not"
            + " supported (for example a Windows client edition); it is not retried. Exclude the machine by tag."),
    EXTENSION_PREREQUISITES_MISSING("The extension reports missing prerequisites (Windows Server 2012 R2/2016: updates, the"
            + " Defender Antivirus feature or a pending restart; Linux: CPU, memory, disk or package dependencies); install"
            + " them and restart if asked."),
    EXTENSION_DEFENDER_DISABLED("The extension reports that Microsoft Defender Antivirus is disabled (usually by the"
            + " DisableAntiSpyware group policy); remove that policy."),
    EXTENSION_CONNECTIVITY("The extension could not reach the Defender for Endpoint service or its package repositories;"
            + " allow them through the firewall or proxy."),
    EXTENSION_CONFLICTING_AGENT("The extension reports a conflicting security agent on the machine; remove or stop it before"
            + " onboarding."),
    EXTENSION_NOT_OFFBOARDED("The installer reports that the machine is still onboarded to Defender for Endpoint another way"
            + " (ERR_NOT_OFFBOARDED, code 35: for example through the Microsoft Monitoring Agent); offboard it first, then"
            + " request a manual reconcile. It is not retried automatically."),
    EXTENSION_ONBOARDING_PACKAGE("The extension did not receive a valid onboarding package; check that"
            + " Microsoft.Security/mdeOnboardings returns one for the subscription (Defender for Servers and the integration on)."),
    EXTENSION_OTHER("The extension failed for a reason not classified; read its message in the detail and the extension's"
            + " log on the machine (C:\\WindowsAzure\\Logs\\Plugins\\Microsoft.Azure.AzureDefenderForServers.MDE.Windows,"
            + " or /var/log/azure/ on Linux)."),

    // Steps recorded along the way
    PASSIVE_MODE_RUNNING("ForceDefenderPassiveMode is being set through Run Command, because the machine carries the"
            + " passive-mode tag (MDE_PASSIVE_MODE_TAG); the machine is looked at again until the Run Command ends, then the"
            + " extension is deployed. A Run Command that is lost or does not end is started once more; after that, onboarding"
            + " waits (PASSIVE_MODE_FAILED)."),
    PASSIVE_MODE_SET("ForceDefenderPassiveMode was set because the machine carries the passive-mode tag (MDE_PASSIVE_MODE_TAG)."),
    PASSIVE_MODE_FAILED("Setting ForceDefenderPassiveMode through Run Command failed; onboarding waits so that Defender does"
            + " not start in active mode beside another antivirus. Check Run Command on the machine; it is tried again on the next pass."),
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
