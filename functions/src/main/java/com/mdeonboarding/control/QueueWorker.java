package com.mdeonboarding.control;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.mdeonboarding.model.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The Functions host's queue listener, in-process, for where the host does not run ({@code serve}, the command line, the
 * tests): receives the jobs queue as host.json configures it (batchSize messages at once, the next batch when the
 * running ones are down to newBatchThreshold; an empty queue polled with a back-off from 100 ms to maxPollingInterval;
 * a running message invisible; a failed one visible again after visibilityTimeout, moved to the poison queue after
 * maxDequeueCount), and the poison queue, the requested-sweeps queue and the resync timer. What is done with each message
 * is the {@link Handlers}' business: {@link Controller}'s methods, or (in tests) the Functions trigger classes around them.
 *
 * <p>Sources for the host's behaviour: Learn, "Azure Queue storage trigger and bindings" (host.json settings,
 * poison messages, polling algorithm); the WebJobs Storage extension's QueueListener.
 */
public final class QueueWorker implements AutoCloseable {
    /**
     * The host receives with a 10-minute visibility and renews it while the function runs; a failed message is released
     * with host.json's visibilityTimeout. Our jobs end within minutes, so no renewal is needed here. A worker that dies
     * (the process killed) neither deletes nor releases its message: it comes back when this visibility ends.
     */
    public static final Duration RUNNING_VISIBILITY = Duration.ofMinutes(10);

    /** What is done with each message. */
    public interface Handlers {
        /** A job; a thrown exception makes it a failed delivery. */
        void job(String body, String messageId, int dequeueCount);

        /** A job that failed maxDequeueCount times. */
        void poison(String body, String messageId);

        /** A requested sweep; a thrown exception leaves it on its queue for another try. */
        void sweep(String body, String messageId);

        /** The resync timer fired. */
        void resync();
    }

    /** One job's delivery: its body, the worker thread that ran it, when (System.nanoTime) and for how long, and how it failed. */
    public record Invocation(String body, String worker, long startNanos, long busyNanos, java.util.Optional<RuntimeException> error) {
        public boolean failed() {
            return error.isPresent();
        }
    }

    /**
     * host.json's queue settings, and how often the resync runs (empty: never).
     */
    public record Options(int batchSize, int newBatchThreshold, int maxDequeueCount, Duration visibilityTimeout,
                          Duration maxPollingInterval, java.util.Optional<Duration> resyncEvery, boolean receiveJobs,
                          Duration runningVisibility) {
        public Options {
            if (batchSize < 1 || newBatchThreshold < 0 || maxDequeueCount < 1) {
                throw new IllegalArgumentException("batchSize and maxDequeueCount must be 1 or more and newBatchThreshold 0 or more");
            }
        }

        /** One message at a time, as tests that want a fixed order run it. */
        public static Options serial(int maxDequeueCount, Duration visibilityTimeout) {
            return new Options(1, 0, maxDequeueCount, visibilityTimeout, Duration.ofMillis(100), java.util.Optional.empty(), true, RUNNING_VISIBILITY);
        }

        public Options withConcurrency(int batch, int threshold) {
            return new Options(batch, threshold, maxDequeueCount, visibilityTimeout, maxPollingInterval, resyncEvery, receiveJobs, runningVisibility);
        }

        public Options withMaxPollingInterval(Duration d) {
            return new Options(batchSize, newBatchThreshold, maxDequeueCount, visibilityTimeout, d, resyncEvery, receiveJobs, runningVisibility);
        }

        public Options withResyncEvery(Duration d) {
            return new Options(batchSize, newBatchThreshold, maxDequeueCount, visibilityTimeout, maxPollingInterval, java.util.Optional.of(d),
                    receiveJobs, runningVisibility);
        }

        /** Requested sweeps, poison messages and the resync only: the jobs queue is left to another worker. */
        public Options withoutJobs() {
            return new Options(batchSize, newBatchThreshold, maxDequeueCount, visibilityTimeout, maxPollingInterval, resyncEvery, false, runningVisibility);
        }

        /** How long a received message stays invisible while it runs (and after its worker died). */
        public Options withRunningVisibility(Duration d) {
            return new Options(batchSize, newBatchThreshold, maxDequeueCount, visibilityTimeout, maxPollingInterval, resyncEvery, receiveJobs, d);
        }
    }

