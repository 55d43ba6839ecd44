package com.mdeonboarding.cli;

/** Bad usage or configuration: exit code 2 with this one-line message. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message, null, false, false);
    }
}
