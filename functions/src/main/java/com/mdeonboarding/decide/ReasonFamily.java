package com.mdeonboarding.decide;

import com.mdeonboarding.model.ReasonCode;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reason codes grouped by who has to act: the dashboard's and {@code list}'s "reason family" filter, and the order of the
 * "act first" list. Every code belongs to exactly one family (a test checks), so a filter by family never loses a machine.
 */
public enum ReasonFamily {
    /** The subscription's Defender for Servers plan or integration settings: one fix unblocks every machine of it. */
    POSTURE("subscription posture (plan, integration settings)"),
    /** The machine itself: not running, its VM or Arc agent not ready or disconnected. */
    MACHINE("machine state (power, VM or Arc agent)"),
    /** The operating system: not supported, or not reported. */
    OS("operating system"),
    /** Found on the machine by the guest check: updates, Defender Antivirus, connectivity, a conflicting agent. */
    GUEST("guest prerequisites (updates, Defender Antivirus, connectivity)"),
    /** The MDE extension: missing, provisioning, failed and why. */
    EXTENSION("MDE extension"),
    /** The Defender for Endpoint sensor: reporting or not. */
    SENSOR("Defender for Endpoint sensor"),
    /** Left alone on purpose: excluded, a connector's, out of scope, gone. */
    SCOPE("scope and exclusions"),
    /** Steps and failures of this tool's own processing. */
    PROCESSING("this tool's processing");

    private static final Set<ReasonCode> POSTURE_CODES = EnumSet.of(ReasonCode.PLAN_NOT_ENABLED, ReasonCode.INTEGRATION_DISABLED,
            ReasonCode.UNIFIED_SOLUTION_DISABLED, ReasonCode.LINUX_INTEGRATION_DISABLED, ReasonCode.SETTING_ENABLED);
    private static final Set<ReasonCode> SCOPE_CODES = EnumSet.of(ReasonCode.EXCLUDED_BY_TAG, ReasonCode.MANAGED_BY_SECURITY_CONNECTOR,
            ReasonCode.OUT_OF_SCOPE, ReasonCode.MACHINE_NOT_FOUND);
    private static final Set<ReasonCode> GUEST_CODES = EnumSet.of(ReasonCode.DEFENDER_AV_NOT_INSTALLED, ReasonCode.DEFENDER_AV_NOT_RUNNING,
            ReasonCode.DEFENDER_AV_DISABLED_BY_POLICY, ReasonCode.MDE_ENDPOINTS_UNREACHABLE, ReasonCode.LINUX_CONFLICTING_AGENT);

    private final String label;

    ReasonFamily(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The family of one reason code. */
    public static ReasonFamily of(ReasonCode c) {
        String n = c.name();
        if (POSTURE_CODES.contains(c)) {
            return POSTURE;
        }
        if (SCOPE_CODES.contains(c)) {
            return SCOPE;
        }
        if (GUEST_CODES.contains(c) || n.startsWith("GUEST_") || n.startsWith("PREREQ_")) {
            return GUEST;
        }
        if (c == ReasonCode.EXTENSION_OS_NOT_SUPPORTED || n.startsWith("OS_")) {
            return OS;
        }
        if (n.startsWith("VM_") || n.startsWith("ARC_")) {
            return MACHINE;
        }
        if (n.startsWith("EXTENSION_")) {
            return EXTENSION;
        }
        if (n.startsWith("SENSOR_")) {
            return SENSOR;
        }
        return PROCESSING;
    }

    /** True when any of the codes is of this family. */
    public boolean any(List<ReasonCode> codes) {
        return codes.stream().anyMatch(c -> of(c) == this);
    }

    /** "posture", "machine", ... as the filters spell them; empty for anything else. */
    public static Optional<ReasonFamily> parse(String s) {
        for (ReasonFamily f : values()) {
            if (f.name().equalsIgnoreCase(s.trim())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    public String parameter() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Codes that say what a machine needs, as opposed to a healthy state (EXTENSION_HEALTHY, SENSOR_ACTIVE) or a step done
     * (SETTING_ENABLED, PASSIVE_MODE_SET): the "why" of the act-first list.
     */
    public static boolean needsSomeone(ReasonCode c) {
        return switch (c) {
            case EXTENSION_HEALTHY, SENSOR_ACTIVE, SETTING_ENABLED, PASSIVE_MODE_SET, PASSIVE_MODE_RUNNING, EXTENSION_PROVISIONING,
                    GUEST_CHECK_RUNNING, SENSOR_AWAITING_FIRST_REPORT, EXTENSION_MISSING -> false;
            default -> true;
        };
    }
}
