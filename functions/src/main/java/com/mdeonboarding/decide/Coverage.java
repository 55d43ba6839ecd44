package com.mdeonboarding.decide;

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
        /** Carries the exclusion tag (or is a Defender for Cloud connector machine). */
        EXCLUDED,
        /** Last decision BLOCKED, back-off not over, nothing relevant changed. */
        BACKING_OFF,
        /** Missing, failed or stuck: gets an onboarding job. */
        NEEDS_JOB
    }

    public static Status classify(MachineRow row, Optional<MachineRecord> last, String exclusionTag, SubscriptionPosture posture,
                                  Instant now) {
        String ext = row.extensionState().orElse("");
        boolean excluded = OnboardingRules.excluded(row.tags(), exclusionTag)
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

    /** The posture that blocked the machine has been fixed since (by an operator or by enforce mode). */
    static boolean unblocked(List<ReasonCode> reasons, SubscriptionPosture p) {
        return (reasons.contains(ReasonCode.PLAN_NOT_ENABLED) && p.standard())
                || (reasons.contains(ReasonCode.INTEGRATION_DISABLED) && p.satisfied(IntegrationSetting.WDATP))
                || (reasons.contains(ReasonCode.UNIFIED_SOLUTION_DISABLED) && p.satisfied(IntegrationSetting.WDATP_UNIFIED_SOLUTION))
                || (reasons.contains(ReasonCode.LINUX_INTEGRATION_DISABLED)
                        && p.satisfied(IntegrationSetting.WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW));
    }
}
