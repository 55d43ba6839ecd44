package com.mdeonboarding.cli;

/** Texts several commands' --help share (compile-time constants: picocli reads them from annotations). */
final class HelpTexts {
    static final String EXIT_HEADING = "%nExit codes:%n";
    static final String EXIT_USAGE = "2:bad usage or configuration: an option, a setting, signing in to Azure, or reaching Storage"
            + " (one line on stderr says which, and what to do)";
    static final String JSON = "Print exactly one JSON document on stdout (logs and progress go to stderr).";
    static final String WAIT = "After a deployment, look again until the machine is ONBOARDED or blocked, for up to this long"
            + " (e.g. 90s, 10m; 0 does not wait; default ${DEFAULT-VALUE}). What is still provisioning then gets a verify job on the"
            + " queue, so the Function App finishes it.";
    static final String SETTINGS_FOOTER = "%nSettings come from the same environment variables as the app (AzureWebJobsStorage, MDE_*;"
            + " README, Configuration).";

    private HelpTexts() {
    }
}
