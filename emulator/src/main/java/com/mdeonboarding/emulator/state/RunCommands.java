package com.mdeonboarding.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Run Command on the emulated machines: what a script prints (scripted per machine by
 * {@code runCommandOutput}), and the record of every run command received, so tests can assert
 * what ran where. The record has its own lock: it is not part of the resource model.
 */
public final class RunCommands {
    /** What a run command prints. */
    public record ScriptOutput(String stdout, String stderr, int exitCode) {
        static final ScriptOutput EMPTY = new ScriptOutput("", "", 0);
    }

    private final List<TenantState.RunCommandRecord> received = new ArrayList<>();

    public void record(TenantState.RunCommandRecord r) {
        synchronized (received) {
            received.add(r);
        }
    }

    /** Every run command received, in order. */
    List<TenantState.RunCommandRecord> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    int count() {
        synchronized (received) {
            return received.size();
        }
    }

    /**
     * What Run Command prints for a script on this machine: its {@code runCommandOutput} when it is a
     * string; when it is a map keyed by marker, the first entry (in file order) whose key occurs in the
     * script, else {@code default}, else nothing. A value may be {@code {"stdout", "stderr", "exitCode"}};
     * a non-numeric exit code counts as 1.
     */
    public static ScriptOutput output(EmulatedMachine m, String script) {
        Object out = m.runCommandOutput;
        if (out instanceof Map<?, ?> byMarker && !isDetailedOutput(byMarker)) {
            Object chosen = null;
            for (Map.Entry<?, ?> e : byMarker.entrySet()) {
                if (!"default".equals(e.getKey()) && script.contains(String.valueOf(e.getKey()))) {
                    chosen = e.getValue();
                    break;
                }
            }
            out = chosen != null ? chosen : byMarker.get("default");
        }
        if (out == null) {
            return ScriptOutput.EMPTY;
        }
        if (out instanceof Map<?, ?> detailed) {
            Object stdout = detailed.get("stdout");
            Object stderr = detailed.get("stderr");
            Object exit = detailed.get("exitCode");
            return new ScriptOutput(stdout == null ? "" : stdout.toString(), stderr == null ? "" : stderr.toString(),
                    exit == null ? 0 : exitCode(exit.toString()));
        }
        if (out instanceof JsonNode node) {
            return new ScriptOutput(node.isTextual() ? node.asText() : Json.write(node), "", 0);
        }
        return new ScriptOutput(out.toString(), "", 0);
    }

    /** The tenant file's {@code runCommandOutput} must be a string or an object keyed by script marker. */
    public static Object checkOutput(String machineId, Object output) {
        if (output != null && !(output instanceof String) && !(output instanceof Map)) {
            throw new IllegalArgumentException(machineId + ": runCommandOutput must be a string or an object keyed by script marker");
        }
        return output;
    }

    private static int exitCode(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** {"stdout": .., "stderr": .., "exitCode": ..} is one output, not a map keyed by script marker. */
    private static boolean isDetailedOutput(Map<?, ?> map) {
        return !map.isEmpty() && List.of("stdout", "stderr", "exitCode").containsAll(map.keySet());
    }
}
