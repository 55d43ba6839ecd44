package com.mdeonboarding.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** An Arc machine run command resource ({@code Microsoft.HybridCompute/machines/runCommands}). */
final class EmulatedRunCommand {
    final String name;
    String location;
    ObjectNode tags;
    ObjectNode properties;
    String provisioningState;
    String executionState;
    String executionMessage;
    Integer exitCode;
    String output;
    String error;
    Instant startTime;
    Instant endTime;
    String operationId;

    EmulatedRunCommand(String name) {
        this.name = name;
    }
}
