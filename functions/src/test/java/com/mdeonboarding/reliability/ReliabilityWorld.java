package com.mdeonboarding.reliability;

import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.testing.TestWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reliability suite's world: a tenant with subscriptions in scope, out of scope and excluded, and a
 * {@link SecretScanner} over everything the world can see.
 */
final class ReliabilityWorld extends TestWorld {
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    /** In scope: P2, integration on, Linux included. */
    static final String SUB_A = "a1111111-1111-4111-8111-111111111111";
    /** In scope: P1, integration on. */
    static final String SUB_B = "b2222222-2222-4222-8222-222222222222";
    /** In scope: P2, WDATP off (audit: BLOCKED INTEGRATION_DISABLED; enforce: switched on). */
    static final String SUB_WDATP_OFF = "c3333333-3333-4333-8333-333333333333";
    /** Known to Resource Manager, not in MDE_SCOPE_SUBSCRIPTIONS. */
    static final String SUB_OUT = "d4444444-4444-4444-8444-444444444444";
    /** In MDE_SCOPE_SUBSCRIPTIONS and in MDE_SCOPE_EXCLUDE_SUBSCRIPTIONS. */
    static final String SUB_EXCLUDED = "e5555555-5555-4555-8555-555555555555";
    static final List<String> IN_SCOPE = List.of(SUB_A, SUB_B, SUB_WDATP_OFF);

    final SecretScanner scanner;

    ReliabilityWorld() {
        this(Map.of());
    }

    ReliabilityWorld(Map<String, String> overrides) {
        this(defaultTenant(), overrides);
    }

    static Tenant defaultTenant() {
        Map<String, Boolean> wdatpOff = Map.of("WDATP", false, "WDATP_UNIFIED_SOLUTION", true, "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false);
        return new Tenant(TENANT, List.of(
                subscription(SUB_A, PricingSpec.standard("P2"), ALL_ON),
                subscription(SUB_B, PricingSpec.standard("P1"), ALL_ON),
                subscription(SUB_WDATP_OFF, PricingSpec.standard("P2"), wdatpOff),
                subscription(SUB_OUT, PricingSpec.free(), wdatpOff),
                subscription(SUB_EXCLUDED, PricingSpec.free(), wdatpOff)), Map.of());
    }

    /** Scope: {@link #IN_SCOPE} plus {@link #SUB_EXCLUDED}, which MDE_SCOPE_EXCLUDE_SUBSCRIPTIONS takes out again. */
    ReliabilityWorld(Tenant tenant, Map<String, String> overrides) {
        this(tenant, overrides, java.time.Clock.systemUTC());
    }

    /** ... whose app runs on {@code clock} (an AdjustableClock lets a test move the app's time on). */
    ReliabilityWorld(Tenant tenant, Map<String, String> overrides, java.time.Clock clock) {
        super(TestWorld.builder(tenant).scope(scope()).setting(Settings.SCOPE_EXCLUDE_SUBSCRIPTIONS, SUB_EXCLUDED).settings(overrides)
                .clock(clock).prefix("Rel"));
        scanner = SecretScanner.forTenant(emulator.state())
                .source("host log", host::logLines)
                .source("host messages", host::messagesSeen)
                .source("test log", () -> {
                    synchronized (testLog) {
                        return new ArrayList<>(testLog);
                    }
                })
                .queue("jobs", queue(""))
                .queue("poison", queue("-poison"))
                .table("state", table(Settings.STATE_TABLE))
                .table("history", table(Settings.HISTORY_TABLE))
                .table("reports", table(Settings.REPORTS_TABLE));
    }

    private static List<String> scope() {
        List<String> scope = new ArrayList<>(IN_SCOPE);
        scope.add(SUB_EXCLUDED);
        return scope;
    }
}
