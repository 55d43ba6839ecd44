package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one reader of long-running operations: where an operation started by a PUT or POST is followed, and what one
 * read of it says. It never waits: the caller records the operation and looks again later (Run Commands are followed
 * across jobs). The rules are Resource Manager's (Azure/azure-resource-manager-rpc {@code v1.0/async-api-reference.md}):
 * <ul>
 *   <li>With {@code Azure-AsyncOperation}, read it: the operation is done when its {@code status} is terminal. Only
 *       Succeeded, Failed and Canceled are; providers say InProgress, Running, Creating, Updating, Provisioning... while
 *       running. This holds for a 200 or 201 too: a 200 carrying Azure-AsyncOperation means the operation has not
 *       finished (PR #114: "If the header is present, assume that the operation did not finish and start polling").</li>
 *   <li>With a 202 and only {@code Location}, read that: 202 while running; 200 with the result, or 204 No Content, once
 *       done. A failed operation's error status is an {@link ArmException}.</li>
 *   <li>{@code Retry-After}, on the start and on every read, says when a read can tell more.</li>
 * </ul>
 */
final class LongRunningOperation {
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");

    private LongRunningOperation() {
    }

    /**
     * Where the operation a start answered is followed.
     *
     * @param statusUrl {@code Azure-AsyncOperation}: the status document
     * @param resultUrl {@code Location}: the result (read in place of the status when that is all there is)
     */
    record Urls(Optional<String> statusUrl, Optional<String> resultUrl) {
    }

    /** The URLs to follow the started operation by; empty when the answer is the outcome itself (nothing to follow). */
    static Optional<Urls> of(ArmClient.Reply started) {
        Optional<String> status = started.header("Azure-AsyncOperation");
        Optional<String> location = started.header("Location");
        if (status.isPresent()) {
            return Optional.of(new Urls(status, location));
        }
        return started.status() == 202 && location.isPresent() ? Optional.of(new Urls(Optional.empty(), location)) : Optional.empty();
    }

    /**
     * One read of an operation.
     *
     * @param done       terminal (see the class comment)
     * @param body       the status document, or the result (a missing node for 204 No Content)
     * @param retryAfter the answer's Retry-After, while not done
     */
    record Read(boolean done, JsonNode body, Optional<Duration> retryAfter) {
        /** Done, and the status document says Succeeded (a Location-only operation that answered its result did). */
        boolean succeeded(boolean statusDocument) {
            return done && (!statusDocument || body.path("status").asText("").equalsIgnoreCase("Succeeded"));
        }
    }

    /** Reads the operation once: its status document when there is one, else its Location. */
    static Read read(ArmClient arm, Urls urls) {
        if (urls.statusUrl().isPresent()) {
            ArmClient.Reply r = arm.getReply(urls.statusUrl().get());
            boolean done = terminal(r.body().path("status").asText(""));
            return new Read(done, r.body(), done ? Optional.empty() : retryAfter(r));
        }
        ArmClient.Reply r = arm.getReply(urls.resultUrl().orElseThrow());
        if (r.status() == 202) {
            return new Read(false, r.body(), retryAfter(r));
        }
        return new Read(true, r.status() == 204 ? MissingNode.getInstance() : r.body(), Optional.empty());
    }

    static boolean terminal(String status) {
        return TERMINAL.contains(status.toLowerCase(Locale.ROOT));
    }

    /** Retry-After in whole seconds (the form Resource Manager sends), capped at a minute; empty when absent or not a number. */
    static Optional<Duration> retryAfter(ArmClient.Reply reply) {
        return reply.header("Retry-After").flatMap(s -> {
            try {
                long seconds = Long.parseLong(s.trim());
                return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(Math.min(MAX_RETRY_AFTER.toSeconds(), seconds)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
