package com.mdeonboarding.emulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The polling headers of a long-running operation, in the provider's URL style. */
final class Lro {
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

    /** Adds Azure-AsyncOperation, Location and Retry-After. */
    static ArmResponse withHeaders(ArmResponse resp, ArmRequest req, Operation op, EmulatorContext ctx) {
        return resp.header("Azure-AsyncOperation", statusUrl(req, op))
                .header("Location", resultUrl(req, op))
                .header("Retry-After", ctx.retryAfter(op));
    }
}
