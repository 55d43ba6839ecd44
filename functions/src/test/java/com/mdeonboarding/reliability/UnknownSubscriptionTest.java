package com.mdeonboarding.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.reconcile.ReconcileResult;
import com.mdeonboarding.reconcile.Reconciler;
import com.mdeonboarding.testing.TestWorld;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, item 7: with no scope configured (every subscription the identity can see), a job for a subscription that
 * does not exist made Resource Manager calls and wrote a BLOCKED JOB_FAILED row. It is decided without a call about it:
 * OUT_OF_SCOPE, nothing written; the only call is the identity's subscription list, read once and shared by later jobs.
 */
class UnknownSubscriptionTest {
    @Test
    void aJobForASubscriptionNobodyCanSeeIsRefusedWithoutCallsOrRows() {
        try (TestWorld w = TestWorld.builder(ReliabilityWorld.defaultTenant()).scope(List.of()).prefix("Unknown").build()) {
            Logger log = w.logger("unknown");
            w.emulator.requestLog().clear();
            String ghost = "/subscriptions/0badc0de-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm";
            for (int i = 0; i < 3; i++) {
                ReconcileResult r = w.services.reconciler.reconcile(OnboardingJob.create(MachineId.parse(ghost), JobSource.MANUAL,
                        Instant.now()), log);
                assertEquals(Reconciler.Status.OUT_OF_SCOPE, r.status());
            }
            List<String> calls = w.emulator.requestLog().snapshot().stream().map(RequestLog.Entry::operationId).toList();
            assertEquals(List.of("Subscriptions_List"), calls, "one read of the visible subscriptions, shared by the three jobs");
            assertTrue(w.stateRows().isEmpty(), "no row written: " + w.stateRows().keySet());

            // A subscription the identity sees is in scope as before.
            String real = "/subscriptions/" + ReliabilityWorld.SUB_A + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm";
            assertTrue(w.services.scope.contains(MachineId.parse(real).subscriptionId()));
        }
    }
}
