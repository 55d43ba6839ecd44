package com.mdeonboarding.onboarding;

import java.util.Locale;
import java.util.Optional;

/**
 * What Azure says about the MDE extension on one machine.
 *
 * @param name              the extension resource name (normally {@code MDE.Windows} / {@code MDE.Linux})
 * @param type              the extension type ({@code MDE.Windows} / {@code MDE.Linux})
 * @param publisher         normally {@code Microsoft.Azure.AzureDefenderForServers}
 * @param provisioningState {@code Creating}, {@code Updating}, {@code Succeeded}, {@code Failed}, {@code Deleting}...
 * @param statusCode        the instance-view status code when known, e.g. {@code ProvisioningState/failed/51}
 * @param statusMessage     the instance-view status message when known (the extension's own words on failure)
 */
public record ExtensionState(String name, String type, String publisher, String provisioningState,
                             Optional<String> statusCode, Optional<String> statusMessage) {

    public static final String PUBLISHER = "Microsoft.Azure.AzureDefenderForServers";

    public boolean succeeded() {
        return "succeeded".equals(state());
    }

    public boolean failed() {
        return "failed".equals(state());
    }

    public boolean inProgress() {
        return switch (state()) {
            case "creating", "updating", "deleting", "accepted", "running" -> true;
            default -> false;
        };
    }

    private String state() {
        return provisioningState == null ? "" : provisioningState.toLowerCase(Locale.ROOT);
    }
}
