package com.mdeonboarding.e2e;

import static com.mdeonboarding.e2e.OnboardingWorld.SUB_FREE;
import static com.mdeonboarding.e2e.OnboardingWorld.SUB_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.ArcMachineSpec;
import com.mdeonboarding.emulator.ExtensionSpec;
import com.mdeonboarding.emulator.PricingSpec;
import com.mdeonboarding.emulator.TenantState;
import com.mdeonboarding.emulator.VirtualMachineSpec;
import com.mdeonboarding.host.ComplianceSweep;
import com.mdeonboarding.sweep.SweepReport;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: what real Azure sends that the app did not survive, each produced by the emulator and driven through the
 * real triggers. Every test names the Azure behaviour and where it is documented or was observed.
 */
class RealAzureBehaviourTest {

    private static SweepReport sweep(OnboardingWorld w) {
        new ComplianceSweep(w.services).run("{}", w.host.context(ComplianceSweep.NAME));
        return w.services.reports.latest().orElseThrow();
    }

    // ---------------------------------------------------------------- bug 7: the Resource Graph queries

    /** HybridCompute writes extension IDs as .../Machines/{m}/Extensions/{name} (its Extension_Get / Extension_List examples). */
    @Test
    void anArcMachineWhoseExtensionIdSaysExtensionsCountsAsOnboardedInTheSweep() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("arc-onboarded")
                    .extension(ExtensionSpec.mde("MDE.Windows", "Succeeded")).build());
            s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("vm-onboarded")
                    .extension(ExtensionSpec.mde("MDE.Windows", "Succeeded")).build());
            w.clearQueue();
            SweepReport r = sweep(w);
            assertEquals(2L, r.coverage().get("ONBOARDED"), r.coverage().toString());
            assertEquals(0L, r.coverage().get("NEEDS_JOB"), r.coverage().toString());
            assertEquals(0, w.queuedJobs(), "an onboarded machine gets no job");
        }
    }

    /**
     * Resource-level pricings are {@code microsoft.security/pricings} rows named VirtualMachines too
     * (PutResourcePricingByNameVirtualMachines example: scope = the machine); only the subscription's own is its plan.
     */
    @Test
    void aMachinesOwnPricingDoesNotOverwriteItsSubscriptionsPlanInTheSweep() {
        try (OnboardingWorld w = new OnboardingWorld()) {
            TenantState s = w.emulator.state();
            s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("opted-out").pricing(PricingSpec.free()).build());
            s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_FREE).name("opted-in")
                    .pricing(PricingSpec.standard("P1")).build());
            SweepReport r = sweep(w);
            Map<String, SweepReport.SubscriptionReport> subs = r.subscriptions().stream()
                    .collect(Collectors.toMap(SweepReport.SubscriptionReport::subscriptionId, x -> x));
            assertEquals("Standard", subs.get(SUB_OK).plan().pricingTier(), subs.get(SUB_OK).toString());
            assertEquals("P2", subs.get(SUB_OK).plan().subPlan());
            assertTrue(subs.get(SUB_OK).drift().isEmpty(), subs.get(SUB_OK).drift().toString());
            assertEquals("Free", subs.get(SUB_FREE).plan().pricingTier(), subs.get(SUB_FREE).toString());
        }
    }
}
