package com.mdeonboarding.config;

import java.util.Locale;
import java.util.Optional;

/**
 * How far the app may act (MDE_MODE), the rungs of the rollout ladder (README "Rolling out"):
 * <ul>
 *   <li>{@code observe}: read, decide, and record what would be done; write nothing to Azure at all;</li>
 *   <li>{@code onboard}: deploy the MDE extension to machines; report subscription posture drift, change none of it;</li>
 *   <li>{@code enforce}: also switch on the MDE integration settings, and give excluded machines resource-level pricing
 *       Free. Enabling or upgrading a billed plan needs MDE_PLAN_ENABLEMENT as well ({@link PlanEnablement}).</li>
 * </ul>
 * Replaces MDE_REMEDIATION_MODE, whose values are read for one more release ({@link #fromLegacy}).
 */
public enum Mode {
    OBSERVE, ONBOARD, ENFORCE;

    /** The value as MDE_MODE spells it. */
    public String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether machines may be written to: the MDE extension, passive mode (Run Command's read-only checks are not writes). */
    public boolean writesMachines() {
        return this != OBSERVE;
    }

    /** Whether subscription posture may be written: integration settings, resource-level pricing of excluded machines. */
    public boolean writesPosture() {
        return this == ENFORCE;
    }

    /** MDE_MODE's value, case-insensitive. */
    public static Optional<Mode> parse(String value) {
        for (Mode m : values()) {
            if (m.settingValue().equalsIgnoreCase(value.trim())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The deprecated MDE_REMEDIATION_MODE's values: audit deployed extensions and reported posture (onboard), enforce is enforce. */
    public static Optional<Mode> fromLegacy(String remediationMode) {
        return switch (remediationMode.trim().toLowerCase(Locale.ROOT)) {
            case "audit" -> Optional.of(ONBOARD);
            case "enforce" -> Optional.of(ENFORCE);
            default -> Optional.empty();
        };
    }
}
