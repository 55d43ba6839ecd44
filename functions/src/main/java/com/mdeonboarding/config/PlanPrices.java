package com.mdeonboarding.config;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The list price of Defender for Servers per server and month (MDE_PLAN_PRICE_P1, MDE_PLAN_PRICE_P2), used only to say
 * what a plan costs before it is enabled and after: servers covered x this price. The defaults are the seed's figures
 * ($5 Plan 1, $15 Plan 2); set your agreement's prices (in your billing currency) to see your own numbers.
 */
public record PlanPrices(BigDecimal p1, BigDecimal p2) {
    public static final PlanPrices LIST = new PlanPrices(new BigDecimal("5"), new BigDecimal("15"));

    /** The price per server and month of a sub-plan ("P1", "P2"; a Standard plan without a sub-plan is Plan 2). */
    public BigDecimal of(Optional<String> subPlan) {
        return subPlan.filter(s -> s.equalsIgnoreCase("P1")).isPresent() ? p1 : p2;
    }

    public BigDecimal of(DesiredPlan plan) {
        return plan == DesiredPlan.P1 ? p1 : p2;
    }
}
