package com.mdeonboarding.emulator.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every Resource Manager request the emulator received (admin requests excluded), with counts per
 * operationId. Thread-safe. Benchmarks count Resource Manager calls with it; tests see retries in it.
 */
public final class RequestLog {
    /** Only the latest entries are kept (counts stay exact), so long benchmarks stay within memory. */
    static final int MAX_ENTRIES = 200_000;

    /**
     * One request.
     *
     * @param operationId the REST spec operationId ({@code VirtualMachines_Get}, ...), {@code LongRunningOperation_Status}
     *                    for Azure-AsyncOperation polls, {@code LongRunningOperation_Result} for Location polls,
     *                    {@code Unknown} for requests that matched no route
     * @param write       whether ARM counts it as a write (PUT, PATCH, DELETE, POST actions; Resource Graph queries are reads)
     */
    public record Entry(Instant timestamp, String method, String path, String query, String operationId, int status,
            long durationMillis, boolean write, String clientRequestId) {
    }

    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    /** Woken on each request while someone {@link #await}s one, so a test waits for requests without sleeping. */
    private final Object arrivals = new Object();
    private final AtomicInteger waiting = new AtomicInteger();

    public void record(Entry e) {
        entries.add(e);
        if (kept.incrementAndGet() > MAX_ENTRIES && entries.poll() != null) {
            kept.decrementAndGet();
        }
        counts.computeIfAbsent(e.operationId(), k -> new LongAdder()).increment();
        (e.write() ? writes : reads).increment();
        if (waiting.get() > 0) {
            synchronized (arrivals) {
                arrivals.notifyAll();
            }
        }
    }

    /**
     * Waits until {@code condition} holds, checking it as each request arrives (and every 100 ms, for conditions that
     * also watch something else, such as a client process): for a test that waits on another process's calls, which
     * no clock can hurry. Returns whether it held before {@code timeout} (real time) ran out.
     */
    public boolean await(java.util.function.BooleanSupplier condition, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        waiting.incrementAndGet();
        try {
            synchronized (arrivals) {
                while (!condition.getAsBoolean()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    arrivals.wait(Math.max(1, Math.min(100, left / 1_000_000)));
                }
                return true;
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Requests with this operationId (including ones answered with an error or a fault). */
    public long count(String operationId) {
        LongAdder a = counts.get(operationId);
        return a == null ? 0 : a.sum();
    }

    /** Requests with this operationId that got this status (among the kept entries). */
    public long count(String operationId, int status) {
        return entries.stream().filter(e -> e.operationId().equals(operationId) && e.status() == status).count();
    }

    public long countWrites() {
        return writes.sum();
    }

    public long countReads() {
        return reads.sum();
    }

    public long total() {
        return reads.sum() + writes.sum();
    }

    /** Counts per operationId, sorted by name. */
    public Map<String, Long> countsByOperation() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The kept entries (the latest {@value #MAX_ENTRIES}), oldest first. */
    public List<Entry> snapshot() {
        return new ArrayList<>(entries);
    }

    public void clear() {
        entries.clear();
        kept.set(0);
        counts.clear();
        reads.reset();
        writes.reset();
    }
}
