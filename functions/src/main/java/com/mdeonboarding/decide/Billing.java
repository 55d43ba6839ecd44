package com.mdeonboarding.decide;

import com.mdeonboarding.config.PlanPrices;
import com.mdeonboarding.model.Plan;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * What Defender for Servers costs, as the sweep and plan say it before and after a change: servers covered x the plan's
 * list price per server and month (MDE_PLAN_PRICE_P1 / _P2; the seed's figures $5 and $15). An estimate for deciding,
 * not an invoice: Azure bills per hour a machine runs, and resource-level settings change single machines. Pure.
 */
public final class Billing {
    private Billing() {
    }

    /** A month's cost of {@code servers} machines under {@code plan}: zero on Free. */
    public static BigDecimal monthly(Plan plan, long servers, PlanPrices prices) {
        return plan.standard() ? prices.of(plan.subPlan()).multiply(BigDecimal.valueOf(servers)) : BigDecimal.ZERO;
    }

    /** e.g. "$15,700" or "$14.60": whole dollars when whole, else cents. */
    public static String money(BigDecimal amount) {
        BigDecimal a = amount.setScale(2, RoundingMode.HALF_UP);
        DecimalFormat f = new DecimalFormat(a.stripTrailingZeros().scale() <= 0 ? "#,##0" : "#,##0.00",
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        return "$" + f.format(a);
    }

    /** e.g. "3,140 servers" */
    public static String servers(long n) {
        return new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(n) + (n == 1 ? " server" : " servers");
    }
}
