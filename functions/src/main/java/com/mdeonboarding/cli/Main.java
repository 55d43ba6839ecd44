package com.mdeonboarding.cli;

import com.azure.core.util.logging.LogLevel;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.config.RemediationMode;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.config.SettingsException;
import com.mdeonboarding.events.EventIntake;
import com.mdeonboarding.host.Services;
import com.mdeonboarding.host.http.MachineStateView;
import com.mdeonboarding.jobs.MachineStateStore;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.Guid;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The operator command line: the app's own services (same settings, same reconciler, same stores)
 * without the Functions host. {@link #run} is the whole program and never exits the JVM, so tests
 * call it with their own environment and streams; {@link #main} only adds the exit.
 */
public final class Main {
    public static final int OK = 0;
    public static final int ATTENTION = 1;
    public static final int USAGE = 2;
    /** A plan evaluates at most this many machines one by one; the report still counts all of them. */
    static final int PLAN_MACHINE_LIMIT = 200;
    /** A larger event file is not a delivery (Event Grid sends at most 1 MB). */
    private static final long MAX_EVENT_FILE_BYTES = 8L * 1024 * 1024;
    /**
     * SDK clients that log at ERROR every exception they throw, for paths the app handles (Tables: a machine not
     * recorded yet, an ETag race; Event Grid: an event that does not parse). Their lines show only when verbose.
     */
    private static final List<Logger> LOG_AND_THROW = List.of(Logger.getLogger("com.azure.data.tables"),
            Logger.getLogger("com.azure.messaging.eventgrid"));

    private final Map<String, String> env;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final Logger log;

    private Main(Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
        this.env = env;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.log = logger(err);
    }

    public static void main(String[] args) {
        libraryLogging(System.getenv("AZURE_LOG_LEVEL"));
        System.exit(run(args, System.getenv(), System.in, System.out, System.err));
    }

    /**
     * The Azure SDK (through slf4j-jdk14; its HTTP lines on the root logger), Netty and Reactor log through
     * java.util.logging, whose console handler writes to stderr: at the level of the SDK's own setting
     * AZURE_LOG_LEVEL, warnings only when it is unset. The CLI's own lines have their own logger and handler.
     */
    private static void libraryLogging(String azureLogLevel) {
        LogLevel level;
        try {
            level = azureLogLevel == null || azureLogLevel.isBlank() ? LogLevel.WARNING : LogLevel.fromString(azureLogLevel);
        } catch (IllegalArgumentException e) {
            System.err.println("mde-onboarding: configuration: AZURE_LOG_LEVEL: '" + CliArgs.printable(azureLogLevel)
                    + "' is not verbose, info, warning or error");
            System.exit(USAGE);
            return;
        }
        Level jul = switch (level) {
            case VERBOSE -> Level.FINE;
            case INFORMATIONAL -> Level.INFO;
            case WARNING -> Level.WARNING;
            case ERROR -> Level.SEVERE;
            case NOT_SET -> Level.OFF;
        };
        Logger root = Logger.getLogger("");
        root.setLevel(jul);
        for (Handler h : root.getHandlers()) {
            h.setLevel(jul);
        }
        LOG_AND_THROW.forEach(l -> l.setLevel(level == LogLevel.VERBOSE ? null : Level.OFF));
    }

    /** Runs one command; returns the exit code (0 success, 1 some machines blocked or failed, 2 bad usage or configuration). */
    public static int run(String[] args, Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
        Main main = new Main(env, stdin, out, err);
        try {
            CliArgs a = CliArgs.parse(args);
            return switch (a.command()) {
                case "help" -> {
                    out.println(CliArgs.USAGE);
                    yield OK;
                }
                case "onboard" -> main.onboard(a);
                case "event" -> main.event(a);
                case "status" -> main.status(a);
                case "plan" -> main.plan(a);
                case "sweep" -> main.sweep(a);
                case "serve" -> main.serve(a);
                default -> throw new IllegalStateException(a.command());
            };
        } catch (UsageException e) {
            err.println("mde-onboarding: " + e.getMessage());
            return USAGE;
        } catch (SettingsException e) {
            err.println("mde-onboarding: configuration: " + e.getMessage());
            return USAGE;
        } catch (ArmException e) {
            err.println("mde-onboarding: " + oneLine(e.getMessage()));
            return ATTENTION;
        } catch (RuntimeException e) {
            main.log.log(Level.FINE, "failed", e);
            err.println("mde-onboarding: failed: " + e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage())));
            return ATTENTION;
        }
    }

    // ------------------------------------------------------------------ commands

    private int onboard(CliArgs a) {
        Set<MachineId> machines = new LinkedHashSet<>();
        for (String raw : a.positional()) {
            MachineId id = machineId(raw);
            if (!machines.add(id)) {
                log.warning("named twice, reconciled once: " + id.id());
            }
        }
        Services s = services();
        for (MachineId id : machines) {
            requireInScope(s, id.subscriptionId(), id.id());
        }
        Instant now = s.clock.instant();
        List<OnboardingJob> jobs = machines.stream().map(m -> OnboardingJob.create(m, JobSource.MANUAL, now)).toList();
        List<MachineResult> results = inline(s).run(jobs, a.dryRun(), a.waitFor());
        return finish(a, Output.document("onboard", a.dryRun()), results, false);
    }

    private int event(CliArgs a) {
        String file = a.positional().get(0);
        String delivery = readDelivery(file);
        Services s = services();
        EventIntake.Result intake = s.eventIntake.intake(delivery, log);
        if (intake.jobs().isEmpty() && intake.malformed() > 0 && intake.ignored() == 0 && intake.outOfScope() == 0) {
            throw new UsageException("no event in " + (file.equals("-") ? "standard input" : file) + " could be read ("
                    + intake.malformed() + " malformed; the warnings above say why)");
        }
        log.info(intake.jobs().size() + " machine(s) to reconcile from " + (file.equals("-") ? "standard input" : file) + " ("
                + intake.ignored() + " event(s) ignored, " + intake.malformed() + " malformed, " + intake.outOfScope() + " out of scope)");
        List<MachineResult> results = inline(s).run(intake.jobs(), a.dryRun(), a.waitFor());
        ObjectNode doc = Output.document("event", a.dryRun());
        ObjectNode events = doc.putObject("events");
        events.put("machines", intake.jobs().size());
        events.put("ignored", intake.ignored());
        events.put("malformed", intake.malformed());
        events.put("outOfScope", intake.outOfScope());
        if (!a.json()) {
            out.println(intake.jobs().size() + " machine(s) named; " + intake.ignored() + " event(s) ignored, " + intake.malformed()
                    + " malformed, " + intake.outOfScope() + " out of scope");
        }
        // A malformed event is input we could not act on: the operator must notice it.
        return finish(a, doc, results, intake.malformed() > 0);
    }

    private int status(CliArgs a) {
        MachineId id = machineId(a.positional().get(0));
        Services s = services();
        Optional<MachineRecord> state = s.stateStore.get(id);
        List<MachineStateStore.HistoryEntry> history = state.isPresent() && a.history() > 0 ? s.stateStore.history(id, a.history()) : List.of();
        ObjectNode doc = Output.document("status", false);
        ArrayNode machines = doc.putArray("machines");
        ObjectNode m = machines.addObject();
        m.put("resourceId", state.map(x -> x.machine().id()).orElse(id.id()));
        m.put("decision", state.map(x -> x.kind().name()).orElse(null));
        ArrayNode reasons = m.putArray("reasons");
        state.ifPresent(x -> x.reasons().forEach(r -> reasons.add(r.name())));
        ArrayNode actions = m.putArray("actions");
        history.stream().findFirst().ifPresent(h -> List.of(h.actions().split(",")).stream().map(String::trim)
                .filter(x -> !x.isEmpty()).forEach(actions::add));
        if (state.isPresent()) {
            m.set("state", MachineStateView.toJson(state.get(), history));
        } else {
            m.putNull("state");
        }
        int exit = state.isEmpty() || state.get().kind() == DecisionKind.BLOCKED ? ATTENTION : OK;
        doc.put("exitCode", exit);
        if (a.json()) {
            Output.print(out, doc);
        } else if (state.isPresent()) {
            Output.status(out, state.get(), history);
        } else {
            out.println("Nothing is recorded for " + id.id() + ": it has not been reconciled yet (try 'mde-onboarding onboard').");
        }
        return exit;
    }

    private int plan(CliArgs a) {
        List<String> subscriptions = new ArrayList<>();
        for (String sub : a.subscriptions()) {
            if (!Guid.isGuid(sub)) {
                throw new UsageException("--subscription '" + CliArgs.printable(sub) + "' is not a subscription ID (a GUID)");
            }
            subscriptions.add(sub.toLowerCase(Locale.ROOT));
        }
        Services s = services();
        for (String sub : subscriptions) {
            requireInScope(s, sub, "subscription " + sub);
        }
        SweepReport report = s.sweeps.run(SweepRequest.plan(subscriptions), job -> { }, log);
        List<String> needing = report.machinesNeedingWork() == null ? List.of() : report.machinesNeedingWork();
        List<OnboardingJob> jobs = new ArrayList<>();
        Instant now = s.clock.instant();
        for (String id : needing.subList(0, Math.min(PLAN_MACHINE_LIMIT, needing.size()))) {
            MachineId.tryParse(id).ifPresent(m -> jobs.add(OnboardingJob.create(m, JobSource.SWEEP, now)));
        }
        if (needing.size() > PLAN_MACHINE_LIMIT) {
            log.warning(needing.size() + " machines need work; deciding the first " + PLAN_MACHINE_LIMIT
                    + " one by one (narrow the plan with --subscription)");
        }
        List<MachineResult> results = inline(s).run(jobs, true, java.time.Duration.ZERO);
        ObjectNode doc = Output.document("plan", true);
        doc.set("report", Output.JSON.valueToTree(report));
        doc.put("machinesNotEvaluated", Math.max(0, needing.size() - PLAN_MACHINE_LIMIT));
        if (!a.json()) {
            Output.report(out, report);
            out.println();
        }
        return finish(a, doc, results, !report.errors().isEmpty());
    }

    private int sweep(CliArgs a) {
        Services s = services();
        List<OnboardingJob> jobs = new ArrayList<>();
        SweepRequest request = new SweepRequest(false, a.enforce() ? Optional.of(RemediationMode.ENFORCE) : Optional.empty(), List.of(), true);
        SweepReport report = s.sweeps.run(request, jobs::add, log);
        log.info(jobs.size() + " machine(s) need work; reconciling them inline");
        List<MachineResult> results = inline(s).run(jobs, false, a.waitFor());
        ObjectNode doc = Output.document("sweep", false);
        doc.set("report", Output.JSON.valueToTree(report));
        if (!a.json()) {
            Output.report(out, report);
            out.println();
        }
        return finish(a, doc, results, !report.errors().isEmpty());
    }

    private int serve(CliArgs a) {
        Services s = services();
        try (LocalHttpApi api = new LocalHttpApi(s, a.port(), log)) {
            api.start();
            err.println("mde-onboarding: HTTP API on http://127.0.0.1:" + api.port() + "/api (loopback only, no function key);"
                    + " routes: POST /api/onboarding, GET /api/machines/state, GET /api/posture, GET /api/openapi.json, GET /api/dashboard."
                    + " Ctrl-C stops it.");
            Thread.currentThread().join();
            return OK;
        } catch (java.net.BindException e) {
            throw new UsageException("cannot listen on 127.0.0.1:" + a.port() + ": " + e.getMessage() + " (choose another --port)");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OK;
        }
    }

    // ------------------------------------------------------------------ helpers

    private int finish(CliArgs a, ObjectNode doc, List<MachineResult> results, boolean otherProblem) {
        int exit = otherProblem || results.stream().anyMatch(MachineResult::needsAttention) ? ATTENTION : OK;
        doc.set("machines", Output.machines(results));
        doc.set("summary", Output.summary(results));
        doc.put("exitCode", exit);
        if (a.json()) {
            Output.print(out, doc);
        } else {
            Output.table(out, results);
        }
        return exit;
    }

    private Services services() {
        Settings settings = Settings.from(env);
        try {
            return new Services(settings, Clock.systemUTC());
        } catch (SettingsException e) {
            throw e;
        } catch (RuntimeException e) {
            // Building the services creates the queue and tables: Storage must be reachable.
            throw new UsageException("cannot start: " + e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage()))
                    + " (is Storage reachable? " + Settings.STORAGE + ": " + settings.storage() + ")");
        }
    }

    private InlineReconciler inline(Services s) {
        return new InlineReconciler(s.reconciler, s.stateStore, s.settings.verifyDelay(), s.clock, log);
    }

    private static MachineId machineId(String raw) {
        return MachineId.tryParse(raw).orElseThrow(() -> new UsageException("not a resource ID of an Azure VM or Arc machine: '"
                + CliArgs.printable(raw) + "' (expected /subscriptions/{guid}/resourceGroups/{group}/providers/"
                + "Microsoft.Compute/virtualMachines/{name} or .../Microsoft.HybridCompute/machines/{name})"));
    }

    private static void requireInScope(Services s, String subscriptionId, String what) {
        if (!s.scope.contains(subscriptionId)) {
            throw new UsageException(what + " is outside the configured scope (subscription " + subscriptionId + "; see "
                    + Settings.SCOPE_SUBSCRIPTIONS + ", " + Settings.SCOPE_MANAGEMENT_GROUP + ", " + Settings.SCOPE_EXCLUDE_SUBSCRIPTIONS + ")");
        }
    }

    private String readDelivery(String file) {
        try {
            byte[] bytes;
            if (file.equals("-")) {
                bytes = stdin.readNBytes((int) MAX_EVENT_FILE_BYTES + 1);
            } else {
                Path p = Path.of(file);
                if (Files.size(p) > MAX_EVENT_FILE_BYTES) {
                    throw new UsageException(file + " is larger than " + MAX_EVENT_FILE_BYTES + " bytes; an Event Grid delivery is at most 1 MB");
                }
                bytes = Files.readAllBytes(p);
            }
            if (bytes.length > MAX_EVENT_FILE_BYTES) {
                throw new UsageException("standard input is larger than " + MAX_EVENT_FILE_BYTES + " bytes; an Event Grid delivery is at most 1 MB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("cannot read " + CliArgs.printable(file) + ": no such file");
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new UsageException("cannot read " + CliArgs.printable(file) + ": " + e.getMessage());
        }
    }

    private static String oneLine(String s) {
        String line = s.lines().findFirst().orElse("");
        return CliArgs.printable(line);
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
                        + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")"));
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
