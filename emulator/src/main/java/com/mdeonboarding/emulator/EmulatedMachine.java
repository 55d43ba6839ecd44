package com.mdeonboarding.emulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One VM or Arc machine. Guarded by the TenantState lock; kept lean because tenants hold 100,000 of them. */
final class EmulatedMachine {
    enum Kind { VM, ARC }

    final Kind kind;
    final String id;
    final String key;
    final String subscriptionId;
    final String resourceGroup;
    final String name;
    String location;
    Map<String, String> tags;
    String osType;
    String osName;
    String osVersion;
    String vmId;
    Instant timeCreated;
    long version = 1;

    // VM only
    ImageReference image;
    String vmSize;
    String powerState;
    boolean vmAgentReady;
    String vmAgentVersion;
    String computerName;

    // Arc only
    String status;
    String osSku;
    String agentVersion;
    String lastStatusChange;

    /** Lower-case name to extension, in creation order. Allocated on first use. */
    Map<String, EmulatedExtension> extensions;
    /** Arc run commands by lower-case name. Allocated on first use. */
    Map<String, EmulatedRunCommand> runCommands;
    EmulatedPricing resourcePricing;
    ExtensionOutcome extensionOutcome;
    int failedAttempts;
    Object runCommandOutput;

    EmulatedMachine(Kind kind, String subscriptionId, String resourceGroup, String name) {
        this.kind = kind;
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.id = ResourceIds.machineId(kind, subscriptionId, resourceGroup, name);
        this.key = id.toLowerCase(Locale.ROOT);
    }

    Map<String, EmulatedExtension> extensions() {
        if (extensions == null) {
            extensions = new LinkedHashMap<>(4);
        }
        return extensions;
    }

    Iterable<EmulatedExtension> extensionList() {
        return extensions == null ? java.util.List.of() : extensions.values();
    }

    EmulatedExtension extension(String name) {
        return extensions == null ? null : extensions.get(name.toLowerCase(Locale.ROOT));
    }

    Map<String, EmulatedRunCommand> runCommands() {
        if (runCommands == null) {
            runCommands = new LinkedHashMap<>(2);
        }
        return runCommands;
    }

    boolean isVm() {
        return kind == Kind.VM;
    }

    String type() {
        return kind == Kind.VM ? "Microsoft.Compute/virtualMachines" : "Microsoft.HybridCompute/machines";
    }

    String provider() {
        return kind == Kind.VM ? "Microsoft.Compute" : "Microsoft.HybridCompute";
    }

    boolean windows() {
        return osType != null && osType.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** The MDE extension on this machine (MDE.Windows or MDE.Linux, by type or name), or null. */
    EmulatedExtension mdeExtension() {
        for (EmulatedExtension e : extensionList()) {
            String t = e.type();
            // Resource Graph matches properties.type; the name is the fallback only when no type was written.
            if (t != null ? t.regionMatches(true, 0, "MDE.", 0, 4) : e.name.regionMatches(true, 0, "MDE.", 0, 4)) {
                return e;
            }
        }
        return null;
    }
}
