package com.mdeonboarding.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The Defender for Endpoint API's rate limits, kept by design: "100 calls per minute and 1,500 calls per hour" per tenant
 * and application (MicrosoftDocs/defender-docs {@code defender-endpoint/api/get-machines.md}). Every request leaving the
 * pipeline (each retry too) first takes a slot in sliding windows of those sizes, one budget per process; a request that
 * would exceed them waits until a slot frees, up to its maximum wait (a per-machine look waits a few seconds, the sweep's
 * listing up to the minute window), and otherwise fails at once with "no call to spare" (so a job does not hold a worker:
 * it looks again later). The windows are a second longer than the API's so that clock
 * and network differences never put 101 calls into one of its minutes. Several processes share the API's budget: their
 * 429s are waited out by the retry policy (Retry-After).
 */
final class DefenderApiBudget implements HttpPipelinePolicy {
    /** The documented limits. */
    static final List<Limit> DOCUMENTED = List.of(new Limit(100, Duration.ofMinutes(1)), new Limit(1_500, Duration.ofHours(1)));
    private static final long MARGIN_NANOS = Duration.ofSeconds(1).toNanos();
    /** Context key: how long this request may wait for its slot (a Duration). */
    static final String MAX_WAIT = "mde-onboarding.defender-api.max-wait";

    /** At most {@code calls} in any {@code window}. */
    record Limit(int calls, Duration window) {
    }

    private final List<Limit> limits;
    private final Duration maxWait;
    private final LongSupplier nanoTime;
    /** Start times of the calls within the longest window, oldest first. */
    private final ArrayDeque<Long> sent = new ArrayDeque<>();

    DefenderApiBudget(List<Limit> limits, Duration maxWait) {
        this(limits, maxWait, System::nanoTime);
    }

    DefenderApiBudget(List<Limit> limits, Duration maxWait, LongSupplier nanoTime) {
        this.limits = List.copyOf(limits);
        this.maxWait = maxWait;
        this.nanoTime = nanoTime;
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        acquire(maxWait(context));
        return next.processSync();
    }

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return Mono.fromRunnable(() -> acquire(maxWait(context))).subscribeOn(Schedulers.boundedElastic()).then(next.process());
    }

    /** A request may say how long it is willing to wait ({@link #MAX_WAIT} in its context); otherwise the default. */
    private Duration maxWait(HttpPipelineCallContext context) {
        return context.getData(MAX_WAIT).filter(Duration.class::isInstance).map(Duration.class::cast).orElse(maxWait);
    }

    void acquire() {
        acquire(maxWait);
    }

    /** Takes a slot, waiting for one if that takes at most {@code maxWait}. */
    void acquire(Duration maxWait) {
        long deadline = nanoTime.getAsLong() + maxWait.toNanos();
        while (true) {
            long wait;
            synchronized (this) {
                long now = nanoTime.getAsLong();
                wait = waitNanos(now);
                if (wait <= 0) {
                    sent.addLast(now);
                    return;
                }
                if (now + wait > deadline) {
                    throw new DefenderApiException(0, "NoCallToSpare", "this process has used the API's budget ("
                            + describe() + "); the next call is possible in " + Duration.ofNanos(wait).toSeconds() + " s");
                }
            }
            try {
                Thread.sleep(Math.max(1, wait / 1_000_000), (int) Math.min(999_999, wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DefenderApiException(0, "Interrupted", "interrupted while waiting for the API's budget");
            }
        }
    }

    /** How long until a call fits every window (0: now). Caller holds the lock. */
    private long waitNanos(long now) {
        long longest = 0;
        for (Limit l : limits) {
            longest = Math.max(longest, l.window().toNanos() + MARGIN_NANOS);
        }
        while (!sent.isEmpty() && now - sent.peekFirst() >= longest) {
            sent.removeFirst();
        }
        long wait = 0;
        for (Limit l : limits) {
            long window = l.window().toNanos() + MARGIN_NANOS;
            int inWindow = 0;
            Long oldestInWindow = null;
            // Newest first: the calls that still count, and the one whose leaving frees the slot.
            for (var it = sent.descendingIterator(); it.hasNext(); ) {
                long t = it.next();
                if (now - t >= window) {
                    break;
                }
                inWindow++;
                if (inWindow == l.calls()) {
                    oldestInWindow = t;
                }
            }
            if (inWindow >= l.calls() && oldestInWindow != null) {
                wait = Math.max(wait, oldestInWindow + window - now);
            }
        }
        return wait;
    }

    /** How long a call would wait now (0: it would go at once). */
    synchronized Duration waitNow() {
        return Duration.ofNanos(Math.max(0, waitNanos(nanoTime.getAsLong())));
    }

    private String describe() {
        StringBuilder b = new StringBuilder();
        for (Limit l : limits) {
            b.append(b.length() == 0 ? "" : ", ").append(l.calls()).append(" per ").append(l.window().toMinutes() >= 1
                    ? l.window().toMinutes() + " min" : l.window().toSeconds() + " s");
        }
        return b.toString();
    }
}
