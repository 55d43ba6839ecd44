package com.mdeonboarding.emulator.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** An Arc machine run command resource ({@code Microsoft.HybridCompute/machines/runCommands}). */
public final class EmulatedRunCommand {
    public final String name;
    public String location;
    public ObjectNode tags;
    public ObjectNode properties;
    public String provisioningState;
    public String executionState;
    public String executionMessage;
    public Integer exitCode;
    public String output;
    public String error;
    public Instant startTime;
    public Instant endTime;
    public String operationId;

    public EmulatedRunCommand(String name) {
        this.name = name;
    }
}
