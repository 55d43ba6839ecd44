package com.mdeonboarding.model;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of the pure decision for one machine.
 *
 * @param kind    ONBOARDED, DEPLOY, PENDING, SKIPPED or BLOCKED
 * @param reasons one or more stable reason codes, most important first
 * @param actions what the I/O shell must do, in order (empty unless kind is DEPLOY)
 * @param detail  free text for operators, e.g. the extension's own failure message; never a secret
 */
public record Decision(DecisionKind kind, List<ReasonCode> reasons, List<PlannedAction> actions, Optional<String> detail) {

    public Decision {
        reasons = List.copyOf(reasons);
        actions = List.copyOf(actions);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a decision needs at least one reason code");
        }
    }

    public static Decision of(DecisionKind kind, ReasonCode... reasons) {
        return new Decision(kind, List.of(reasons), List.of(), Optional.empty());
    }

    public boolean has(ReasonCode code) {
        return reasons.contains(code);
    }
}
