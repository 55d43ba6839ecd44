package com.mdeonboarding.emulator.tenant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.state.EmulatedDevices;
import com.mdeonboarding.emulator.state.EmulatedExtension;
import com.mdeonboarding.emulator.state.EmulatedMachine;
import com.mdeonboarding.emulator.state.EmulatedPricing;
import com.mdeonboarding.emulator.state.EmulatedSubscription;
import com.mdeonboarding.emulator.state.EmulatorClock;
import com.mdeonboarding.emulator.state.Json;
import com.mdeonboarding.emulator.state.ResourceStore;
import com.mdeonboarding.emulator.state.RunCommands;
import com.mdeonboarding.emulator.state.SecuritySettings;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Turns the tenant file's records ({@link Tenant}, {@link SubscriptionSpec}, {@link VirtualMachineSpec},
 * {@link ArcMachineSpec}, {@link ExtensionSpec}) into the emulated resources, with the defaults a new
 * Azure resource has. Used at start and by the admin writes that create machines at run time.
 */
public final class TenantSeeder {
    private static final Instant CREATED = Instant.parse("2024-06-01T10:00:00Z");
    private static final Instant EXTENSION_TIME = Instant.parse("2024-06-01T10:05:00Z");

    private TenantSeeder() {
    }

    /** A store holding the tenant's subscriptions and machines. */
    public static ResourceStore seed(Tenant tenant, EmulatorClock clock) {
        ResourceStore store = new ResourceStore(tenant.tenantId(), tenant.managementGroups(), clock);
        store.write(w -> {
            for (SubscriptionSpec spec : tenant.subscriptions()) {
                addSubscription(w, spec);
            }
            return null;
        });
        return store;
    }

    public static void addSubscription(ResourceStore.Writes w, SubscriptionSpec spec) {
        EmulatedSubscription s = new EmulatedSubscription(spec.subscriptionId());
        s.displayName = spec.displayName();
        s.state = spec.state();
        s.tags = spec.tags();
        s.putPricing(spec.pricing() == null ? EmulatedPricing.free("VirtualMachines")
                : EmulatedPricing.from("VirtualMachines", spec.pricing()));
        for (String plan : EmulatedPricing.OTHER_PLANS) {
            s.putPricing(EmulatedPricing.free(plan));
        }
        for (String plan : EmulatedPricing.DEPRECATED_PLANS) {
            EmulatedPricing p = EmulatedPricing.free(plan);
            p.deprecated = true;
            p.replacedBy = List.of("Containers");
            s.putPricing(p);
        }
        spec.pricings().forEach((name, p) -> {
            EmulatedPricing existing = s.pricing(name);
            s.putPricing(EmulatedPricing.from(existing != null ? existing.name : name, p));
        });
        SecuritySettings.DEFAULTS.forEach(s::setSetting);
        spec.settings().forEach((name, enabled) -> {
            String canonical = SecuritySettings.canonical(name);
            if (canonical == null) {
                throw new IllegalArgumentException("Subscription " + spec.subscriptionId() + ": unknown setting '" + name
                        + "' (known: " + SecuritySettings.names() + ")");
            }
            s.setSetting(canonical, enabled);
        });
        w.addSubscription(s);
        for (VirtualMachineSpec vm : spec.virtualMachines()) {
            w.addMachine(vm(s, vm));
        }
        for (ArcMachineSpec arc : spec.arcMachines()) {
            w.addMachine(arc(s, arc));
        }
    }

    public static EmulatedMachine vm(EmulatedSubscription s, VirtualMachineSpec spec) {
        EmulatedMachine m = new EmulatedMachine(EmulatedMachine.Kind.VM, s.id, spec.resourceGroup(), spec.name());
        m.location = spec.location();
        m.tags = spec.tags();
        m.osType = spec.osType();
        m.osName = spec.osName();
        m.osVersion = spec.osVersion();
        m.image = spec.image();
        m.vmSize = spec.vmSize();
        m.powerState = spec.powerState().toLowerCase(Locale.ROOT);
        m.vmAgentReady = spec.vmAgentReady();
        m.vmAgentVersion = spec.vmAgentVersion() == null
                ? (m.windows() ? "2.7.41491.1102" : "2.10.0.8") : spec.vmAgentVersion();
        m.computerName = spec.computerName() == null ? spec.name() : spec.computerName();
        m.vmId = spec.vmId() == null ? stableId(m.key) : spec.vmId();
        common(m, spec.pricing(), spec.extensionOutcome(), spec.runCommandOutput(), spec.extensions());
        m.sensor = spec.sensor();
        return m;
    }

