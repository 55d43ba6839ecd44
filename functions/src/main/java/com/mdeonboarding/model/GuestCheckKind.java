package com.mdeonboarding.model;

/**
 * Which read-only guest prerequisite check applies to a machine, and how its output is judged.
 * One Windows script serves both downlevel releases; the release decides which rules the parser applies.
 */
public enum GuestCheckKind {
    /** Windows Server 2012 R2: KB2999226, KB3080149, DisableAntiSpyware policy, endpoints. */
    WINDOWS_2012_R2("windows-downlevel", "windows-downlevel.ps1", "RunPowerShellScript"),
    /** Windows Server 2016: SSU and LCU levels, Defender Antivirus feature and service, policy, endpoints. */
    WINDOWS_2016("windows-downlevel", "windows-downlevel.ps1", "RunPowerShellScript"),
    /** Linux: security agents that make the MDE installer abort (ERR_CONFLICTING_APPS). */
    LINUX("linux-conflicts", "linux-conflicts.sh", "RunShellScript");

    private final String jsonKind;
    private final String resource;
    private final String commandId;

    GuestCheckKind(String jsonKind, String resource, String commandId) {
        this.jsonKind = jsonKind;
        this.resource = resource;
        this.commandId = commandId;
    }

    /** The {@code "kind"} value the script prints. */
    public String jsonKind() {
        return jsonKind;
    }

    /** The script's file name under {@code guest-checks/} on the classpath. */
    public String resource() {
        return resource;
    }

    /** The VM Run Command ID ({@code RunPowerShellScript} / {@code RunShellScript}). */
    public String commandId() {
        return commandId;
    }
}
