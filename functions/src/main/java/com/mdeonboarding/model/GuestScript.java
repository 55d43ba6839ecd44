package com.mdeonboarding.model;

import java.util.List;

/**
 * A script for Run Command, ready to send. VMs: {@code POST .../runCommand} with {@code commandId} and
 * {@link #lines()}; Arc machines: a {@code runCommands} resource whose {@code source.script} is {@code script}.
 *
 * @param name      file name under {@code guest-checks/} (for logs and the Arc run command's name), e.g. {@code windows-downlevel.ps1}
 * @param commandId {@code RunPowerShellScript} or {@code RunShellScript}
 * @param script    the script text
 */
public record GuestScript(String name, String commandId, String script) {

    /** The script as the lines VM Run Command's {@code script} array expects. */
    public List<String> lines() {
        return script.lines().toList();
    }
}
