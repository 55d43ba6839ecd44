package com.mdeonboarding.testing;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.mdeonboarding.control.QueueWorker;
import com.mdeonboarding.host.Resync;
import java.util.concurrent.atomic.AtomicInteger;
import com.mdeonboarding.host.OnResourceWrite;
import com.mdeonboarding.host.ReconcileMachine;
import com.mdeonboarding.host.RecordPoisonJob;
import com.mdeonboarding.host.RunRequestedSweep;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.sweep.SweepRequestQueue;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * What the Functions host does for our triggers, for tests where Core Tools cannot run: wiring only. Event Grid events
 * go to {@link OnResourceWrite}, whose output binding is written to the real (Azurite) queue; the queues are received by
 * the app's own {@link QueueWorker} (host.json's batchSize, newBatchThreshold, maxDequeueCount, visibilityTimeout and
 * polling), which hands each message to the trigger class the host would call: {@link ReconcileMachine},
 * {@link RecordPoisonJob}, {@link RunRequestedSweep}, and {@link Resync} on its timer. Only the binding adapters are Mockito
 * mocks; everything behind them is real.
 */
public final class LocalFunctionsHost {
    private final QueueClient jobs;
    private final QueueClient poison;
    private final QueueClient sweeps;
    private final Logger logger;
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private final List<String> messagesSeen = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger reconciles = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final Services services;
    private QueueWorker.Options options;
    private QueueWorker worker;
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
        this.logger = CapturingLogger.into(logLines, "host");
        configure(QueueWorker.Options.serial(maxDequeueCount, visibilityTimeout));
    }

    private void configure(QueueWorker.Options o) {
        if (worker != null) {
            worker.close();
        }
        options = o;
        worker = new QueueWorker(jobs, poison, sweeps, new Triggers(), o, logger).onInvocation(i -> {
            invocations.add(new Invocation(i.body(), i.worker(), i.startNanos(), i.busyNanos()));
            i.error().ifPresent(e -> {
                failures.incrementAndGet();
                logLines.add("HOST invocation failed: " + e + " at " + java.util.Arrays.stream(e.getStackTrace())
                        .filter(f -> f.getClassName().startsWith("com.mdeonboarding")).limit(4).map(String::valueOf).toList());
            });
        });
    }

    /** What a killed worker process looks like from inside: nothing catches it, nothing after it runs. */
    public static final class WorkerKilled extends Error {
        public WorkerKilled(String where) {
            super("worker process killed (simulated) at: " + where);
        }
    }

    private volatile double killChance;
    private java.util.Random killRandom = new java.util.Random(0);
    private final AtomicInteger kills = new AtomicInteger();

    /**
     * From now on each log line of a ReconcileMachine invocation kills its worker with probability {@code p} (seeded): the
     * pass stops right there, between two of its steps (after a claim, after a PUT, after recording and before the
     * follow-up is queued...), and its message comes back when its running visibility ends (see {@link #runningVisibility}).
     */
    public LocalFunctionsHost killWorkers(double p, long seed) {
        killRandom = new java.util.Random(seed);
        killChance = p;
        return this;
    }

    /** Workers killed so far. */
    public int kills() {
        return kills.get();
    }

    /** How long a received job stays invisible while it runs, and after its worker died (the host: 10 minutes). */
    public LocalFunctionsHost runningVisibility(Duration d) {
        configure(options.withRunningVisibility(d));
        return this;
    }

    private ExecutionContext jobContext() {
        if (killChance <= 0) {
            return context(ReconcileMachine.NAME);
        }
        Logger l = Logger.getLogger("killable-" + UUID.randomUUID());
        l.setUseParentHandlers(false);
        l.setLevel(java.util.logging.Level.ALL);
        l.addHandler(new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logLines.add(r.getLevel() + " " + r.getMessage());
                boolean kill;
                synchronized (killRandom) {
                    kill = killRandom.nextDouble() < killChance;
                }
                if (kill) {
                    kills.incrementAndGet();
                    throw new WorkerKilled(String.valueOf(r.getMessage()));
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
        when(ctx.getLogger()).thenReturn(l);
        when(ctx.getFunctionName()).thenReturn(ReconcileMachine.NAME);
        when(ctx.getInvocationId()).thenReturn(UUID.randomUUID().toString());
        return ctx;
    }

    /** The trigger classes the Functions host would call for each message. */
    private final class Triggers implements QueueWorker.Handlers {
        @Override
        public void job(String body, String messageId, int dequeueCount) {
            messagesSeen.add(body);
            reconciles.incrementAndGet();
            new ReconcileMachine(services).run(body, messageId, dequeueCount, jobContext());
        }

        @Override
        public void poison(String body, String messageId) {
            new RecordPoisonJob(services).run(body, messageId, context(RecordPoisonJob.NAME));
        }

        @Override
        public void sweep(String body, String messageId) {
            new RunRequestedSweep(services).run(body, messageId, context(RunRequestedSweep.NAME));
        }

        @Override
        public void resync() {
            new Resync(services).run("{}", context(Resync.NAME));
        }
    }

    /**
     * Like host.json's batchSize (default 1, deterministic): the host receives a batch of up to this many messages and runs
     * them in parallel, and receives the next batch once the messages still running are down to newBatchThreshold
     * (default batchSize / 2, as host.json's).
     */
    public LocalFunctionsHost concurrency(int n) {
        return concurrency(n, n / 2);
    }

    /** batchSize and newBatchThreshold, as host.json sets them. */
    public LocalFunctionsHost concurrency(int batchSize, int newBatchThreshold) {
        configure(options.withConcurrency(batchSize, newBatchThreshold));
        return this;
    }

    /** batchSize + newBatchThreshold: the most jobs this host runs at once (its workers). */
    public int maxInFlight() {
        return worker.maxInFlight();
    }

    /** Like host.json's maxPollingInterval: an empty queue is polled with a back-off from 100 ms up to this. */
    public LocalFunctionsHost maxPollingInterval(Duration d) {
        configure(options.withMaxPollingInterval(d));
        return this;
    }

    /** The Resync timer fires this often while the host runs. */
    public LocalFunctionsHost resyncEvery(Duration d) {
        configure(options.withResyncEvery(d));
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
            worker.wake();
        }
        return captured;
    }

    /** Processes visible jobs (and poison messages, requested sweeps, the resync timer) until {@code done} or {@code timeout}. */
    public boolean runUntil(BooleanSupplier done, Duration timeout) {
        return worker.runUntil(done, timeout);
    }

    /** Processes everything visible now (up to 32 messages, all of them finished before it returns); true if any. */
    public boolean drainOnce() {
        return worker.drainOnce();
    }

    /** Fires the Resync timer once now, as the host would on its schedule. */
    public void resync() {
        new Resync(services).run("{}", context(Resync.NAME));
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
