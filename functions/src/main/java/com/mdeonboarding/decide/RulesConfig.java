package com.mdeonboarding.decide;

import com.mdeonboarding.config.Canary;
import com.mdeonboarding.config.Mode;
import com.mdeonboarding.config.Settings;
import java.time.Duration;
import java.util.Objects;

/**
 * The part of the settings the decision rules read.
 *
 * @param exclusionTag         tag name that excludes a machine when its value is "true" (MDE_EXCLUSION_TAG)
 * @param passiveModeTag       tag name that asks for Defender Antivirus passive mode when "true" (MDE_PASSIVE_MODE_TAG)
 * @param mode                 MDE_MODE: observe and onboard report disabled integration settings; enforce plans to switch them on
 * @param maxExtensionFailures how many Failed outcomes of our own deployments are retried before BLOCKED (MDE_MAX_EXTENSION_FAILURES)
 * @param sensorGrace          how long after the extension first shows Succeeded its sensor may take to appear (MDE_SENSOR_GRACE_MINUTES)
 * @param guestChecks          whether Run Command may be used at all: the read-only checks and passive mode (MDE_GUEST_CHECKS)
 * @param canary               which machines of the subscriptions in scope are acted on (MDE_SCOPE_INCLUDE_TAG, _RESOURCE_GROUPS,
 *                             _EXCLUDE_RESOURCE_GROUPS, _MACHINES); exclusions win
 * @param reinstallRemoved     whether an MDE extension removed by someone else is deployed again (MDE_REINSTALL_REMOVED)
 */
public record RulesConfig(String exclusionTag, String passiveModeTag, Mode mode, int maxExtensionFailures,
                          Duration sensorGrace, boolean guestChecks, Canary canary, boolean reinstallRemoved) {
    /** MDE_SENSOR_GRACE_MINUTES' default. */
    public static final Duration DEFAULT_SENSOR_GRACE = Duration.ofMinutes(60);

    /** With the default sensor grace and guest checks on. */
    public RulesConfig(String exclusionTag, String passiveModeTag, Mode mode, int maxExtensionFailures) {
        this(exclusionTag, passiveModeTag, mode, maxExtensionFailures, DEFAULT_SENSOR_GRACE, true);
    }

    public RulesConfig(String exclusionTag, String passiveModeTag, Mode mode, int maxExtensionFailures,
                       Duration sensorGrace) {
        this(exclusionTag, passiveModeTag, mode, maxExtensionFailures, sensorGrace, true);
    }

    public RulesConfig(String exclusionTag, String passiveModeTag, Mode mode, int maxExtensionFailures,
                       boolean guestChecks) {
        this(exclusionTag, passiveModeTag, mode, maxExtensionFailures, DEFAULT_SENSOR_GRACE, guestChecks);
    }

    /** Every machine of the subscriptions in scope; a removed extension is not reinstalled. */
    public RulesConfig(String exclusionTag, String passiveModeTag, Mode mode, int maxExtensionFailures, Duration sensorGrace,
                       boolean guestChecks) {
        this(exclusionTag, passiveModeTag, mode, maxExtensionFailures, sensorGrace, guestChecks, Canary.everything(), false);
    }

    public RulesConfig {
        Objects.requireNonNull(mode, "mode");
        canary = canary == null ? Canary.everything() : canary;
        if (exclusionTag == null || exclusionTag.isBlank() || passiveModeTag == null || passiveModeTag.isBlank()) {
            throw new IllegalArgumentException("exclusion and passive-mode tag names must not be blank");
        }
        if (maxExtensionFailures < 1) {
            throw new IllegalArgumentException("maxExtensionFailures must be at least 1");
        }
        if (sensorGrace == null || sensorGrace.isNegative()) {
            throw new IllegalArgumentException("sensorGrace must not be negative");
        }
    }

    public static RulesConfig from(Settings settings) {
        return new RulesConfig(settings.exclusionTag(), settings.passiveModeTag(), settings.mode(),
                settings.maxExtensionFailures(), settings.sensorGracePeriod(), settings.guestChecksEnabled(), settings.canary(),
                settings.reinstallRemoved());
    }
}
