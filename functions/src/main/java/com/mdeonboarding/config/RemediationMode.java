package com.mdeonboarding.config;

/** audit: report drift only. enforce: also fix subscription posture (plan, integration settings). */
public enum RemediationMode {
    AUDIT, ENFORCE;

    public String settingValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
