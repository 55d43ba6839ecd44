package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The one long-running-operation poller: waits for an operation started by a PUT or POST by polling its
 * {@code Azure-AsyncOperation} (or {@code Location}) URL, honouring {@code Retry-After} (the first answer's too), up
 * to a deadline. Returns the terminal status document (or, for a Location poll, the final resource).
 */
final class LongRunningOperation {
    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    private static final Duration DEFAULT_POLL = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private LongRunningOperation() {
    }

    static JsonNode await(ArmClient arm, ArmClient.Reply started) {
        Optional<String> op = started.header("Azure-AsyncOperation").or(() -> started.header("Location"));
        if (op.isEmpty() || started.status() == 200) {
            return started.body();
        }
        Instant deadline = Instant.now().plus(MAX_WAIT);
        // The first answer's Retry-After says when a poll can tell more; polling at once costs a call that only says InProgress.
        started.header("Retry-After").map(LongRunningOperation::seconds).ifPresent(LongRunningOperation::sleep);
        while (true) {
            ArmClient.Reply r = arm.getReply(op.get());
            String status = r.body().path("status").asText("");
            if (r.status() == 200 && !status.isEmpty() && !status.equalsIgnoreCase("InProgress")
                    && !status.equalsIgnoreCase("Running") && !status.equalsIgnoreCase("Accepted")) {
                return r.body();
            }
            if (r.status() == 200 && status.isEmpty()) {
                return r.body(); // a Location poll returns the final resource
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ArmException(408, "OperationTimedOut", "the operation did not finish within " + MAX_WAIT);
            }
            sleep(r.header("Retry-After").map(LongRunningOperation::seconds).orElse(DEFAULT_POLL));
        }
    }

    /** The URL the operation's result is read from once it succeeded ({@code Location}), when the start named one. */
    static Optional<String> resultUrl(ArmClient.Reply started) {
        return started.header("Location");
    }

    private static Duration seconds(String s) {
        try {
            return Duration.ofSeconds(Math.max(0, Math.min(MAX_RETRY_AFTER.toSeconds(), Long.parseLong(s.trim()))));
        } catch (NumberFormatException e) {
            return DEFAULT_POLL;
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArmException(0, "Interrupted", "interrupted while waiting for an operation");
        }
    }

}
