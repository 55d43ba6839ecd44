package com.mdeonboarding.model;

import java.time.Instant;
import java.util.List;

/**
 * The parsed result of the read-only guest prerequisite check run through Run Command.
 *
 * @param ran      false when the check could not run (agent not ready, Run Command failed); findings are then empty
 * @param findings prerequisite problems found, as reason codes (empty: all prerequisites hold)
 * @param checkedAt when the check ran (results are cached per machine)
 * @param summary  a short human summary of what was found (no secrets)
 */
public record GuestCheckResult(boolean ran, List<ReasonCode> findings, Instant checkedAt, String summary) {
    public GuestCheckResult {
        findings = List.copyOf(findings);
    }

    public static GuestCheckResult unavailable(Instant at, String why) {
        return new GuestCheckResult(false, List.of(), at, why);
    }
}
