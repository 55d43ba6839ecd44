package com.mdeonboarding.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.Text;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What every command shares: the environment it reads settings from, its streams, the logger on stderr, and the app's
 * services, built once on first use (so that usage errors are reported before anything is contacted).
 */
final class CliContext {
    final Map<String, String> env;
    final InputStream stdin;
    final PrintStream out;
    final PrintStream err;
    final Logger log;
    /** stderr is a terminal (the launcher says so): show progress without being asked. */
    final boolean stderrIsTerminal;
    /** stdin is a terminal (the launcher says so): a person can answer a confirmation. */
    final boolean stdinIsTerminal;
    private Services services;

    CliContext(Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err, boolean stderrIsTerminal) {
        this(env, stdin, out, err, stderrIsTerminal, false);
    }

    CliContext(Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err, boolean stderrIsTerminal,
               boolean stdinIsTerminal) {
        this.stdinIsTerminal = stdinIsTerminal;
        this.env = env;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.stderrIsTerminal = stderrIsTerminal;
        this.log = logger(err);
    }

    /** The app's services from the settings in {@link #env}; a bad setting or unreachable Storage stops the command. */
    Services services() {
        if (services == null) {
            Settings settings = Settings.from(env);
            settings.warnings().forEach(log::warning);
            services = new Services(settings, Clock.systemUTC());
        }
        return services;
    }

    /**
     * The services for a read-only preview ('plan'): as {@link #services()}, but when no Storage is configured they run
     * against an empty in-process account (nothing remembered, nothing written), so a plan needs only a sign-in to Azure.
     */
    Services previewServices() {
        if (services == null) {
            Settings settings = Settings.forPreview(env);
            settings.warnings().forEach(log::warning);
            if (settings.storage().isNone()) {
                log.info("no Storage configured (" + Settings.STORAGE + " unset): previewing from Azure alone; every machine is"
                        + " decided as on its first look, and nothing is written anywhere");
            }
            services = new Services(settings, Clock.systemUTC());
        }
        return services;
    }

    InlineReconciler inline(Services s) {
        return new InlineReconciler(s.reconciler, s.stateStore, s.controller, s.settings.verifyDelay(), s.clock, log);
    }

    static MachineId machineId(String raw) {
        return MachineId.tryParse(raw).orElseThrow(() -> new UsageException("not a resource ID of an Azure VM or Arc machine: '"
                + Text.printable(raw) + "' (expected /subscriptions/{guid}/resourceGroups/{group}/providers/"
                + "Microsoft.Compute/virtualMachines/{name} or .../Microsoft.HybridCompute/machines/{name})"));
    }

    static void requireInScope(Services s, String subscriptionId, String what) {
        if (!s.scope.contains(subscriptionId)) {
            throw new UsageException(what + " is outside the configured scope (subscription " + subscriptionId + "; see "
                    + Settings.SCOPE_SUBSCRIPTIONS + ", " + Settings.SCOPE_MANAGEMENT_GROUP + ", " + Settings.SCOPE_EXCLUDE_SUBSCRIPTIONS + ")");
        }
    }

    /** Prints the machines (table, or the JSON document with them) and returns the exit code. */
    int finish(boolean json, ObjectNode doc, List<MachineResult> results, boolean otherProblem) {
        int exit = otherProblem || results.stream().anyMatch(MachineResult::needsAttention) ? Main.ATTENTION : Main.OK;
        doc.set("machines", Output.machines(results));
        doc.set("summary", Output.summary(results));
        doc.put("exitCode", exit);
        if (json) {
            Output.print(out, doc);
        } else {
            Output.table(out, results);
        }
        return exit;
    }

    /** Logs and progress go to stderr, so that stdout carries only the result (one JSON document with --json). */
    private static Logger logger(PrintStream err) {
        Logger l = Logger.getAnonymousLogger();
        l.setUseParentHandlers(false);
        l.setLevel(Level.INFO);
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm:ss");
        l.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() < l.getLevel().intValue()) {
                    return;
                }
                err.println(LocalTime.now().format(time) + " " + r.getLevel() + " " + r.getMessage()
                        + (r.getThrown() == null ? "" : " (" + Text.printable(String.valueOf(r.getThrown().getMessage()), 300) + ")"));
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
            }
        });
        return l;
    }
}
