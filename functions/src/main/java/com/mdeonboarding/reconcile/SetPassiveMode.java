package com.mdeonboarding.reconcile;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.decide.GuestRunRules;
import com.mdeonboarding.decide.PassRules;

import com.mdeonboarding.azure.Machines;
import com.mdeonboarding.model.GuestScript;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.RunHandle;
import com.mdeonboarding.model.RunStatus;
import com.mdeonboarding.model.Text;

/**
 * Carries out {@code SET_PASSIVE_MODE}: sets ForceDefenderPassiveMode=1 through Run Command before onboarding, so that
 * Defender Antivirus does not start in active mode beside another antivirus. Started, recorded and read in later looks
 * like the guest check; set only when the script's output confirms it.
 */
public final class SetPassiveMode {
    private final Machines machines;

    public SetPassiveMode(Machines machines) {
        this.machines = machines;
    }

    public GuestScript script() {
        return GuestCheckScripts.passiveMode();
    }

    /** Starts the script; throws {@code ArmException} when Resource Manager refuses it. */
    public Machines.StartedRun start(MachineFacts facts) {
        return machines.startScript(facts.id(), facts.location(), script());
    }

    /** The start as one action of a pass: started, or could not start (PASSIVE_MODE_FAILED); a transient failure is thrown. */
    public PassRules.Outcome start(PassRules.Act.StartRun act, MachineFacts facts, MachineLog log) {
        act.why().ifPresent(why -> log.info(why + "; starting it again"));
        try {
            Machines.StartedRun started = start(facts);
            log.info("Run Command " + script().name() + " started (start " + act.starts() + " of at most " + GuestRunRules.MAX_STARTS + ")");
            return new PassRules.Outcome.Started(started.handle(), started.retryAfter());
        } catch (ArmException e) {
            if (e.transientFailure()) {
                throw e;
            }
            failed(String.valueOf(e.getMessage()), log);
            return new PassRules.Outcome.CouldNotStart(Text.printable(String.valueOf(e.getMessage()), 300));
        }
    }

    /** Whether the script's output confirms ForceDefenderPassiveMode=1. */
    public boolean confirmed(String output, MachineLog log) {
        boolean set = GuestCheckParser.passiveModeSet(output);
        log.info("ForceDefenderPassiveMode " + (set ? "set" : "NOT confirmed by the script"));
        return set;
    }

    /** Passive mode could not be set: why, escaped for the log. */
    public void failed(String why, MachineLog log) {
        log.warning("setting passive mode failed: " + Text.printable(why, 300));
    }
}
