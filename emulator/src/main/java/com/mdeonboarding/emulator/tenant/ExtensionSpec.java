package com.mdeonboarding.emulator.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An extension already present on a machine when the emulator starts.
 *
 * @param name              resource name (e.g. {@code MDE.Windows})
 * @param publisher         e.g. {@code Microsoft.Azure.AzureDefenderForServers}
 * @param type              e.g. {@code MDE.Windows}
 * @param provisioningState {@code Succeeded} (default), {@code Failed}, {@code Creating}, ...
 * @param statusCode        instance-view status code, e.g. {@code ProvisioningState/failed/51} (derived from the state when absent)
 * @param statusMessage     instance-view status message
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtensionSpec(String name, String publisher, String type, String typeHandlerVersion,
        String provisioningState, Boolean autoUpgradeMinorVersion, Boolean enableAutomaticUpgrade,
        Boolean suppressFailures, String forceUpdateTag, Map<String, Object> settings, String statusCode,
        String statusMessage) {
    public ExtensionSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("extension name is required");
        }
        provisioningState = provisioningState == null ? "Succeeded" : provisioningState;
        typeHandlerVersion = typeHandlerVersion == null ? "1.0" : typeHandlerVersion;
        settings = settings == null ? Map.of() : settings;
    }

    /** An MDE extension ({@code MDE.Windows} or {@code MDE.Linux}) in the given provisioning state. */
    public static ExtensionSpec mde(String name, String provisioningState) {
        return new ExtensionSpec(name, "Microsoft.Azure.AzureDefenderForServers", name, "1.0", provisioningState,
                true, null, null, null, null, null, null);
    }
}
