package com.mdeonboarding.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** An ARM error response: {@code {"error":{"code":...,"message":...}}} with an HTTP status. */
final class ArmException extends RuntimeException {
    final int status;
    final String code;
    final Map<String, String> headers = new LinkedHashMap<>();
    com.fasterxml.jackson.databind.node.ArrayNode details;

    ArmException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    ArmException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    static ArmException badRequest(String code, String message) {
        return new ArmException(400, code, message);
    }

    static ArmException notFound(String code, String message) {
        return new ArmException(404, code, message);
    }

    static ArmException conflict(String code, String message) {
        return new ArmException(409, code, message);
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
