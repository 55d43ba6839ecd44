package com.mdeonboarding.emulator.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How a machine's Defender for Endpoint sensor behaves once its MDE extension succeeds (tenant file: {@code sensor}).
 * Default: it reports at once, onboarded and Active, as one device record with {@code vmMetadata}.
 *
 * @param reportsAfterSeconds the device appears this long after the extension first succeeds (default 0)
 * @param neverReports        no device ever appears
 * @param healthStatus        the device's healthStatus: Active (default), Inactive, ImpairedCommunication, NoSensorData,
 *                            NoSensorDataImpairedCommunication or Unknown
 * @param records             how many device records the machine has (default 1); the older ones are Inactive and
 *                            seen earlier, as after a re-onboarding. Each re-onboarding ({@code forceReOnboarding: true})
 *                            adds one more
 * @param vmMetadata          false: the records carry no {@code vmMetadata} (nothing ties them to the Azure resource)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SensorSpec(Integer reportsAfterSeconds, Boolean neverReports, String healthStatus, Integer records, Boolean vmMetadata) {
    /** The healthStatus values of the machine resource type (defender-endpoint/api/machine.md). */
    static final List<String> HEALTH = List.of("Active", "Inactive", "ImpairedCommunication", "NoSensorData",
            "NoSensorDataImpairedCommunication", "Unknown");

    public SensorSpec {
        if (reportsAfterSeconds != null && reportsAfterSeconds < 0) {
            throw new IllegalArgumentException("sensor.reportsAfterSeconds must be >= 0");
        }
        if (records != null && records < 1) {
            throw new IllegalArgumentException("sensor.records must be >= 1");
        }
        if (healthStatus != null) {
            String h = healthStatus;
            healthStatus = HEALTH.stream().filter(v -> v.equalsIgnoreCase(h)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("sensor.healthStatus must be one of " + HEALTH + ", not '" + h + "'"));
        }
    }

    /** Reports at once, Active. */
    public static SensorSpec reports() {
        return new SensorSpec(null, null, null, null, null);
    }

    public static SensorSpec reportsAfter(int seconds) {
        return new SensorSpec(seconds, null, null, null, null);
    }

    public static SensorSpec never() {
        return new SensorSpec(null, true, null, null, null);
    }

    public static SensorSpec health(String healthStatus) {
        return new SensorSpec(null, null, healthStatus, null, null);
    }

    public static SensorSpec records(int records) {
        return new SensorSpec(null, null, null, records, null);
    }

    public static SensorSpec withoutVmMetadata() {
        return new SensorSpec(null, null, null, null, false);
    }

    public int delaySeconds() {
        return reportsAfterSeconds == null ? 0 : reportsAfterSeconds;
    }

    public boolean reportsEver() {
        return !Boolean.TRUE.equals(neverReports);
    }

    public String health() {
        return healthStatus == null ? "Active" : healthStatus;
    }

    public int recordCount() {
        return records == null ? 1 : records;
    }

    public boolean hasVmMetadata() {
        return !Boolean.FALSE.equals(vmMetadata);
    }
}
