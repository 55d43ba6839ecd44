package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one long-running-operation poller: waits for an operation started by a PUT or POST, honouring
 * {@code Retry-After} on the first answer and on every poll, up to a deadline. The rules are Resource Manager's
 * (Azure/azure-resource-manager-rpc {@code v1.0/async-api-reference.md}):
 * <ul>
 *   <li>With {@code Azure-AsyncOperation}, poll it until its {@code status} is terminal. Only Succeeded, Failed and
 *       Canceled are; providers say InProgress, Running, Creating, Updating, Provisioning... while running. This holds
 *       for a 200 or 201 too: a 200 carrying Azure-AsyncOperation means the operation has not finished (PR #114: "If the
 *       header is present, assume that the operation did not finish and start polling"), as a re-PUT of an Arc run
 *       command answers. Returns the terminal status document.</li>
 *   <li>With a 202 and only {@code Location}, poll it while it answers 202; it ends with 200 and the result (returned)
 *       or 204 No Content (a missing node is returned). A failed operation's error status throws.</li>
 *   <li>Otherwise the operation finished with the answer, which is returned.</li>
 * </ul>
 */
final class LongRunningOperation {
    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    private static final Duration DEFAULT_POLL = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");

    private LongRunningOperation() {
    }

    static JsonNode await(ArmClient arm, ArmClient.Reply started) {
        Optional<String> status = started.header("Azure-AsyncOperation");
        if (status.isPresent()) {
            if (started.status() != 202 && terminal(started.body().path("properties").path("provisioningState").asText(""))) {
                return started.body(); // already done, as its body says
            }
            return poll(arm, started, status.get(), true);
        }
        Optional<String> location = started.header("Location");
        if (started.status() == 202 && location.isPresent()) {
            return poll(arm, started, location.get(), false);
        }
        return started.body();
    }

    /** The URL the operation's result is read from once it succeeded ({@code Location}), when the start named one. */
    static Optional<String> resultUrl(ArmClient.Reply started) {
        return started.header("Location");
    }

    static boolean terminal(String status) {
        return TERMINAL.contains(status.toLowerCase(Locale.ROOT));
    }

    private static JsonNode poll(ArmClient arm, ArmClient.Reply started, String url, boolean statusDocument) {
        Instant deadline = Instant.now().plus(MAX_WAIT);
        // The first answer's Retry-After says when a poll can tell more; polling at once costs a call that only says "running".
        ArmClient.Reply last = started;
        while (true) {
            sleep(last.header("Retry-After").map(LongRunningOperation::seconds).orElse(DEFAULT_POLL));
            last = arm.getReply(url);
            if (statusDocument ? terminal(last.body().path("status").asText("")) : last.status() != 202) {
                return last.status() == 204 ? MissingNode.getInstance() : last.body();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ArmException(408, "OperationTimedOut", "the operation did not finish within " + MAX_WAIT);
            }
        }
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
