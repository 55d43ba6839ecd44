package com.mdeonboarding.reconcile;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.azure.Machines;
import com.mdeonboarding.model.MachineFacts;

/**
 * Carries out {@code SET_PASSIVE_MODE}: sets ForceDefenderPassiveMode=1 through Run Command before onboarding, so that
 * Defender Antivirus does not start in active mode beside another antivirus. True only when the script confirms it.
 */
public final class SetPassiveMode {
    private final Machines machines;

    public SetPassiveMode(Machines machines) {
        this.machines = machines;
    }

    public boolean apply(MachineFacts facts, MachineLog log) {
        try {
            boolean set = GuestCheckParser.passiveModeSet(machines.runScript(facts.id(), facts.location(), GuestCheckScripts.passiveMode()));
            log.info("ForceDefenderPassiveMode " + (set ? "set" : "NOT confirmed by the script"));
            return set;
        } catch (ArmException e) {
            log.warning("setting passive mode failed: " + e.getMessage());
            return false;
        }
    }
}
