package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.onboarding.MachineId;
import java.util.Optional;

/** Microsoft.HybridCompute (Arc machines): typed REST, as its Java SDK is not available here. */
public final class HybridComputeApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ArmClient arm;

    public HybridComputeApi(ArmClient arm) {
        this.arm = arm;
    }

    public Optional<JsonNode> machine(MachineId id) {
        return arm.find(id.id(), ApiVersions.HYBRID_COMPUTE);
    }

    public Optional<JsonNode> extension(MachineId id, String name) {
        return arm.find(id.id() + "/extensions/" + name, ApiVersions.HYBRID_COMPUTE);
    }

    /** Starts the extension PUT (202, long-running) and returns without waiting for provisioning. */
    public ArmClient.Reply putExtension(MachineId id, String name, ObjectNode body) {
        return arm.put(id.id() + "/extensions/" + name, ApiVersions.HYBRID_COMPUTE, body);
    }

    /**
     * Runs a script through Arc Run Command and waits for it; returns standard output.
     * The run command resource is named per purpose, so re-runs replace rather than pile up.
     */
    public String runCommand(MachineId id, String location, String runCommandName, String script) {
        ObjectNode body = JSON.createObjectNode();
        body.put("location", location);
        ObjectNode props = body.putObject("properties");
        props.putObject("source").put("script", script);
        props.put("asyncExecution", false);
        props.put("timeoutInSeconds", 120);
        String path = id.id() + "/runCommands/" + runCommandName;
        ArmClient.Reply started = arm.put(path, ApiVersions.HYBRID_COMPUTE, body);
        arm.awaitOperation(started);
        JsonNode done = arm.get(path, ApiVersions.HYBRID_COMPUTE);
        JsonNode view = done.path("properties").path("instanceView");
        String state = view.path("executionState").asText("");
        if (!state.equalsIgnoreCase("Succeeded")) {
            throw new ArmException(0, "RunCommandFailed", "Arc run command ended " + (state.isEmpty() ? "without a state" : state)
                    + (view.path("error").asText("").isEmpty() ? "" : ": " + view.path("error").asText()));
        }
        return view.path("output").asText("");
    }
}
