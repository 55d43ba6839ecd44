package com.mdeonboarding.e2e;

import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.testing.TestWorld;
import java.util.List;
import java.util.Map;

/** The end-to-end world: a tenant with a healthy subscription, a Free one, one with WDATP off and one excluding Linux. */
final class OnboardingWorld extends TestWorld {
    static final String SUB_OK = "11111111-1111-4111-8111-111111111111";
    static final String SUB_FREE = "22222222-2222-4222-8222-222222222222";
    static final String SUB_WDATP_OFF = "33333333-3333-4333-8333-333333333333";
    static final String SUB_LINUX_EXCLUDED = "44444444-4444-4444-8444-444444444444";

    OnboardingWorld() {
        this(defaultTenant(), Map.of());
    }

    static Tenant defaultTenant() {
        return new Tenant("72f988bf-86f1-41af-91ab-2d7cd011db47", List.of(
                subscription(SUB_OK, PricingSpec.standard("P2"), ALL_ON),
                subscription(SUB_FREE, PricingSpec.free(), ALL_ON),
                subscription(SUB_WDATP_OFF, PricingSpec.standard("P1"), Map.of("WDATP", false, "WDATP_UNIFIED_SOLUTION", true,
                        "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false)),
                subscription(SUB_LINUX_EXCLUDED, PricingSpec.standard("P2"), Map.of("WDATP", true, "WDATP_UNIFIED_SOLUTION", true,
                        "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", true))), Map.of());
    }

    /** A world over {@code tenant}; {@code overrides} replace app settings (scope defaults to the tenant's subscriptions). */
    OnboardingWorld(Tenant tenant, Map<String, String> overrides) {
        super(TestWorld.builder(tenant).settings(overrides).prefix("E2e"));
    }

    /** A world whose app runs on {@code clock}. */
    OnboardingWorld(Tenant tenant, Map<String, String> overrides, java.time.Clock clock) {
        super(TestWorld.builder(tenant).settings(overrides).clock(clock).prefix("E2e"));
    }

    /** A world over {@code builder}'s tweaks of the default tenant's builder. */
    OnboardingWorld(java.util.function.UnaryOperator<TestWorld.Builder> tweaks) {
        super(tweaks.apply(TestWorld.builder(defaultTenant()).prefix("E2e")));
    }
}
