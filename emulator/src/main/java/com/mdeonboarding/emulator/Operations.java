package com.mdeonboarding.emulator;

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
final class Operations implements AutoCloseable {
    private static final Duration RETENTION = Duration.ofMinutes(30);
    private final Map<String, Operation> all = new ConcurrentHashMap<>();
    private final Map<String, Operation> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "arm-emulator-operations");
        t.setDaemon(true);
        return t;
    });
    private final ResourceStore store;
    private volatile Instant lastCleanup = Instant.now();

    Operations(ResourceStore store) {
        this.store = store;
    }

    Operation start(String provider, String subscriptionId, String location, String apiVersion, Duration delay,
            BiConsumer<Operation, ResourceStore.Writes> completion) {
        Instant now = Instant.now();
        Operation op = new Operation(UUID.randomUUID().toString(), provider, subscriptionId, location, apiVersion,
                now, now.plus(delay), completion);
        all.put(op.id, op);
        pending.put(op.id, op);
        timer.schedule(() -> complete(op), Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        return op;
    }

    Operation get(String id) {
        return all.get(id);
    }

    /** Completes every operation whose due time has passed; called before each request is handled. */
    void settleDue() {
        if (!pending.isEmpty()) {
            Instant now = Instant.now();
            for (Operation op : pending.values()) {
                if (!op.dueTime.isAfter(now)) {
                    complete(op);
                }
            }
        }
        cleanup();
    }

    /** Ends an operation before its time because a newer operation on the same resource replaced it. */
    void preempt(String operationId) {
        Operation op = operationId == null ? null : all.get(operationId);
        if (op != null && op.done.compareAndSet(false, true)) {
            pending.remove(op.id);
            op.cancel("OperationPreempted", "Operation execution has been preempted by a more recent operation.",
                    Instant.now());
        }
    }

    int inProgress() {
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
                op.fail("InternalServerError", "The emulator failed to complete the operation: " + e, Instant.now());
            } finally {
                op.commit();
                pending.remove(op.id);
            }
        }
    }

    private void cleanup() {
        Instant now = Instant.now();
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
