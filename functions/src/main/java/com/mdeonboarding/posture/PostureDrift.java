package com.mdeonboarding.posture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.config.DesiredPlan;
import com.mdeonboarding.onboarding.SubscriptionPosture.PlanExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Desired vs observed subscription posture, as a pure function: which drifts there are, and the one
 * write that fixes each. Never downgrades P2 to P1, and never sends a plan extension the target
 * sub-plan does not support (AgentlessVmScanning is P2-only: the service refuses it on P1).
 */
public final class PostureDrift {
    /** Plan extensions Defender for Servers P1 refuses (Azure-Landing-Zones #1678, reference 2c). */
    static final List<String> P2_ONLY_EXTENSIONS = List.of("AgentlessVmScanning");

    private PostureDrift() {
    }

    public enum Kind {
        /** Defender for Servers is Free: no MDE through Defender for Cloud at all. */
        PLAN_NOT_ENABLED,
        /** Standard, but a lower sub-plan than desired (P1 where P2 is wanted). */
        SUBPLAN_BELOW_DESIRED,
        /** WDATP off: the MDE integration itself. */
        WDATP_DISABLED,
        /** WDATP_UNIFIED_SOLUTION off: Windows Server 2012 R2 / 2016 are not onboarded. */
        UNIFIED_SOLUTION_DISABLED,
        /** WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW not false: Linux is excluded. */
        LINUX_EXCLUDED
    }

    public record Finding(Kind kind, String observed, String desired) {
    }

    /** The plan as read (Resource Graph pricings-v1 or Pricings_Get). */
    public record Plan(String pricingTier, Optional<String> subPlan, String enforce, List<PlanExtension> extensions) {
        public boolean standard() {
            return "Standard".equalsIgnoreCase(pricingTier);
        }
    }

    /** The three integration settings as last read, and when. Empty values: the setting does not exist. */
    public record IntegrationSettings(Optional<Boolean> wdatp, Optional<Boolean> unifiedSolution, Optional<Boolean> excludeLinux,
                                      Instant readAt) {
    }

    public static List<Finding> findings(Plan plan, Optional<IntegrationSettings> settings, DesiredPlan desired) {
        List<Finding> out = new ArrayList<>();
        if (!plan.standard()) {
            out.add(new Finding(Kind.PLAN_NOT_ENABLED, plan.pricingTier(), "Standard " + desired));
        } else if (rank(plan.subPlan()) < rank(Optional.of(desired.name()))) {
            out.add(new Finding(Kind.SUBPLAN_BELOW_DESIRED, plan.subPlan().orElse("(none)"), desired.name()));
        }
        settings.ifPresent(s -> {
            if (!s.wdatp().orElse(false)) {
                out.add(new Finding(Kind.WDATP_DISABLED, text(s.wdatp()), "true"));
            }
            if (!s.unifiedSolution().orElse(false)) {
                out.add(new Finding(Kind.UNIFIED_SOLUTION_DISABLED, text(s.unifiedSolution()), "true"));
            }
            // Inverted: Linux is included only when the exclusion flag exists and is false.
            if (s.excludeLinux().orElse(true)) {
                out.add(new Finding(Kind.LINUX_EXCLUDED, text(s.excludeLinux()), "false"));
            }
        });
        return out;
    }

    /**
     * The pricing properties that fix a plan drift in one write: Standard with the desired sub-plan,
     * the current plan extensions kept except those the target sub-plan does not support.
     */
    public static Optional<ObjectNode> pricingFix(Plan plan, DesiredPlan desired, ObjectMapper json) {
        boolean planDrift = !plan.standard() || rank(plan.subPlan()) < rank(Optional.of(desired.name()));
        if (!planDrift) {
            return Optional.empty();
        }
        ObjectNode p = json.createObjectNode();
        p.put("pricingTier", "Standard");
        p.put("subPlan", desired.name());
        if (!plan.extensions().isEmpty()) {
            ArrayNode ext = p.putArray("extensions");
            for (PlanExtension e : plan.extensions()) {
                if (desired == DesiredPlan.P1 && P2_ONLY_EXTENSIONS.stream().anyMatch(n -> n.equalsIgnoreCase(e.name()))) {
                    continue;
                }
                ext.addObject().put("name", e.name()).put("isEnabled", e.enabled() ? "True" : "False");
            }
        }
        return Optional.of(p);
    }

    /** P1 < P2; Standard without a sub-plan is the legacy full plan, equal to P2. */
    static int rank(Optional<String> subPlan) {
        String s = subPlan.map(v -> v.toUpperCase(Locale.ROOT)).orElse("");
        return switch (s) {
            case "P1" -> 1;
            case "P2", "" -> 2;
            default -> 0;
        };
    }

    private static String text(Optional<Boolean> b) {
        return b.map(String::valueOf).orElse("(not set)");
    }
}
