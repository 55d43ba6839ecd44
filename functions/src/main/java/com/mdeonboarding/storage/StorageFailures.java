package com.mdeonboarding.storage;

import com.azure.core.exception.HttpResponseException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Why a Storage call failed and what to check, in an operator's words (the SDK's own texts name Java classes). */
final class StorageFailures {
    private StorageFailures() {
    }

    static String why(Throwable e) {
        for (Throwable x = e; x != null; x = x.getCause()) {
            if (x instanceof HttpResponseException h && h.getResponse() != null) {
                int status = h.getResponse().getStatusCode();
                String code = h.getResponse().getHeaderValue("x-ms-error-code");
                return "Storage answered " + status + (code == null ? "" : " " + code.replaceAll("[^A-Za-z0-9]", ""));
            }
            if (x instanceof UnknownHostException) {
                return "the host name does not resolve";
            }
            if (x instanceof ConnectException) {
                String m = String.valueOf(x.getMessage()).toLowerCase(Locale.ROOT);
                return m.contains("refused") ? "the connection was refused (nothing listens there)" : "no connection could be made";
            }
            if (x instanceof TimeoutException || x.getClass().getSimpleName().contains("Timeout")) {
                return "no answer within " + StorageClients.TRY_TIMEOUT.toSeconds() + " s";
            }
            if (x instanceof SSLException) {
                return "the TLS handshake failed";
            }
        }
        return "it did not answer as expected";
    }

    static String advice(Throwable e, boolean connectionString) {
        if (why(e).startsWith("Storage answered 403")) {
            return connectionString ? "Check the account key (or SAS) in the connection string."
                    : "Give this identity 'Storage Queue Data Contributor' and 'Storage Table Data Contributor' on the account"
                    + " (README, Deploy).";
        }
        if (why(e).startsWith("Storage answered")) {
            return "Check the account and the setting's value.";
        }
        return connectionString ? "Start Azurite (bin/run-local) for local use, or check the setting and that this machine can reach"
                + " the account (network rules, private endpoint)."
                : "Check the service URIs and that this machine can reach the account (network rules, private endpoint).";
    }
}
