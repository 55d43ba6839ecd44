package com.mdeonboarding.azure;

/**
 * A Resource Manager call failed. Carries ARM's error code and message (never a request body, which
 * may hold the onboarding package).
 */
public class ArmException extends RuntimeException {
    private final int status;
    private final String code;

    public ArmException(int status, String code, String message) {
        // The code and message are Resource Manager's (or a provider's) words, quoting whatever the resource holds:
        // escaped and bounded here, so that no log line, state row or terminal gets them raw (issue #23 item 4).
        super((status == 0 ? "Resource Manager call failed" : "Resource Manager returned " + status)
                + (code.isEmpty() ? "" : " " + AzureText.name(code)) + ": "
                + AzureText.message(message));
        this.status = status;
        this.code = AzureText.name(code);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public boolean notFound() {
        return status == 404;
    }

    /** 409 Conflict: another operation on the resource is in progress (or its state forbids this one). */
    public boolean conflict() {
        return status == 409;
    }

    /** Worth another try later: throttling, server errors, timeouts (the pipeline already retried). */
    public boolean transientFailure() {
        return status == 408 || status == 429 || status >= 500;
    }
}
