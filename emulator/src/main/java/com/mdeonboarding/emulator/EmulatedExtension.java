package com.mdeonboarding.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One extension on a VM or Arc machine. Guarded by the TenantState lock. */
final class EmulatedExtension {
    final String name;
    String location;
    ObjectNode tags;
    /** The writable properties exactly as last sent (publisher, type, settings, ...), without protectedSettings. */
    ObjectNode properties;
    /** Write-only: kept so tests can assert what was sent, never rendered in a response. */
    JsonNode protectedSettings;
    String provisioningState;
    String statusCode;
    String statusLevel;
    String statusDisplay;
    String statusMessage;
    Instant statusTime;
    /** The long-running operation currently working on this extension, if any. */
    String operationId;

    EmulatedExtension(String name) {
        this.name = name;
    }

    String publisher() {
        return Json.text(properties, "publisher");
    }

    String type() {
        return Json.text(properties, "type");
    }

    String typeHandlerVersion() {
        return Json.text(properties, "typeHandlerVersion");
    }

    void setStatus(String code, String level, String display, String message, Instant time) {
        statusCode = code;
        statusLevel = level;
        statusDisplay = display;
        statusMessage = message;
        statusTime = time;
    }
}
