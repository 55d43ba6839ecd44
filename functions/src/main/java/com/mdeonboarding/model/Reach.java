package com.mdeonboarding.model;

import java.util.Optional;

/** Whether Azure can reach the machine's guest to install an extension: the part that differs between VMs and Arc machines. */
public sealed interface Reach permits Reach.Vm, Reach.Arc {

    /**
     * @param powerState        the {@code PowerState/x} code's x ("running", "deallocated", ...), empty without an instance view
     * @param agentReady        true when the VM agent reports Ready; empty when unknown
     * @param provisioningState the VM's own {@code properties.provisioningState} ("Creating", "Updating", "Succeeded"...)
     */
    record Vm(Optional<String> powerState, Optional<Boolean> agentReady, Optional<String> provisioningState) implements Reach {
        /** A VM whose provisioning state is not known (or not relevant). */
        public Vm(Optional<String> powerState, Optional<Boolean> agentReady) {
            this(powerState, agentReady, Optional.empty());
        }
    }

    /**
     * @param status       "Connected", "Disconnected", "Expired", "Error", ... as the Connected Machine agent reports it
     * @param agentVersion the Connected Machine agent's version, when reported
     */
    record Arc(Optional<String> status, Optional<String> agentVersion) implements Reach {
    }
}
