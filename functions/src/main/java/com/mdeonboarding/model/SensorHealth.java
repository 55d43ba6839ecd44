package com.mdeonboarding.model;

import java.util.Locale;

/**
 * A Defender for Endpoint device's {@code healthStatus} (MicrosoftDocs/defender-docs {@code defender-endpoint/api/machine.md}:
 * Active, Inactive, ImpairedCommunication, NoSensorData, NoSensorDataImpairedCommunication, Unknown).
 */
public enum SensorHealth {
    ACTIVE("Active"),
    INACTIVE("Inactive"),
    IMPAIRED_COMMUNICATION("ImpairedCommunication"),
    NO_SENSOR_DATA("NoSensorData"),
    NO_SENSOR_DATA_IMPAIRED_COMMUNICATION("NoSensorDataImpairedCommunication"),
    /** Documented as a value, and what anything this build does not know reads as. */
    UNKNOWN("Unknown");

    private final String wire;

    SensorHealth(String wire) {
        this.wire = wire;
    }

    /** The API's spelling. */
    public String wire() {
        return wire;
    }

    /** Compared case-insensitively; a value this build does not know is UNKNOWN. */
    public static SensorHealth of(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (SensorHealth h : values()) {
            if (h.wire.toLowerCase(Locale.ROOT).equals(v)) {
                return h;
            }
        }
        return UNKNOWN;
    }
}
