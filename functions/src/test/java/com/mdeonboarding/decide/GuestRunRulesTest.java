package com.mdeonboarding.decide;

import static com.mdeonboarding.decide.TestFacts.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.GuestRun;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.RunHandle;
import com.mdeonboarding.model.RunStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decisions about a Run Command under way: wait, use its output, start it again, or give up; row by row. */
class GuestRunRulesTest {
    static final MachineId VM = ReconcileRulesTest.VM;
    static final Duration VERIFY = Duration.ofSeconds(30);
    static final RunHandle VM_OP = new RunHandle.VmOperation(Optional.of("https://management.azure.com/op?api-version=1"), Optional.empty());
    static final RunHandle ARC_RC = new RunHandle.ArcRunCommand("mde-onboarding-linux-conflicts");

    /** A row recording a run started {@code startedAgo} ago ({@code starts} times), written {@code writtenAgo} ago by {@code by}. */
    static MachineRecord row(String handle, long startedAgo, int starts, String by, long writtenAgo) {
        Optional<RunHandle> h = switch (handle) {
            case "vm" -> Optional.of(VM_OP);
            case "arc" -> Optional.of(ARC_RC);
            default -> Optional.empty();
        };
        GuestRun run = new GuestRun(GuestRun.Purpose.GUEST_CHECK, "windows-downlevel.ps1", h, NOW.minusSeconds(startedAgo), starts);
        MachineRecord.Provenance written = new MachineRecord.Provenance(NOW.minusSeconds(writtenAgo), NOW.minusSeconds(writtenAgo), by,
                "event", 1);
        return new MachineRecord(VM, DecisionKind.PENDING, List.of(ReasonCode.GUEST_CHECK_RUNNING), Optional.empty(),
                MachineRecord.ExtensionHistory.none(), new MachineRecord.Guest(Optional.empty(), Optional.of(run)), written,
                Optional.of("etag"));
    }

    static Optional<RunStatus> status(String s) {
        return switch (s) {
            case "-" -> Optional.empty();
            case "running" -> Optional.of(new RunStatus.Running(Optional.empty()));
            case "running-ra5" -> Optional.of(new RunStatus.Running(Optional.of(Duration.ofSeconds(5))));
            case "succeeded" -> Optional.of(new RunStatus.Succeeded("{\"check\":\"mde-prereq\"}"));
            case "failed" -> Optional.of(new RunStatus.Failed("VMAgentStatusCommunicationError: no agent"));
            case "gone" -> Optional.of(new RunStatus.Gone("404 NotFound"));
            default -> throw new IllegalArgumentException(s);
        };
    }

    static String describe(GuestRunRules.Next n) {
        if (n instanceof GuestRunRules.Next.Wait w) {
            return "wait " + w.after().toSeconds() + "s";
        }
        if (n instanceof GuestRunRules.Next.Start s) {
            return "start " + s.starts();
        }
        if (n instanceof GuestRunRules.Next.Use) {
            return "use";
        }
        return "give up";
    }

