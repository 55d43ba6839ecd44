package com.mdeonboarding.model;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A validated resource ID of a machine: an Azure VM or an Arc machine, nothing else (no child
 * resources, no other providers). IDs compare case-insensitively, as Resource Manager does.
 */
public record MachineId(String subscriptionId, String resourceGroup, MachineKind kind, String name) {

    // Names: Azure allows letters, digits, '-', '_', '.', '(' and ')' in resource group names and
    // letters, digits, '-', '_', '.' in VM / Arc machine names. Nothing that could encode a path
    // ('%', '/', '\\', '?', '#') or whitespace gets through.
    private static final Pattern ID = Pattern.compile(
            "^/subscriptions/(" + Guid.REGEX + ")"
                    + "/resourceGroups/([A-Za-z0-9._()\\-]{1,90})"
                    + "/providers/(Microsoft\\.Compute/virtualMachines|Microsoft\\.HybridCompute/machines)"
                    + "/([A-Za-z0-9][A-Za-z0-9._\\-]{0,63})$",
            Pattern.CASE_INSENSITIVE);

    public MachineId {
        subscriptionId = subscriptionId.toLowerCase(Locale.ROOT);
    }

    /** Parses an ID, or explains why it is not a machine ID. */
    public static MachineId parse(String resourceId) {
        return tryParse(resourceId).orElseThrow(() -> new InvalidMachineIdException(resourceId));
    }

    public static Optional<MachineId> tryParse(String resourceId) {
        if (resourceId == null || resourceId.length() > 512) {
            return Optional.empty();
        }
        Matcher m = ID.matcher(resourceId);
        if (!m.matches()) {
            return Optional.empty();
        }
        String rg = m.group(2);
        String name = m.group(4);
        // "." and ".." are path segments, and ARM rejects names that end in a period.
        if (rg.endsWith(".") || name.endsWith(".")) {
            return Optional.empty();
        }
        MachineKind kind = m.group(3).equalsIgnoreCase("Microsoft.Compute/virtualMachines") ? MachineKind.VM : MachineKind.ARC;
        return Optional.of(new MachineId(m.group(1), rg, kind, name));
    }

    /** The ID in canonical casing of the provider segments (names as given). */
    public String id() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/"
                + (kind == MachineKind.VM ? "Microsoft.Compute/virtualMachines/" : "Microsoft.HybridCompute/machines/") + name;
    }

    /** Lower-case ID: the identity used for de-duplication and storage keys. */
    public String key() {
        return id().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MachineId other && key().equals(other.key());
    }

    @Override
    public int hashCode() {
        return key().hashCode();
    }

    public static final class InvalidMachineIdException extends IllegalArgumentException {
        public InvalidMachineIdException(String resourceId) {
            super("not a resource ID of an Azure VM or Arc machine: '" + Text.printable(resourceId)
                    + "' (expected /subscriptions/{guid}/resourceGroups/{group}/providers/"
                    + "Microsoft.Compute/virtualMachines/{name} or .../Microsoft.HybridCompute/machines/{name})");
        }
    }
}
