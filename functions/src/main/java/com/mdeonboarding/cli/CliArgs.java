package com.mdeonboarding.cli;

import com.mdeonboarding.model.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line, parsed: a command, its positional arguments and its options. Each command names
 * the options it takes; anything else is a {@link UsageException} naming it.
 */
record CliArgs(String command, List<String> positional, Set<String> switches, Duration waitFor, List<String> subscriptions, int history,
               int port) {

    boolean json() {
        return switches.contains("--json");
    }

    boolean dryRun() {
        return switches.contains("--dry-run");
    }

    boolean enforce() {
        return switches.contains("--enforce");
    }

    static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    static final int DEFAULT_HISTORY = 20;
    /** The Functions host's local port, so that the same URLs work with either. */
    static final int DEFAULT_PORT = 7071;

    /** Options each command accepts; the value-taking ones are listed in {@link #WITH_VALUE}. */
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "onboard", Set.of("--json", "--dry-run", "--wait"),
            "event", Set.of("--json", "--dry-run", "--wait"),
            "status", Set.of("--json", "--history"),
            "plan", Set.of("--json", "--subscription"),
            "sweep", Set.of("--json", "--enforce", "--wait"),
            "serve", Set.of("--port"));
    private static final Set<String> WITH_VALUE = Set.of("--wait", "--history", "--subscription", "--port");

    static final String USAGE = String.join("\n",
            "usage: mde-onboarding COMMAND [OPTIONS]",
            "",
            "  onboard RESOURCE_ID... [--dry-run] [--wait DURATION] [--json]",
            "      reconcile machines now and print each decision and what was done; after a deployment, wait",
            "      (default 5m; e.g. 90s, 10m, 0 = do not wait) until the extension is provisioned",
            "  event FILE [--dry-run] [--wait DURATION] [--json]",
            "      read an Event Grid delivery (Event Grid schema or CloudEvents; '-' = stdin) as the trigger does",
            "      and reconcile the machines it names",
            "  status RESOURCE_ID [--history N] [--json]",
            "      what the state store knows about a machine (latest decision, reasons, history)",
            "  plan [--subscription ID]... [--json]",
            "      a dry-run sweep: posture drift, and per machine that needs work, the decision it would get",
            "  sweep [--enforce] [--wait DURATION] [--json]",
            "      a real sweep, inline; --enforce fixes posture drift even when MDE_REMEDIATION_MODE is audit",
            "  serve [--port N]",
            "      the HTTP API on http://127.0.0.1:N/api (default 7071) without the Functions host: loopback only,",
            "      no function key; for local trials",
            "",
            "Settings come from the same environment variables as the app (AzureWebJobsStorage, MDE_*).",
            "--json prints one JSON document on stdout; progress and logs go to stderr.",
            "Exit codes: 0 success, 1 some machines blocked or failed, 2 bad usage or configuration.");

    static CliArgs parse(String[] args) {
        if (args.length == 0) {
            throw new UsageException("no command given; run 'mde-onboarding --help'");
        }
        String command = args[0];
        if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
            return new CliArgs("help", List.of(), Set.of(), DEFAULT_WAIT, List.of(), DEFAULT_HISTORY, DEFAULT_PORT);
        }
        Set<String> accepted = OPTIONS.get(command);
        if (accepted == null) {
            throw new UsageException("unknown command '" + printable(command) + "'; commands: onboard, event, status, plan, sweep");
        }
        List<String> positional = new ArrayList<>();
        List<String> subscriptions = new ArrayList<>();
        Set<String> switches = new java.util.HashSet<>();
        Duration wait = DEFAULT_WAIT;
        int history = DEFAULT_HISTORY;
        int port = DEFAULT_PORT;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                return new CliArgs("help", List.of(), Set.of(), DEFAULT_WAIT, List.of(), DEFAULT_HISTORY, DEFAULT_PORT);
            }
            if (!a.startsWith("--") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (!accepted.contains(name)) {
                throw new UsageException("'" + command + "' does not take " + printable(name) + "; it takes " + String.join(", ",
                        accepted.stream().sorted().toList()));
            }
            String value = null;
            if (WITH_VALUE.contains(name)) {
                if (a.contains("=")) {
                    value = a.substring(a.indexOf('=') + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException(name + " needs a value");
                }
            } else if (a.contains("=")) {
                throw new UsageException(name + " takes no value");
            }
            switch (name) {
                case "--json", "--dry-run", "--enforce" -> switches.add(name);
                case "--wait" -> wait = duration(value);
                case "--history" -> history = history(value);
                case "--subscription" -> subscriptions.add(value);
                case "--port" -> port = port(value);
                default -> throw new IllegalStateException(name);
            }
        }
        switch (command) {
            case "onboard" -> {
                if (positional.isEmpty()) {
                    throw new UsageException("onboard needs at least one RESOURCE_ID");
                }
            }
            case "event", "status" -> {
                if (positional.size() != 1) {
                    throw new UsageException(command + " needs exactly one " + (command.equals("event") ? "FILE" : "RESOURCE_ID")
                            + (positional.isEmpty() ? "" : "; got " + positional.size() + " arguments"));
                }
            }
            default -> {
                if (!positional.isEmpty()) {
                    throw new UsageException(command + " takes no arguments; got '" + printable(positional.get(0)) + "'");
                }
            }
        }
        return new CliArgs(command, List.copyOf(positional), Set.copyOf(switches), wait, List.copyOf(subscriptions), history, port);
    }

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("^([0-9]{1,6})([smh]?)$");

    /** 300, 300s, 5m or 1h; 0 does not wait. */
    static Duration duration(String v) {
        java.util.regex.Matcher m = DURATION.matcher(v == null ? "" : v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
            if (d.compareTo(Duration.ofHours(24)) <= 0) {
                return d;
            }
        }
        throw new UsageException("--wait '" + printable(String.valueOf(v)) + "' is not a duration; expected e.g. 300, 90s, 10m (at most 24h)");
    }

    private static int port(String v) {
        if (v != null && v.matches("^[0-9]{1,5}$") && Integer.parseInt(v) <= 65535) {
            return Integer.parseInt(v);
        }
        throw new UsageException("--port '" + printable(String.valueOf(v)) + "' is not a port number (0 picks a free one)");
    }

    private static int history(String v) {
        if (v != null && v.matches("^[0-9]{1,3}$") && Integer.parseInt(v) <= 100) {
            return Integer.parseInt(v);
        }
        throw new UsageException("--history '" + printable(String.valueOf(v)) + "' is not valid; expected a whole number from 0 to 100");
    }

    static String printable(String s) {
        return com.mdeonboarding.model.Text.printable(s);
    }
}
