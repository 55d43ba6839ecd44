package com.mdeonboarding.emulator.state;

import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.ExtensionSpec;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.tenant.TenantSeeder;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import java.util.Locale;
import java.util.Map;

/**
 * Changes a test or operator makes as if through Resource Manager: each publishes the event ARM
 * would (machine writes and deletes, tag updates, power actions, extension, plan and setting writes).
 */
final class AdminWrites {
    private final ResourceStore store;

    AdminWrites(ResourceStore store) {
        this.store = store;
    }

    String createVirtualMachine(String subscriptionId, VirtualMachineSpec spec) {
        return store.write(w -> {
            EmulatedMachine m = TenantSeeder.vm(w.existingSubscription(subscriptionId), spec);
            boolean replaced = w.replaceMachine(m);
            w.event("Microsoft.Resources.ResourceWriteSuccess", m.id, "Microsoft.Compute/virtualMachines/write",
                    replaced ? "PUT" : null);
            return m.id;
        });
    }

    String createArcMachine(String subscriptionId, ArcMachineSpec spec) {
        return store.write(w -> {
            EmulatedMachine m = TenantSeeder.arc(w.existingSubscription(subscriptionId), spec);
            boolean replaced = w.replaceMachine(m);
            w.event("Microsoft.Resources.ResourceWriteSuccess", m.id, "Microsoft.HybridCompute/machines/write",
                    replaced ? "PUT" : null);
            return m.id;
        });
    }

    void deleteMachine(String machineId) {
        store.write(w -> {
            EmulatedMachine m = w.existingMachine(machineId);
            w.removeMachine(m);
            w.event("Microsoft.Resources.ResourceDeleteSuccess", m.id, m.type() + "/delete", "DELETE");
            return null;
        });
    }

    /** As a person's DELETE through Resource Manager would: the extension is gone, and its delete event is published. */
    void deleteExtension(String machineId, String extensionName) {
        store.write(w -> {
            EmulatedMachine m = w.existingMachine(machineId);
            m.removeExtension(extensionName);
            w.event("Microsoft.Resources.ResourceDeleteSuccess", m.id + "/extensions/" + extensionName,
                    m.type() + "/extensions/delete", "DELETE");
            return null;
        });
    }

    void setTags(String machineId, Map<String, String> tags) {
        store.write(w -> {
            EmulatedMachine m = w.existingMachine(machineId);
            m.tags = Map.copyOf(tags);
            m.version++;
            w.event("Microsoft.Resources.ResourceWriteSuccess", m.id, m.type() + "/write", "PATCH");
            return null;
        });
    }

    /** running, deallocated, stopped: publishes the start, deallocate or powerOff action event. */
    void setPowerState(String vmId, String powerState) {
        store.write(w -> {
            EmulatedMachine m = AgentFacts.existingVm(w, vmId);
            String ps = powerState.toLowerCase(Locale.ROOT);
            m.powerState = ps;
            String action = switch (ps) {
                case "running" -> "start";
                case "deallocated" -> "deallocate";
                case "stopped" -> "powerOff";
                default -> null;
            };
            if (action != null) {
                w.event("Microsoft.Resources.ResourceActionSuccess", m.id,
                        "Microsoft.Compute/virtualMachines/" + action + "/action", "POST");
            }
            return null;
        });
    }

    /** Seeds an extension in its final state (no long-running operation). */
    void putExtension(String machineId, ExtensionSpec spec) {
        store.write(w -> {
            EmulatedMachine m = w.existingMachine(machineId);
            EmulatedExtension e = TenantSeeder.extension(m, spec);
            m.putExtension(e);
            if ("Succeeded".equalsIgnoreCase(e.provisioningState)) {
                EmulatedDevices.extensionSucceeded(m, e, store.now());
            }
            w.event("Microsoft.Resources.ResourceWriteSuccess", m.id + "/extensions/" + spec.name(),
                    m.type() + "/extensions/write", null);
            return null;
        });
    }

    void setSetting(String subscriptionId, String settingName, boolean enabled) {
        store.write(w -> {
            EmulatedSubscription s = w.existingSubscription(subscriptionId);
            String name = SecuritySettings.canonical(settingName);
            if (name == null) {
                throw new IllegalArgumentException("Unknown setting " + settingName);
            }
            s.setSetting(name, enabled);
            w.event("Microsoft.Resources.ResourceWriteSuccess",
                    "/subscriptions/" + s.id + "/providers/Microsoft.Security/settings/" + name,
                    "Microsoft.Security/settings/write", "PUT");
            return null;
        });
    }

    /** Replaces the subscription's VirtualMachines plan. */
    void setPricing(String subscriptionId, PricingSpec pricing) {
        store.write(w -> {
            EmulatedSubscription s = w.existingSubscription(subscriptionId);
            s.putPricing(EmulatedPricing.from("VirtualMachines", pricing));
            w.event("Microsoft.Resources.ResourceWriteSuccess",
                    "/subscriptions/" + s.id + "/providers/Microsoft.Security/pricings/VirtualMachines",
                    "Microsoft.Security/pricings/write", "PUT");
            return null;
        });
    }

    /** Sets (or, with null, removes) a machine's own VirtualMachines plan. */
    void setResourcePricing(String machineId, PricingSpec pricing) {
        store.write(w -> {
            EmulatedMachine m = w.existingMachine(machineId);
            m.resourcePricing = pricing == null ? null : EmulatedPricing.from("VirtualMachines", pricing);
            w.event(pricing == null ? "Microsoft.Resources.ResourceDeleteSuccess" : "Microsoft.Resources.ResourceWriteSuccess",
                    m.id + "/providers/Microsoft.Security/pricings/VirtualMachines",
                    "Microsoft.Security/pricings/" + (pricing == null ? "delete" : "write"), pricing == null ? "DELETE" : "PUT");
            return null;
        });
    }
}