    @ParameterizedTest(name = "handle {0}, started {1}s ago, {2} start(s), written by {3} {4}s ago, status {5} -> {6}")
    @CsvSource({
            // running: wait, after Azure's Retry-After if it gave one, else the verify delay capped at 10 s
            "vm,  30,   1, job-a, 30,  running,     wait 10s",
            "vm,  30,   1, job-a, 30,  running-ra5, wait 5s",
            "arc, 30,   1, job-a, 30,  running,     wait 10s",
            // another job's run is followed the same way
            "vm,  30,   1, job-b, 5,   running,     wait 10s",
            // ended: use the output, or give up on a run that failed (no second start: it ran and said no)
            "vm,  30,   1, job-a, 30,  succeeded,   use",
            "arc, 30,   2, job-a, 30,  succeeded,   use",
            "vm,  30,   1, job-a, 30,  failed,      give up",
            // lost (404): started again once, then given up
            "vm,  30,   1, job-a, 30,  gone,        start 2",
            "arc, 30,   2, job-a, 30,  gone,        give up",
            // expired: a VM's script runs at most 90 minutes (+5 margin), an Arc run command's 2 (+5)
            "vm,  5640, 1, job-a, 5,   running,     wait 10s",
            "vm,  5701, 1, job-a, 5,   running,     start 2",
            "vm,  5701, 2, job-a, 5,   running,     give up",
            "arc, 419,  1, job-a, 5,   running,     wait 10s",
            "arc, 421,  1, job-a, 5,   running,     start 2",
            "arc, 421,  2, job-a, 5,   running-ra5, give up",
            // an expired run that did end is used all the same
            "vm,  9000, 1, job-a, 5,   succeeded,   use",
            // claimed, start not recorded: another job is about to record it (within 2 verify delays) ...
            "-,   10,   1, job-b, 10,  -,           wait 10s",
            "-,   10,   1, job-b, 59,  -,           wait 10s",
            // ... or it stopped: a lost run
            "-,   61,   1, job-b, 61,  -,           start 2",
            // the same job's claim of a moment ago: a claim names its delivery, not the job, so this may be a second copy of
            // the message while the first copy starts the run (issue 23, item 3): wait for it, as for another job's ...
            "-,   1,    1, job-a, 1,   -,           wait 10s",
            // ... and once it is older than two verify delays, the pass that claimed it stopped: a lost run
            "-,   61,   1, job-a, 61,  -,           start 2",
            "-,   61,   2, job-a, 61,  -,           give up",
    })
    void whatToDoAboutARunUnderWay(String handle, long startedAgo, int starts, String by, long writtenAgo, String status, String expected) {
        OnboardingJob job = new OnboardingJob(VM, JobSource.EVENT, "job-a", 1, NOW.minusSeconds(120));
        GuestRunRules.Next next = GuestRunRules.next(row(handle, startedAgo, starts, by, writtenAgo), job, status(status), NOW, VERIFY);
        assertEquals(expected, describe(next));
    }

    @Test
    void theReasonsSayWhyARunIsStartedAgainOrGivenUp() {
        OnboardingJob job = new OnboardingJob(VM, JobSource.EVENT, "job-a", 1, NOW);
        GuestRunRules.Next again = GuestRunRules.next(row("vm", 30, 1, "job-a", 30), job, status("gone"), NOW, VERIFY);
        assertEquals(Optional.of("Run Command windows-downlevel.ps1 was lost (404 NotFound)"), ((GuestRunRules.Next.Start) again).why());
        GuestRunRules.Next giveUp = GuestRunRules.next(row("vm", 5701, 2, "job-a", 5), job, status("running"), NOW, VERIFY);
        assertEquals("Run Command windows-downlevel.ps1 did not end within 95 minutes, after 2 starts", ((GuestRunRules.Next.GiveUp) giveUp).why());
        GuestRunRules.Next failed = GuestRunRules.next(row("vm", 30, 1, "job-a", 30), job, status("failed"), NOW, VERIFY);
        assertEquals("Run Command failed: VMAgentStatusCommunicationError: no agent", ((GuestRunRules.Next.GiveUp) failed).why());
        GuestRunRules.Next use = GuestRunRules.next(row("arc", 30, 1, "job-a", 30), job, status("succeeded"), NOW, VERIFY);
        assertEquals("{\"check\":\"mde-prereq\"}", ((GuestRunRules.Next.Use) use).output());
        assertEquals("start 1", describe(GuestRunRules.firstStart()));
        assertTrue(((GuestRunRules.Next.Start) GuestRunRules.firstStart()).why().isEmpty());
    }

    @Test
    void aRowWithoutARunIsNotAskedAbout() {
        MachineRecord none = ReconcileRulesTest.stored(DecisionKind.PENDING, "job-a", 5, -1, "-", 0);
        OnboardingJob job = new OnboardingJob(VM, JobSource.EVENT, "job-a", 1, NOW);
        assertThrows(IllegalArgumentException.class, () -> GuestRunRules.next(none, job, Optional.empty(), NOW, VERIFY));
    }

