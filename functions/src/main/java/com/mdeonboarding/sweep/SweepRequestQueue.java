package com.mdeonboarding.sweep;

import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.model.Text;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Sweeps asked for now ({@code POST /api/sweeps}) wait here, on {@code <MDE_JOBS_QUEUE>-sweeps}, for the queue-triggered
 * function that runs them: an HTTP request must answer within the front end's 230 s, a sweep may take longer, and work
 * started after a response on Flex Consumption may be lost when the instance scales in; a queue message is not (it
 * is redelivered) and the function runs under the host's functionTimeout. One message per sweep, versioned JSON.
 */
public final class SweepRequestQueue {
    public static final String SUFFIX = "-sweeps";
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What SweepService names its sweeps: start time and eight hex digits. */
    public static final Pattern SWEEP_ID = Pattern.compile("^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$");

    /** A sweep someone asked for. */
    public record Requested(String sweepId, Instant requestedAt) {
    }

    private final Supplier<QueueClient> queue;

    /** The queue is created on first use: a command that never asks for a sweep never touches it. */
    public SweepRequestQueue(Supplier<QueueClient> queue) {
        this.queue = queue;
    }

    public void enqueue(Requested r) {
        queue.get().sendMessage(encode(r));
    }

    static String encode(Requested r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", VERSION);
        n.put("sweepId", r.sweepId());
        n.put("requestedAt", r.requestedAt().toString());
        return n.toString();
    }

    /** The request a message holds, or empty when it is not one (it is dropped: retrying cannot fix it). */
    public static Optional<Requested> decode(String message) {
        try {
            JsonNode n = JSON.readTree(message);
            if (n == null || !n.isObject() || n.path("v").asInt(-1) != VERSION || !n.path("sweepId").isTextual()
                    || !SWEEP_ID.matcher(n.path("sweepId").asText()).matches() || !n.path("requestedAt").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new Requested(n.path("sweepId").asText(), Instant.parse(n.path("requestedAt").asText())));
        } catch (DateTimeParseException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** For log lines about a message that is not a request. */
    public static String describe(String message) {
        return Text.printable(message, 120);
    }
}
