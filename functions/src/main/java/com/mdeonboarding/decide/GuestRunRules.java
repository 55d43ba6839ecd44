package com.mdeonboarding.decide;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.GuestRun;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.RunHandle;
import com.mdeonboarding.model.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The decisions about a Run Command under way (the guest check, passive mode). Starting one returns at once; the state
 * row records it ({@link GuestRun}) and a later look reads its status, so no worker waits on it. From the row and one
 * status read, these rules say: wait (and when to look again), use its output, start it again, or give up. Pure: the
 * caller passes the time and the status it read.
 *
 * <p>A run is started again once when it is lost (Azure answers 404 for its operation or run command, or its start was
 * claimed and never recorded because the worker stopped) or expired (still running past the time Azure lets it run);
 * the second time the look gives up, which the onboarding rules treat as a check that could not run
 * (GUEST_CHECK_UNAVAILABLE) or passive mode that could not be set (PASSIVE_MODE_FAILED).
 */
public final class GuestRunRules {
    /**
     * A VM's action Run Command stops a script after 90 minutes: "The maximum time a script can run is 90 minutes, after
     * which it will time out" (Microsoft Learn, "Run scripts in your Windows VM by using action Run Commands",
     * Restrictions; a user's script "timed out in 90 minutes", MicrosoftDocs/azure-docs #10409).
     */
    public static final Duration VM_SCRIPT_LIMIT = Duration.ofMinutes(90);
    /**
     * The {@code timeoutInSeconds} sent with every Arc run command (Microsoft.HybridCompute machines/runCommands): the agent
     * stops the script after it. Our scripts read a few registry keys and files, seconds of work.
     */
    public static final Duration ARC_SCRIPT_TIMEOUT = Duration.ofMinutes(2);
    /** Beyond the script's own limit: delivery to the guest agent, and Azure reporting the end. */
    static final Duration END_MARGIN = Duration.ofMinutes(5);
    /** A lost or expired run is started again once. */
    public static final int MAX_STARTS = 2;

    private GuestRunRules() {
    }

    /** What to do about a Run Command. */
    public sealed interface Next {
        /** Still running: look again after this long. */
        record Wait(Duration after) implements Next {
        }

        /** Start it (the first time, or again: {@code why} says why, empty the first time). */
        record Start(int starts, Optional<String> why) implements Next {
        }

        /** It ended and the script ran: judge its output. */
        record Use(String output) implements Next {
        }

        /** It cannot tell us anything: go on as with a check that could not run. */
        record GiveUp(String why) implements Next {
        }
    }

    /** The first start of a Run Command the machine needs. */
    public static Next firstStart() {
        return new Next.Start(1, Optional.empty());
    }

    /**
     * What to do about the run the row records, after reading its status.
     *
     * @param row    the machine's state row, with its {@link MachineRecord#guestRun()}
     * @param job    the job looking now
     * @param status what the read of its status found; empty when it has no handle yet (nothing to read)
     * @param now    the time of this look
     */
    public static Next next(MachineRecord row, OnboardingJob job, Optional<RunStatus> status, Instant now, Duration verifyDelay) {
        GuestRun run = row.guestRun().orElseThrow(() -> new IllegalArgumentException("the row records no Run Command"));
        if (run.handle().isEmpty() || status.isEmpty()) {
            // Claimed, its start not recorded: a pass doing it now is left to finish (a second copy of the same message
            // included: a claim names its delivery, not the job); an old claim is a pass that stopped: a lost run.
            return claimMomentsAgo(row, now, verifyDelay) ? new Next.Wait(LookAgain.pollDelay(Optional.empty(), verifyDelay))
                    : again(run, "was claimed and its start never recorded");
        }
        RunStatus s = status.get();
        if (s instanceof RunStatus.Running r) {
            return expired(run, now) ? again(run, "did not end within " + minutes(limit(run.handle().get())) + " minutes")
                    : new Next.Wait(LookAgain.pollDelay(r.retryAfter(), verifyDelay));
        }
        if (s instanceof RunStatus.Succeeded ok) {
            return new Next.Use(ok.output());
        }
        if (s instanceof RunStatus.Failed f) {
            return new Next.GiveUp("Run Command failed: " + f.why());
        }
        return again(run, "was lost (" + ((RunStatus.Gone) s).why() + ")");
    }

    /** Whether a recorded run is the one the machine needs now: the same purpose and script. */
    public static boolean applies(GuestRun run, GuestRun.Purpose purpose, String script) {
        return run.purpose() == purpose && run.script().equals(script);
    }

    /** PENDING while the Run Command runs: GUEST_CHECK_RUNNING or PASSIVE_MODE_RUNNING. */
    public static Decision running(GuestRun run) {
        ReasonCode reason = run.purpose() == GuestRun.Purpose.GUEST_CHECK ? ReasonCode.GUEST_CHECK_RUNNING : ReasonCode.PASSIVE_MODE_RUNNING;
        String detail = "Run Command " + run.script() + (run.handle().isPresent() ? " is running" : " is being started")
                + (run.starts() > 1 ? " (started again: the first run was lost or did not end)" : "");
        return new Decision(DecisionKind.PENDING, List.of(reason), List.of(), Optional.of(detail));
    }

    /** How long after its start a run still counts as running: the script's own limit in Azure, and a margin. */
    public static Duration limit(RunHandle handle) {
        return (handle instanceof RunHandle.VmOperation ? VM_SCRIPT_LIMIT : ARC_SCRIPT_TIMEOUT).plus(END_MARGIN);
    }

    static boolean expired(GuestRun run, Instant now) {
        return run.handle().map(h -> now.isAfter(run.startedAt().plus(limit(h)))).orElse(false);
    }

    /** Lost or expired: started again once, then given up. */
    private static Next again(GuestRun run, String why) {
        String what = "Run Command " + run.script() + " " + why;
        return run.starts() < MAX_STARTS ? new Next.Start(run.starts() + 1, Optional.of(what))
                : new Next.GiveUp(what + ", after " + run.starts() + " starts");
    }

    /** As {@link ReconcileRules#freshClaimOfAnotherDelivery} for a deployment: a pass is between its claim and its start. */
    static boolean claimMomentsAgo(MachineRecord row, Instant now, Duration verifyDelay) {
        return row.written().updatedAt().plus(LookAgain.claimWindow(verifyDelay)).isAfter(now);
    }

    private static long minutes(Duration d) {
        return d.toMinutes();
    }

}
