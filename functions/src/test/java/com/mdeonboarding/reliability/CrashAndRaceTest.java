package com.mdeonboarding.reliability;

import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.azure.data.tables.models.TableEntity;
import com.azure.storage.queue.models.QueueMessageItem;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.host.ReconcileMachine;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.PlannedAction;
import com.mdeonboarding.reconcile.ReconcileResult;
import com.mdeonboarding.reconcile.Reconciler;
import com.microsoft.azure.functions.ExecutionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * A worker that dies between the extension PUT and recording it, a job that fails after claiming the
 * machine, and two workers reconciling one machine at the same moment. No production hook is needed:
 * the crash is an {@link Error} thrown by the invocation's own logger at the line the reconciler writes
 * right after Resource Manager accepted the PUT (so the process "dies" exactly there: nothing after it
 * runs, the queue message is neither deleted nor failed, and it comes back after the visibility timeout).
 */
class CrashAndRaceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final SecretScan SECRETS = new SecretScan();

    /** What a killed worker process looks like from inside: nothing catches it, nothing after it runs. */
    static final class WorkerKilled extends Error {
        WorkerKilled() {
            super("worker process killed (simulated)");
        }
    }

    /** A logger that kills the worker when the reconciler reports the extension PUT's answer. */
    private static ExecutionContext crashingContext(List<String> lines) {
        Logger logger = Logger.getLogger("crash-" + UUID.randomUUID());
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getLevel() + " " + r.getMessage());
                if (r.getMessage() != null && r.getMessage().contains("PUT answered")) {
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

    private static boolean converged(ReliabilityWorld w, String id, String decision) {
        TableEntity row = w.stateRows().get(id.toLowerCase(Locale.ROOT));
        return row != null && decision.equals(ReliabilityWorld.decision(row)) && w.queuedJobs() == 0;
    }

    private static int accepted(ReliabilityWorld w, String id) {
        return w.acceptedExtensionPuts().getOrDefault(id.toLowerCase(Locale.ROOT), 0);
    }

    @Test
    void aWorkerKilledAfterTheExtensionPutIsRedeliveredAndConvergesWithoutASecondPut() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            SECRETS.watch(w.scanner);
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("crash-after-put").build());
            w.takeEvents().forEach(w.host::deliverEvent);

            // The host hands the job to a worker, which dies right after Resource Manager accepted the PUT.
            // (Received with the host's visibility timeout, as the host would.)
            QueueMessageItem m = w.queue("").receiveMessages(1, Duration.ofSeconds(1), null, null).stream().findFirst().orElse(null);
            assertNotNull(m, "the event queued a job");
            List<String> lines = new ArrayList<>();
            assertThrows(WorkerKilled.class, () -> new ReconcileMachine(w.services).run(m.getBody().toString(), m.getMessageId(),
                    (int) m.getDequeueCount(), crashingContext(lines)));
            w.scanner.source("crashed worker log", () -> lines);
            assertEquals(1, accepted(w, vm), "the PUT reached Resource Manager before the crash");
            TableEntity claim = w.stateRows().get(vm.toLowerCase(Locale.ROOT));
            assertEquals("DEPLOY", ReliabilityWorld.decision(claim), "only the claim was recorded, not the deployment");
            assertEquals(null, claim.getProperty("LastDeployAt"), "the deployment itself was never recorded");

            // The message was neither deleted nor failed: it comes back after the visibility timeout.
            assertTrue(w.host.runUntil(() -> converged(w, vm, "ONBOARDED"), TIMEOUT), String.join("\n", w.host.logLines()));
            assertEquals(1, accepted(w, vm), "the redelivered job found the extension and did not PUT again");
            assertEquals(1, w.extensionPutRequests(), "one PUT request in all");
            Figures.add("crash", "workers killed after the PUT", 1);
            Figures.add("crash", "duplicate writes", accepted(w, vm) - 1);
        }
    }

    @Test
    void aJobThatFailsAfterClaimingTheMachineIsRetriedAndDeploysExactlyOnce() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            SECRETS.watch(w.scanner);
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("put-outage").build());
            // The first attempt claims the machine, then every try of its PUT (1 + 4 pipeline retries) gets 503.
            w.emulator.faults().add(FaultRule.forOperation("VirtualMachineExtensions_CreateOrUpdate").status(503).retryAfterSeconds(0).times(5));
            w.takeEvents().forEach(w.host::deliverEvent);
            assertTrue(w.host.runUntil(() -> converged(w, vm, "ONBOARDED"), TIMEOUT),
                    "state " + w.stateRows().get(vm.toLowerCase(Locale.ROOT)) + "\n" + String.join("\n", w.host.logLines()));
            assertEquals(1, w.host.failures(), "one failed attempt, then the redelivery deployed");
            assertEquals(1, accepted(w, vm));
            assertEquals(6, w.extensionPutRequests(), "5 refused tries and the accepted one");
            Figures.add("crash", "jobs failed after the claim", 1);
        }
    }

    @Test
    void twoWorkersOnTheSameNewMachineWriteOnceAndOneLosesTheRace() throws Exception {
        race(false);
    }

    @Test
    void twoWorkersOnAMachineWithARecordedStateWriteOnceAndOneLosesTheRace() throws Exception {
        race(true);
    }

    /**
     * Two reconciles of one machine start together (barrier); a latency fault on the VM read keeps both
     * inside the read at once (asserted from the request log), so both decide DEPLOY on the same state row.
     */
    private void race(boolean withPriorState) throws Exception {
        int rounds = 3;
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            SECRETS.watch(w.scanner);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < rounds; round++) {
                    String name = (withPriorState ? "race-prior-" : "race-new-") + round;
                    String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name(name)
                            .powerState(withPriorState ? "deallocated" : "running").build());
                    MachineId id = MachineId.parse(vm);
                    Logger log = w.logger("race-" + name);
                    if (withPriorState) {
                        // Recorded once (BLOCKED VM_NOT_RUNNING); then the VM starts, and two jobs for it arrive.
                        w.services.reconciler.reconcile(OnboardingJob.create(id, JobSource.EVENT, Instant.now()), log);
                        assertEquals("BLOCKED", ReliabilityWorld.decision(w.stateRows().get(vm.toLowerCase(Locale.ROOT))));
                        w.emulator.state().setPowerState(vm, "running");
                    }
                    w.emulator.requestLog().clear();
                    w.emulator.faults().clear();
                    w.emulator.faults().add(FaultRule.forPath("/virtualMachines/" + name + "$").method("GET")
                            .latency(Duration.ofMillis(600)).times(2));
                    CyclicBarrier barrier = new CyclicBarrier(2);
                    List<Future<ReconcileResult>> outcomes = new ArrayList<>();
                    for (int worker = 0; worker < 2; worker++) {
                        OnboardingJob job = OnboardingJob.create(id, JobSource.EVENT, Instant.now());
                        outcomes.add(pool.submit(() -> {
                            barrier.await(10, TimeUnit.SECONDS);
                            return w.services.reconciler.reconcile(job, log);
                        }));
                    }
                    List<Reconciler.Status> statuses = new ArrayList<>();
                    int deployed = 0;
                    for (Future<ReconcileResult> f : outcomes) {
                        ReconcileResult o = f.get(60, TimeUnit.SECONDS);
                        statuses.add(o.status());
                        if (o.actions().contains(PlannedAction.DEPLOY_EXTENSION.name())) {
                            deployed++;
                        }
                    }
                    List<RequestLog.Entry> reads = w.emulator.requestLog().snapshot().stream()
                            .filter(e -> e.operationId().equals("VirtualMachines_Get")).toList();
                    assertEquals(2, reads.size(), "both workers read the VM");
                    Instant start0 = reads.get(0).timestamp().minusMillis(reads.get(0).durationMillis());
                    Instant start1 = reads.get(1).timestamp().minusMillis(reads.get(1).durationMillis());
                    assertTrue(start1.isBefore(reads.get(0).timestamp()) && start0.isBefore(reads.get(1).timestamp()),
                            "the two reads overlapped in time, so both workers decided on the same state: " + reads);
                    assertEquals(1, deployed, "exactly one worker deployed: " + statuses);
                    assertTrue(statuses.contains(Reconciler.Status.LOST_RACE), "the other lost the race: " + statuses);
                    assertEquals(1, w.extensionPutRequests(), "exactly one extension PUT");
                    assertEquals(1, accepted(w, vm));
                    Figures.add("race", "races run", 1);
                    Figures.add("race", "extension PUTs in races", w.extensionPutRequests());
                    Figures.add("race", "lost races", statuses.stream().filter(s -> s == Reconciler.Status.LOST_RACE).count());
                }
            } finally {
                pool.shutdownNow();
            }
            assertFalse(w.host.logLines().stream().anyMatch(l -> l.startsWith("SEVERE")));
        }
    }
}
