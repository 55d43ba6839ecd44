package com.mdeonboarding.decide;

import com.mdeonboarding.config.Canary;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.IntegrationSetting;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.MachineRow;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.SubscriptionPosture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which machines a sweep sends to the reconciler, as a pure function of what Resource Graph shows
 * now and the machine's last recorded decision. Blocked machines are re-checked only after a back-off
 * or when the posture that blocked them has changed, so a sweep does not hammer Azure.
 */
public final class Coverage {
    /** A BLOCKED machine is looked at again after this long even if nothing we can see changed. */
    public static final Duration BLOCKED_BACKOFF = Duration.ofHours(24);
    /** Provisioning longer than this is stuck. */
    public static final Duration STUCK_AFTER = Duration.ofHours(1);
    /** Our own deployment may take this long to show in Resource Graph. */
    public static final Duration DEPLOY_GRACE = Duration.ofMinutes(15);

    private Coverage() {
    }

    public enum Status {
        /** The MDE extension is Succeeded. */
        ONBOARDED,
        /** Provisioning is under way and not stuck, or our deployment is not visible yet. */
        IN_PROGRESS,
        /** Carries the exclusion tag, is outside the canary scope, or is a Defender for Cloud connector machine. */
        EXCLUDED,
        /** Last decision BLOCKED, back-off not over, nothing relevant changed. */
        BACKING_OFF,
        /** Missing, failed or stuck: gets an onboarding job. */
        NEEDS_JOB
    }

    public static Status classify(MachineRow row, Optional<MachineRecord> last, String exclusionTag, SubscriptionPosture posture,
                                  Instant now) {
        return classify(row, last, exclusionTag, Canary.everything(), posture, now);
    }

    /** As above, a machine outside the canary scope ({@link OnboardingRules#outsideCanary}) counting as excluded. */
    public static Status classify(MachineRow row, Optional<MachineRecord> last, String exclusionTag, Canary canary,
                                  SubscriptionPosture posture, Instant now) {
        String ext = row.extensionState().orElse("");
        boolean excluded = OnboardingRules.excluded(row.tags(), exclusionTag)
                || OnboardingRules.outsideCanary(row.id(), row.tags(), canary).isPresent()
                || (row.id().kind() == MachineKind.ARC && OnboardingRules.managedBySecurityConnector(row.tags()));
        if (ExtensionState.succeeded(ext) && !excluded) {
            // Azure says onboarded; a row that says otherwise (a claim or PENDING left by a killed run, a machine once
            // not found) is stale and gets a job that corrects it. A BLOCKED one backs off like any other.
            if (last.isEmpty() || last.get().kind() == DecisionKind.ONBOARDED) {
                return Status.ONBOARDED;
            }
            if (last.get().kind() != DecisionKind.BLOCKED) {
                return Status.NEEDS_JOB;
            }
        }
        if (excluded) {
            return Status.EXCLUDED;
        }
        if (ExtensionState.inProgress(ext)) {
            boolean stuck = last.map(l -> l.written().updatedAt().plus(STUCK_AFTER).isBefore(now)).orElse(false);
            return stuck ? Status.NEEDS_JOB : Status.IN_PROGRESS;
        }
        if (last.isEmpty()) {
            return Status.NEEDS_JOB;
        }
        MachineRecord l = last.get();
        Instant updatedAt = l.written().updatedAt();
        // Only a deployment that was sent earns the grace: a bare claim (DEPLOY written before the PUT) whose job died
        // must not hide the machine; the reconciler tells a live claim from a dead one.
        boolean deploymentSent = l.extension().lastDeployAt().filter(t -> t.plus(DEPLOY_GRACE).isAfter(now)).isPresent();
        if ((l.kind() == DecisionKind.DEPLOY || l.kind() == DecisionKind.PENDING) && ext.isEmpty() && deploymentSent) {
            return Status.IN_PROGRESS;
        }
        if (l.kind() == DecisionKind.BLOCKED && updatedAt.plus(BLOCKED_BACKOFF).isAfter(now) && !unblocked(l.reasons(), posture)) {
            return Status.BACKING_OFF;
        }
        return Status.NEEDS_JOB;
    }

    /** The order a report lists coverage in: protected first, then on its way, then needing someone. */
    public static final List<DecisionKind> REPORT_ORDER = List.of(DecisionKind.ONBOARDED, DecisionKind.PENDING, DecisionKind.DEPLOY,
            DecisionKind.BLOCKED, DecisionKind.SKIPPED);

    /**
     * The machine's coverage in the decision vocabulary, as a sweep sees it before any job of its own ran: the extension
     * Succeeded is ONBOARDED, excluded is SKIPPED, provisioning is PENDING, a block whose back-off runs is BLOCKED; a machine
     * that gets a job is DEPLOY (missing or failed extension) unless it was BLOCKED and nothing that blocked it changed (its
     * re-check will most likely say so again). The reconciles that follow replace it with their decisions where the caller
     * waits for them (the command line).
     */
    public static DecisionKind reported(Status status, Optional<MachineRecord> last, SubscriptionPosture posture) {
        return switch (status) {
            case ONBOARDED -> DecisionKind.ONBOARDED;
            case EXCLUDED -> DecisionKind.SKIPPED;
            case IN_PROGRESS -> DecisionKind.PENDING;
            case BACKING_OFF -> DecisionKind.BLOCKED;
            case NEEDS_JOB -> last.filter(l -> l.kind() == DecisionKind.BLOCKED && !unblocked(l.reasons(), posture)).isPresent()
                    ? DecisionKind.BLOCKED : DecisionKind.DEPLOY;
        };
    }

    /** The posture that blocked the machine has been fixed since (by an operator or by enforce mode). */
    static boolean unblocked(List<ReasonCode> reasons, SubscriptionPosture p) {
        return (reasons.contains(ReasonCode.PLAN_NOT_ENABLED) && p.standard())
                || (reasons.contains(ReasonCode.INTEGRATION_DISABLED) && p.satisfied(IntegrationSetting.WDATP))
                || (reasons.contains(ReasonCode.UNIFIED_SOLUTION_DISABLED) && p.satisfied(IntegrationSetting.WDATP_UNIFIED_SOLUTION))
                || (reasons.contains(ReasonCode.LINUX_INTEGRATION_DISABLED)
                        && p.satisfied(IntegrationSetting.WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW));
    }
}
