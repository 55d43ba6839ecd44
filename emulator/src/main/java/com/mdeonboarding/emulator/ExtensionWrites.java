package com.mdeonboarding.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.function.Function;

/**
 * The long-running extension PUT and DELETE both providers run: the extension moves to
 * Creating/Updating (or Deleting) at once, and when the provisioning delay has passed it ends
 * Succeeded or Failed (or is removed) and the write event is published. A new PUT or DELETE on
 * the same extension preempts the running operation. What differs per provider (preconditions,
 * the response, why an attempt fails) stays in the provider. Call under the write lock.
 */
final class ExtensionWrites {
    private ExtensionWrites() {
    }

    /** How a failed attempt reads: the extension's instance-view status, and the operation's error. */
    record Failure(String code, String message, String operationCode, String operationMessage) {
    }

    /** @param created the extension did not exist before this PUT (Compute answers 201, else 200) */
    record Started(EmulatedExtension extension, Operation operation, boolean created) {
    }

    /**
     * Writes the PUT body onto the extension (created when absent) and starts the operation.
     *
     * @param outcome decides, now, how this attempt will end: a failure, or null for success
     */
    static Started put(EmulatorContext ctx, ArmRequest req, EmulatedMachine m, String name, JsonNode body,
            Function<EmulatedExtension, Failure> outcome) {
        EmulatedExtension existing = m.extension(name);
        EmulatedExtension e = existing != null ? existing : new EmulatedExtension(name);
        // HybridCompute reports autoUpgradeMinorVersion false when omitted, as the service's own example shows.
        e.writeFrom(body, m.location, !m.isVm());
        ctx.operations.preempt(e.operationId);
        e.setState(m.kind, existing == null ? "Creating" : "Updating", null, null, Instant.now());
        if (existing == null) {
            m.putExtension(e);
        }
        Failure failure = outcome.apply(e);
        String correlation = req.correlationId;
        String updateUrl = existing == null ? null : req.url();
        Operation op = ctx.operations.start(m.provider(), m.subscriptionId, m.location, req.apiVersion(),
                ctx.delays.nextExtension(), (self, done) -> complete(m, e, self, failure, done, correlation, updateUrl));
        e.operationId = op.id;
        return new Started(e, op, existing == null);
    }

    private static void complete(EmulatedMachine m, EmulatedExtension e, Operation op, Failure failure,
            ResourceStore.Writes done, String correlation, String updateUrl) {
        Instant now = Instant.now();
        done.changes().correlate(correlation, updateUrl);
        String method = updateUrl == null ? null : "PUT";
        String extId = m.id + "/extensions/" + e.name;
        if (failure != null) {
            e.setState(m.kind, "Failed", failure.code(), failure.message(), now);
            op.fail(failure.operationCode(), failure.operationMessage(), now);
            done.event("Microsoft.Resources.ResourceWriteFailure", extId, m.type() + "/extensions/write", method);
        } else {
            e.setState(m.kind, "Succeeded", null, null, now);
            op.succeed(ExtensionJson.resource(m, e, false), now);
            done.event("Microsoft.Resources.ResourceWriteSuccess", extId, m.type() + "/extensions/write", method);
        }
        e.operationId = null;
    }

    /** Marks the extension Deleting and starts the operation that removes it. */
    static Operation delete(EmulatorContext ctx, ArmRequest req, EmulatedMachine m, EmulatedExtension e) {
        ctx.operations.preempt(e.operationId);
        e.setState(m.kind, "Deleting", null, null, Instant.now());
        String correlation = req.correlationId;
        String url = req.url();
        Operation op = ctx.operations.start(m.provider(), m.subscriptionId, m.location, req.apiVersion(),
                ctx.delays.nextExtension(), (self, done) -> {
                    done.changes().correlate(correlation, url);
                    m.removeExtension(e.name);
                    self.succeed(null, Instant.now());
                    done.event("Microsoft.Resources.ResourceDeleteSuccess", m.id + "/extensions/" + e.name,
                            m.type() + "/extensions/delete", "DELETE");
                });
        e.operationId = op.id;
        return op;
    }
}
