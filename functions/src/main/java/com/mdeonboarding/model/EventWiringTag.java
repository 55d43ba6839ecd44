package com.mdeonboarding.model;

/** The tag on the system topics (and resource groups) the app creates: only those are ever deleted by it. */
public final class EventWiringTag {
    public static final String NAME = "mde-onboarding";
    public static final String VALUE = "event-wiring";

    private EventWiringTag() {
    }
}
