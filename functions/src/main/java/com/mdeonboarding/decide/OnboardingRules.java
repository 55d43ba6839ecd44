package com.mdeonboarding.decide;

import com.mdeonboarding.config.Canary;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.IntegrationSetting;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.OsType;
import com.mdeonboarding.model.PlannedAction;
import com.mdeonboarding.model.Reach;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.ResourcePricing;
import com.mdeonboarding.model.SensorFacts;
import com.mdeonboarding.model.SubscriptionPosture;
import com.mdeonboarding.model.Tags;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pure decision for one machine: facts + what our record remembers + subscription posture + configuration in,
 * {@link Decision} out.
 * No I/O, no clock. Rules run in this order and the first that blocks or settles the machine wins:
 * <ol>
 *   <li>skips: exclusion tag; outside the canary scope ({@link #outsideCanary}); Arc machines onboarded by a Defender for Cloud connector ({@code MDFCSecurityConnector=true});</li>
 *   <li>existing extension: Succeeded is ONBOARDED (even if a prerequisite no longer holds) when its sensor reports, or as
 *       {@link SensorRules} says otherwise; in progress is PENDING;</li>
 *   <li>plan: Defender for Servers on for the subscription or the machine;</li>
 *   <li>operating system ({@link OsSupport});</li>
 *   <li>integration settings: AUDIT blocks, ENFORCE plans to switch them on (the original codes stay in the reasons,
 *       so the history says why a setting was changed; the shell records SETTING_ENABLED once it has done it);</li>
 *   <li>reachability: running VM with a Ready agent, Connected Arc machine (PENDING while that may still come);</li>
 *   <li>a Failed extension: retried up to {@code maxExtensionFailures}, never when the OS is reported unsupported;</li>
 *   <li>guest prerequisite check (2012 R2 / 2016 before the first deployment and after a failure, Linux before the first),
 *       when Run Command can reach the guest ({@link RunCommandSupport});</li>
 *   <li>passive mode, then DEPLOY; but PENDING while our own deployment is still on its way (not visible yet).</li>
 * </ol>
 * A Failed extension that has used up its retries is BLOCKED before any new guest check, so a machine that was given
 * up on costs no Run Command on every sweep.
 */
public final class OnboardingRules {

    /** Policy 37c043a6 / 4eb909e7 skip Arc machines tagged MDFCSecurityConnector=true (multicloud connector machines). */
    static final String SECURITY_CONNECTOR_TAG = "MDFCSecurityConnector";

    private OnboardingRules() {
    }

    public static Decision decide(MachineFacts facts, Remembered memory, SubscriptionPosture posture, RulesConfig config,
                                  SensorFacts sensor) {
        // 1. Deliberate skips.
        if (excluded(facts.tags(), config.exclusionTag())) {
            return Decision.of(DecisionKind.SKIPPED, ReasonCode.EXCLUDED_BY_TAG);
        }
        Optional<ReasonCode> canary = outsideCanary(facts.id(), facts.tags(), config.canary());
        if (canary.isPresent()) {
            return new Decision(DecisionKind.SKIPPED, List.of(canary.get()), List.of(), Optional.of(config.canary().describe()));
        }
        if (facts.kind() == MachineKind.ARC && managedBySecurityConnector(facts.tags())) {
            return Decision.of(DecisionKind.SKIPPED, ReasonCode.MANAGED_BY_SECURITY_CONNECTOR);
        }

        // 2. An existing extension settles it (policy existenceCondition: provisioningState == Succeeded), as far as the
        // extension goes: whether its sensor reports decides the rest.
        Optional<ExtensionState> extension = facts.mdeExtension();
        if (extension.isPresent() && extension.get().succeeded()) {
            return SensorRules.judge(facts, memory, sensor, posture, config);
        }
        if (extension.isPresent() && extension.get().inProgress()) {
            return new Decision(DecisionKind.PENDING, List.of(ReasonCode.EXTENSION_PROVISIONING), List.of(),
                    Optional.of("provisioningState " + extension.get().provisioningState()));
        }

        // 3. Plan.
        if (!planEnabled(facts, posture)) {
            return blocked(List.of(ReasonCode.PLAN_NOT_ENABLED), "subscription pricingTier " + posture.plan().pricingTier()
                    + facts.resourcePricing().map(p -> ", machine pricingTier " + p.pricingTier()
                    + (p.inherited() ? " (inherited)" : " (set on the machine)")).orElse(""));
        }

        // 4. Operating system.
        OsSupport.Verdict os = OsSupport.classify(facts);
        if (os.level() == OsSupport.Level.UNKNOWN) {
            return blocked(List.of(ReasonCode.OS_UNKNOWN), os.rule());
        }
        if (os.level() == OsSupport.Level.UNSUPPORTED) {
            return blocked(List.of(ReasonCode.OS_UNSUPPORTED), os.rule());
        }

        // 5. Integration settings (policies da56d295, 48666c5d, f9e2bd2f).
        List<ReasonCode> settings = new ArrayList<>();
        Set<PlannedAction> actions = EnumSet.noneOf(PlannedAction.class);
        if (!posture.satisfied(IntegrationSetting.WDATP)) {
            settings.add(ReasonCode.INTEGRATION_DISABLED);
            actions.add(PlannedAction.ENABLE_WDATP);
        }
        if (os.level() == OsSupport.Level.SUPPORTED_DOWNLEVEL && !posture.satisfied(IntegrationSetting.WDATP_UNIFIED_SOLUTION)) {
            settings.add(ReasonCode.UNIFIED_SOLUTION_DISABLED);
            actions.add(PlannedAction.ENABLE_UNIFIED_SOLUTION);
        }
        if (os.osType() == OsType.LINUX && !posture.satisfied(IntegrationSetting.WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW)) {
            settings.add(ReasonCode.LINUX_INTEGRATION_DISABLED);
            actions.add(PlannedAction.INCLUDE_LINUX);
        }
        if (!settings.isEmpty() && !config.mode().writesPosture()) {
            return blocked(settings, "subscription " + posture.subscriptionId() + " (" + config.mode().settingValue()
                    + " mode: settings are reported, not changed)");
        }

        // 6. Reachability: extensions install only on a running VM with a Ready agent, or a Connected Arc machine.
        Optional<Decision> unreachable = reachability(facts);
        if (unreachable.isPresent()) {
            return unreachable.get();
        }

        // 7. Missing, or Failed: retry a bounded number of times, and never when the OS is reported unsupported.
        List<ReasonCode> reasons = new ArrayList<>();
        List<String> detail = new ArrayList<>();
        if (extension.isEmpty()) {
            reasons.add(ReasonCode.EXTENSION_MISSING);
        } else {
            ExtensionState failed = extension.get();
            ReasonCode cause = ExtensionFailureClassifier.classify(failed);
            String message = ExtensionFailureClassifier.failureDetail(failed);
            if (!ExtensionFailureClassifier.worthRetrying(cause) || memory.extensionFailures() >= config.maxExtensionFailures()) {
                return blocked(List.of(ReasonCode.EXTENSION_FAILED, cause), message);
            }
            reasons.add(ReasonCode.EXTENSION_RETRY);
            reasons.add(cause);
            detail.add("extension: " + message);
        }
        reasons.addAll(settings);

        // 8. Guest prerequisite check, when Run Command is allowed (MDE_GUEST_CHECKS) and can reach the guest (Arc: agent
        // 1.33 or later).
        Optional<String> noRunCommand = RunCommandSupport.unavailable(facts.reach());
        if (needsGuestCheck(os, extension)) {
            Optional<GuestCheckResult> check = memory.guestCheck();
            if (!config.guestChecks()) {
                reasons.add(ReasonCode.GUEST_CHECKS_OFF);
                detail.add("guest check: not run (MDE_GUEST_CHECKS=off)");
            } else if (check.isEmpty() && noRunCommand.isPresent()) {
                reasons.add(ReasonCode.GUEST_CHECK_UNAVAILABLE);
                detail.add("guest check: " + noRunCommand.get());
            } else if (check.isEmpty()) {
                actions.add(PlannedAction.RUN_GUEST_CHECK);
            } else if (!check.get().ran()) {
                reasons.add(ReasonCode.GUEST_CHECK_UNAVAILABLE);
                detail.add("guest check: " + check.get().summary());
            } else if (!check.get().findings().isEmpty()) {
                return blocked(check.get().findings(), check.get().summary());
            }
        }

        // 9. Passive mode (Windows only: MDE.Linux from Defender for Cloud starts in passive mode already, section 2a),
        // whenever we are about to PUT the extension: idempotent, and it covers a tag added after a failure.
        if (os.osType() == OsType.WINDOWS && Tags.isTrue(facts.tags(), config.passiveModeTag())) {
            if (!config.guestChecks()) {
                return blocked(List.of(ReasonCode.GUEST_CHECKS_OFF), "passive mode: tagged " + config.passiveModeTag()
                        + ", but Run Command is off (MDE_GUEST_CHECKS=off)");
            }
            if (noRunCommand.isPresent()) {
                return blocked(List.of(ReasonCode.PASSIVE_MODE_FAILED), "passive mode: " + noRunCommand.get());
            }
            actions.add(PlannedAction.SET_PASSIVE_MODE);
        }
        // 10. Our own PUT can still be on its way: do not deploy twice while its extension is not visible yet.
        if (memory.ourDeployInFlight()) {
            return new Decision(DecisionKind.PENDING, List.of(ReasonCode.EXTENSION_PROVISIONING), List.of(),
                    Optional.of(memory.lastDeployAt().map(t -> "our deployment at " + t + " is not visible yet")
                            .orElse("another job claimed the machine to deploy it a moment ago")));
        }
        actions.add(PlannedAction.DEPLOY_EXTENSION);
        detail.add("os: " + os.rule());
        // EnumSet iterates in declaration order, which is the order the shell carries the actions out.
        return new Decision(DecisionKind.DEPLOY, reasons, List.copyOf(actions), Optional.of(String.join("; ", detail)));
    }

    /**
     * The canary scope (MDE_SCOPE_*): empty when the machine is in it. An excluded resource group wins over every include;
     * then each include that is set must hold: the include tag, the resource group list, the machine list.
     */
    public static Optional<ReasonCode> outsideCanary(MachineId id, Map<String, String> tags, Canary canary) {
        if (!canary.narrows()) {
            return Optional.empty();
        }
        String rg = id.resourceGroup().toLowerCase(Locale.ROOT);
        if (canary.excludedResourceGroups().contains(rg)) {
            return Optional.of(ReasonCode.EXCLUDED_BY_RESOURCE_GROUP);
        }
        boolean tagged = canary.includeTag().map(t -> tags.entrySet().stream().anyMatch(e -> e.getKey() != null && e.getValue() != null
                && e.getKey().trim().equalsIgnoreCase(t.name()) && e.getValue().trim().equalsIgnoreCase(t.value()))).orElse(true);
        boolean inGroups = canary.resourceGroups().isEmpty() || canary.resourceGroups().contains(rg);
        boolean listed = canary.machines().isEmpty() || canary.machines().contains(id.key());
        return tagged && inGroups && listed ? Optional.empty() : Optional.of(ReasonCode.OUTSIDE_CANARY);
    }

    /**
     * Standard for the subscription, or at the machine's own scope. A setting made on the machine itself
     * ({@code inherited=false}) wins: resource-level Free switches the plan off for that machine even under a
     * Standard subscription, and resource-level Standard (P1) switches it on under a Free one (section 4).
     */
    static boolean planEnabled(MachineFacts facts, SubscriptionPosture posture) {
        Optional<ResourcePricing> machine = facts.resourcePricing();
        if (machine.isPresent() && !machine.get().inherited()) {
            return machine.get().standard();
        }
        return posture.standard() || machine.map(ResourcePricing::standard).orElse(false);
    }

    /**
     * VM: power state must be "running" and the VM agent Ready; Arc: status Connected. States that clear up on their own
     * are PENDING, not BLOCKED: a write event arrives when Resource Manager accepts the VM's PUT, while the VM is still
     * Creating or Updating, before its instance view shows a power state or a Ready agent, or while it is starting; an
     * Arc machine is AwaitingConnection (Az.ConnectedMachine IMachine.Status) or Connecting before its agent connects.
     * {@link ReconcileRules#requeueAfter} looks again shortly, {@link ReconcileRules#boundTransient} makes them BLOCKED
     * once the short back-off is used up.
     */
    static Optional<Decision> reachability(MachineFacts facts) {
        return facts.reach() instanceof Reach.Vm vm ? vmReachability(vm) : arcReachability((Reach.Arc) facts.reach());
    }

    private static Optional<Decision> vmReachability(Reach.Vm vm) {
        Optional<String> provisioning = vm.provisioningState()
                .filter(s -> s.equalsIgnoreCase("Creating") || s.equalsIgnoreCase("Updating"));
        if (provisioning.isPresent()) {
            return Optional.of(pending(ReasonCode.VM_AGENT_NOT_READY, "VM provisioningState " + provisioning.get()));
        }
        Optional<String> power = vm.powerState().filter(s -> !s.isBlank());
        if (power.isEmpty()) {
            return Optional.of(pending(ReasonCode.VM_AGENT_NOT_READY, "power state unknown (no instance view yet)"));
        }
        if (power.get().equalsIgnoreCase("starting")) {
            return Optional.of(pending(ReasonCode.VM_NOT_RUNNING, "powerState starting"));
        }
        if (!power.get().equalsIgnoreCase("running")) {
            return Optional.of(blocked(List.of(ReasonCode.VM_NOT_RUNNING), "powerState " + power.get()));
        }
        if (!vm.agentReady().orElse(false)) {
            return Optional.of(pending(ReasonCode.VM_AGENT_NOT_READY,
                    vm.agentReady().isEmpty() ? "VM agent status unknown" : "VM agent not Ready"));
        }
        return Optional.empty();
    }

    private static Optional<Decision> arcReachability(Reach.Arc arc) {
        String status = arc.status().orElse("").trim();
        String detail = "Arc status " + (status.isEmpty() ? "unknown" : status);
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "connected" -> Optional.empty();
            case "awaitingconnection", "connecting" -> Optional.of(pending(ReasonCode.ARC_NOT_CONNECTED, detail));
            case "disconnected", "offline" -> Optional.of(blocked(List.of(ReasonCode.ARC_DISCONNECTED), detail));
            case "expired" -> Optional.of(blocked(List.of(ReasonCode.ARC_EXPIRED), detail));
            case "error" -> Optional.of(blocked(List.of(ReasonCode.ARC_ERROR), detail));
            default -> Optional.of(blocked(List.of(ReasonCode.ARC_NOT_CONNECTED), detail));
        };
    }

    /** Waiting on a state that clears up on its own (see {@link #reachability}). */
    private static Decision pending(ReasonCode reason, String detail) {
        return new Decision(DecisionKind.PENDING, List.of(reason), List.of(), Optional.of(detail));
    }

    /** 2012 R2 / 2016: before the first deployment and after a failure. Linux: before the first deployment. */
    static boolean needsGuestCheck(OsSupport.Verdict os, Optional<ExtensionState> extension) {
        if (os.guestCheck().isEmpty()) {
            return false;
        }
        return extension.isEmpty() || os.level() == OsSupport.Level.SUPPORTED_DOWNLEVEL;
    }

    /** The exclusion tag: the sweep and the reconciler must agree on it, so both ask here. */
    public static boolean excluded(java.util.Map<String, String> tags, String exclusionTag) {
        return Tags.isTrue(tags, exclusionTag);
    }

    /** Arc machines onboarded by a Defender for Cloud multicloud connector. */
    public static boolean managedBySecurityConnector(java.util.Map<String, String> tags) {
        return Tags.isTrue(tags, SECURITY_CONNECTOR_TAG);
    }

    private static Decision blocked(List<ReasonCode> reasons, String detail) {
        return new Decision(DecisionKind.BLOCKED, reasons, List.of(), Optional.ofNullable(detail).filter(d -> !d.isBlank()));
    }
}
