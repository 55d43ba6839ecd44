package com.mdeonboarding.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import java.time.Instant;
import java.util.Map;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.Test;

/** The job's context is set for the scope and gone after it, and an outer scope's values come back (pooled threads). */
class LogContextTest {
    private static OnboardingJob job(String name, int attempt) {
        MachineId id = MachineId.parse("/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/"
                + "Microsoft.Compute/virtualMachines/" + name);
        OnboardingJob j = OnboardingJob.create(id, JobSource.SWEEP, Instant.EPOCH);
        return new OnboardingJob(j.machine(), j.source(), j.correlationId(), attempt, j.requestedAt());
    }

    @Test
    void theScopeSetsTheJobsKeysAndLeavesNothingBehind() {
        OnboardingJob a = job("a", 2);
        OnboardingJob b = job("b", 1);
        try (LogContext outer = LogContext.of(a)) {
            assertEquals(Map.of("resourceId", a.machine().id(), "subscriptionId", "11111111-1111-4111-8111-111111111111",
                    "correlationId", a.correlationId(), "jobSource", "sweep", "attempt", "2"), ThreadContext.getImmutableContext());
            try (LogContext inner = LogContext.of(b)) {
                assertEquals(b.correlationId(), ThreadContext.get("correlationId"));
                assertEquals("1", ThreadContext.get("attempt"));
            }
            assertEquals(a.correlationId(), ThreadContext.get("correlationId"), "the outer job's values are back");
            assertEquals("2", ThreadContext.get("attempt"));
        }
        assertTrue(ThreadContext.isEmpty(), "nothing of the job stays on the thread: " + ThreadContext.getImmutableContext());
    }
}
