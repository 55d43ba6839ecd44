package com.mdeonboarding.azure;

/**
 * A Defender for Endpoint API call failed. Carries the API's error code and message ({@code {"error": {"code",
 * "message", "target"}}}, MicrosoftDocs/defender-docs {@code defender-endpoint/api/common-errors.md}); never a token.
 */
public class DefenderApiException extends RuntimeException {
    private final int status;
    private final String code;

    public DefenderApiException(int status, String code, String message) {
        // The API's words, escaped and bounded where they enter (issue #23 item 4).
        super("Defender for Endpoint API " + (status == 0 ? "call" : "returned " + status) + (code.isEmpty() ? "" : " "
                + AzureText.name(code)) + ": " + AzureText.message(message));
        this.status = status;
        this.code = AzureText.name(code);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** 401 or 403: the identity has no token for the API, or lacks Machine.Read.All. Retrying does not help. */
    public boolean permissionDenied() {
        return status == 401 || status == 403;
    }

    /** Throttled (after the pipeline waited out Retry-After), no call to spare, a timeout, a server error, no connection. */
    public boolean retryable() {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }
}
