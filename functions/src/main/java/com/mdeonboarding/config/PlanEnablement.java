package com.mdeonboarding.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether this app may enable or upgrade the billed Defender for Servers plan (MDE_PLAN_ENABLEMENT), even in enforce
 * mode: {@code never} (the default: a subscription on Free stays on Free and its machines are reported
 * PLAN_NOT_ENABLED), or the highest plan it may switch a subscription to ({@code P1} or {@code P2}). It never downgrades.
 */
public enum PlanEnablement {
    NEVER, P1, P2;

    public String settingValue() {
        return this == NEVER ? "never" : name();
    }

    /** The plan enforce mode may set on a subscription: MDE_DESIRED_PLAN, capped by this; empty for never. */
    public Optional<DesiredPlan> cap(DesiredPlan desired) {
        return switch (this) {
            case NEVER -> Optional.empty();
            case P1 -> Optional.of(DesiredPlan.P1);
            case P2 -> Optional.of(desired);
        };
    }

    public static Optional<PlanEnablement> parse(String value) {
        for (PlanEnablement p : values()) {
            if (p.settingValue().equalsIgnoreCase(value.trim())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return settingValue().toLowerCase(Locale.ROOT).equals("never") ? "never" : name();
    }
}
