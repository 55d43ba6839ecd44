package com.mdeonboarding.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Independent work on many items with a bounded number of threads: the one place the app makes a thread pool. */
public final class Parallel {
    private Parallel() {
    }

    /**
     * Runs {@code task} for every item, at most {@code threads} at a time, and returns when all are done. One item runs on
     * the caller's thread. A task's unchecked exception is rethrown after the others finished.
     */
    public static <T> void forEach(List<T> items, int threads, Consumer<T> task) {
        List<T> late = forEach(items, threads, null, task);
        if (!late.isEmpty()) {
            throw new IllegalStateException("unreachable: no deadline, yet " + late.size() + " items unfinished");
        }
    }

    /**
     * As {@link #forEach(List, int, Consumer)}, but returns by {@code deadline} (null: none) whatever happens: the items
     * whose task had not finished by then are returned (those not started are never started; those running are
     * interrupted and may still complete in the background). A task's unchecked exception is rethrown only when every
     * task finished in time.
     */
    public static <T> List<T> forEach(List<T> items, int threads, Duration deadline, Consumer<T> task) {
        if (items.size() <= 1 && deadline == null) {
            items.forEach(task);
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, items.size())), daemons("parallel"));
        long end = deadline == null ? Long.MAX_VALUE : System.nanoTime() + deadline.toNanos();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> task.accept(item)));
            }
            RuntimeException first = null;
            List<T> unfinished = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                Future<?> f = futures.get(i);
                try {
                    if (deadline == null) {
                        f.get();
                    } else {
                        f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                    }
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                } catch (TimeoutException | CancellationException e) {
                    f.cancel(true);
                    unfinished.add(items.get(i));
                }
            }
            if (first != null && unfinished.isEmpty()) {
                throw first;
            }
            return unfinished;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for parallel work", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A pool for requests that must not wait without bound: {@code threads} workers and at most {@code queued} waiting
     * tasks; beyond that {@code execute} throws {@link java.util.concurrent.RejectedExecutionException} (the caller
     * answers "busy"). Daemon threads named {@code name-N}.
     */
    public static ExecutorService bounded(String name, int threads, int queued) {
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queued), daemons(name),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** One daemon thread for periodic work. */
    public static ScheduledExecutorService periodic(String name) {
        return Executors.newSingleThreadScheduledExecutor(daemons(name));
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
