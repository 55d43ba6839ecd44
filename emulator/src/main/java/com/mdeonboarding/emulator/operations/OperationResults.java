package com.mdeonboarding.emulator.operations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.server.ArmRequest;
import com.mdeonboarding.emulator.server.ArmResponse;
import com.mdeonboarding.emulator.server.EmulatorContext;
import com.mdeonboarding.emulator.state.Json;

/** Renders an operation for its Azure-AsyncOperation (status) and Location (result) URLs. */
public final class OperationResults {
    private OperationResults() {
    }

    /** The Azure-AsyncOperation body: always 200, with status InProgress / Succeeded / Failed / Canceled. */
    public static ArmResponse status(ArmRequest req, Operation op, EmulatorContext ctx) {
        ObjectNode body = Json.obj();
        if (!op.compute()) {
            body.put("id", "/providers/" + op.provider + "/locations/" + op.location + "/operationStatus/" + op.id);
        }
        body.put("name", op.id);
        body.put("status", op.inProgress() ? ctx.runningStatus : op.status);
        body.put("startTime", op.startTime.toString());
        boolean done = !op.inProgress();
        if (done && op.endTime != null) {
            body.put("endTime", op.endTime.toString());
        }
        if (done && op.error != null) {
            body.set("error", op.error);
        }
        if (op.statusProperties != null && "Succeeded".equals(op.status)) {
            body.set("properties", op.statusProperties);
        }
        ArmResponse resp = ArmResponse.ok(body);
        if (op.inProgress()) {
            resp.header("Retry-After", ctx.retryAfter(op));
        }
        return resp;
    }

    /**
     * The Location body: 202 while running; then the result (200), no content (204), or the
     * operation's error (with a 4xx/5xx status) when it failed.
     */
    public static ArmResponse result(ArmRequest req, Operation op, EmulatorContext ctx) {
        if (op.inProgress()) {
            return ArmResponse.empty(202).header("Location", Lro.resultUrl(req, op)).header("Retry-After", ctx.retryAfter(op));
        }
        if (op.error != null) {
            ObjectNode body = Json.obj();
            body.set("error", op.error);
            int status = "InternalServerError".equals(op.error.path("code").asText()) ? 500 : 409;
            return ArmResponse.status(status, body);
        }
        return op.result == null ? ArmResponse.empty(204) : ArmResponse.ok(op.result);
    }
}
