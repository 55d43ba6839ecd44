package com.mdeonboarding.host;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.Sensor;
import com.mdeonboarding.reconcile.ReconcileResult;
import com.mdeonboarding.telemetry.DecisionRecord;
import com.mdeonboarding.telemetry.LogContext;
import com.mdeonboarding.telemetry.Telemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Interim wiring until the single controller (issue 22) exists: runs one reconcile inside the job's {@link LogContext} and
 * emits its {@link DecisionRecord}. The controller should do the same with what it has in hand (the facts' OS, the sensor
 * as seen, the calls made for this job) instead of what this adapter has to reconstruct:
 * <ul>
 *   <li>the sensor health is read back from the state row just written (one Table read per decision);</li>
 *   <li>the OS is not known here (the result does not carry the facts): "unknown";</li>
 *   <li>the Resource Manager calls are the process-wide counter's growth during the reconcile, exact when one job runs at a
 *       time and an over-count when jobs of the same instance overlap.</li>
 * </ul>
 */
final class DecisionTelemetry {
    private DecisionTelemetry() {
    }

    static ReconcileResult reconcile(Services s, OnboardingJob job, Supplier<ReconcileResult> reconcile) {
        try (LogContext ctx = LogContext.of(job)) {
            Instant started = s.clock.instant();
            long calls0 = s.azure.calls().total();
            ReconcileResult result = reconcile.get();
            result.decision().ifPresent(d -> {
                Optional<String> health = s.stateStore.get(job.machine())
                        .flatMap(r -> r.extension().sensor()).flatMap(Sensor::healthStatus);
                Telemetry.decision(new DecisionRecord(job, d, Optional.empty(), health,
                        Duration.between(started, s.clock.instant()), s.azure.calls().total() - calls0, result.dryRun()));
            });
            return result;
        }
    }
}
