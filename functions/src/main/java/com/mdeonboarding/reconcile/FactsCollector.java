package com.mdeonboarding.reconcile;

import com.mdeonboarding.model.RunHandle;
import com.mdeonboarding.model.RunStatus;

import com.mdeonboarding.azure.DefenderForCloud;
import com.mdeonboarding.azure.Machines;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.SensorFacts;
import com.mdeonboarding.model.SubscriptionPosture;
import java.util.Optional;

/**
 * What Azure says about one machine now, as {@link MachineFacts}. The resource-level pricing is read only when the
 * subscription's plan does not cover every machine (a machine can then have its own). And what Defender for Endpoint
 * says about its sensor ({@link SensorLookup}).
 */
public final class FactsCollector {
    private final Machines machines;
    private final DefenderForCloud defender;
    private final SensorLookup sensors;

    public FactsCollector(Machines machines, DefenderForCloud defender, SensorLookup sensors) {
        this.machines = machines;
        this.defender = defender;
        this.sensors = sensors;
    }

    /** Without the sensor check (MDE_SENSOR_CHECK=off). */
    public FactsCollector(Machines machines, DefenderForCloud defender) {
        this(machines, defender, SensorLookup.off());
    }

    /** One read of a Run Command's status (the guest check's and passive mode's alike). */
    public RunStatus runStatus(MachineId id, RunHandle handle) {
        return machines.runStatus(id, handle);
    }

    /** Empty when the machine does not exist (or this identity cannot see it). */
    public Optional<MachineFacts> collect(MachineId id, SubscriptionPosture posture) {
        Optional<MachineFacts> facts = machines.read(id);
        if (facts.isEmpty() || posture.fullyCovered()) {
            return facts;
        }
        return Optional.of(facts.get().withResourcePricing(defender.resourcePricing(id)));
    }

    /**
     * What Defender for Endpoint says about the machine's sensor: asked (one API call) only when its extension Succeeded,
     * the one state in which the sensor decides anything.
     */
    public SensorFacts sensor(MachineFacts facts) {
        return facts.mdeExtension().filter(ExtensionState::succeeded).isPresent() ? sensors.lookup(facts) : SensorFacts.notLooked();
    }
}