    public static EmulatedMachine arc(EmulatedSubscription s, ArcMachineSpec spec) {
        EmulatedMachine m = new EmulatedMachine(EmulatedMachine.Kind.ARC, s.id, spec.resourceGroup(), spec.name());
        m.location = spec.location();
        m.tags = spec.tags();
        m.status = spec.status();
        m.osName = spec.osName();
        m.osType = spec.osType();
        m.osSku = spec.osSku();
        m.osVersion = spec.osVersion();
        m.agentVersion = spec.agentVersion();
        m.lastStatusChange = spec.lastStatusChange() == null ? "2024-06-01T10:00:00.0000000Z" : spec.lastStatusChange();
        m.vmId = spec.vmId() == null ? stableId(m.key) : spec.vmId();
        common(m, spec.pricing(), spec.extensionOutcome(), spec.runCommandOutput(), spec.extensions());
        m.sensor = spec.sensor();
        return m;
    }

    private static void common(EmulatedMachine m, PricingSpec pricing, ExtensionOutcome outcome, Object output,
            List<ExtensionSpec> extensions) {
        m.timeCreated = CREATED;
        m.resourcePricing = pricing == null ? null : EmulatedPricing.from("VirtualMachines", pricing);
        m.scriptExtensionOutcome(outcome);
        m.runCommandOutput = RunCommands.checkOutput(m.id, output);
        for (ExtensionSpec e : extensions) {
            EmulatedExtension ext = extension(m, e);
            m.putExtension(ext);
            if ("Succeeded".equalsIgnoreCase(ext.provisioningState)) {
                // Seeded onboarded: its sensor has been reporting since then.
                EmulatedDevices.extensionSucceeded(m, ext, EXTENSION_TIME);
            }
        }
    }

    /** An extension as the tenant file or {@code putExtension} describes it, already in its final state. */
    public static EmulatedExtension extension(EmulatedMachine m, ExtensionSpec spec) {
        EmulatedExtension e = new EmulatedExtension(spec.name());
        e.location = m.location;
        ObjectNode p = Json.obj();
        if (spec.publisher() != null) {
            p.put("publisher", spec.publisher());
        }
        if (spec.type() != null) {
            p.put("type", spec.type());
        }
        p.put("typeHandlerVersion", spec.typeHandlerVersion());
        p.put("autoUpgradeMinorVersion", spec.autoUpgradeMinorVersion() == null || spec.autoUpgradeMinorVersion());
        if (spec.enableAutomaticUpgrade() != null) {
            p.put("enableAutomaticUpgrade", spec.enableAutomaticUpgrade());
        }
        if (spec.suppressFailures() != null) {
            p.put("suppressFailures", spec.suppressFailures());
        }
        if (spec.forceUpdateTag() != null) {
            p.put("forceUpdateTag", spec.forceUpdateTag());
        }
        p.set("settings", spec.settings().isEmpty() ? Json.obj() : Json.toTree(spec.settings()));
        e.properties = p;
        e.setState(m.kind, spec.provisioningState(), spec.statusCode(), spec.statusMessage(), EXTENSION_TIME);
        return e;
    }

    /** A UUID derived from the resource ID, stable across runs (cheaper than a name-based MD5 UUID for 100k machines). */
    static String stableId(String key) {
        long h1 = 0xcbf29ce484222325L;
        long h2 = 0x84222325cbf29ce4L;
        for (int i = 0; i < key.length(); i++) {
            h1 = (h1 ^ key.charAt(i)) * 0x100000001b3L;
            h2 = (h2 ^ key.charAt(key.length() - 1 - i)) * 0x100000001b3L;
        }
        return new UUID((h1 & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L, (h2 & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                .toString();
    }
}
