package com.mdeonboarding.model;

import java.util.Locale;

/** What asked for a reconcile: an Event Grid event, a sweep, or an operator. */
public enum JobSource {
    EVENT, SWEEP, MANUAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobSource fromWire(String s) {
        for (JobSource v : values()) {
            if (v.wire().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown job source '" + s + "' (expected event, sweep or manual)");
    }
}
