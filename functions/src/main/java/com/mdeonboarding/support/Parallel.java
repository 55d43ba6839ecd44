package com.mdeonboarding.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
        if (items.size() <= 1) {
            items.forEach(task);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, items.size())));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> task.accept(item)));
            }
            RuntimeException first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for parallel work", e);
        } finally {
            pool.shutdown();
        }
    }
}
