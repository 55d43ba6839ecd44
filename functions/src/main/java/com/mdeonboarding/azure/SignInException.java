package com.mdeonboarding.azure;

import com.mdeonboarding.model.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * No token could be had for an Azure API: nobody is signed in where this runs, the managed identity is missing or
 * wrong, or sign-in did not answer in time. The message says which API, the inner cause (the credential chain's own
 * words, escaped and bounded) and what to do.
 */
public final class SignInException extends RuntimeException {
    /** What an operator can do about it, in the order DefaultAzureCredential tries the ways to sign in. */
    public static final String ADVICE = "sign in with 'az login' (Azure CLI) where you run the command line; in Azure, give the"
            + " app a managed identity and, for a user-assigned one, set MDE_MANAGED_IDENTITY_CLIENT_ID to its client ID; or set"
            + " AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a service principal. For the local emulator, set"
            + " MDE_ARM_ENDPOINT to its loopback URL.";

    SignInException(String api, Throwable cause) {
        super("cannot sign in to " + api + ": " + causes(cause) + ". To fix: " + ADVICE, cause, false, false);
    }

    /** The chain's distinct messages, outermost first: DefaultAzureCredential's summary, then what it wraps. */
    static String causes(Throwable t) {
        List<String> parts = new ArrayList<>();
        for (Throwable x = t; x != null && parts.size() < 4; x = x.getCause()) {
            String m = x.getMessage() == null ? "" : x.getMessage().strip();
            if (!m.isEmpty() && parts.stream().noneMatch(p -> p.contains(m))) {
                parts.add(m);
            }
        }
        return parts.isEmpty() ? "no token was issued" : Text.printable(String.join(" <- ", parts), 600);
    }
}
