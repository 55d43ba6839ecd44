package com.mdeonboarding.model;

import java.util.Locale;

/** What asked for a reconcile: an Event Grid event, a sweep, an operator, or the resync of overdue rows. */
public enum JobSource {
    EVENT, SWEEP, MANUAL,
    /** The resync found the machine's row overdue for its next look (its follow-up was lost). */
    RESYNC;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobSource fromWire(String s) {
        for (JobSource v : values()) {
            if (v.wire().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown job source '" + s + "' (expected event, sweep, manual or resync)");
    }
}
