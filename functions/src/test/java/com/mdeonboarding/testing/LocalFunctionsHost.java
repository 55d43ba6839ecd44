package com.mdeonboarding.testing;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import com.mdeonboarding.host.OnResourceWrite;
import com.mdeonboarding.host.ReconcileMachine;
import com.mdeonboarding.host.RecordPoisonJob;
import com.mdeonboarding.host.RunRequestedSweep;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.sweep.SweepRequestQueue;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * What the Functions host does for our triggers, for tests where Core Tools cannot run: delivers
 * Event Grid events to {@link OnResourceWrite} and writes its output binding to the real (Azurite)
 * queue, then runs {@link ReconcileMachine} on each visible message, deleting it on success, making it
 * visible again after {@code visibilityTimeout} on failure, and moving it to the poison queue after
 * {@code maxDequeueCount} failures (host.json's values), where {@link RecordPoisonJob} handles it.
 * Only the binding adapters are Mockito mocks; everything behind them is real.
 */
public final class LocalFunctionsHost {
    private final QueueClient jobs;
    private final QueueClient poison;
    private final QueueClient sweeps;
    private final int maxDequeueCount;
    private final Duration visibilityTimeout;
    private final Logger logger;
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private final List<String> messagesSeen = Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.atomic.AtomicInteger reconciles = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * The host receives with a 10-minute visibility and renews it halfway while the function runs ("if the function runs
     * longer than this, the invisibility will be updated on a timer periodically"); a failed message is released with
     * host.json's visibilityTimeout (the WebJobs Storage extension's QueueListener,
     * Microsoft.Azure.WebJobs.Extensions.Storage.Common.Listeners). Our jobs end within minutes, so no renewal is needed
     * here; a job that outlives host.json's 15 s is not delivered a second time meanwhile.
     */
    private static final Duration RUNNING_VISIBILITY = Duration.ofMinutes(10);
    private int concurrency = 1;
    private int newBatchThreshold;
    private Duration maxPollingInterval = Duration.ofMillis(100);
    private java.util.concurrent.ExecutorService workers;
    /** Jobs received and not finished yet; the loop waits on it for a slot. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final Object finished = new Object();
    private final Object wake = new Object();
    private boolean woken;
    private volatile Throwable workerError;

    private final Services services;
    /** Every ReconcileMachine invocation since the last {@link #resetOccupancy()}: which worker ran it, and for how long. */
    private final List<Invocation> invocations = Collections.synchronizedList(new ArrayList<>());
    private volatile long occupancySince = System.nanoTime();

    /**
     * One ReconcileMachine invocation: its message, the worker thread that ran it, when it started (System.nanoTime) and
     * how long it held the worker.
     */
    public record Invocation(String body, String worker, long startNanos, long busyNanos) {
    }

    /** How busy the workers were: invocations since {@code sinceNanos}, and the window so far. */
    public record Occupancy(int workers, long sinceNanos, long windowNanos, List<Invocation> invocations) {
        /** Busy time per worker thread, nanoseconds. */
        public java.util.Map<String, Long> busyNanosByWorker() {
            java.util.Map<String, Long> out = new java.util.TreeMap<>();
            invocations.forEach(i -> out.merge(i.worker(), i.busyNanos(), Long::sum));
            return out;
        }

        /** Busy time of all workers over (workers x window): 1.0 = every worker busy the whole time. */
        public double fraction() {
            long busy = invocations.stream().mapToLong(Invocation::busyNanos).sum();
            return windowNanos == 0 ? 0 : busy / (double) (workers * windowNanos);
        }
    }

    public LocalFunctionsHost(Services services, String connectionString, String jobsQueue, int maxDequeueCount, Duration visibilityTimeout) {
        this.services = services;
        this.jobs = new QueueClientBuilder().connectionString(connectionString).queueName(jobsQueue)
                .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
        this.poison = new QueueClientBuilder().connectionString(connectionString).queueName(jobsQueue + "-poison")
                .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
        this.sweeps = new QueueClientBuilder().connectionString(connectionString).queueName(jobsQueue + SweepRequestQueue.SUFFIX)
                .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
        jobs.createIfNotExists();
        poison.createIfNotExists();
        sweeps.createIfNotExists();
        this.maxDequeueCount = maxDequeueCount;
        this.visibilityTimeout = visibilityTimeout;
        this.logger = CapturingLogger.into(logLines, "host");
    }

    /**
     * Like host.json's batchSize (default 1, deterministic): the host receives a batch of up to this many messages and runs
     * them in parallel, and receives the next batch once the messages still running are down to {@link #newBatchThreshold}
     * (default batchSize / 2, as host.json's): "the maximum number of concurrent messages being processed per function is
     * batchSize plus newBatchThreshold" (Learn, "Azure Queue storage trigger and bindings", host.json settings).
     */
    public LocalFunctionsHost concurrency(int n) {
        return concurrency(n, n / 2);
    }

    /** batchSize and newBatchThreshold, as host.json sets them. */
    public LocalFunctionsHost concurrency(int batchSize, int newBatchThreshold) {
        if (batchSize < 1 || newBatchThreshold < 0) {
            throw new IllegalArgumentException("batchSize must be 1 or more and newBatchThreshold 0 or more");
        }
        this.concurrency = batchSize;
        this.newBatchThreshold = newBatchThreshold;
        if (workers != null) {
            workers.shutdownNow();
        }
        workers = batchSize > 1 ? java.util.concurrent.Executors.newFixedThreadPool(batchSize + newBatchThreshold) : null;
        return this;
    }

    /** batchSize + newBatchThreshold: the most jobs this host runs at once (its workers). */
    public int maxInFlight() {
        return workers == null ? 1 : concurrency + newBatchThreshold;
    }

    /**
     * Like host.json's maxPollingInterval: when the queue is empty, the host backs off exponentially from
     * 100 ms up to this interval between polls, and polls at once again after finding a message.
     */
    public LocalFunctionsHost maxPollingInterval(Duration d) {
        this.maxPollingInterval = d;
        return this;
    }

    public ExecutionContext context(String functionName) {
        ExecutionContext ctx = mock(ExecutionContext.class);
        when(ctx.getLogger()).thenReturn(logger);
        when(ctx.getFunctionName()).thenReturn(functionName);
        when(ctx.getInvocationId()).thenReturn(UUID.randomUUID().toString());
        return ctx;
    }

    /** Delivers one Event Grid event (JSON) to the trigger and enqueues what it outputs. */
    @SuppressWarnings("unchecked")
    public List<String> deliverEvent(String eventJson) {
        OutputBinding<List<String>> out = mock(OutputBinding.class);
        List<String> captured = new ArrayList<>();
        doAnswer(inv -> {
            captured.addAll(inv.getArgument(0));
            return null;
        }).when(out).setValue(any());
        new OnResourceWrite(services).run(eventJson, out, context(OnResourceWrite.NAME));
        for (String m : captured) {
            messagesSeen.add(m);
            jobs.sendMessage(m);
        }
        if (!captured.isEmpty()) {
            // The host's queue listener is notified of what a function's output binding adds to its queue and stops
            // backing off ("Call Notify whenever a function adds a message to this queue": QueueListener, SharedQueueWatcher).
            synchronized (wake) {
                woken = true;
                wake.notifyAll();
            }
        }
        return captured;
    }

    /**
     * Processes visible jobs (and poison messages) until {@code done} holds or {@code timeout} passes; the jobs already
     * running then finish before it returns. With a batchSize above 1 it keeps receiving as the host does (see
     * {@link #concurrency(int, int)}); with an empty queue it backs off from 100 ms to maxPollingInterval.
     */
    public boolean runUntil(BooleanSupplier done, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        long idleSleep = 100;
        long nextCheck = 0;
        try {
            while (Instant.now().isBefore(deadline)) {
                boolean worked;
                if (workers == null) {
                    worked = drainOnce();
                } else if (inFlight.get() <= newBatchThreshold) {
                    worked = receiveBatch();
                } else {
                    awaitAFinishedJob();
                    rethrowWorkerError();
                    continue;
                }
                rethrowWorkerError();
                // Tests' conditions may scan tables: after a receive, at most every 200 ms, not after every job.
                if ((!worked || System.nanoTime() >= nextCheck) && done.getAsBoolean()) {
                    return true;
                }
                nextCheck = System.nanoTime() + 200_000_000L;
                if (worked) {
                    idleSleep = 100;
                } else {
                    idle(idleSleep);
                    idleSleep = Math.min(idleSleep * 2, Math.max(100, maxPollingInterval.toMillis()));
                }
            }
            return done.getAsBoolean();
        } finally {
            awaitAllFinished();
        }
    }

    /** One receive of up to batchSize jobs, started on the workers without waiting for them; and the poison queue. */
    private boolean receiveBatch() {
        boolean worked = false;
        for (QueueMessageItem m : jobs.receiveMessages(concurrency, RUNNING_VISIBILITY, null, null)) {
            worked = true;
            inFlight.incrementAndGet();
            workers.submit(() -> {
                try {
                    process(m);
                } catch (Throwable t) {
                    workerError = t;
                } finally {
                    inFlight.decrementAndGet();
                    synchronized (finished) {
                        finished.notifyAll();
                    }
                }
            });
        }
        return drainSweepsAndPoison() || worked;
    }

    /** The back-off between polls of an empty queue; an event's job ends it (see {@link #deliverEvent}). */
    private void idle(long millis) {
        synchronized (wake) {
            try {
                if (!woken) {
                    wake.wait(millis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            woken = false;
        }
    }

    private void awaitAFinishedJob() {
        synchronized (finished) {
            if (inFlight.get() > newBatchThreshold) {
                try {
                    finished.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void awaitAllFinished() {
        synchronized (finished) {
            while (inFlight.get() > 0) {
                try {
                    finished.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        rethrowWorkerError();
    }

    private void rethrowWorkerError() {
        Throwable t = workerError;
        if (t != null) {
            workerError = null;
            throw new IllegalStateException(t);
        }
    }

    /** Processes everything visible now (up to 32 messages, all of them finished before it returns); true if any. */
    public boolean drainOnce() {
        boolean worked = false;
        List<QueueMessageItem> batch = new ArrayList<>();
        jobs.receiveMessages(32, RUNNING_VISIBILITY, null, null).forEach(batch::add);
        if (workers == null) {
            batch.forEach(this::process);
        } else {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (QueueMessageItem m : batch) {
                running.add(workers.submit(() -> process(m)));
            }
            for (java.util.concurrent.Future<?> f : running) {
                try {
                    f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        worked = !batch.isEmpty();
        return drainSweepsAndPoison() || worked;
    }

    private boolean drainSweepsAndPoison() {
        boolean worked = false;
        for (QueueMessageItem m : sweeps.receiveMessages(1, Duration.ofMinutes(10), null, null)) {
            worked = true;
            // As the host: a failed sweep stays on the queue and comes back.
            new RunRequestedSweep(services).run(m.getBody().toString(), m.getMessageId(), context(RunRequestedSweep.NAME));
            sweeps.deleteMessage(m.getMessageId(), m.getPopReceipt());
        }
        for (QueueMessageItem m : poison.receiveMessages(32, visibilityTimeout, null, null)) {
            worked = true;
            new RecordPoisonJob(services).run(m.getBody().toString(), m.getMessageId(), context(RecordPoisonJob.NAME));
            poison.deleteMessage(m.getMessageId(), m.getPopReceipt());
        }
        return worked;
    }

    private void process(QueueMessageItem m) {
        {
            String body = m.getBody().toString();
            messagesSeen.add(body);
            long start = System.nanoTime();
            try {
                reconciles.incrementAndGet();
                new ReconcileMachine(services).run(body, m.getMessageId(), (int) m.getDequeueCount(), context(ReconcileMachine.NAME));
                invocations.add(new Invocation(body, Thread.currentThread().getName(), start, System.nanoTime() - start));
                jobs.deleteMessage(m.getMessageId(), m.getPopReceipt());
            } catch (RuntimeException e) {
                invocations.add(new Invocation(body, Thread.currentThread().getName(), start, System.nanoTime() - start));
                failures.incrementAndGet();
                logLines.add("HOST invocation failed (dequeueCount " + m.getDequeueCount() + "): " + e + " at "
                        + java.util.Arrays.stream(e.getStackTrace()).filter(f -> f.getClassName().startsWith("com.mdeonboarding"))
                        .limit(4).map(String::valueOf).toList());
                if (m.getDequeueCount() >= maxDequeueCount) {
                    poison.sendMessage(body);
                    jobs.deleteMessage(m.getMessageId(), m.getPopReceipt());
                } else {
                    // As the host: visible again after host.json's visibilityTimeout.
                    jobs.updateMessage(m.getMessageId(), m.getPopReceipt(), body, visibilityTimeout);
                }
            }
        }
    }

    /** Forgets the invocations so far; {@link #occupancy()} then covers what follows. */
    public void resetOccupancy() {
        invocations.clear();
        occupancySince = System.nanoTime();
    }

    /** The workers' busy time since the last reset (workers: batchSize + newBatchThreshold, the most jobs at once). */
    public Occupancy occupancy() {
        return new Occupancy(maxInFlight(), occupancySince, System.nanoTime() - occupancySince, List.copyOf(invocations));
    }

    public List<String> logLines() {
        return List.copyOf(logLines);
    }

    public List<String> messagesSeen() {
        return List.copyOf(messagesSeen);
    }

    public int reconciles() {
        return reconciles.get();
    }

    public int failures() {
        return failures.get();
    }

    public int visibleJobs() {
        return jobs.getProperties().getApproximateMessagesCount();
    }
}
