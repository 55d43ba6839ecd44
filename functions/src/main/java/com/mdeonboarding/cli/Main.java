package com.mdeonboarding.cli;

import com.azure.core.util.logging.LogLevel;
import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.azure.SignInException;
import com.mdeonboarding.config.SettingsException;
import com.mdeonboarding.storage.StorageUnavailableException;
import com.mdeonboarding.model.Text;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The operator command line: the app's own services (same settings, same reconciler, same stores) without the
 * Functions host, one picocli command per operation. {@link #run} is the whole program and never exits the JVM, so
 * tests call it with their own environment and streams; {@link #main} only adds the exit.
 */
public final class Main {
    public static final int OK = 0;
    public static final int ATTENTION = 1;
    public static final int USAGE = 2;
    /** Set by bin/mde-onboarding when stderr is a terminal (Java cannot tell by itself). */
    static final String STDERR_TERMINAL_PROPERTY = "mde.stderr.terminal";
    /** Set by bin/mde-onboarding when stdin is a terminal: a confirmation can be asked for ('sweep --enforce'). */
    static final String STDIN_TERMINAL_PROPERTY = "mde.stdin.terminal";
    /**
     * SDK clients that log at ERROR every exception they throw, for paths the app handles (Tables: a machine not
     * recorded yet, an ETag race; Event Grid: an event that does not parse; Identity: each credential of the chain that
     * could not sign in, about ten WARNING and SEVERE lines before our one-line SignInException says what to do). Their
     * lines show only when verbose.
     */
    private static final List<Logger> LOG_AND_THROW = List.of(Logger.getLogger("com.azure.data.tables"),
            Logger.getLogger("com.azure.messaging.eventgrid"), Logger.getLogger("com.azure.identity"));

    private Main() {
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
            System.err.println("mde-onboarding: configuration: AZURE_LOG_LEVEL: '" + Text.printable(azureLogLevel)
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

    /** Runs one command; returns the exit code (0 success, 1 something needs attention, 2 bad usage or configuration). */
    public static int run(String[] args, Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
        CliContext ctx = new CliContext(env, stdin, out, err, Boolean.getBoolean(STDERR_TERMINAL_PROPERTY),
                Boolean.getBoolean(STDIN_TERMINAL_PROPERTY));
        return commandLine(ctx).execute(args);
    }

    static CommandLine commandLine(CliContext ctx) {
        CommandLine cmd = new CommandLine(new Root(ctx));
        for (Object sub : List.of(new OnboardCommand(ctx), new EventCommand(ctx), new StatusCommand(ctx), new PlanCommand(ctx),
                new SweepCommand(ctx), new ListCommand(ctx), new ServeCommand(ctx), new DoctorCommand(ctx), new WireCommand(ctx))) {
            cmd.addSubcommand(sub);
        }
        cmd.addSubcommand(new CommandLine.HelpCommand());
        cmd.setOut(new PrintWriter(ctx.out, true, StandardCharsets.UTF_8));
        cmd.setErr(new PrintWriter(ctx.err, true, StandardCharsets.UTF_8));
        cmd.setParameterExceptionHandler((e, args) -> usageError(ctx, e));
        cmd.setExecutionExceptionHandler((e, cl, parsed) -> failure(ctx, e));
        return cmd;
    }

    @Command(name = "mde-onboarding", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = {"Onboards Azure VMs and Arc machines to Microsoft Defender for Endpoint, and says why a machine is not"
                + " protected. Each command has its own --help."},
            commandListHeading = "%nCommands:%n",
            exitCodeListHeading = HelpTexts.EXIT_HEADING,
            exitCodeList = {"0:success", "1:something needs attention (a machine blocked, failed or not found; a check failed)",
                HelpTexts.EXIT_USAGE},
            footer = {HelpTexts.SETTINGS_FOOTER, "--json prints one JSON document on stdout; logs and progress go to stderr."})
    static final class Root implements Callable<Integer> {
        private final CliContext ctx;
        @picocli.CommandLine.Spec
        CommandSpec spec;

        Root(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            ctx.err.println("mde-onboarding: no command given; run 'mde-onboarding --help' (commands: "
                    + String.join(", ", spec.subcommands().keySet()) + ")");
            return USAGE;
        }
    }

    /** The version Maven built (a filtered resource). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mde-onboarding " + com.mdeonboarding.config.AppVersion.get()};
        }
    }

    /** A bad option or argument: one line naming it, with picocli's suggestion for a typo, and exit 2. */
    private static int usageError(CliContext ctx, ParameterException e) {
        CommandLine cl = e.getCommandLine();
        String command = cl.getParent() == null ? "mde-onboarding" : "mde-onboarding " + cl.getCommandName();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            String first = unmatched.isEmpty() ? "" : unmatched.get(0);
            if (u.isUnknownOption() && cl.getParent() != null) {
                message = "'" + cl.getCommandName() + "' does not take " + Text.printable(first) + "; it takes "
                        + String.join(", ", options(cl.getCommandSpec()));
            } else if (cl.getParent() == null) {
                message = "unknown command '" + Text.printable(first) + "'; commands: " + String.join(", ", cl.getSubcommands().keySet());
            } else {
                message = "unexpected argument '" + Text.printable(first) + "'";
            }
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += "; did you mean '" + Text.printable(suggestions.get(0)) + "'?";
            }
        }
        ctx.err.println("mde-onboarding: " + Text.printable(message, 600) + " (see '" + command + " --help')");
        return USAGE;
    }

    private static List<String> options(CommandSpec spec) {
        return spec.options().stream().filter(o -> !o.usageHelp() && !o.versionHelp()).map(OptionSpec::longestName).sorted().toList();
    }

    /** A command failed: one line on stderr, in the operator's words, and the exit code its kind calls for. */
    private static int failure(CliContext ctx, Exception e) {
        if (e instanceof UsageException) {
            ctx.err.println("mde-onboarding: " + e.getMessage());
            return USAGE;
        }
        if (e instanceof SettingsException) {
            ctx.err.println("mde-onboarding: configuration: " + e.getMessage());
            return USAGE;
        }
        if (e instanceof SignInException || e instanceof StorageUnavailableException) {
            // The environment the command runs in, not the machines: fix it and run again.
            ctx.err.println("mde-onboarding: " + Text.printable(e.getMessage(), 1200));
            return USAGE;
        }
        if (e instanceof ArmException) {
            ctx.err.println("mde-onboarding: " + oneLine(e.getMessage()));
            return ATTENTION;
        }
        ctx.log.log(Level.FINE, "failed", e);
        ctx.err.println("mde-onboarding: failed: " + oneLine(String.valueOf(e.getMessage())));
        return ATTENTION;
    }

    private static String oneLine(String s) {
        return Text.printable(s.lines().findFirst().orElse(""), 600);
    }
}
