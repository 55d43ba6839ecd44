package com.mdeonboarding.config;

/** The Defender for Servers sub-plan we want on every subscription in scope. Both include MDE. */
public enum DesiredPlan {
    P1, P2
}
