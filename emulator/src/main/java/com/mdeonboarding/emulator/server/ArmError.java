package com.mdeonboarding.emulator.server;

import com.mdeonboarding.emulator.state.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** An ARM error response: {@code {"error":{"code":...,"message":...}}} with an HTTP status. */
public final class ArmError extends RuntimeException {
    final int status;
    final String code;
    final Map<String, String> headers = new LinkedHashMap<>();
    public com.fasterxml.jackson.databind.node.ArrayNode details;

    public ArmError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public ArmError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public static ArmError badRequest(String code, String message) {
        return new ArmError(400, code, message);
    }

    public static ArmError notFound(String code, String message) {
        return new ArmError(404, code, message);
    }

    public static ArmError conflict(String code, String message) {
        return new ArmError(409, code, message);
    }

    com.fasterxml.jackson.databind.node.ObjectNode body() {
        var error = Json.obj().put("code", code).put("message", getMessage());
        if (details != null) {
            error.set("details", details);
        }
        var body = Json.obj();
        body.set("error", error);
        return body;
    }
}
