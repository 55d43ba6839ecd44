package com.mdeonboarding.decide;

import com.mdeonboarding.config.DesiredPlan;
import com.mdeonboarding.model.IntegrationSetting;
import com.mdeonboarding.model.IntegrationSettings;
import com.mdeonboarding.model.Plan.PlanExtension;
import com.mdeonboarding.model.Plan;
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
        PLAN_NOT_ENABLED(null),
        /** Standard, but a lower sub-plan than desired (P1 where P2 is wanted). */
        SUBPLAN_BELOW_DESIRED(null),
        /** WDATP off: the MDE integration itself. */
        WDATP_DISABLED(IntegrationSetting.WDATP),
        /** WDATP_UNIFIED_SOLUTION off: Windows Server 2012 R2 / 2016 are not onboarded. */
        UNIFIED_SOLUTION_DISABLED(IntegrationSetting.WDATP_UNIFIED_SOLUTION),
        /** WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW not false: Linux is excluded. */
        LINUX_EXCLUDED(IntegrationSetting.WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW);

        private final IntegrationSetting setting;

        Kind(IntegrationSetting setting) {
            this.setting = setting;
        }

        /** The setting whose write fixes this drift; empty for plan drift. */
        public Optional<IntegrationSetting> setting() {
            return Optional.ofNullable(setting);
        }

        static Kind of(IntegrationSetting s) {
            for (Kind k : values()) {
                if (k.setting == s) {
                    return k;
                }
            }
            throw new IllegalArgumentException(s.name());
        }
    }

    public record Finding(Kind kind, String observed, String desired) {
    }

    /** Drift of the plan, and of the settings when they are known (unknown settings are reported as unknown, not as drift). */
    public static List<Finding> findings(Plan plan, Optional<IntegrationSettings> settings, DesiredPlan desired) {
        List<Finding> out = new ArrayList<>();
        if (!plan.standard()) {
            out.add(new Finding(Kind.PLAN_NOT_ENABLED, plan.pricingTier(), "Standard " + desired));
        } else if (rank(plan.subPlan()) < rank(Optional.of(desired.name()))) {
            out.add(new Finding(Kind.SUBPLAN_BELOW_DESIRED, plan.subPlan().orElse("(none)"), desired.name()));
        }
        settings.ifPresent(s -> {
            for (IntegrationSetting setting : IntegrationSetting.values()) {
                if (!s.satisfied(setting)) {
                    out.add(new Finding(Kind.of(setting), s.value(setting).map(String::valueOf).orElse("(not set)"),
                            String.valueOf(setting.desiredValue())));
                }
            }
        });
        return out;
    }

    /**
     * The plan that fixes a plan drift in one write: Standard with the desired sub-plan, the current plan extensions
     * kept except those the target sub-plan does not support. Empty when the plan is already as desired (or better).
     */
    public static Optional<Plan> planFix(Plan plan, DesiredPlan desired) {
        boolean planDrift = !plan.standard() || rank(plan.subPlan()) < rank(Optional.of(desired.name()));
        if (!planDrift) {
            return Optional.empty();
        }
        List<PlanExtension> kept = plan.extensions().stream()
                .filter(e -> desired != DesiredPlan.P1 || P2_ONLY_EXTENSIONS.stream().noneMatch(n -> n.equalsIgnoreCase(e.name())))
                .toList();
        return Optional.of(new Plan("Standard", Optional.of(desired.name()), plan.enforce(), kept));
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
}
