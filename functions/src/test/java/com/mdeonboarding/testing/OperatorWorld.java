package com.mdeonboarding.testing;

import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import java.util.List;
import java.util.Map;

/**
 * The operator surfaces' (HTTP API, command line) world: one tenant with subscriptions in scope, on the Free tier, out of
 * scope, excluded, and unknown to Resource Manager. One per test class; {@link #clearQueue()} between tests keeps
 * "nothing was queued" checks exact.
 */
public final class OperatorWorld extends TestWorld {
    /** In scope: Defender for Servers P2, integration on, Linux included. */
    public static final String SUB_IN = "aaaaaaaa-1111-4111-8111-111111111111";
    /** In scope and known to the emulator, on the Free tier. */
    public static final String SUB_FREE = "bbbbbbbb-2222-4222-8222-222222222222";
    /** Known to the emulator, not in MDE_SCOPE_SUBSCRIPTIONS. */
    public static final String SUB_OUT = "cccccccc-3333-4333-8333-333333333333";
    /** Listed in MDE_SCOPE_SUBSCRIPTIONS and in MDE_SCOPE_EXCLUDE_SUBSCRIPTIONS. */
    public static final String SUB_EXCLUDED = "dddddddd-4444-4444-8444-444444444444";
    /** In scope, unknown to Resource Manager. */
    public static final String SUB_GHOST = "eeeeeeee-5555-4555-8555-555555555555";

    public OperatorWorld() {
        this(100);
    }

    /** {@code pageSize}: machines per Resource Manager list page, small to exercise nextLink. */
    public OperatorWorld(int pageSize) {
        super(TestWorld.builder(new Tenant("72f988bf-86f1-41af-91ab-2d7cd011db47", List.of(
                        subscription(SUB_IN, PricingSpec.standard("P2"), ALL_ON),
                        subscription(SUB_FREE, PricingSpec.free(), ALL_ON),
                        subscription(SUB_OUT, PricingSpec.standard("P2"), ALL_ON),
                        subscription(SUB_EXCLUDED, PricingSpec.standard("P2"), ALL_ON)), Map.of()))
                .scope(List.of(SUB_IN, SUB_FREE, SUB_EXCLUDED, SUB_GHOST)).setting(Settings.SCOPE_EXCLUDE_SUBSCRIPTIONS, SUB_EXCLUDED)
                .pageSize(pageSize).prefix("Ops"));
    }
}
