package com.mdeonboarding.emulator.operations;

import com.mdeonboarding.emulator.state.EmulatorClock;
import com.mdeonboarding.emulator.state.ResourceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** Registry and timer for asynchronous operations. */
public final class Operations implements AutoCloseable {
    private static final Duration RETENTION = Duration.ofMinutes(30);
    private final Map<String, Operation> all = new ConcurrentHashMap<>();
    private final Map<String, Operation> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "arm-emulator-operations");
        t.setDaemon(true);
        return t;
    });
    private final ResourceStore store;
    private final EmulatorClock clock;
    private volatile Instant lastCleanup;

    public Operations(ResourceStore store, EmulatorClock clock) {
        this.store = store;
        this.clock = clock;
        this.lastCleanup = clock.instant();
    }

    public Operation start(String provider, String subscriptionId, String location, String apiVersion, Duration delay,
            BiConsumer<Operation, ResourceStore.Writes> completion) {
        Instant now = clock.instant();
        Operation op = new Operation(UUID.randomUUID().toString(), provider, subscriptionId, location, apiVersion,
                now, now.plus(delay), completion);
        all.put(op.id, op);
        pending.put(op.id, op);
        schedule(op, delay);
        return op;
    }

    /**
     * The timer completes the operation when it falls due on the emulator's clock (so events fire on time without a
     * request). A clock advanced meanwhile has already settled it ({@link #settleDue}); one that reads earlier than the
     * timer (real time is the clock's base) gets the rest of the wait.
     */
    private void schedule(Operation op, Duration wait) {
        timer.schedule(() -> {
            Duration left = Duration.between(clock.instant(), op.dueTime);
            if (left.isNegative() || left.isZero()) {
                complete(op);
            } else if (!op.done.get()) {
                schedule(op, left);
            }
        }, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
    }

    public Operation get(String id) {
        return all.get(id);
    }

    /** Completes every operation whose due time has passed; called before each request is handled and when time is advanced. */
    public void settleDue() {
        if (!pending.isEmpty()) {
            Instant now = clock.instant();
            for (Operation op : pending.values()) {
                if (!op.dueTime.isAfter(now)) {
                    complete(op);
                }
            }
        }
        cleanup();
    }

    /** Ends an operation before its time because a newer operation on the same resource replaced it. */
    public void preempt(String operationId) {
        Operation op = operationId == null ? null : all.get(operationId);
        if (op != null && op.done.compareAndSet(false, true)) {
            pending.remove(op.id);
            op.cancel("OperationPreempted", "Operation execution has been preempted by a more recent operation.",
                    clock.instant());
        }
    }

    public int inProgress() {
        return pending.size();
    }

    private void complete(Operation op) {
        if (op.done.compareAndSet(false, true)) {
            try {
                store.write(w -> {
                    op.completion.accept(op, w);
                    return null;
                });
            } catch (RuntimeException e) {
                op.fail("InternalServerError", "The emulator failed to complete the operation: " + e, clock.instant());
            } finally {
                op.commit();
                pending.remove(op.id);
            }
        }
    }

    private void cleanup() {
        Instant now = clock.instant();
        if (now.isAfter(lastCleanup.plusSeconds(60))) {
            lastCleanup = now;
            all.values().removeIf(op -> op.endTime != null && op.endTime.plus(RETENTION).isBefore(now));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
