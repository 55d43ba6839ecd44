package com.mdeonboarding.storage;

/**
 * Our Storage account did not answer, or refused us. The message names the setting, the endpoint and what went wrong
 * in plain words (never a connection string, an account key or a Java class name).
 */
public final class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
