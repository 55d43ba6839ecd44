package com.mdeonboarding.model;

import java.util.List;
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
 * @param substatuses       the instance view's substatus messages: a failed MDE.Windows on a VM reports the installer's
 *                          log there (Azure/azure-cli #23663); empty when there are none
 */
public record ExtensionState(String name, String type, String publisher, String provisioningState,
                             Optional<String> statusCode, Optional<String> statusMessage, List<String> substatuses) {

    public ExtensionState {
        substatuses = substatuses == null ? List.of() : List.copyOf(substatuses);
    }

    /** An extension whose instance view has no substatuses. */
    public ExtensionState(String name, String type, String publisher, String provisioningState, Optional<String> statusCode,
                          Optional<String> statusMessage) {
        this(name, type, publisher, provisioningState, statusCode, statusMessage, List.of());
    }

    public static final String PUBLISHER = "Microsoft.Azure.AzureDefenderForServers";
    public static final String WINDOWS = "MDE.Windows";
    public static final String LINUX = "MDE.Linux";

    /** The extension Defender for Cloud deploys for this OS (Windows for anything not Linux). */
    public static String nameFor(OsType os) {
        return os == OsType.LINUX ? LINUX : WINDOWS;
    }

    /** Whether an extension of this type (or, without a type, this name) is an MDE extension. */
    public static boolean isMde(String type, String name) {
        String t = type == null || type.isBlank() ? lastSegment(name) : type;
        return t.equalsIgnoreCase(WINDOWS) || t.equalsIgnoreCase(LINUX);
    }

    public boolean succeeded() {
        return succeeded(provisioningState);
    }

    public boolean failed() {
        return "failed".equals(lower(provisioningState));
    }

    public boolean inProgress() {
        return inProgress(provisioningState);
    }

    public static boolean succeeded(String provisioningState) {
        return "succeeded".equals(lower(provisioningState));
    }

    /** The one definition of "provisioning is under way", for the reconciler and the sweep alike. */
    public static boolean inProgress(String provisioningState) {
        return switch (lower(provisioningState)) {
            case "creating", "updating", "deleting", "accepted", "running" -> true;
            default -> false;
        };
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static String lastSegment(String name) {
        if (name == null) {
            return "";
        }
        int i = name.lastIndexOf('/');
        return i < 0 ? name : name.substring(i + 1);
    }
}