    private final QueueClient jobs;
    private final QueueClient poison;
    private final QueueClient sweeps;
    private final Handlers handlers;
    private final Options options;
    private final Logger log;
    private final ExecutorService workers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object finished = new Object();
    private final Object wake = new Object();
    private boolean woken;
    private volatile Throwable workerError;
    private volatile java.util.function.Consumer<Invocation> listener = i -> { };
    private long nextResync;
    private volatile Thread loop;
    private volatile boolean stopping;

    public QueueWorker(QueueClient jobs, QueueClient poison, QueueClient sweeps, Handlers handlers, Options options, Logger log) {
        this.jobs = jobs;
        this.poison = poison;
        this.sweeps = sweeps;
        this.handlers = handlers;
        this.options = options;
        this.log = log;
        this.workers = Executors.newFixedThreadPool(options.batchSize() + options.newBatchThreshold(), r -> {
            Thread t = new Thread(r, "queue-worker");
            t.setDaemon(true);
            return t;
        });
        this.nextResync = options.resyncEvery().map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
    }

    /** Told of every job delivery when it ends (for measurements). */
    public QueueWorker onInvocation(java.util.function.Consumer<Invocation> l) {
        this.listener = l;
        return this;
    }

    /** batchSize + newBatchThreshold: the most jobs this worker runs at once. */
    public int maxInFlight() {
        return options.batchSize() + options.newBatchThreshold();
    }

    /**
     * A message was just added to the jobs queue by this process: stop backing off, as the host's listener is notified of
     * what a function's output binding adds ("Call Notify whenever a function adds a message to this queue").
     */
    public void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    /**
     * Receives until {@code done} holds or {@code timeout} passes; the jobs already running then finish before it returns.
     * A handler's unexpected error (not a failed delivery: an error of the worker itself) is rethrown here.
     */
    public boolean runUntil(BooleanSupplier done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long idleSleep = 100;
        long nextCheck = 0;
        try {
            while (System.nanoTime() < deadline && !stopping) {
                if (inFlight.get() > options.newBatchThreshold()) {
                    awaitAFinishedJob();
                    rethrowWorkerError();
                    continue;
                }
                boolean worked = receiveBatch();
                rethrowWorkerError();
                // Callers' conditions may scan tables: after a receive, at most every 200 ms, not after every job.
                if ((!worked || System.nanoTime() >= nextCheck) && done.getAsBoolean()) {
                    return true;
                }
                nextCheck = System.nanoTime() + 200_000_000L;
                if (worked) {
                    idleSleep = 100;
                } else {
                    idle(idleSleep);
                    idleSleep = Math.min(idleSleep * 2, Math.max(100, options.maxPollingInterval().toMillis()));
                }
            }
            return done.getAsBoolean();
        } finally {
            awaitAllFinished();
        }
    }

    /** Runs {@link #runUntil} on a thread of its own until {@link #close}. */
    public QueueWorker start() {
        Thread t = new Thread(() -> {
            while (!stopping) {
                try {
                    runUntil(() -> stopping, Duration.ofDays(3650));
                } catch (RuntimeException e) {
                    log.warning("queue worker: " + Text.printable(String.valueOf(e.getMessage()), 300) + "; going on");
                }
            }
        }, "queue-worker-loop");
        t.setDaemon(true);
        loop = t;
        t.start();
        return this;
    }

