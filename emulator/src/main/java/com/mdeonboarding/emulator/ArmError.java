package com.mdeonboarding.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** An ARM error response: {@code {"error":{"code":...,"message":...}}} with an HTTP status. */
final class ArmError extends RuntimeException {
    final int status;
    final String code;
    final Map<String, String> headers = new LinkedHashMap<>();
    com.fasterxml.jackson.databind.node.ArrayNode details;

    ArmError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    ArmError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    static ArmError badRequest(String code, String message) {
        return new ArmError(400, code, message);
    }

    static ArmError notFound(String code, String message) {
        return new ArmError(404, code, message);
    }

    static ArmError conflict(String code, String message) {
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
