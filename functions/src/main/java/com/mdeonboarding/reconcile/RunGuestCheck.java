package com.mdeonboarding.reconcile;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.decide.GuestRunRules;
import com.mdeonboarding.decide.PassRules;

import com.mdeonboarding.azure.Machines;
import com.mdeonboarding.decide.OsSupport;
import com.mdeonboarding.model.GuestCheckKind;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.GuestScript;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.RunHandle;
import com.mdeonboarding.model.RunStatus;
import com.mdeonboarding.model.Text;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Level;

/**
 * Carries out {@code RUN_GUEST_CHECK}: the read-only prerequisite check for the machine's OS through Run Command. It is
 * started, recorded and read in later looks ({@code decide/GuestRunRules}); its output is judged by the decision rules. A
 * check that cannot run is a result too ({@code ran=false}), never a failure.
 */
public final class RunGuestCheck {
    private final Machines machines;
    private final Clock clock;

    public RunGuestCheck(Machines machines, Clock clock) {
        this.machines = machines;
        this.clock = clock;
    }

    /** The check script for the machine's operating system; empty when none applies. */
    public Optional<GuestScript> script(MachineFacts facts) {
        return OsSupport.classify(facts).guestCheck().map(GuestCheckScripts::check);
    }

    /** Starts the check; throws {@code ArmException} when Resource Manager refuses it (see {@link #unavailable}). */
    public Machines.StartedRun start(MachineFacts facts, GuestScript script) {
        return machines.startScript(facts.id(), facts.location(), script);
    }

    /**
     * The start as one action of a pass: started, or could not start (a fact the next look decides with: the check could
     * not run); a transient failure is thrown (the queue retries).
     */
    public PassRules.Outcome start(PassRules.Act.StartRun act, MachineFacts facts, GuestScript script, MachineLog log) {
        act.why().ifPresent(why -> log.info(why + "; starting it again"));
        try {
            Machines.StartedRun started = start(facts, script);
            log.info("Run Command " + script.name() + " started (start " + act.starts() + " of at most " + GuestRunRules.MAX_STARTS + ")");
            return new PassRules.Outcome.Started(started.handle(), started.retryAfter());
        } catch (ArmException e) {
            if (e.transientFailure()) {
                throw e;
            }
            String why = Text.printable(String.valueOf(e.getMessage()), 300);
            log.warning("guest check could not run: Run Command failed: " + why);
            return new PassRules.Outcome.CouldNotStart(why);
        }
    }

    /** The check's output, judged for the machine's OS. */
    public GuestCheckResult result(MachineFacts facts, String output, MachineLog log) {
        Optional<GuestCheckKind> kind = OsSupport.classify(facts).guestCheck();
        if (kind.isEmpty()) {
            return unavailable("no guest check applies to this operating system", log);
        }
        GuestCheckResult r = GuestCheckParser.parse(output, kind.get(), clock.instant());
        log.info("guest check " + GuestCheckScripts.check(kind.get()).name() + ": " + (r.ran() ? r.findings() : "did not run") + " ("
                + r.summary() + ")");
        return r;
    }

    /**
     * A check that could not run or tell anything. The reason can quote the guest's own output (an Arc run command's
     * error is the script's stderr), so it is escaped and cut.
     */
    public GuestCheckResult unavailable(String why, MachineLog log) {
        String printable = Text.printable(why, 300);
        log.log(Level.WARNING, "guest check could not run: " + printable, null);
        return GuestCheckResult.unavailable(clock.instant(), printable);
    }
}