    @ParameterizedTest(name = "Retry-After {0} s, verify delay {1} s -> poll after {2} ms")
    @CsvSource({
            // no Retry-After: the verify delay, at most 10 s, at least 1 s
            "-1, 30, 10000",
            "-1, 1,  1000",
            "-1, 0,  1000",
            "-1, 5,  5000",
            // Azure's Retry-After wins, between 1 s and a minute; 0 (poll now) would make a busy loop of the queue
            "3,  30, 3000",
            "0,  30, 10000",
            "0,  1,  1000",
            "45, 1,  45000",
            "600, 1, 60000",
    })
    void pollDelay(long retryAfter, long verifySeconds, long expectedMillis) {
        Optional<Duration> ra = retryAfter < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(retryAfter));
        assertEquals(expectedMillis, LookAgain.pollDelay(ra, Duration.ofSeconds(verifySeconds)).toMillis());
    }

    @Test
    void whileARunRunsTheMachineIsPendingWithItsOwnReason() {
        GuestRun check = new GuestRun(GuestRun.Purpose.GUEST_CHECK, "linux-conflicts.sh", Optional.of(ARC_RC), NOW, 1);
        Decision d = GuestRunRules.running(check);
        assertEquals(DecisionKind.PENDING, d.kind());
        assertEquals(List.of(ReasonCode.GUEST_CHECK_RUNNING), d.reasons());
        assertTrue(d.actions().isEmpty());
        assertEquals(Optional.of("Run Command linux-conflicts.sh is running"), d.detail());
        GuestRun passive = new GuestRun(GuestRun.Purpose.PASSIVE_MODE, "set-passive-mode.ps1", Optional.empty(), NOW, 2);
        Decision p = GuestRunRules.running(passive);
        assertEquals(List.of(ReasonCode.PASSIVE_MODE_RUNNING), p.reasons());
        assertEquals(Optional.of("Run Command set-passive-mode.ps1 is being started (started again: the first run was lost or did not end)"),
                p.detail());
    }

    @Test
    void aRecordedRunIsUsedOnlyForTheSamePurposeAndScript() {
        GuestRun check = new GuestRun(GuestRun.Purpose.GUEST_CHECK, "windows-downlevel.ps1", Optional.of(VM_OP), NOW, 1);
        assertTrue(GuestRunRules.applies(check, GuestRun.Purpose.GUEST_CHECK, "windows-downlevel.ps1"));
        assertFalse(GuestRunRules.applies(check, GuestRun.Purpose.GUEST_CHECK, "linux-conflicts.sh"));
        assertFalse(GuestRunRules.applies(check, GuestRun.Purpose.PASSIVE_MODE, "windows-downlevel.ps1"));
    }

    @Test
    void theLimitsAreAzuresPlusAMargin() {
        assertEquals(Duration.ofMinutes(95), GuestRunRules.limit(VM_OP));
        assertEquals(Duration.ofMinutes(7), GuestRunRules.limit(ARC_RC));
    }

    @ParameterizedTest(name = "row by {0} records a run {1}; job {2} attempt {3} -> coalesce {4}")
    @CsvSource({
            // our own run under way: the redelivery after a worker stopped reads it, never coalesced into our own row
            "job-a, true,  job-a, 1, false",
            // another job's run: that job follows it; a job requested before its last look is answered
            "job-b, true,  job-a, 1, true",
            // no run: coalesced as before
            "job-a, false, job-a, 1, true",
    })
    void aJobFollowingItsOwnRunIsNotCoalesced(String by, boolean run, String job, int attempt, boolean expected) {
        MachineRecord r = run ? row("vm", 10, 1, by, 5) : ReconcileRulesTest.stored(DecisionKind.PENDING, by, 5, -1, "-", 0);
        OnboardingJob j = new OnboardingJob(VM, JobSource.EVENT, job, attempt, NOW.minusSeconds(10));
        assertEquals(expected, ReconcileRules.coalesce(Optional.of(r), j));
    }
}
