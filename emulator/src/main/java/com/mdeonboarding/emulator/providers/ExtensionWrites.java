package com.mdeonboarding.emulator.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.operations.Operation;
import com.mdeonboarding.emulator.server.ArmError;
import com.mdeonboarding.emulator.server.ArmRequest;
import com.mdeonboarding.emulator.server.EmulatorContext;
import com.mdeonboarding.emulator.state.EmulatedDevices;
import com.mdeonboarding.emulator.state.EmulatedExtension;
import com.mdeonboarding.emulator.state.EmulatedMachine;
import com.mdeonboarding.emulator.state.Json;
import com.mdeonboarding.emulator.state.ResourceStore;
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

    /**
     * How a failed attempt reads: the extension's instance-view status (and the installer's log as a substatus, or
     * null), and the operation's error.
     */
    record Failure(String code, String message, String operationCode, String operationMessage, String substatus) {
        Failure(String code, String message, String operationCode, String operationMessage) {
            this(code, message, operationCode, operationMessage, null);
        }
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
        String type = Json.text(body.path("properties"), "type");
        if (m.foreignMdeDeploymentNext && type != null && type.regionMatches(true, 0, "MDE.", 0, 4)) {
            m.foreignMdeDeploymentNext = false;
            startForeignMdeDeployment(ctx, req, m, name, type);
            // Compute and HybridCompute answer 409 while another operation on the machine's extensions runs
            // (MicrosoftDocs/azure-docs #11143); the exact wording was not found.
            throw ArmError.conflict("Conflict", "The request failed due to a conflict with a concurrent operation on extension '"
                    + name + "' of '" + m.name + "'. (emulator wording)");
        }
        EmulatedExtension existing = m.extension(name);
        EmulatedExtension e = existing != null ? existing : new EmulatedExtension(name);
        // HybridCompute reports autoUpgradeMinorVersion false when omitted, as the service's own example shows.
        e.writeFrom(body, m.location, !m.isVm());
        ctx.operations.preempt(e.operationId);
        e.setState(m.kind, existing == null ? "Creating" : "Updating", null, null, ctx.now());
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

    /** Another writer (Defender for Cloud's own provisioning) deploys the MDE extension, as it writes it, without our package. */
    private static void startForeignMdeDeployment(EmulatorContext ctx, ArmRequest req, EmulatedMachine m, String name, String type) {
        ObjectNode body = Json.obj().put("location", m.location);
        ObjectNode p = body.putObject("properties").put("publisher", "Microsoft.Azure.AzureDefenderForServers").put("type", type)
                .put("typeHandlerVersion", "1.0").put("autoUpgradeMinorVersion", true);
        p.putObject("settings").put("azureResourceId", m.id).put("forceReOnboarding", false).put("vNextEnabled", true);
        put(ctx, req, m, name, body, e -> null);
    }

    private static void complete(EmulatedMachine m, EmulatedExtension e, Operation op, Failure failure,
            ResourceStore.Writes done, String correlation, String updateUrl) {
        Instant now = done.now();
        done.changes().correlate(correlation, updateUrl);
        String method = updateUrl == null ? null : "PUT";
        String extId = m.id + "/extensions/" + e.name;
        if (failure != null) {
            e.setState(m.kind, "Failed", failure.code(), failure.message(), now);
            e.substatusMessage = failure.substatus();
            op.fail(failure.operationCode(), failure.operationMessage(), now);
            done.event("Microsoft.Resources.ResourceWriteFailure", extId, m.type() + "/extensions/write", method);
        } else {
            e.setState(m.kind, "Succeeded", null, null, now);
            EmulatedDevices.extensionSucceeded(m, e, now);
            op.succeed(ExtensionJson.resource(m, e, false), now);
            done.event("Microsoft.Resources.ResourceWriteSuccess", extId, m.type() + "/extensions/write", method);
        }
        e.operationId = null;
    }

    /** Marks the extension Deleting and starts the operation that removes it. */
    static Operation delete(EmulatorContext ctx, ArmRequest req, EmulatedMachine m, EmulatedExtension e) {
        ctx.operations.preempt(e.operationId);
        e.setState(m.kind, "Deleting", null, null, ctx.now());
        String correlation = req.correlationId;
        String url = req.url();
        Operation op = ctx.operations.start(m.provider(), m.subscriptionId, m.location, req.apiVersion(),
                ctx.delays.nextExtension(), (self, done) -> {
                    done.changes().correlate(correlation, url);
                    m.removeExtension(e.name);
                    self.succeed(null, done.now());
                    done.event("Microsoft.Resources.ResourceDeleteSuccess", m.id + "/extensions/" + e.name,
                            m.type() + "/extensions/delete", "DELETE");
                });
        e.operationId = op.id;
        return op;
    }
}
