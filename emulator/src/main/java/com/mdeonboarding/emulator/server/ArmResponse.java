package com.mdeonboarding.emulator.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response before the common ARM headers are added. */
public final class ArmResponse {
    public final int status;
    final JsonNode body;
    final Map<String, String> headers = new LinkedHashMap<>();

    ArmResponse(int status, JsonNode body) {
        this.status = status;
        this.body = body;
    }

    public static ArmResponse ok(JsonNode body) {
        return new ArmResponse(200, body);
    }

    public static ArmResponse status(int status, JsonNode body) {
        return new ArmResponse(status, body);
    }

    public static ArmResponse empty(int status) {
        return new ArmResponse(status, null);
    }

    public ArmResponse header(String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
        return this;
    }
}
