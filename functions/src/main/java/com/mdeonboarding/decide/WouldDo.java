package com.mdeonboarding.decide;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.PlannedAction;
import com.mdeonboarding.model.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Observe mode's record of a decision: what the app would do, in one sentence for the history, the dashboard and the
 * logs, e.g. "would DEPLOY MDE.Windows" or "would run the read-only guest check, then DEPLOY MDE.Linux". Pure.
 */
public final class WouldDo {
    /** Every would-be sentence starts with this, so a reader (or a query) tells observe's records from actions taken. */
    public static final String PREFIX = "would ";

    private WouldDo() {
    }

    /**
     * The sentence for a decision about a machine whose MDE extension is {@code extensionName} (MDE.Windows or MDE.Linux).
     * DEPLOY names every planned write in order; any other kind says the machine would be left as it is, and why.
     */
    public static String sentence(Decision decision, String extensionName) {
        if (decision.kind() != DecisionKind.DEPLOY || decision.actions().isEmpty()) {
            return PREFIX + "leave it: " + decision.kind() + " " + decision.reasons().stream().map(ReasonCode::name)
                    .collect(Collectors.joining(", "));
        }
        List<String> steps = new ArrayList<>();
        for (PlannedAction a : decision.actions()) {
            steps.add(switch (a) {
                case RUN_GUEST_CHECK -> "run the read-only guest check";
                case ENABLE_WDATP, ENABLE_UNIFIED_SOLUTION, INCLUDE_LINUX -> "switch on the subscription's setting "
                        + a.setting().orElseThrow().settingName();
                case SET_PASSIVE_MODE -> "set Defender Antivirus passive mode";
                case DEPLOY_EXTENSION -> "DEPLOY " + extensionName;
            });
        }
        return PREFIX + String.join(", then ", steps);
    }
}