    /** Processes everything visible now (up to 32 jobs, all finished before it returns); true if there was any. */
    public boolean drainOnce() {
        List<Future<?>> running = new ArrayList<>();
        boolean any = false;
        for (QueueMessageItem m : jobs.receiveMessages(32, options.runningVisibility(), null, null)) {
            any = true;
            running.add(workers.submit(() -> process(m)));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return drainSweepsPoisonAndResync() || any;
    }

    /** One receive of up to batchSize jobs, started without waiting for them; then the other queues and the timer. */
    private boolean receiveBatch() {
        boolean worked = false;
        for (QueueMessageItem m : options.receiveJobs() ? jobs.receiveMessages(options.batchSize(), options.runningVisibility(), null, null)
                : List.<QueueMessageItem>of()) {
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
        return drainSweepsPoisonAndResync() || worked;
    }

    private boolean drainSweepsPoisonAndResync() {
        boolean worked = false;
        for (QueueMessageItem m : sweeps.receiveMessages(1, RUNNING_VISIBILITY, null, null)) {
            worked = true;
            try {
                handlers.sweep(m.getBody().toString(), m.getMessageId());
                sweeps.deleteMessage(m.getMessageId(), m.getPopReceipt());
            } catch (RuntimeException e) {
                // As the host: a failed sweep stays on its queue and comes back.
                sweeps.updateMessage(m.getMessageId(), m.getPopReceipt(), m.getBody().toString(), options.visibilityTimeout());
                log.warning("a requested sweep failed: " + Text.printable(String.valueOf(e.getMessage()), 300));
            }
        }
        for (QueueMessageItem m : poison.receiveMessages(32, options.visibilityTimeout(), null, null)) {
            worked = true;
            handlers.poison(m.getBody().toString(), m.getMessageId());
            poison.deleteMessage(m.getMessageId(), m.getPopReceipt());
        }
        if (System.nanoTime() >= nextResync) {
            nextResync = System.nanoTime() + options.resyncEvery().orElseThrow().toNanos();
            handlers.resync();
        }
        return worked;
    }

    /** One delivery: deleted on success; on failure visible again after visibilityTimeout, or poison after maxDequeueCount. */
    private void process(QueueMessageItem m) {
        String body = m.getBody().toString();
        long start = System.nanoTime();
        try {
            handlers.job(body, m.getMessageId(), (int) m.getDequeueCount());
            listener.accept(new Invocation(body, Thread.currentThread().getName(), start, System.nanoTime() - start, java.util.Optional.empty()));
            settle(() -> jobs.deleteMessage(m.getMessageId(), m.getPopReceipt()), m);
        } catch (RuntimeException e) {
            listener.accept(new Invocation(body, Thread.currentThread().getName(), start, System.nanoTime() - start, java.util.Optional.of(e)));
            log.fine("job delivery failed (dequeueCount " + m.getDequeueCount() + "): " + e);
            if (m.getDequeueCount() >= options.maxDequeueCount()) {
                poison.sendMessage(body);
                settle(() -> jobs.deleteMessage(m.getMessageId(), m.getPopReceipt()), m);
            } else {
                settle(() -> jobs.updateMessage(m.getMessageId(), m.getPopReceipt(), body, options.visibilityTimeout()), m);
            }
        } catch (Error e) {
            // The worker died between two lines (in tests: a simulated kill): nothing after it runs, the message is neither
            // deleted nor released, and it comes back when its running visibility ends, as after a host process died.
            listener.accept(new Invocation(body, Thread.currentThread().getName(), start, System.nanoTime() - start, java.util.Optional.of(
                    new IllegalStateException("worker died: " + e.getMessage(), e))));
            log.warning("a worker died while handling a job (" + e + "); the message comes back after its visibility");
        }
    }

    /**
     * Deletes or releases a message this worker received. A message that ran past its visibility was received again by
     * another delivery (a new pop receipt): Storage answers 404 or 400 PopReceiptMismatch, and the other delivery settles
     * it (its pass is an ordinary duplicate, which the claims make harmless).
     */
    private void settle(Runnable op, QueueMessageItem m) {
        try {
            op.run();
        } catch (com.azure.storage.queue.models.QueueStorageException e) {
            if (e.getStatusCode() != 404 && e.getStatusCode() != 400) {
                throw e;
            }
            log.fine("message " + m.getMessageId() + " was received again while it ran (" + e.getErrorCode() + "); the other delivery settles it");
        }
    }

    /** The back-off between polls of an empty queue; {@link #wake} ends it. */
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
            if (inFlight.get() > options.newBatchThreshold()) {
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

    @Override
    public void close() {
        stopping = true;
        wake();
        Thread t = loop;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdownNow();
    }
}
