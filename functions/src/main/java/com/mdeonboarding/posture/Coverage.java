package com.mdeonboarding.posture;

import com.mdeonboarding.onboarding.DecisionKind;
import com.mdeonboarding.onboarding.MachineId;
import com.mdeonboarding.onboarding.MachineKind;
import com.mdeonboarding.onboarding.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /** One row of the machines-v1 query. */
    public record MachineRow(MachineId id, Map<String, String> tags, Optional<String> extensionState) {
    }

    /** What the state table says about the machine. */
    public record LastDecision(DecisionKind decision, List<ReasonCode> reasons, Instant updatedAt) {
    }

    /** Posture facts that can unblock machines: plan on, and each integration setting on (when known). */
    public record PostureNow(boolean planOn, Optional<Boolean> wdatpOn, Optional<Boolean> unifiedOn, Optional<Boolean> linuxIncluded) {
    }

    public static Status classify(MachineRow row, Optional<LastDecision> last, String exclusionTag, PostureNow posture, Instant now) {
        String ext = row.extensionState().map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
        if (ext.equals("succeeded")) {
            return Status.ONBOARDED;
        }
        if (tagTrue(row.tags(), exclusionTag) || (row.id().kind() == MachineKind.ARC && tagTrue(row.tags(), "MDFCSecurityConnector"))) {
            return Status.EXCLUDED;
        }
        if (ext.equals("creating") || ext.equals("updating")) {
            boolean stuck = last.map(l -> l.updatedAt().plus(STUCK_AFTER).isBefore(now)).orElse(false);
            return stuck ? Status.NEEDS_JOB : Status.IN_PROGRESS;
        }
        if (last.isEmpty()) {
            return Status.NEEDS_JOB;
        }
        LastDecision l = last.get();
        if ((l.decision() == DecisionKind.DEPLOY || l.decision() == DecisionKind.PENDING) && ext.isEmpty()
                && l.updatedAt().plus(DEPLOY_GRACE).isAfter(now)) {
            return Status.IN_PROGRESS;
        }
        if (l.decision() == DecisionKind.BLOCKED && l.updatedAt().plus(BLOCKED_BACKOFF).isAfter(now) && !unblocked(l.reasons(), posture)) {
            return Status.BACKING_OFF;
        }
        return Status.NEEDS_JOB;
    }

    /** The posture that blocked the machine has been fixed since (by an operator or by enforce mode). */
    static boolean unblocked(List<ReasonCode> reasons, PostureNow p) {
        return (reasons.contains(ReasonCode.PLAN_NOT_ENABLED) && p.planOn())
                || (reasons.contains(ReasonCode.INTEGRATION_DISABLED) && p.wdatpOn().orElse(false))
                || (reasons.contains(ReasonCode.UNIFIED_SOLUTION_DISABLED) && p.unifiedOn().orElse(false))
                || (reasons.contains(ReasonCode.LINUX_INTEGRATION_DISABLED) && p.linuxIncluded().orElse(false));
    }

    static boolean tagTrue(Map<String, String> tags, String name) {
        return tags.entrySet().stream().anyMatch(e -> e.getKey().equalsIgnoreCase(name) && e.getValue() != null
                && "true".equalsIgnoreCase(e.getValue().trim()));
    }
}
