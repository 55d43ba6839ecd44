package com.mdeonboarding.model;

import java.util.Optional;

/**
 * What joins a machine to its Defender for Endpoint device records besides its resource ID.
 *
 * @param vmId     an Azure VM's {@code properties.vmId} (matched against {@code vmMetadata.vmId}); empty for Arc machines,
 *                 whose {@code vmId} Defender for Endpoint is not documented to report
 * @param hostName the guest's host name as Azure reports it (VM instance view {@code computerName}, Arc
 *                 {@code osProfile.computerName}): it narrows the per-machine lookup, it never decides a match
 */
public record SensorKeys(Optional<String> vmId, Optional<String> hostName) {
    public static SensorKeys none() {
        return new SensorKeys(Optional.empty(), Optional.empty());
    }
}
