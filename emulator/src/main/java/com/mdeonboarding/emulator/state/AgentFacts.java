package com.mdeonboarding.emulator.state;

import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import java.time.Duration;

/**
 * Facts that the machine's own agent reports, or that script how the guest behaves: they change
 * silently, as in Azure, where no Resource Manager write (and so no event) is involved.
 */
final class AgentFacts {
    private final ResourceStore store;

    AgentFacts(ResourceStore store) {
        this.store = store;
    }

    /** Whether the VM agent reports Ready. */
    void setVmAgentReady(String vmId, boolean ready) {
        store.write(w -> {
            EmulatedMachine m = existingVm(w, vmId);
            m.vmAgentReady = ready;
            m.provisionedAt = null;
            return null;
        });
    }

    /** The VM is still being created: Creating, its agent not Ready, for {@code after}; then Succeeded and Ready. */
    void provisionVmAfter(String vmId, Duration after) {
        store.write(w -> {
            EmulatedMachine m = existingVm(w, vmId);
            m.provisionedAt = store.now().plus(after);
            m.vmAgentReady = true;
            return null;
        });
    }

    /** An Arc machine's connection status (the agent's heartbeat). */
    void setArcStatus(String machineId, String status) {
        store.write(w -> {
            EmulatedMachine m = w.existingMachine(machineId);
            if (m.isVm()) {
                throw new IllegalArgumentException(machineId + " is not an Arc machine");
            }
            m.status = status;
            m.lastStatusChange = store.now().toString();
            return null;
        });
    }

    /** The next MDE extension PUT on this machine meets another writer's MDE deployment. */
    void foreignMdeDeploymentOnNextPut(String machineId) {
        store.write(w -> {
            w.existingMachine(machineId).foreignMdeDeploymentNext = true;
            return null;
        });
    }

    /** How the next extension PUTs on this machine end. */
    void setExtensionOutcome(String machineId, ExtensionOutcome outcome) {
        store.write(w -> {
            w.existingMachine(machineId).scriptExtensionOutcome(outcome);
            return null;
        });
    }

    /** What Run Command prints on this machine (see {@link RunCommands#output}). */
    void setRunCommandOutput(String machineId, Object output) {
        store.write(w -> {
            w.existingMachine(machineId).runCommandOutput = RunCommands.checkOutput(machineId, output);
            return null;
        });
    }

    static EmulatedMachine existingVm(ResourceStore.View v, String vmId) {
        EmulatedMachine m = v.existingMachine(vmId);
        if (!m.isVm()) {
            throw new IllegalArgumentException(m.id + " is not a VM");
        }
        return m;
    }
}
