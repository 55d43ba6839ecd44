package com.mdeonboarding.model;

import java.util.Optional;

/**
 * The three Defender for Cloud settings ({@code Microsoft.Security/settings}, kind DataExportSettings) that the MDE
 * integration needs, with the value each must have. The one place that knows the Linux flag is inverted.
 */
public enum IntegrationSetting {
    /** The MDE integration itself. */
    WDATP("WDATP", true),
    /** Needed for Windows Server 2012 R2 and 2016 (the unified solution). */
    WDATP_UNIFIED_SOLUTION("WDATP_UNIFIED_SOLUTION", true),
    /** Inverted: {@code false} means Linux IS included. */
    WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW("WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false);

    private final String settingName;
    private final boolean desired;

    IntegrationSetting(String settingName, boolean desired) {
        this.settingName = settingName;
        this.desired = desired;
    }

    /** The setting's resource name. */
    public String settingName() {
        return settingName;
    }

    /** The value that has the integration on. */
    public boolean desiredValue() {
        return desired;
    }

    /** On only when the setting exists and has the desired value: a setting Azure does not have is off. */
    public boolean satisfiedBy(Optional<Boolean> value) {
        return value.map(v -> v == desired).orElse(false);
    }

    public static Optional<IntegrationSetting> byName(String name) {
        for (IntegrationSetting s : values()) {
            if (s.settingName.equalsIgnoreCase(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** How a done write of it reads in reports and history, e.g. {@code WDATP=true}. */
    public String label() {
        return settingName() + "=" + desiredValue();
    }
}
