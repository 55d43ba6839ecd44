package com.mdeonboarding.model;

/** What the reconciler concluded about one machine. */
public enum DecisionKind {
    /** A healthy MDE extension is in place: nothing to do. */
    ONBOARDED,
    /** Prerequisites hold and the extension is missing or failed: deploy it. */
    DEPLOY,
    /** Provisioning is under way (ours or someone else's): look again later. */
    PENDING,
    /** Deliberately left alone (excluded, gone, or out of scope). */
    SKIPPED,
    /** Cannot be onboarded until someone fixes what the reason codes say. */
    BLOCKED
}
