package com.mdeonboarding.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * One device record of the Defender for Endpoint API ({@code GET /api/machines}, MicrosoftDocs/defender-docs
 * {@code defender-endpoint/api/machine.md}), reduced to what the sensor check uses. A machine can have several: a
 * re-onboarded machine gets a new record and the old one goes Inactive.
 *
 * @param deviceId         the record's {@code id}
 * @param computerDnsName  the device's host name as it reports it
 * @param onboardingStatus {@code Onboarded}, {@code CanBeOnboarded}, {@code Unsupported}, {@code InsufficientInfo}
 *                         (documented in lower camel case, answered capitalised: compared case-insensitively)
 * @param healthStatus     see {@link SensorHealth}
 * @param firstSeen        when Defender for Endpoint first saw the device
 * @param lastSeen         the last full device report (about daily; not the portal's live "last seen")
 * @param azureResourceId  {@code vmMetadata.resourceId}: the Azure resource the device runs on, when Defender knows it
 * @param azureVmId        {@code vmMetadata.vmId}: the Azure VM's {@code vmId}
 */
public record DeviceRecord(String deviceId, Optional<String> computerDnsName, String onboardingStatus, String healthStatus,
                           Optional<Instant> firstSeen, Optional<Instant> lastSeen, Optional<String> azureResourceId,
                           Optional<String> azureVmId) {

    /** "The one seen last decides": latest {@code lastSeen}, then latest {@code firstSeen}, then the device ID (stable). */
    public static final Comparator<DeviceRecord> SEEN_LAST = Comparator
            .comparing((DeviceRecord d) -> d.lastSeen().orElse(Instant.MIN))
            .thenComparing(d -> d.firstSeen().orElse(Instant.MIN))
            .thenComparing(DeviceRecord::deviceId);

    public DeviceRecord {
        onboardingStatus = onboardingStatus == null ? "" : onboardingStatus;
        healthStatus = healthStatus == null ? "" : healthStatus;
    }

    public boolean onboarded() {
        return onboardingStatus.toLowerCase(Locale.ROOT).equals("onboarded");
    }

    public SensorHealth health() {
        return SensorHealth.of(healthStatus);
    }
}
