package com.mdeonboarding.reconcile;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.azure.Machines;
import com.mdeonboarding.decide.OsSupport;
import com.mdeonboarding.model.GuestCheckKind;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.GuestScript;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.Text;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;

/**
 * Carries out {@code RUN_GUEST_CHECK}: the read-only prerequisite check for the machine's OS through Run Command, its
 * output judged by the decision rules. A check that cannot run is a result too ({@code ran=false}), never a failure.
 */
public final class RunGuestCheck {
    private final Machines machines;
    private final Clock clock;

    public RunGuestCheck(Machines machines, Clock clock) {
        this.machines = machines;
        this.clock = clock;
    }

    public GuestCheckResult apply(MachineFacts facts, MachineLog log) {
        Instant now = clock.instant();
        Optional<GuestCheckKind> kind = OsSupport.classify(facts).guestCheck();
        if (kind.isEmpty()) {
            return GuestCheckResult.unavailable(now, "no guest check applies to this operating system");
        }
        GuestScript script = GuestCheckScripts.check(kind.get());
        try {
            String out = machines.runScript(facts.id(), facts.location(), script);
            GuestCheckResult r = GuestCheckParser.parse(out, kind.get(), clock.instant());
            log.info("guest check " + script.name() + ": " + (r.ran() ? r.findings() : "did not run") + " (" + r.summary() + ")");
            return r;
        } catch (ArmException e) {
            // The failure can quote the guest's own output (an Arc run command's error is the script's stderr).
            String why = Text.printable(e.getMessage(), 300);
            log.log(Level.WARNING, "guest check could not run: " + why, null);
            return GuestCheckResult.unavailable(now, "Run Command failed: " + why);
        }
    }
}
