package com.mdeonboarding.decide;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The judging rules' helpers; the whole path from Run Command output is in reconcile.GuestCheckParserTest. */
class GuestCheckRulesTest {
    @Test
    void versionComparison() {
        assertTrue(GuestCheckRules.atLeast("6.3.9600.17958", GuestCheckRules.MIN_TDH_2012R2));
        assertTrue(GuestCheckRules.atLeast("6.3.9600.18000", GuestCheckRules.MIN_TDH_2012R2));
        assertTrue(GuestCheckRules.atLeast("10.0.0.0", GuestCheckRules.MIN_TDH_2012R2));
        assertFalse(GuestCheckRules.atLeast("6.3.9600.17957", GuestCheckRules.MIN_TDH_2012R2));
        assertFalse(GuestCheckRules.atLeast("6.3", GuestCheckRules.MIN_TDH_2012R2));
        assertFalse(GuestCheckRules.atLeast("garbage", GuestCheckRules.MIN_TDH_2012R2));
        assertFalse(GuestCheckRules.atLeast("6.3.99999999999.1", GuestCheckRules.MIN_TDH_2012R2));
    }
}
