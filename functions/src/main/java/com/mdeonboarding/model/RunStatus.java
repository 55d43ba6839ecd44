package com.mdeonboarding.model;

import java.time.Duration;
import java.util.Optional;

/** What one read of a Run Command's status found (see {@link RunHandle}). */
public sealed interface RunStatus {

    /** Still running; Azure's {@code Retry-After}, when it gave one, says when another read can tell more. */
    record Running(Optional<Duration> retryAfter) implements RunStatus {
    }

    /** Ended, and the script ran: its standard output (for a Linux VM, the handler's message with [stdout]/[stderr]). */
    record Succeeded(String output) implements RunStatus {
        public Succeeded {
            output = output == null ? "" : output;
        }
    }

    /** Ended without output we can use: the operation failed or was canceled, the script timed out, or Azure refused it. */
    record Failed(String why) implements RunStatus {
    }

    /** Azure no longer knows it (404): its operation or run command is gone. */
    record Gone(String why) implements RunStatus {
    }
}
