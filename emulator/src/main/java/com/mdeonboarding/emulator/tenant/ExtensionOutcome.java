package com.mdeonboarding.emulator.tenant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How the next extension PUT on a machine ends (tenant file: {@code extensionOutcome}).
 *
 * @param state     {@code Succeeded} (default) or {@code Failed}
 * @param code      the extension status code on failure, e.g. {@code ProvisioningState/failed/51}
 * @param message   the extension status message on failure
 * @param failTimes when set, only the first N attempts fail and later ones succeed; null: every attempt ends as {@code state}
 * @param log       the installer's log on failure: a VM's extension instance view carries it in {@code substatuses}
 *                  (Azure/azure-cli #23663); HybridCompute appends it to the status message as {@code , executionlog: ...}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record ExtensionOutcome(String state, String code, String message, Integer failTimes, String log) {
    public ExtensionOutcome {
        state = state == null ? "Succeeded" : state;
        if (!state.equalsIgnoreCase("Succeeded") && !state.equalsIgnoreCase("Failed")) {
            throw new IllegalArgumentException("extensionOutcome.state must be Succeeded or Failed, not '" + state + "'");
        }
        state = state.equalsIgnoreCase("Succeeded") ? "Succeeded" : "Failed";
        if (failTimes != null && failTimes < 0) {
            throw new IllegalArgumentException("extensionOutcome.failTimes must be >= 0");
        }
    }

    public static ExtensionOutcome succeeded() {
        return new ExtensionOutcome("Succeeded", null, null, null, null);
    }

    /** Every attempt fails with this extension status code and message. */
    public static ExtensionOutcome failed(String code, String message) {
        return new ExtensionOutcome("Failed", code, message, null, null);
    }

    /** The first {@code times} attempts fail, later attempts succeed. */
    public static ExtensionOutcome failFirst(int times, String code, String message) {
        return new ExtensionOutcome("Failed", code, message, times, null);
    }

    /** The same outcome, with the installer's log (substatuses on a VM; the status message's executionlog on Arc). */
    public ExtensionOutcome withLog(String installerLog) {
        return new ExtensionOutcome(state, code, message, failTimes, installerLog);
    }

    public boolean fails() {
        return "Failed".equals(state);
    }
}
