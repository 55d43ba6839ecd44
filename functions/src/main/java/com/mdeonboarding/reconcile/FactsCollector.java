package com.mdeonboarding.reconcile;

import com.mdeonboarding.azure.DefenderForCloud;
import com.mdeonboarding.azure.Machines;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.SubscriptionPosture;
import java.util.Optional;

/**
 * What Azure says about one machine now, as {@link MachineFacts}. The resource-level pricing is read only when the
 * subscription's plan does not cover every machine (a machine can then have its own).
 */
public final class FactsCollector {
    private final Machines machines;
    private final DefenderForCloud defender;

    public FactsCollector(Machines machines, DefenderForCloud defender) {
        this.machines = machines;
        this.defender = defender;
    }

    /** Empty when the machine does not exist (or this identity cannot see it). */
    public Optional<MachineFacts> collect(MachineId id, SubscriptionPosture posture) {
        Optional<MachineFacts> facts = machines.read(id);
        if (facts.isEmpty() || posture.fullyCovered()) {
            return facts;
        }
        return Optional.of(facts.get().withResourcePricing(defender.resourcePricing(id)));
    }
}
