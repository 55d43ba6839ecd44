package com.mdeonboarding.emulator.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.state.Json;
import com.mdeonboarding.emulator.state.ResourceIds;
import com.mdeonboarding.emulator.state.ResourceStore;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * An asynchronous ARM operation (extension write/delete, run command) polled through
 * {@code Azure-AsyncOperation} and {@code Location}. It completes when its due time passes: by a
 * timer (so events fire on time) or by the first request that arrives after that time (so a poll
 * right at the deadline always sees the final state).
 */
public final class Operation {
    public final String id;
    public final String provider;
    public final String subscriptionId;
    final String location;
    final String apiVersion;
    final Instant startTime;
    public final Instant dueTime;
    /** Runs once, under the store's write lock, to apply the outcome; it sets status/result/error. */
    final BiConsumer<Operation, ResourceStore.Writes> completion;
    final AtomicBoolean done = new AtomicBoolean();

    volatile String status = "InProgress";
    volatile Instant endTime;
    volatile ObjectNode error;
    /** What the Location URL returns once the operation succeeded (null: 204 No Content). */
    volatile JsonNode result;
    /** Extra {@code properties} for the Azure-AsyncOperation body (Compute puts run command output there). */
    public volatile ObjectNode statusProperties;

    Operation(String id, String provider, String subscriptionId, String location, String apiVersion,
            Instant startTime, Instant dueTime, BiConsumer<Operation, ResourceStore.Writes> completion) {
        this.id = id;
        this.provider = provider;
        this.subscriptionId = subscriptionId;
        this.location = ResourceIds.normalizeLocation(location);
        this.apiVersion = apiVersion;
        this.startTime = startTime;
        this.dueTime = dueTime;
        this.completion = completion;
    }

    public boolean compute() {
        return "Microsoft.Compute".equals(provider);
    }

    /** The outcome set by the completion; becomes visible (status) only on {@link #commit()}. */
    private volatile String outcome;

    public void succeed(JsonNode result, Instant at) {
        this.result = result;
        this.endTime = at;
        this.outcome = "Succeeded";
    }

    public void fail(String code, String message, Instant at) {
        this.error = Json.obj().put("code", code).put("message", message);
        this.endTime = at;
        this.outcome = "Failed";
    }

    void cancel(String code, String message, Instant at) {
        fail(code, message, at);
        this.outcome = "Canceled";
        commit();
    }

    /**
     * Publishes the outcome to pollers. Called after the completion's events were delivered, so a
     * client that sees the operation finished also finds its event.
     */
    void commit() {
        if (outcome != null) {
            status = outcome;
        }
    }

    boolean inProgress() {
        return "InProgress".equals(status);
    }
}
