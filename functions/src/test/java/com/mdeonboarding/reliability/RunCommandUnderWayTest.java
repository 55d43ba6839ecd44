package com.mdeonboarding.reliability;

import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.azure.data.tables.models.TableEntity;
import com.azure.storage.queue.models.QueueMessageItem;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.host.ReconcileMachine;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.reconcile.ReconcileResult;
import com.mdeonboarding.reconcile.Reconciler;
import com.mdeonboarding.testing.AdjustableClock;
import com.microsoft.azure.functions.ExecutionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Run Commands are started, recorded in the machine's state row, and read by later looks: no worker waits on one. Here
 * the worker dies while a check runs (after recording it, and between starting it and recording it), duplicate jobs
 * arrive while one runs, two workers start the same check at once, and the run is lost (404) or outlives Azure's limit.
 * The machine always converges, with one Run Command unless a run was lost, and one extension PUT.
 */
class RunCommandUnderWayTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** What the Linux check prints on a guest with no conflicting agent. */
    static final String LINUX_OK = "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"linux-conflicts\",\"agents\":[],\"fanotify\":[]}";
    static final String PASSIVE_MODE_SET = "{\"check\":\"mde-passive-mode\",\"version\":1,\"forceDefenderPassiveMode\":1,\"regExitCode\":0}";

    @RegisterExtension
    static final SecretScan SECRETS = new SecretScan();

    static final class WorkerKilled extends Error {
        WorkerKilled() {
            super("worker process killed (simulated)");
        }
    }

    /** A logger that kills the worker at the first line containing {@code at}: nothing after it runs. */
    private static ExecutionContext killedAt(String at, List<String> lines) {
        Logger logger = Logger.getLogger("killed-" + UUID.randomUUID());
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getLevel() + " " + r.getMessage());
                if (r.getMessage() != null && r.getMessage().contains(at)) {
                    throw new WorkerKilled();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        ExecutionContext ctx = mock(ExecutionContext.class);
        when(ctx.getLogger()).thenReturn(logger);
        when(ctx.getFunctionName()).thenReturn(ReconcileMachine.NAME);
        when(ctx.getInvocationId()).thenReturn(UUID.randomUUID().toString());
        return ctx;
    }

    private static String linuxVm(ReliabilityWorld w, String name) {
        return w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name(name).ubuntu2204()
                .runCommandOutput(Map.of("mde-prereq", LINUX_OK)).build());
    }

    private static String linuxArc(ReliabilityWorld w, String name) {
        return w.emulator.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_A).name(name).ubuntu2204()
                .runCommandOutput(Map.of("mde-prereq", LINUX_OK)).build());
    }

    private static boolean converged(ReliabilityWorld w, String id, String decision) {
        TableEntity row = w.stateRow(id);
        return row != null && decision.equals(ReliabilityWorld.decision(row)) && w.queuedJobs() == 0;
    }

    private static int runCommands(ReliabilityWorld w, String id) {
        return w.emulator.state().runCommandsReceived(id).size();
    }

    private static int accepted(ReliabilityWorld w, String id) {
        return w.acceptedExtensionPuts().getOrDefault(id.toLowerCase(Locale.ROOT), 0);
    }

    private static List<String> historyOf(ReliabilityWorld w, String id) {
        return w.historyRows().stream().filter(h -> id.equalsIgnoreCase(String.valueOf(h.getProperty("ResourceId"))))
                .map(h -> h.getProperty("Decision") + " " + h.getProperty("Reasons") + " " + h.getProperty("Detail")).toList();
    }

    /** The worker that started the check dies before the delayed look is queued: the redelivered job reads the same run. */
    @Test
    void aWorkerKilledWhileItsGuestCheckRunsIsRedeliveredAndReadsTheSameRunCommand() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            SECRETS.watch(w.scanner);
            w.emulator.extensionProvisioningDelay(Duration.ofSeconds(2));
            String vm = linuxVm(w, "killed-while-checking");
            w.takeEvents().forEach(w.host::deliverEvent);
            QueueMessageItem m = w.queue("").receiveMessages(1, Duration.ofSeconds(1), null, null).stream().findFirst().orElse(null);
            assertNotNull(m, "the event queued a job");
            List<String> lines = new ArrayList<>();
            // The line the reconciler writes once the started check is recorded, before it returns (and the host queues the look).
            assertThrows(WorkerKilled.class, () -> new ReconcileMachine(w.services).run(m.getBody().toString(), m.getMessageId(),
                    (int) m.getDequeueCount(), killedAt("is running; looking again", lines)));
            w.scanner.source("killed worker log", () -> lines);
            TableEntity row = w.stateRow(vm);
            assertEquals("PENDING", ReliabilityWorld.decision(row));
            assertEquals(ReasonCode.GUEST_CHECK_RUNNING.name(), ReliabilityWorld.reasons(row));
            assertTrue(String.valueOf(row.getProperty("GuestRunOperation")).startsWith(w.emulator.baseUrl()), row.getProperties().toString());
            assertEquals(1, runCommands(w, vm));

            // Nothing followed the run but the message, which comes back after the visibility timeout.
            assertTrue(w.host.runUntil(() -> converged(w, vm, "ONBOARDED"), TIMEOUT), String.join("\n", w.host.logLines()));
            assertEquals(1, runCommands(w, vm), "the redelivered job read the run it found recorded");
            assertEquals(1, accepted(w, vm));
            assertTrue(historyOf(w, vm).stream().noneMatch(h -> h.contains(ReasonCode.GUEST_CHECK_UNAVAILABLE.name())), historyOf(w, vm).toString());
            assertNull(w.stateRow(vm).getProperty("GuestRunOperation"), "the row records no run once it was read");
            Figures.add("run commands", "workers killed while a check ran", 1);
        }
    }

    /**
     * The worker dies between Azure accepting the run and the row recording it: the redelivered job finds its own claim
     * with no run named, takes the run as lost and starts it once more (an Arc run command of the same name replaces it).
     */
    @Test
    void aWorkerKilledBetweenStartingTheCheckAndRecordingItStartsItOnceMore() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            SECRETS.watch(w.scanner);
            String arc = linuxArc(w, "killed-before-record");
            w.takeEvents().forEach(w.host::deliverEvent);
            QueueMessageItem m = w.queue("").receiveMessages(1, Duration.ofSeconds(1), null, null).stream().findFirst().orElse(null);
            assertNotNull(m);
            List<String> lines = new ArrayList<>();
            assertThrows(WorkerKilled.class, () -> new ReconcileMachine(w.services).run(m.getBody().toString(), m.getMessageId(),
                    (int) m.getDequeueCount(), killedAt("started (start 1", lines)));
            w.scanner.source("killed worker log", () -> lines);
            TableEntity claim = w.stateRow(arc);
            assertEquals(ReasonCode.GUEST_CHECK_RUNNING.name(), ReliabilityWorld.reasons(claim));
            assertNull(claim.getProperty("GuestRunCommand"), "the claim was written, Azure's answer never recorded");
            assertEquals(1, runCommands(w, arc));

            assertTrue(w.host.runUntil(() -> converged(w, arc, "ONBOARDED"), TIMEOUT), String.join("\n", w.host.logLines()));
            assertEquals(2, runCommands(w, arc), "started once more");
            assertEquals(1, accepted(w, arc));
            assertTrue(historyOf(w, arc).stream().anyMatch(h -> h.contains("started again")), historyOf(w, arc).toString());
            assertTrue(historyOf(w, arc).stream().noneMatch(h -> h.contains(ReasonCode.GUEST_CHECK_UNAVAILABLE.name())));
            Figures.add("run commands", "workers killed between start and record", 1);
        }
    }

    /** Jobs for the machine arrive while its check runs (a duplicate event, a manual request): no second Run Command. */
    @Test
    void duplicateJobsArrivingWhileTheCheckRunsStartNoSecondRunCommand() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            SECRETS.watch(w.scanner);
            w.emulator.extensionProvisioningDelay(Duration.ofSeconds(3));
            String vm = linuxVm(w, "duplicate-while-checking");
            List<String> events = w.takeEvents();
            events.forEach(w.host::deliverEvent);
            w.host.drainOnce();
            assertEquals(ReasonCode.GUEST_CHECK_RUNNING.name(), ReliabilityWorld.reasons(w.stateRow(vm)));
            // While it runs: the same event three more times, and a manual job, all requested after the run was recorded.
            w.host.concurrency(4);
            for (int i = 0; i < 3; i++) {
                events.forEach(w.host::deliverEvent);
            }
            w.services.jobQueue.enqueue(OnboardingJob.create(MachineId.parse(vm), JobSource.MANUAL, Instant.now()));
            assertTrue(w.host.runUntil(() -> converged(w, vm, "ONBOARDED"), TIMEOUT), String.join("\n", w.host.logLines()));
            assertEquals(1, runCommands(w, vm), "one Run Command: every job read the run the row recorded");
            assertEquals(1, accepted(w, vm));
            assertEquals(1, w.extensionPutRequests());
            Figures.add("run commands", "duplicate jobs while a check ran", 4);
            Figures.add("run commands", "second Run Commands from duplicates", runCommands(w, vm) - 1);
        }
    }

    /** Two workers decide to check the same new machine at the same moment: the claim lets one start it. */
    @Test
    void twoWorkersStartingTheSameCheckAtOnceStartOneRunCommand() throws Exception {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            SECRETS.watch(w.scanner);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                String vm = linuxVm(w, "two-starters");
                String name = "two-starters";
                // Both workers inside the VM read at once, so both decide on the same (absent) row.
                w.emulator.faults().add(FaultRule.forPath("/virtualMachines/" + name + "$").method("GET").latency(Duration.ofMillis(600)).times(2));
                CyclicBarrier barrier = new CyclicBarrier(2);
                Logger log = w.logger("two-starters");
                List<Future<ReconcileResult>> outcomes = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    OnboardingJob job = OnboardingJob.create(MachineId.parse(vm), JobSource.EVENT, Instant.now());
                    outcomes.add(pool.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        return w.services.reconciler.reconcile(job, log);
                    }));
                }
                List<Reconciler.Status> statuses = new ArrayList<>();
                for (Future<ReconcileResult> f : outcomes) {
                    statuses.add(f.get(60, TimeUnit.SECONDS).status());
                }
                List<RequestLog.Entry> reads = w.emulator.requestLog().snapshot().stream().filter(e -> e.operationId().equals("VirtualMachines_Get")).toList();
                assertEquals(2, reads.size());
                assertTrue(reads.get(1).timestamp().minusMillis(reads.get(1).durationMillis()).isBefore(reads.get(0).timestamp()),
                        "the reads overlapped: " + reads);
                assertTrue(statuses.contains(Reconciler.Status.LOST_RACE), statuses.toString());
                assertEquals(1, w.emulator.requestLog().count("VirtualMachines_RunCommand"), "one Run Command");
                Figures.add("run commands", "two-worker check races", 1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Azure answers 404 for the run's operation (it was lost): started once more, and its result is used. */
    @Test
    void aLostRunCommandIsStartedOnceMoreAndItsResultUsed() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            SECRETS.watch(w.scanner);
            String vm = linuxVm(w, "lost-once");
            w.emulator.faults().add(FaultRule.forOperation("LongRunningOperation_Status").status(404).times(1));
            w.takeEvents().forEach(w.host::deliverEvent);
            assertTrue(w.host.runUntil(() -> converged(w, vm, "ONBOARDED"), TIMEOUT), String.join("\n", w.host.logLines()));
            assertEquals(2, runCommands(w, vm));
            assertEquals(1, accepted(w, vm));
            List<String> history = historyOf(w, vm);
            assertTrue(history.stream().anyMatch(h -> h.contains("started again")), history.toString());
            assertTrue(history.stream().noneMatch(h -> h.contains(ReasonCode.GUEST_CHECK_UNAVAILABLE.name())), history.toString());
        }
    }

    /** Lost twice: the check is unavailable, and onboarding goes on without it, as for any check that cannot run. */
    @Test
    void aRunCommandLostTwiceLeavesTheCheckUnavailableAndOnboardingGoesOn() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            SECRETS.watch(w.scanner);
            String vm = linuxVm(w, "lost-twice");
            w.emulator.faults().add(FaultRule.forOperation("LongRunningOperation_Status").status(404));
            w.takeEvents().forEach(w.host::deliverEvent);
            assertTrue(w.host.runUntil(() -> converged(w, vm, "ONBOARDED"), TIMEOUT), String.join("\n", w.host.logLines()));
            assertEquals(2, runCommands(w, vm), "started again once, not more");
            assertEquals(1, accepted(w, vm));
            List<String> history = historyOf(w, vm);
            assertTrue(history.stream().anyMatch(h -> h.startsWith("DEPLOY ") && h.contains(ReasonCode.GUEST_CHECK_UNAVAILABLE.name())
                    && h.contains("after 2 starts")), history.toString());
        }
    }

    /** Passive mode lost twice: Defender must not start in active mode beside another antivirus, so the machine waits. */
    @Test
    void passiveModeLostTwiceIsPassiveModeFailed() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            SECRETS.watch(w.scanner);
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("passive-lost")
                    .tag("MdePassiveMode", "true").runCommandOutput(Map.of("mde-passive-mode", PASSIVE_MODE_SET)).build());
            w.emulator.faults().add(FaultRule.forOperation("LongRunningOperation_Status").status(404));
            w.takeEvents().forEach(w.host::deliverEvent);
            assertTrue(w.host.runUntil(() -> converged(w, vm, "BLOCKED"), TIMEOUT), String.join("\n", w.host.logLines()));
            assertEquals(ReasonCode.PASSIVE_MODE_FAILED.name(), ReliabilityWorld.reasons(w.stateRow(vm)));
            assertEquals(2, runCommands(w, vm));
            assertEquals(0, accepted(w, vm), "no extension without passive mode");
            assertTrue(historyOf(w, vm).stream().anyMatch(h -> h.contains(ReasonCode.PASSIVE_MODE_RUNNING.name())), historyOf(w, vm).toString());
        }
    }

    /**
     * A run that is still running past Azure's limit for it (an Arc run command: its 2-minute timeoutInSeconds and a 5-minute
     * margin) is taken as expired and started once more; the new run's result is used.
     */
    @Test
    void anExpiredRunCommandIsStartedOnceMore() {
        AdjustableClock clock = new AdjustableClock();
        try (ReliabilityWorld w = new ReliabilityWorld(ReliabilityWorld.defaultTenant(), Map.of(), clock)) {
            SECRETS.watch(w.scanner);
            w.emulator.extensionProvisioningDelay(Duration.ofMinutes(30)); // the first run never ends by itself here
            String arc = linuxArc(w, "expired-run");
            w.takeEvents().forEach(w.host::deliverEvent);
            assertTrue(w.host.runUntil(() -> w.emulator.requestLog().count("MachineRunCommands_Get") >= 2, TIMEOUT),
                    "the run was read while it ran");
            assertEquals(ReasonCode.GUEST_CHECK_RUNNING.name(), ReliabilityWorld.reasons(w.stateRow(arc)));
            w.emulator.extensionProvisioningDelay(Duration.ofMillis(300));
            clock.advance(Duration.ofMinutes(8));
            assertTrue(w.host.runUntil(() -> converged(w, arc, "ONBOARDED"), TIMEOUT), String.join("\n", w.host.logLines()));
            assertEquals(2, runCommands(w, arc));
            assertEquals(1, accepted(w, arc));
            List<String> history = historyOf(w, arc);
            assertTrue(history.stream().anyMatch(h -> h.contains("started again")), history.toString());
            assertTrue(w.host.logLines().stream().anyMatch(l -> l.contains("did not end within 7 minutes; starting it again")),
                    String.join("\n", w.host.logLines()));
            assertTrue(history.stream().noneMatch(h -> h.contains(ReasonCode.GUEST_CHECK_UNAVAILABLE.name())), history.toString());
        }
    }
}
