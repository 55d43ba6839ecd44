package com.mdeonboarding.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.config.DesiredPlan;
import com.mdeonboarding.decide.PostureDrift.Kind;
import com.mdeonboarding.model.IntegrationSettings;
import com.mdeonboarding.model.Plan.PlanExtension;
import com.mdeonboarding.model.Plan;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostureDriftTest {
    private static Optional<Boolean> b(String s) {
        return s.equals("-") ? Optional.empty() : Optional.of(Boolean.parseBoolean(s));
    }

    @ParameterizedTest(name = "{0} {1} want {2}, WDATP={3} unified={4} excludeLinux={5} -> {6}")
    @CsvSource({
            // tier, subPlan, desired, wdatp, unified, excludeLinux, expected kinds
            "Free,     -,  P1, true,  true,  false, PLAN_NOT_ENABLED",
            "Free,     -,  P2, true,  true,  false, PLAN_NOT_ENABLED",
            "Standard, P1, P1, true,  true,  false, ''",
            "Standard, P1, P2, true,  true,  false, SUBPLAN_BELOW_DESIRED",
            "Standard, P2, P1, true,  true,  false, ''",
            "Standard, P2, P2, true,  true,  false, ''",
            "Standard, -,  P2, true,  true,  false, ''",
            "Standard, P2, P2, false, true,  false, WDATP_DISABLED",
            "Standard, P2, P2, -,     true,  false, WDATP_DISABLED",
            "Standard, P2, P2, true,  false, false, UNIFIED_SOLUTION_DISABLED",
            "Standard, P2, P2, true,  -,     false, UNIFIED_SOLUTION_DISABLED",
            "Standard, P2, P2, true,  true,  true,  LINUX_EXCLUDED",
            "Standard, P2, P2, true,  true,  -,     LINUX_EXCLUDED",
            "Free,     -,  P2, false, false, true,  PLAN_NOT_ENABLED WDATP_DISABLED UNIFIED_SOLUTION_DISABLED LINUX_EXCLUDED",
    })
    void findings(String tier, String subPlan, DesiredPlan desired, String wdatp, String unified, String excludeLinux, String expected) {
        Plan plan = new Plan(tier, subPlan.equals("-") ? Optional.empty() : Optional.of(subPlan), "False", List.of());
        IntegrationSettings s = TestFacts.settings(b(wdatp), b(unified), b(excludeLinux), Instant.EPOCH);
        List<Kind> kinds = PostureDrift.findings(plan, Optional.of(s), desired).stream().map(PostureDrift.Finding::kind).toList();
        List<Kind> want = expected.isBlank() ? List.of() : Arrays.stream(expected.split(" ")).map(Kind::valueOf).toList();
        assertEquals(want, kinds);
    }

    @Test
    void unknownSettingsAreNotReportedAsDrift() {
        Plan plan = new Plan("Standard", Optional.of("P2"), "False", List.of());
        assertEquals(List.of(), PostureDrift.findings(plan, Optional.empty(), DesiredPlan.P2));
    }

    @Test
    void fixRaisesToTheDesiredSubPlanAndDropsP2OnlyExtensionsForP1() {
        Plan free = new Plan("Free", Optional.empty(), "False", List.of(new PlanExtension("AgentlessVmScanning", true),
                new PlanExtension("MdeDesignatedSubscription", false)));
        Plan p1 = PostureDrift.planFix(free, DesiredPlan.P1).orElseThrow();
        assertEquals("Standard", p1.pricingTier());
        assertEquals(Optional.of("P1"), p1.subPlan());
        assertEquals(List.of(new PlanExtension("MdeDesignatedSubscription", false)), p1.extensions());
        assertFalse(p1.extensions().stream().anyMatch(e -> e.name().equals("AgentlessVmScanning")));

        Plan p2 = PostureDrift.planFix(free, DesiredPlan.P2).orElseThrow();
        assertTrue(p2.extensions().stream().anyMatch(e -> e.name().equals("AgentlessVmScanning")));
    }

    @Test
    void noFixWhenThePlanIsAlreadyEnoughAndNeverADowngrade() {
        assertTrue(PostureDrift.planFix(new Plan("Standard", Optional.of("P2"), "True", List.of()), DesiredPlan.P1).isEmpty());
        assertTrue(PostureDrift.planFix(new Plan("Standard", Optional.of("P1"), "True", List.of()), DesiredPlan.P1).isEmpty());
    }
}
