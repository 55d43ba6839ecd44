package com.mdeonboarding.emulator.operations;

import com.mdeonboarding.emulator.server.ArmRequest;
import com.mdeonboarding.emulator.server.ArmResponse;
import com.mdeonboarding.emulator.server.EmulatorContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The polling headers of a long-running operation, in the provider's URL style. */
public final class Lro {
    private Lro() {
    }

    static String statusUrl(ArmRequest req, Operation op) {
        String base = req.baseUrl + "/subscriptions/" + op.subscriptionId + "/providers/" + op.provider
                + "/locations/" + op.location;
        String v = URLEncoder.encode(op.apiVersion, StandardCharsets.UTF_8);
        return op.compute()
                ? base + "/operations/" + op.id + "?api-version=" + v
                : base + "/operationStatus/" + op.id + "?api-version=" + v;
    }

    static String resultUrl(ArmRequest req, Operation op) {
        String base = req.baseUrl + "/subscriptions/" + op.subscriptionId + "/providers/" + op.provider
                + "/locations/" + op.location;
        String v = URLEncoder.encode(op.apiVersion, StandardCharsets.UTF_8);
        return op.compute()
                ? base + "/operations/" + op.id + "?monitor=true&api-version=" + v
                : base + "/operationResults/" + op.id + "?api-version=" + v;
    }

    /**
     * Adds Azure-AsyncOperation, Location and Retry-After; in Location-only mode, answers 202 Accepted with Location
     * and Retry-After only (the pattern of the ARM RPC's "202 Accepted and Location headers": the final GET of Location
     * gives 200 with the result or 204).
     */
    public static ArmResponse withHeaders(ArmResponse resp, ArmRequest req, Operation op, EmulatorContext ctx) {
        if (ctx.locationOnly) {
            return ArmResponse.empty(202).header("Location", resultUrl(req, op)).header("Retry-After", ctx.retryAfter(op));
        }
        return resp.header("Azure-AsyncOperation", statusUrl(req, op))
                .header("Location", resultUrl(req, op))
                .header("Retry-After", ctx.retryAfter(op));
    }
}
