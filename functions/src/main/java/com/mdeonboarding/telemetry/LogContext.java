package com.mdeonboarding.telemetry;

import com.mdeonboarding.model.OnboardingJob;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.CloseableThreadContext;

/**
 * A job's log context, set once: resource ID, subscription, correlation ID, job source and attempt as Log4j 2 ThreadContext
 * entries for as long as the scope is open, so that every Log4j event of the job (its {@link DecisionRecord} included) carries
 * them as customDimensions, as logr's {@code WithValues} does (issue 22 item 5). Closing restores what was there before
 * ({@link CloseableThreadContext} does the bookkeeping), so scopes nest and a pooled thread keeps nothing of the last job.
 *
 * <pre>{@code
 * try (LogContext ctx = LogContext.of(job)) {
 *     ReconcileResult result = reconciler.reconcile(job, log);
 *     ...
 * }
 * }</pre>
 */
public final class LogContext implements AutoCloseable {
    private final CloseableThreadContext.Instance scope;

    private LogContext(Map<String, String> values) {
        this.scope = CloseableThreadContext.putAll(values);
    }

    /** The context of one job. */
    public static LogContext of(OnboardingJob job) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("resourceId", job.machine().id());
        v.put("subscriptionId", job.machine().subscriptionId());
        v.put("correlationId", job.correlationId());
        v.put("jobSource", job.source().wire());
        v.put("attempt", Integer.toString(job.attempt()));
        return new LogContext(v);
    }

    @Override
    public void close() {
        scope.close();
    }
}
