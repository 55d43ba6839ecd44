package com.mdeonboarding.azure;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * Counts Resource Manager requests as they leave the pipeline (after retries: every attempt counts),
 * so sweeps can report the calls they made and tests can assert them.
 */
public final class CallCounter implements HttpPipelinePolicy {
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    /** Requests sent from each thread (a reconcile pass runs on one: its own calls, whatever runs beside it). */
    private final ThreadLocal<long[]> onThisThread = ThreadLocal.withInitial(() -> new long[1]);

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        count(context);
        return next.process().doOnNext(this::observe);
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        count(context);
        HttpResponse r = next.processSync();
        observe(r);
        return r;
    }

    private void count(HttpPipelineCallContext context) {
        HttpMethod m = context.getHttpRequest().getHttpMethod();
        // A Resource Graph query is a POST that only reads.
        boolean read = m == HttpMethod.GET || m == HttpMethod.HEAD
                || context.getHttpRequest().getUrl().getPath().contains("/providers/Microsoft.ResourceGraph/");
        (read ? reads : writes).incrementAndGet();
        onThisThread.get()[0]++;
    }

    /** Requests sent from the calling thread so far (subtract two readings to count one pass's calls). */
    public long onThisThread() {
        return onThisThread.get()[0];
    }

    private void observe(HttpResponse r) {
        if (r.getStatusCode() == 429) {
            throttled.incrementAndGet();
        }
    }

    public long reads() {
        return reads.get();
    }

    public long writes() {
        return writes.get();
    }

    public long throttled() {
        return throttled.get();
    }

    public long total() {
        return reads.get() + writes.get();
    }
}
