package com.mdeonboarding.emulator.state;

import java.util.Locale;

/** Resource ID construction and parsing; IDs compare case-insensitively, as in ARM. */
public final class ResourceIds {
    private ResourceIds() {
    }

    public static String machineId(EmulatedMachine.Kind kind, String subscriptionId, String resourceGroup, String name) {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/"
                + (kind == EmulatedMachine.Kind.VM ? "Microsoft.Compute/virtualMachines/" : "Microsoft.HybridCompute/machines/")
                + name;
    }

    public static String key(String id) {
        String k = id.toLowerCase(Locale.ROOT);
        return k.endsWith("/") ? k.substring(0, k.length() - 1) : k;
    }

    /** Splits {@code <machineId>/extensions/<name>} into machine key and extension name, or null. */
    static String[] splitChild(String childId, String childType) {
        String k = key(childId);
        String marker = "/" + childType.toLowerCase(Locale.ROOT) + "/";
        int i = k.lastIndexOf(marker);
        if (i < 0) {
            return null;
        }
        return new String[] {k.substring(0, i), childId.substring(i + marker.length())};
    }

    public static String subscriptionOf(String id) {
        String[] parts = id.split("/");
        return parts.length > 2 && parts[1].equalsIgnoreCase("subscriptions") ? parts[2] : null;
    }

    /** ARM location names are lower case without spaces ("West US" -> "westus"). */
    public static String normalizeLocation(String location) {
        return location == null ? "global" : location.replace(" ", "").toLowerCase(Locale.ROOT);
    }
}
