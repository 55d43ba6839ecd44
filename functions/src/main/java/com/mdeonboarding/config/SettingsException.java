package com.mdeonboarding.config;

/** A setting is missing or has a value we do not accept. The message names the setting and what it accepts. */
public final class SettingsException extends RuntimeException {
    private final String settingName;

    public SettingsException(String settingName, String message) {
        super(settingName + ": " + message);
        this.settingName = settingName;
    }

    public String settingName() {
        return settingName;
    }
}
