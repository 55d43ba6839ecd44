package com.mdeonboarding.decide;

import com.mdeonboarding.config.RemediationMode;
import com.mdeonboarding.config.Settings;
import java.time.Duration;
import java.util.Objects;

/**
 * The part of the settings the decision rules read.
 *
 * @param exclusionTag         tag name that excludes a machine when its value is "true" (MDE_EXCLUSION_TAG)
 * @param passiveModeTag       tag name that asks for Defender Antivirus passive mode when "true" (MDE_PASSIVE_MODE_TAG)
 * @param remediationMode      AUDIT reports disabled integration settings; ENFORCE plans to switch them on
 * @param maxExtensionFailures how many Failed outcomes of our own deployments are retried before BLOCKED (MDE_MAX_EXTENSION_FAILURES)
 * @param sensorGrace          how long after the extension first shows Succeeded its sensor may take to appear (MDE_SENSOR_GRACE_MINUTES)
 * @param guestChecks          whether Run Command may be used at all: the read-only checks and passive mode (MDE_GUEST_CHECKS)
 */
public record RulesConfig(String exclusionTag, String passiveModeTag, RemediationMode remediationMode, int maxExtensionFailures,
                          Duration sensorGrace, boolean guestChecks) {
    /** MDE_SENSOR_GRACE_MINUTES' default. */
    public static final Duration DEFAULT_SENSOR_GRACE = Duration.ofMinutes(60);

    /** With the default sensor grace and guest checks on. */
    public RulesConfig(String exclusionTag, String passiveModeTag, RemediationMode remediationMode, int maxExtensionFailures) {
        this(exclusionTag, passiveModeTag, remediationMode, maxExtensionFailures, DEFAULT_SENSOR_GRACE, true);
    }

    public RulesConfig(String exclusionTag, String passiveModeTag, RemediationMode remediationMode, int maxExtensionFailures,
                       Duration sensorGrace) {
        this(exclusionTag, passiveModeTag, remediationMode, maxExtensionFailures, sensorGrace, true);
    }

    public RulesConfig(String exclusionTag, String passiveModeTag, RemediationMode remediationMode, int maxExtensionFailures,
                       boolean guestChecks) {
        this(exclusionTag, passiveModeTag, remediationMode, maxExtensionFailures, DEFAULT_SENSOR_GRACE, guestChecks);
    }

    public RulesConfig {
        Objects.requireNonNull(remediationMode, "remediationMode");
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
        return new RulesConfig(settings.exclusionTag(), settings.passiveModeTag(), settings.remediationMode(),
                settings.maxExtensionFailures(), settings.sensorGracePeriod(), settings.guestChecksEnabled());
    }
}
