package com.mdeonboarding.decide;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.ExtensionRemoval;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.ReasonCode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Change control: an MDE extension that was on a machine and is gone without this app removing it (this app never
 * deletes one) is not silently reinstalled. Users of Defender for Cloud's own provisioning asked for exactly this ("a
 * deleted MDE.Windows is reinstalled immediately, which breaks change control"). The default, MDE_REINSTALL_REMOVED=off,
 * respects the removal: someone with write access to the machine chose it, and the app reports it (who and when)
 * instead of undoing it; a manual reconcile of that machine, or the setting on, deploys it again.
 *
 * <p>Pure: it takes what the machine's state row remembers and returns the decision that overrides the normal rules, or
 * empty when the normal rules decide.
 */
public final class ChangeControl {
    private ChangeControl() {
    }

    /**
     * What the state row must remember for this rule.
     *
     * @param extensionSeen the MDE extension was seen on the machine (Succeeded or in progress) by an earlier reconcile or sweep
     * @param removal       a removal recorded from a delete event, or noticed by a reconcile; empty when none
     */
    public record Memory(boolean extensionSeen, Optional<ExtensionRemoval> removal) {
        public static Memory none() {
            return new Memory(false, Optional.empty());
        }
    }

    /** Whether this reconcile notices a removal the row has not recorded yet: the extension was seen before and is gone now. */
    public static boolean removedNow(Optional<ExtensionState> extensionNow, Memory memory) {
        return extensionNow.isEmpty() && memory.extensionSeen() && memory.removal().isEmpty();
    }

    /**
     * The decision for a machine whose MDE extension was removed by someone else: SKIPPED EXTENSION_REMOVED with who and
     * when in the detail, unless MDE_REINSTALL_REMOVED is on or the job is a manual request (an operator asked for this
     * machine by name), in which case the normal rules decide (and deploy it). Empty too when the extension is there
     * (again), or was never seen.
     *
     * @param extensionNow the MDE extension as the machine shows it now
     * @param memory       what the state row remembers
     * @param source       the job's source: a manual request overrides the hold
     * @param reinstall    MDE_REINSTALL_REMOVED
     * @param now          when this reconcile runs (for a removal the row only notices now)
     */
    public static Optional<Decision> hold(Optional<ExtensionState> extensionNow, Memory memory, JobSource source, boolean reinstall,
                                          Instant now) {
        if (extensionNow.isPresent() || (!memory.extensionSeen() && memory.removal().isEmpty())) {
            return Optional.empty();
        }
        if (reinstall || source == JobSource.MANUAL) {
            return Optional.empty();
        }
        String detail = memory.removal().map(ExtensionRemoval::describe)
                .orElse("the MDE extension recorded on this machine is gone and this app did not remove it (noticed at " + now + ")")
                + "; not reinstalled (MDE_REINSTALL_REMOVED=off)";
        return Optional.of(new Decision(DecisionKind.SKIPPED, List.of(ReasonCode.EXTENSION_REMOVED), List.of(), Optional.of(detail)));
    }

    /** The detail line a reinstall carries when the setting (or a manual request) lets a removed extension be deployed again. */
    public static Optional<String> reinstallNote(Optional<ExtensionState> extensionNow, Memory memory) {
        if (extensionNow.isPresent() || (!memory.extensionSeen() && memory.removal().isEmpty())) {
            return Optional.empty();
        }
        return Optional.of("reinstalling an MDE extension that was " + memory.removal().map(ExtensionRemoval::describe)
                .orElse("removed by someone else"));
    }
}
