package com.mdeonboarding.emulator;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One VM or Arc machine. Reachable only through a {@link ResourceStore} view, so only under the
 * store's lock; kept lean because tenants hold 100,000 of them.
 */
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
    /** A VM still being created: Creating, its agent not Ready, until this time; then Succeeded and Ready. Null: settled. */
    Instant provisionedAt;
    String vmAgentVersion;
    String computerName;

    // Arc only
    String status;
    String osSku;
    String agentVersion;
    String lastStatusChange;

    EmulatedPricing resourcePricing;
    ExtensionOutcome extensionOutcome;
    /** How its Defender for Endpoint sensor behaves; null: the default (reports at once, Active). */
    SensorSpec sensor;
    /** When its MDE extension first succeeded (or was last re-onboarded); null: it never did, so it has no device. */
    Instant mdeOnboardedAt;
    /** Onboardings of its sensor (each forceReOnboarding adds one, and a device record). */
    int mdeOnboardings;
    /** What Run Command prints: a string, or a map keyed by script marker (see {@link RunCommands#output}). */
    Object runCommandOutput;
    private int failedAttempts;
    /** The next MDE extension PUT meets another writer's MDE deployment (409, then that writer's extension). */
    boolean foreignMdeDeploymentNext;
    /** Lower-case name to extension, in creation order. Allocated on first use. */
    private Map<String, EmulatedExtension> extensions;
    /** Arc run commands by lower-case name. Allocated on first use. */
    private Map<String, EmulatedRunCommand> runCommands;

    EmulatedMachine(Kind kind, String subscriptionId, String resourceGroup, String name) {
        this.kind = kind;
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.id = ResourceIds.machineId(kind, subscriptionId, resourceGroup, name);
        this.key = id.toLowerCase(Locale.ROOT);
    }

    Collection<EmulatedExtension> extensions() {
        return extensions == null ? List.of() : extensions.values();
    }

    boolean hasExtensions() {
        return extensions != null && !extensions.isEmpty();
    }

    EmulatedExtension extension(String name) {
        return extensions == null ? null : extensions.get(name.toLowerCase(Locale.ROOT));
    }

    /** Adds or replaces the extension of that name. */
    void putExtension(EmulatedExtension e) {
        if (extensions == null) {
            extensions = new LinkedHashMap<>(4);
        }
        extensions.put(e.name.toLowerCase(Locale.ROOT), e);
    }

    void removeExtension(String name) {
        if (extensions != null) {
            extensions.remove(name.toLowerCase(Locale.ROOT));
        }
    }

    Collection<EmulatedRunCommand> runCommands() {
        return runCommands == null ? List.of() : runCommands.values();
    }

    EmulatedRunCommand runCommand(String name) {
        return runCommands == null ? null : runCommands.get(name.toLowerCase(Locale.ROOT));
    }

    void putRunCommand(EmulatedRunCommand rc) {
        if (runCommands == null) {
            runCommands = new LinkedHashMap<>(2);
        }
        runCommands.put(rc.name.toLowerCase(Locale.ROOT), rc);
    }

    /** Removes and returns the run command of that name, or null. */
    EmulatedRunCommand removeRunCommand(String name) {
        return runCommands == null ? null : runCommands.remove(name.toLowerCase(Locale.ROOT));
    }

    /** Scripts how the next extension PUTs end; the failure count starts again. */
    void scriptExtensionOutcome(ExtensionOutcome outcome) {
        extensionOutcome = outcome;
        failedAttempts = 0;
    }

    /**
     * The scripted failure this extension attempt ends with, or null when it succeeds. Counts the
     * attempt, so {@code failTimes: N} fails only the first N.
     */
    ExtensionOutcome takeScriptedFailure() {
        ExtensionOutcome o = extensionOutcome;
        if (o != null && o.fails() && (o.failTimes() == null || failedAttempts < o.failTimes())) {
            failedAttempts++;
            return o;
        }
        return null;
    }

    /** Whether the VM agent reports Ready now (a VM still being created does not). */
    boolean agentReady(Instant now) {
        return provisionedAt == null ? vmAgentReady : !now.isBefore(provisionedAt);
    }

    /** The VM's own provisioningState now: Creating until a VM being created is provisioned. */
    String vmProvisioningState(Instant now) {
        return provisionedAt != null && now.isBefore(provisionedAt) ? "Creating" : "Succeeded";
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
        for (EmulatedExtension e : extensions()) {
            String t = e.type();
            // Resource Graph matches properties.type; the name is the fallback only when no type was written.
            if (t != null ? t.regionMatches(true, 0, "MDE.", 0, 4) : e.name.regionMatches(true, 0, "MDE.", 0, 4)) {
                return e;
            }
        }
        return null;
    }
}
