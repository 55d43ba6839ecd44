package com.mdeonboarding.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.TenantGenerator;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepRequest;
import com.mdeonboarding.testing.Azurite;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The "Done when" at full size: a sweep of the generated 1,000-subscription / 100,000-machine tenant reads the
 * Defender for Endpoint device list once, in ceil(devices / 10,000) calls (counted from the emulator's request log), and
 * never meets a 429; the machines are joined to their devices by resource ID, and the sensor-drift jobs stop at the
 * per-sweep cap.
 */
class SensorSweepCallsTest {
    private static final Logger LOG = Logger.getLogger(SensorSweepCallsTest.class.getName());

    @Test
    void aSweepOf100000MachinesReadsTheDeviceListInFiveCalls() {
        Tenant tenant = TenantGenerator.generate(1_000, 100_000, 42);
        try (ArmEmulator arm = ArmEmulator.builder().tenant(tenant).port(0).build().start()) {
            Services s = Bench.services(Bench.settings(arm.baseUrl(), arm.caCertificatePemPath(), Azurite.get().connectionString(),
                    Bench.suffix(), tenant.subscriptions().stream().map(SubscriptionSpec::subscriptionId).toList()));
            AtomicLong jobs = new AtomicLong();
            SweepReport r = s.sweeps.run(SweepRequest.scheduled(), job -> jobs.incrementAndGet(), LOG);
            assertEquals(100_000, r.machines());

            int devices = arm.state().deviceCount();
            long pages = (devices + 9_999) / 10_000;
            assertEquals(5, pages, devices + " device records");
            assertEquals(pages, arm.defenderRequestLog().count("ListMachines"), "ceil(devices / 10,000) calls, not one more");
            assertEquals(arm.defenderRequestLog().total(), arm.defenderRequestLog().count("ListMachines", 200), "every one answered 200");
            assertTrue(arm.defenderThrottles().isEmpty(), "no 429 at all");
            assertEquals(pages, r.sensor().devices().defenderApiCalls(), "the report's count agrees with the emulator's log");
            assertEquals(devices, r.sensor().devices().records());

            // The join: every machine whose extension Succeeded is counted once by its sensor's health.
            assertEquals(r.coverage().get("ONBOARDED").longValue(), r.sensor().extensionSucceeded());
            assertEquals(r.sensor().extensionSucceeded(), r.sensor().health().values().stream().mapToLong(Long::longValue).sum());
            assertTrue(r.sensor().protectedMachines() > 0.8 * r.sensor().extensionSucceeded(), r.sensor().toString());
            // Thousands of onboarded machines have a sensor that is not Active; at most 500 jobs a sweep (one API call each).
            assertEquals(500, r.sensor().jobsQueued());
            assertTrue(r.sensor().jobsDeferred() > 1_000, r.sensor().toString());
            assertEquals(r.jobsQueued(), jobs.get());
        }
    }
}
