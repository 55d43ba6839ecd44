package com.mdeonboarding.emulator.state;

import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import com.mdeonboarding.emulator.tenant.ImageReference;
import com.mdeonboarding.emulator.tenant.SensorSpec;
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
public final class EmulatedMachine {
    public enum Kind { VM, ARC }

    public final Kind kind;
    public final String id;
    public final String key;
    public final String subscriptionId;
    public final String resourceGroup;
    public final String name;
    public String location;
    public Map<String, String> tags;
    public String osType;
    public String osName;
    public String osVersion;
    public String vmId;
    public Instant timeCreated;
    public long version = 1;

    // VM only
    public ImageReference image;
    public String vmSize;
    public String powerState;
    public boolean vmAgentReady;
    /** A VM still being created: Creating, its agent not Ready, until this time; then Succeeded and Ready. Null: settled. */
    Instant provisionedAt;
    public String vmAgentVersion;
    public String computerName;

    // Arc only
    public String status;
    public String osSku;
    public String agentVersion;
    public String lastStatusChange;

    public EmulatedPricing resourcePricing;
    ExtensionOutcome extensionOutcome;
    /** How its Defender for Endpoint sensor behaves; null: the default (reports at once, Active). */
    public SensorSpec sensor;
    /** When its MDE extension first succeeded (or was last re-onboarded); null: it never did, so it has no device. */
    Instant mdeOnboardedAt;
    /** Onboardings of its sensor (each forceReOnboarding adds one, and a device record). */
    int mdeOnboardings;
    /** What Run Command prints: a string, or a map keyed by script marker (see {@link RunCommands#output}). */
    public Object runCommandOutput;
    private int failedAttempts;
    /** The next MDE extension PUT meets another writer's MDE deployment (409, then that writer's extension). */
    public boolean foreignMdeDeploymentNext;
    /** Lower-case name to extension, in creation order. Allocated on first use. */
    private Map<String, EmulatedExtension> extensions;
    /** Arc run commands by lower-case name. Allocated on first use. */
    private Map<String, EmulatedRunCommand> runCommands;

    public EmulatedMachine(Kind kind, String subscriptionId, String resourceGroup, String name) {
        this.kind = kind;
        this.subscriptionId = subscriptionId;
        this.resourceGroup = resourceGroup;
        this.name = name;
        this.id = ResourceIds.machineId(kind, subscriptionId, resourceGroup, name);
        this.key = id.toLowerCase(Locale.ROOT);
    }

    public Collection<EmulatedExtension> extensions() {
        return extensions == null ? List.of() : extensions.values();
    }

    public boolean hasExtensions() {
        return extensions != null && !extensions.isEmpty();
    }

    public EmulatedExtension extension(String name) {
        return extensions == null ? null : extensions.get(name.toLowerCase(Locale.ROOT));
    }

    /** Adds or replaces the extension of that name. */
    public void putExtension(EmulatedExtension e) {
        if (extensions == null) {
            extensions = new LinkedHashMap<>(4);
        }
        extensions.put(e.name.toLowerCase(Locale.ROOT), e);
    }

    public void removeExtension(String name) {
        if (extensions != null) {
            extensions.remove(name.toLowerCase(Locale.ROOT));
        }
    }

    public Collection<EmulatedRunCommand> runCommands() {
        return runCommands == null ? List.of() : runCommands.values();
    }

    public EmulatedRunCommand runCommand(String name) {
        return runCommands == null ? null : runCommands.get(name.toLowerCase(Locale.ROOT));
    }

    public void putRunCommand(EmulatedRunCommand rc) {
        if (runCommands == null) {
            runCommands = new LinkedHashMap<>(2);
        }
        runCommands.put(rc.name.toLowerCase(Locale.ROOT), rc);
    }

    /** Removes and returns the run command of that name, or null. */
    public EmulatedRunCommand removeRunCommand(String name) {
        return runCommands == null ? null : runCommands.remove(name.toLowerCase(Locale.ROOT));
    }

    /** Scripts how the next extension PUTs end; the failure count starts again. */
    public void scriptExtensionOutcome(ExtensionOutcome outcome) {
        extensionOutcome = outcome;
        failedAttempts = 0;
    }

    /**
     * The scripted failure this extension attempt ends with, or null when it succeeds. Counts the
     * attempt, so {@code failTimes: N} fails only the first N.
     */
    public ExtensionOutcome takeScriptedFailure() {
        ExtensionOutcome o = extensionOutcome;
        if (o != null && o.fails() && (o.failTimes() == null || failedAttempts < o.failTimes())) {
            failedAttempts++;
            return o;
        }
        return null;
    }

    /** Whether the VM agent reports Ready now (a VM still being created does not). */
    public boolean agentReady(Instant now) {
        return provisionedAt == null ? vmAgentReady : !now.isBefore(provisionedAt);
    }

    /** The VM's own provisioningState now: Creating until a VM being created is provisioned. */
    public String vmProvisioningState(Instant now) {
        return provisionedAt != null && now.isBefore(provisionedAt) ? "Creating" : "Succeeded";
    }

    public boolean isVm() {
        return kind == Kind.VM;
    }

    public String type() {
        return kind == Kind.VM ? "Microsoft.Compute/virtualMachines" : "Microsoft.HybridCompute/machines";
    }

    public String provider() {
        return kind == Kind.VM ? "Microsoft.Compute" : "Microsoft.HybridCompute";
    }

    public boolean windows() {
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
