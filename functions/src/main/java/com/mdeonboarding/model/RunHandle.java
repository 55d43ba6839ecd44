package com.mdeonboarding.model;

import java.util.Objects;
import java.util.Optional;

/**
 * How Azure names a Run Command we started, kept in the machine's state row so that a later look (another worker, a
 * redelivered job) can read its status and result: no worker waits on it.
 */
public sealed interface RunHandle {

    /**
     * A VM's action Run Command ({@code POST .../runCommand}): the asynchronous operation Resource Manager answered with.
     *
     * @param statusUrl its {@code Azure-AsyncOperation} URL (the status document, which also carries the output)
     * @param resultUrl its {@code Location} URL (the result; polled instead of the status when that is all Azure gave)
     */
    record VmOperation(Optional<String> statusUrl, Optional<String> resultUrl) implements RunHandle {
        public VmOperation {
            Objects.requireNonNull(statusUrl, "statusUrl");
            Objects.requireNonNull(resultUrl, "resultUrl");
            if (statusUrl.isEmpty() && resultUrl.isEmpty()) {
                throw new IllegalArgumentException("a VM Run Command operation needs a status or a result URL");
            }
        }
    }

    /** An Arc machine's run command resource ({@code .../machines/{machine}/runCommands/{name}}). */
    record ArcRunCommand(String name) implements RunHandle {
        public ArcRunCommand {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an Arc run command needs a name");
            }
        }
    }
}
