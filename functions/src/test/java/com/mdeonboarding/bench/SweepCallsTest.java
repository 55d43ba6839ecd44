package com.mdeonboarding.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.TenantGenerator;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepRequest;
import com.mdeonboarding.testing.Azurite;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Benchmark scenario 2 in small: a sweep of a generated tenant of 450 subscriptions (three Resource Graph batches of at
 * most 200) and 3,000 machines makes exactly these calls: one plans page per batch, one machines page per 1,000
 * machines of a batch, one settings list per subscription; and the subscription list pages (without a configured scope for the
 * scope itself, with one for the subscriptions' display names that the dashboard shows: read once either way). Beside it,
 * the scripted tools' loop on the same tenant, computed as in BENCHMARKS.md.
 */
class SweepCallsTest {
    private static final Logger LOG = Logger.getLogger(SweepCallsTest.class.getName());
    private static final Tenant TENANT = TenantGenerator.generate(450, 3_000, 7);

    @Test
    void aSweepOf450SubscriptionsAnd3000MachinesMakesEightQueriesAndOneSettingsReadPerSubscriptionWithAListedScope() {
        SweepReport r = sweep(TENANT.subscriptions().stream().map(SubscriptionSpec::subscriptionId).toList(), Map.of(
                // 3 batches (200, 200, 50 subscriptions): one plans page each; machines 1,3xx + 1,3xx + 3xx: 2 + 2 + 1 pages.
                "Resources", 8L,
                "Settings_List", 450L,
                // The display names: the subscription list, 100 a page.
                "Subscriptions_List", 5L));
        assertEquals(450, r.totals().subscriptionsInScope());
        assertEquals(3_000, r.machines());
        assertEquals(8 + 450 + 5, r.calls().total());
    }

    @Test
    void withoutAScopeTheSweepAlsoListsTheSubscriptionsInPagesOfAHundred() {
        SweepReport r = sweep(List.of(), Map.of("Resources", 8L, "Settings_List", 450L, "Subscriptions_List", 5L));
        assertEquals(8 + 450 + 5, r.calls().total());
    }

    @Test
    void theScriptedLoopWouldMakeAboutOneCallPerMachinePlusThreePerSubscription() {
        // 5 subscription pages; per subscription a VM page, an Arc page, plan and settings; one status read per machine.
        assertEquals(5 + 450 * 4 + 3_000, SweepScale.naiveCalls(TENANT));
    }

    private static SweepReport sweep(List<String> scope, Map<String, Long> expected) {
        try (ArmEmulator arm = ArmEmulator.builder().tenant(TENANT).port(0).build().start()) {
            Services s = Bench.services(Bench.settings(arm.baseUrl(), arm.caCertificatePemPath(), Azurite.get().connectionString(),
                    Bench.suffix(), scope));
            arm.requestLog().clear();
            AtomicLong jobs = new AtomicLong();
            SweepReport r = s.sweeps.run(SweepRequest.scheduled(), job -> jobs.incrementAndGet(), LOG);
            RequestLog log = arm.requestLog();
            assertEquals(expected, log.countsByOperation());
            assertEquals(log.total(), r.calls().total(), "the report's count agrees with the emulator's request log");
            assertEquals(r.jobsQueued(), jobs.get());
            assertTrue(r.errors().isEmpty(), r.errors().toString());
            return r;
        }
    }
}
