package com.mdeonboarding.decide;

import static com.mdeonboarding.decide.TestFacts.AUDIT;
import static com.mdeonboarding.decide.TestFacts.ENFORCE;
import static com.mdeonboarding.decide.TestFacts.arc;
import static com.mdeonboarding.decide.TestFacts.arcLinux;
import static com.mdeonboarding.decide.TestFacts.extension;
import static com.mdeonboarding.decide.TestFacts.failed;
import static com.mdeonboarding.decide.TestFacts.findings;
import static com.mdeonboarding.decide.TestFacts.passed;
import static com.mdeonboarding.decide.TestFacts.posture;
import static com.mdeonboarding.decide.TestFacts.unavailable;
import static com.mdeonboarding.decide.TestFacts.vm;
import static com.mdeonboarding.decide.TestFacts.vmLinux;
import static com.mdeonboarding.model.DecisionKind.BLOCKED;
import static com.mdeonboarding.model.DecisionKind.DEPLOY;
import static com.mdeonboarding.model.DecisionKind.ONBOARDED;
import static com.mdeonboarding.model.DecisionKind.PENDING;
import static com.mdeonboarding.model.DecisionKind.SKIPPED;
import static com.mdeonboarding.model.PlannedAction.DEPLOY_EXTENSION;
import static com.mdeonboarding.model.PlannedAction.ENABLE_UNIFIED_SOLUTION;
import static com.mdeonboarding.model.PlannedAction.ENABLE_WDATP;
import static com.mdeonboarding.model.PlannedAction.INCLUDE_LINUX;
import static com.mdeonboarding.model.PlannedAction.RUN_GUEST_CHECK;
import static com.mdeonboarding.model.PlannedAction.SET_PASSIVE_MODE;
import static com.mdeonboarding.model.ReasonCode.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.config.Mode;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.GuestCheckKind;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.OsType;
import com.mdeonboarding.model.PlannedAction;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.SubscriptionPosture;
import com.mdeonboarding.reconcile.GuestCheckParser;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OnboardingRulesTest {

    private static final SubscriptionPosture OK = posture();

    /** name, facts, posture, config, expected kind, expected reasons (in order), expected actions (in order). */
    private static Arguments row(String name, TestFacts.Builder facts, SubscriptionPosture posture, RulesConfig config,
                                 DecisionKind kind, List<ReasonCode> reasons, List<PlannedAction> actions) {
        return Arguments.of(name, facts.toCase(), posture, config, kind, reasons, actions);
    }

    private static Arguments row(String name, TestFacts.Builder facts, DecisionKind kind, ReasonCode... reasons) {
        return row(name, facts, OK, AUDIT, kind, List.of(reasons), List.of());
    }

    private static final List<PlannedAction> DEPLOY_ONLY = List.of(DEPLOY_EXTENSION);

    static Stream<Arguments> skips() {
        return Stream.of(
                row("exclusion tag true", vm().tag("MdeOnboardingExclude", "true"), SKIPPED, EXCLUDED_BY_TAG),
                row("exclusion tag name and value in other case", vm().tag("mdeonboardingexclude", "TRUE"), SKIPPED, EXCLUDED_BY_TAG),
                row("exclusion tag wins over a healthy extension", vm().tag("MdeOnboardingExclude", "true").extension(extension("Succeeded")),
                        SKIPPED, EXCLUDED_BY_TAG),
                row("exclusion tag false does not exclude", vm().tag("MdeOnboardingExclude", "false"), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("exclusion tag yes does not exclude", vm().tag("MdeOnboardingExclude", "yes"), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("exclusion tag name is configurable", vm().tag("NoMde", "true"),
                        OK, new RulesConfig("NoMde", "MdePassiveMode", com.mdeonboarding.config.Mode.ONBOARD, 3),
                        SKIPPED, List.of(EXCLUDED_BY_TAG), List.of()),
                row("Arc with MDFCSecurityConnector=true", arc().tag("MDFCSecurityConnector", "true"), SKIPPED, MANAGED_BY_SECURITY_CONNECTOR),
                row("Arc with mdfcsecurityconnector=True", arc().tag("mdfcsecurityconnector", "True"), SKIPPED, MANAGED_BY_SECURITY_CONNECTOR),
                row("VM ignores MDFCSecurityConnector", vm().tag("MDFCSecurityConnector", "true"), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("Arc with MDFCSecurityConnector=false", arc().tag("MDFCSecurityConnector", "false"), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), DEPLOY_ONLY));
    }

    static Stream<Arguments> extensionState() {
        return Stream.of(
                row("Succeeded is onboarded", vm().extension(extension("Succeeded")), ONBOARDED, EXTENSION_HEALTHY, SENSOR_UNVERIFIED),
                row("Succeeded lower case", vm().extension(extension("succeeded")), ONBOARDED, EXTENSION_HEALTHY, SENSOR_UNVERIFIED),
                row("Succeeded stays onboarded without a plan", vm().extension(extension("Succeeded")),
                        posture("Free", false, false, true), AUDIT, ONBOARDED, List.of(EXTENSION_HEALTHY, SENSOR_UNVERIFIED), List.of()),
                row("Succeeded stays onboarded on a stopped VM", vm().power("deallocated").extension(extension("Succeeded")),
                        ONBOARDED, EXTENSION_HEALTHY, SENSOR_UNVERIFIED),
                row("Succeeded stays onboarded on an unsupported OS", vm().osName("Windows 10 Pro").extension(extension("Succeeded")),
                        ONBOARDED, EXTENSION_HEALTHY, SENSOR_UNVERIFIED),
                row("Creating is pending", vm().extension(extension("Creating")), PENDING, EXTENSION_PROVISIONING),
                row("Updating is pending", vm().extension(extension("Updating")), PENDING, EXTENSION_PROVISIONING),
                row("Deleting is pending", vm().extension(extension("Deleting")), PENDING, EXTENSION_PROVISIONING),
                row("Creating is pending even without a plan", vm().extension(extension("Creating")),
                        posture("Free", true, true, false), AUDIT, PENDING, List.of(EXTENSION_PROVISIONING), List.of()),
                row("missing extension on a healthy VM deploys", vm(), OK, AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("missing extension on a healthy Arc machine deploys", arc(), OK, AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY));
    }

    static Stream<Arguments> plan() {
        return Stream.of(
                row("Free subscription blocks", vm(), posture("Free", true, true, false), AUDIT, BLOCKED, List.of(PLAN_NOT_ENABLED), List.of()),
                row("Free subscription blocks in enforce mode too", vm(), posture("Free", true, true, false), ENFORCE, BLOCKED,
                        List.of(PLAN_NOT_ENABLED), List.of()),
                row("Free subscription, machine Standard P1 set on it", vm().pricing("Standard", false), posture("Free", true, true, false),
                        AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("Free subscription, machine Standard inherited", vm().pricing("Standard", true), posture("Free", true, true, false),
                        AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("Standard subscription, machine Free set on it", vm().pricing("Free", false), OK, AUDIT, BLOCKED,
                        List.of(PLAN_NOT_ENABLED), List.of()),
                row("Standard subscription, machine Free inherited (stale read) follows the subscription", vm().pricing("Free", true), OK,
                        AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("Standard subscription, machine Standard set on it", arc().pricing("Standard", false), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("Free everywhere on Arc", arc().pricing("Free", true), posture("Free", true, true, false), AUDIT, BLOCKED,
                        List.of(PLAN_NOT_ENABLED), List.of()));
    }

    static Stream<Arguments> operatingSystem() {
        return Stream.of(
                row("VM without osType", vm().os(OsType.UNKNOWN), BLOCKED, OS_UNKNOWN),
                row("Arc without osType and osName", arc().os(OsType.UNKNOWN).osName(null), BLOCKED, OS_UNKNOWN),
                row("Windows VM with nothing to classify", vm().osName(null).osVersion(null).image(null, null, null), BLOCKED, OS_UNKNOWN),
                row("Windows client VM", vm().osName("Windows 10 Enterprise").image("MicrosoftWindowsDesktop", "windows-10", "win10-22h2-ent"),
                        BLOCKED, OS_UNSUPPORTED),
                row("Windows Server 2012 (not R2)", vm().osName("Windows Server 2012 Datacenter").osVersion("6.2.9200"), BLOCKED, OS_UNSUPPORTED),
                row("Linux appliance image", vmLinux().image("paloaltonetworks", "vmseries-flex", "byol"), BLOCKED, OS_UNSUPPORTED),
                row("Arc OpenShift node", arcLinux().osSku("Red Hat Enterprise Linux CoreOS 414 (OpenShift)"), BLOCKED, OS_UNSUPPORTED),
                row("Arc Linux unknown sku", arcLinux().osSku(null), BLOCKED, OS_UNKNOWN),
                row("OS is checked before integration settings", vm().osName("Windows 11 Pro").image(null, null, null),
                        posture("Standard", false, false, true), AUDIT, BLOCKED, List.of(OS_UNSUPPORTED), List.of()),
                row("plan is checked before the OS", vm().os(OsType.UNKNOWN), posture("Free", true, true, false), AUDIT, BLOCKED,
                        List.of(PLAN_NOT_ENABLED), List.of()));
    }

    static Stream<Arguments> integrationSettings() {
        TestFacts.Builder ws2016 = vm().ws2016().guestCheck(passed());
        return Stream.of(
                row("WDATP off, audit", vm(), posture("Standard", false, true, false), AUDIT, BLOCKED, List.of(INTEGRATION_DISABLED), List.of()),
                row("WDATP missing, audit", vm(), posture("Standard", null, true, false), AUDIT, BLOCKED, List.of(INTEGRATION_DISABLED), List.of()),
                row("WDATP off, enforce", vm(), posture("Standard", false, true, false), ENFORCE, DEPLOY,
                        List.of(EXTENSION_MISSING, INTEGRATION_DISABLED), List.of(ENABLE_WDATP, DEPLOY_EXTENSION)),
                row("2016 without unified solution, audit", ws2016, posture("Standard", true, false, false), AUDIT, BLOCKED,
                        List.of(UNIFIED_SOLUTION_DISABLED), List.of()),
                row("2016 without unified solution, enforce", vm().ws2016().guestCheck(passed()), posture("Standard", true, false, false),
                        ENFORCE, DEPLOY, List.of(EXTENSION_MISSING, UNIFIED_SOLUTION_DISABLED), List.of(ENABLE_UNIFIED_SOLUTION, DEPLOY_EXTENSION)),
                row("2012 R2 with both off, audit", vm().ws2012r2(), posture("Standard", false, null, false), AUDIT, BLOCKED,
                        List.of(INTEGRATION_DISABLED, UNIFIED_SOLUTION_DISABLED), List.of()),
                row("2012 R2 with both off, enforce, check pending", vm().ws2012r2(), posture("Standard", false, null, false), ENFORCE, DEPLOY,
                        List.of(EXTENSION_MISSING, INTEGRATION_DISABLED, UNIFIED_SOLUTION_DISABLED),
                        List.of(RUN_GUEST_CHECK, ENABLE_WDATP, ENABLE_UNIFIED_SOLUTION, DEPLOY_EXTENSION)),
                row("2022 does not need the unified solution", vm(), posture("Standard", true, false, false), AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("Linux excluded, audit", vmLinux().guestCheck(passed()), posture("Standard", true, true, true), AUDIT, BLOCKED,
                        List.of(LINUX_INTEGRATION_DISABLED), List.of()),
                row("Linux setting missing counts as excluded", arcLinux().guestCheck(passed()), posture("Standard", true, true, null), AUDIT,
                        BLOCKED, List.of(LINUX_INTEGRATION_DISABLED), List.of()),
                row("Linux excluded and WDATP off, enforce", vmLinux().guestCheck(passed()), posture("Standard", false, false, true), ENFORCE,
                        DEPLOY, List.of(EXTENSION_MISSING, INTEGRATION_DISABLED, LINUX_INTEGRATION_DISABLED),
                        List.of(ENABLE_WDATP, INCLUDE_LINUX, DEPLOY_EXTENSION)),
                row("Windows ignores the Linux setting", vm(), posture("Standard", true, true, true), AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("settings are checked before reachability", vm().power("deallocated"), posture("Standard", false, true, false), AUDIT,
                        BLOCKED, List.of(INTEGRATION_DISABLED), List.of()),
                row("enforce mode still needs a running VM", vm().power("deallocated"), posture("Standard", false, true, false), ENFORCE,
                        BLOCKED, List.of(VM_NOT_RUNNING), List.of()));
    }

    static Stream<Arguments> reachability() {
        return Stream.of(
                row("VM deallocated", vm().power("deallocated"), BLOCKED, VM_NOT_RUNNING),
                row("VM stopped", vm().power("stopped"), BLOCKED, VM_NOT_RUNNING),
                row("VM deallocating", vm().power("deallocating"), BLOCKED, VM_NOT_RUNNING),
                // Transient: PENDING, looked at again shortly (ReconcileRules bounds the wait).
                row("VM starting", vm().power("starting"), PENDING, VM_NOT_RUNNING),
                row("VM power state Running in other case", vm().power("Running"), OK, AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("VM power state unknown", vm().power(null), PENDING, VM_AGENT_NOT_READY),
                row("VM agent not ready", vm().agentReady(false), PENDING, VM_AGENT_NOT_READY),
                row("VM agent status unknown", vm().agentReady(null), PENDING, VM_AGENT_NOT_READY),
                row("VM still Creating, agent not ready yet", vm().provisioning("Creating").agentReady(false), PENDING, VM_AGENT_NOT_READY),
                row("VM Updating though its agent is ready", vm().provisioning("updating"), PENDING, VM_AGENT_NOT_READY),
                row("VM Succeeded", vm().provisioning("Succeeded"), OK, AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("VM Failed provisioning is not waited on", vm().provisioning("Failed"), OK, AUDIT, DEPLOY, List.of(EXTENSION_MISSING),
                        DEPLOY_ONLY),
                row("Arc Disconnected", arc().arcStatus("Disconnected"), BLOCKED, ARC_DISCONNECTED),
                row("Arc Expired", arc().arcStatus("Expired"), BLOCKED, ARC_EXPIRED),
                row("Arc Error", arc().arcStatus("Error"), BLOCKED, ARC_ERROR),
                row("Arc status missing", arc().arcStatus(null), BLOCKED, ARC_NOT_CONNECTED),
                row("Arc Connecting", arcLinux().arcStatus("Connecting"), PENDING, ARC_NOT_CONNECTED),
                row("Arc AwaitingConnection", arc().arcStatus("AwaitingConnection"), PENDING, ARC_NOT_CONNECTED),
                row("Arc status of an unknown kind", arc().arcStatus("Sleeping"), BLOCKED, ARC_NOT_CONNECTED),
                row("Arc connected (lower case)", arc().arcStatus("connected"), OK, AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("Arc ignores VM power state", arc().power(null).agentReady(null), OK, AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("Failed extension on a stopped VM waits for the VM", vm().power("deallocated").extension(failed("boom")),
                        BLOCKED, VM_NOT_RUNNING));
    }

    /** MDE_GUEST_CHECKS=off: no Run Command is planned, ever (issue #18 item 9). */
    private static final RulesConfig NO_RUN_COMMAND = new RulesConfig("MdeOnboardingExclude", "MdePassiveMode",
            com.mdeonboarding.config.Mode.ONBOARD, 3, false);

    static Stream<Arguments> guestChecks() {
        return Stream.of(
                row("guest checks off: 2016 deploys without the check, and says so", vm().ws2016(), OK, NO_RUN_COMMAND, DEPLOY,
                        List.of(EXTENSION_MISSING, GUEST_CHECKS_OFF), DEPLOY_ONLY),
                row("guest checks off: Linux deploys without the check", vmLinux(), OK, NO_RUN_COMMAND, DEPLOY,
                        List.of(EXTENSION_MISSING, GUEST_CHECKS_OFF), DEPLOY_ONLY),
                row("guest checks off: a check stored earlier is not used either", vm().ws2012r2().guestCheck(findings(PREREQ_KB2999226_MISSING)),
                        OK, NO_RUN_COMMAND, DEPLOY, List.of(EXTENSION_MISSING, GUEST_CHECKS_OFF), DEPLOY_ONLY),
                row("guest checks off: a modern server needs no check and gets no reason", vm(), OK, NO_RUN_COMMAND, DEPLOY,
                        List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("2016 first deployment without a check runs it", vm().ws2016(), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), List.of(RUN_GUEST_CHECK, DEPLOY_EXTENSION)),
                row("2012 R2 first deployment without a check runs it", vm().ws2012r2(), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), List.of(RUN_GUEST_CHECK, DEPLOY_EXTENSION)),
                row("Arc 2012 R2 without a check runs it", arc().osSku("Windows Server 2012 R2 Standard").osVersion("6.3.9600"), OK, AUDIT,
                        DEPLOY, List.of(EXTENSION_MISSING), List.of(RUN_GUEST_CHECK, DEPLOY_EXTENSION)),
                // Arc run commands need the Connected Machine agent 1.33 or later (learn: Run command REST prerequisites).
                row("Arc 2012 R2 with agent 1.33 runs the check", arc().osSku("Windows Server 2012 R2 Standard").osVersion("6.3.9600")
                        .agentVersion("1.33.02574.1097"), OK, AUDIT, DEPLOY, List.of(EXTENSION_MISSING), List.of(RUN_GUEST_CHECK, DEPLOY_EXTENSION)),
                row("Arc 2012 R2 with agent 1.32 deploys without the check", arc().osSku("Windows Server 2012 R2 Standard")
                        .osVersion("6.3.9600").agentVersion("1.32.02466.1083"), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING, GUEST_CHECK_UNAVAILABLE), DEPLOY_ONLY),
                row("Arc Linux with agent 1.9 deploys without the check", arcLinux().agentVersion("1.9"), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING, GUEST_CHECK_UNAVAILABLE), DEPLOY_ONLY),
                row("Arc with an unreadable agent version still tries", arcLinux().agentVersion("unknown"), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), List.of(RUN_GUEST_CHECK, DEPLOY_EXTENSION)),
                row("Arc passive mode with agent 1.30 cannot be set", arc().agentVersion("1.30.02372.1107").tag("MdePassiveMode", "true"),
                        BLOCKED, PASSIVE_MODE_FAILED),
                row("2016 passed check deploys", vm().ws2016().guestCheck(passed()), OK, AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("2012 R2 missing KB2999226 blocks", vm().ws2012r2().guestCheck(findings(PREREQ_KB2999226_MISSING)), BLOCKED,
                        PREREQ_KB2999226_MISSING),
                row("2012 R2 missing both KBs blocks with both", vm().ws2012r2().guestCheck(findings(PREREQ_KB2999226_MISSING,
                        PREREQ_KB3080149_MISSING)), BLOCKED, PREREQ_KB2999226_MISSING, PREREQ_KB3080149_MISSING),
                row("2016 outdated SSU and Defender off", vm().ws2016().guestCheck(findings(PREREQ_SSU_OUTDATED, DEFENDER_AV_NOT_RUNNING)),
                        BLOCKED, PREREQ_SSU_OUTDATED, DEFENDER_AV_NOT_RUNNING),
                row("2016 check could not run: deploy anyway", vm().ws2016().guestCheck(unavailable()), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING, GUEST_CHECK_UNAVAILABLE), DEPLOY_ONLY),
                row("2016 after a failure without a check runs it", vm().ws2016().extension(failed("unexpected")).failures(1), OK, AUDIT,
                        DEPLOY, List.of(EXTENSION_RETRY, EXTENSION_OTHER), List.of(RUN_GUEST_CHECK, DEPLOY_EXTENSION)),
                row("2016 after a failure with findings blocks on them", vm().ws2016().extension(failed("unexpected")).failures(1)
                        .guestCheck(findings(PREREQ_LCU_OUTDATED)), BLOCKED, PREREQ_LCU_OUTDATED),
                row("2016 after a failure with a passed check retries", vm().ws2016().extension(failed("unexpected")).failures(1)
                        .guestCheck(passed()), OK, AUDIT, DEPLOY, List.of(EXTENSION_RETRY, EXTENSION_OTHER), DEPLOY_ONLY),
                row("Linux first deployment without a check runs it", vmLinux(), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), List.of(RUN_GUEST_CHECK, DEPLOY_EXTENSION)),
                row("Arc Linux conflicting agent blocks", arcLinux().guestCheck(findings(LINUX_CONFLICTING_AGENT)), BLOCKED,
                        LINUX_CONFLICTING_AGENT),
                row("Linux check unavailable deploys", vmLinux().guestCheck(unavailable()), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING, GUEST_CHECK_UNAVAILABLE), DEPLOY_ONLY),
                row("Linux after a failure: no new check", vmLinux().extension(failed("timed out")).failures(1), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_RETRY, EXTENSION_CONNECTIVITY), DEPLOY_ONLY),
                row("2022 needs no check", vm(), OK, AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("multi-session needs no check", vm().osName("Windows 11 Enterprise multi-session").image("MicrosoftWindowsDesktop",
                        "windows-11", "win11-23h2-avd"), OK, AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("a stopped VM is not checked", vm().ws2016().power("stopped"), BLOCKED, VM_NOT_RUNNING));
    }

    static Stream<Arguments> passiveMode() {
        return Stream.of(
                row("guest checks off: a machine tagged for passive mode waits (passive mode needs Run Command)",
                        vm().tag("MdePassiveMode", "true"), OK, NO_RUN_COMMAND, BLOCKED, List.of(GUEST_CHECKS_OFF), List.of()),
                row("Windows with passive tag", vm().tag("MdePassiveMode", "true"), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), List.of(SET_PASSIVE_MODE, DEPLOY_EXTENSION)),
                row("passive tag name and value in other case", arc().tag("mdepassivemode", "True"), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), List.of(SET_PASSIVE_MODE, DEPLOY_EXTENSION)),
                row("passive tag false", vm().tag("MdePassiveMode", "false"), OK, AUDIT, DEPLOY, List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("Linux ignores the passive tag", vmLinux().guestCheck(passed()).tag("MdePassiveMode", "true"), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_MISSING), DEPLOY_ONLY),
                row("passive mode is set again on retry", vm().tag("MdePassiveMode", "true").extension(failed("x")).failures(1), OK, AUDIT,
                        DEPLOY, List.of(EXTENSION_RETRY, EXTENSION_OTHER), List.of(SET_PASSIVE_MODE, DEPLOY_EXTENSION)),
                row("healthy extension: no passive mode step", vm().tag("MdePassiveMode", "true").extension(extension("Succeeded")),
                        ONBOARDED, EXTENSION_HEALTHY, SENSOR_UNVERIFIED),
                row("all actions in order", vm().ws2016().tag("MdePassiveMode", "true"), posture("Standard", false, false, true), ENFORCE,
                        DEPLOY, List.of(EXTENSION_MISSING, INTEGRATION_DISABLED, UNIFIED_SOLUTION_DISABLED),
                        List.of(RUN_GUEST_CHECK, ENABLE_WDATP, ENABLE_UNIFIED_SOLUTION, SET_PASSIVE_MODE, DEPLOY_EXTENSION)));
    }

    static Stream<Arguments> failures() {
        String unsupported = "Failed to configure Microsoft Defender for Endpoint: Onboarding to MDE via Microsoft Defender for Cloud"
                + " for this operating system is not supported";
        return Stream.of(
                row("first failure retries", vm().extension(failed("something odd")).failures(0), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_RETRY, EXTENSION_OTHER), DEPLOY_ONLY),
                row("second failure retries with the cause", vm().extension(failed("Protected Setting defenderForEndpointOnboardingScript"
                        + " does not exist")).failures(2), OK, AUDIT, DEPLOY, List.of(EXTENSION_RETRY, EXTENSION_ONBOARDING_PACKAGE), DEPLOY_ONLY),
                row("failures at the limit block", vm().extension(failed("something odd")).failures(3), BLOCKED, EXTENSION_FAILED, EXTENSION_OTHER),
                row("failures over the limit block", vm().extension(failed("proxy timed out")).failures(7), BLOCKED, EXTENSION_FAILED,
                        EXTENSION_CONNECTIVITY),
                row("limit is configurable", vm().extension(failed("x")).failures(1), OK,
                        new RulesConfig("MdeOnboardingExclude", "MdePassiveMode", com.mdeonboarding.config.Mode.ONBOARD, 1),
                        BLOCKED, List.of(EXTENSION_FAILED, EXTENSION_OTHER), List.of()),
                row("OS not supported is not retried", vm().extension(failed(unsupported)).failures(0), BLOCKED, EXTENSION_FAILED,
                        EXTENSION_OS_NOT_SUPPORTED),
                row("Linux unsupported distro is not retried", vmLinux().extension(failed("exited with code 10 ERR_UNSUPPORTED_DISTRO"))
                        .failures(0), BLOCKED, EXTENSION_FAILED, EXTENSION_OS_NOT_SUPPORTED),
                row("Linux conflicting apps retried with cause", arcLinux().extension(failed("found conflicting applications: [x], aborting"))
                        .failures(1), OK, AUDIT, DEPLOY, List.of(EXTENSION_RETRY, EXTENSION_CONFLICTING_AGENT), DEPLOY_ONLY),
                row("Canceled counts as failed", vm().extension(extension("Canceled")).failures(0), OK, AUDIT, DEPLOY,
                        List.of(EXTENSION_RETRY, EXTENSION_OTHER), DEPLOY_ONLY),
                row("blocked at the limit before any guest check", vm().ws2016().extension(failed("KB3080149 installation failed")).failures(3),
                        BLOCKED, EXTENSION_FAILED, EXTENSION_PREREQUISITES_MISSING),
                row("retry in enforce mode enables settings", vm().extension(failed("x")).failures(1), posture("Standard", false, true, false),
                        ENFORCE, DEPLOY, List.of(EXTENSION_RETRY, EXTENSION_OTHER, INTEGRATION_DISABLED), List.of(ENABLE_WDATP, DEPLOY_EXTENSION)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"skips", "extensionState", "plan", "operatingSystem", "integrationSettings", "reachability", "guestChecks",
            "passiveMode", "failures"})
    void decides(String name, TestFacts.Case facts, SubscriptionPosture posture, RulesConfig config, DecisionKind kind,
                 List<ReasonCode> reasons, List<PlannedAction> actions) {
        Decision d = TestFacts.decide(facts, posture, config);
        assertEquals(kind, d.kind(), () -> "kind; decision was " + d);
        assertEquals(reasons, d.reasons(), () -> "reasons; decision was " + d);
        assertEquals(actions, d.actions(), () -> "actions; decision was " + d);
    }

    @Test
    void failedDecisionCarriesTheExtensionsOwnMessage() {
        String message = "Failed to configure Microsoft Defender for Endpoint: Onboarding to MDE via Microsoft Defender for Cloud"
                + " for this operating system is not supported";
        Decision d = TestFacts.decide(vm().extension(failed(message)).toCase(), OK, AUDIT);
        assertEquals(message, d.detail().orElseThrow());
        Decision retry = TestFacts.decide(vm().extension(failed("odd")).toCase(), OK, AUDIT);
        assertTrue(retry.detail().orElseThrow().contains("extension: odd"), retry.toString());
    }

    @Test
    void blockedDecisionsExplainWhatWasSeen() {
        assertTrue(TestFacts.decide(vm().osName("Windows 10 Pro").image(null, null, null).toCase(), OK, AUDIT)
                .detail().orElseThrow().contains("Windows 10 Pro"));
        assertTrue(TestFacts.decide(vm().power("deallocated").toCase(), OK, AUDIT).detail().orElseThrow().contains("deallocated"));
        assertTrue(TestFacts.decide(vm().ws2012r2().guestCheck(findings(PREREQ_KB2999226_MISSING)).toCase(), OK, AUDIT)
                .detail().orElseThrow().contains("PREREQ_KB2999226_MISSING"));
    }

    @Test
    void anArcAgentTooOldForRunCommandsSaysToUpgradeIt() {
        String detail = TestFacts.decide(arcLinux().agentVersion("1.30.02372.1107").toCase(), OK, AUDIT).detail().orElseThrow();
        assertTrue(detail.contains("guest check: the Connected Machine agent 1.30.02372.1107 is older than 1.33"), detail);
        assertTrue(detail.contains("upgrade the Connected Machine agent"), detail);
        String passive = TestFacts.decide(arc().agentVersion("1.2").tag("MdePassiveMode", "true").toCase(), OK, AUDIT).detail().orElseThrow();
        assertTrue(passive.startsWith("passive mode: the Connected Machine agent 1.2 is older than 1.33"), passive);
    }

    @Test
    void onlyDeployDecisionsCarryActions() {
        Stream.of(skips(), extensionState(), plan(), operatingSystem(), integrationSettings(), reachability(), guestChecks(),
                        passiveMode(), failures())
                .flatMap(s -> s)
                .map(a -> TestFacts.decide((TestFacts.Case) a.get()[1], (SubscriptionPosture) a.get()[2], (RulesConfig) a.get()[3]))
                .forEach(d -> assertEquals(d.kind() == DEPLOY, !d.actions().isEmpty(), d.toString()));
    }

    @Test
    void rerunningWithTheGuestCheckResultIsTheSecondStep() {
        TestFacts.Case first = vm().ws2012r2().toCase();
        assertEquals(RUN_GUEST_CHECK, TestFacts.decide(first, OK, AUDIT).actions().get(0));
        GuestCheckResult result = GuestCheckParser.parse("{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"windows-downlevel\","
                + "\"os\":\"2012R2\",\"hotfixes\":[\"KB3080149\"],\"ucrt\":false,\"endpoints\":{}}", GuestCheckKind.WINDOWS_2012_R2, TestFacts.NOW);
        Decision second = TestFacts.decide(new TestFacts.Case(first.facts(), first.memory().withGuestCheck(result)), OK, AUDIT);
        assertEquals(BLOCKED, second.kind());
        assertEquals(List.of(PREREQ_KB2999226_MISSING), second.reasons());
    }

    @Test
    void ourOwnDeploymentInFlightIsPendingNotASecondPut() {
        TestFacts.Case c = vm().toCase();
        Remembered inFlight = new Remembered(0, java.util.Optional.empty(), java.util.Optional.of(TestFacts.NOW), true);
        Decision d = TestFacts.decide(new TestFacts.Case(c.facts(), inFlight), OK, AUDIT);
        assertEquals(PENDING, d.kind());
        assertEquals(List.of(EXTENSION_PROVISIONING), d.reasons());
        assertEquals(List.of(), d.actions());
        assertTrue(d.detail().orElseThrow().contains("not visible yet"), d.toString());
        // Blocking rules still win: a stopped VM is not PENDING just because we wrote to it.
        Decision stopped = TestFacts.decide(new TestFacts.Case(vm().power("deallocated").build(), inFlight), OK, AUDIT);
        assertEquals(BLOCKED, stopped.kind());
    }
}
