package com.mdeonboarding.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.events.EventIntake;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.model.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "event", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Read an Event Grid delivery (Event Grid schema or CloudEvents; one event or an array) exactly as the"
            + " OnResourceWrite function does, and reconcile the machines it names."},
        exitCodeListHeading = HelpTexts.EXIT_HEADING,
        exitCodeList = {"0:every machine named is onboarded (a dry run: decided)",
            "1:a machine is blocked, failed, does not exist or is still provisioning, or some events could not be read",
            "2:bad usage or configuration, or no event in the file could be read"},
        footer = HelpTexts.SETTINGS_FOOTER)
final class EventCommand implements Callable<Integer> {
    /** A larger event file is not a delivery (Event Grid sends at most 1 MB). */
    private static final long MAX_EVENT_FILE_BYTES = 8L * 1024 * 1024;

    private final CliContext ctx;

    @Parameters(paramLabel = "FILE", arity = "1", description = "The delivery's JSON; '-' reads standard input.")
    String file;

    @Option(names = "--dry-run", description = "Read and decide only: nothing is written.")
    boolean dryRun;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = OptionValues.DEFAULT_WAIT, converter = OptionValues.Wait.class,
            description = HelpTexts.WAIT)
    Duration wait;

    @Option(names = "--json", description = HelpTexts.JSON)
    boolean json;

    EventCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String source = file.equals("-") ? "standard input" : file;
        String delivery = readDelivery();
        Services s = ctx.services();
        EventIntake.Result intake = s.eventIntake.intake(delivery, ctx.log);
        if (intake.jobs().isEmpty() && intake.malformed() > 0 && intake.ignored() == 0 && intake.outOfScope() == 0) {
            throw new UsageException("no event in " + Text.printable(source) + " could be read (" + intake.malformed()
                    + " malformed; the warnings above say why)");
        }
        ctx.log.info(intake.jobs().size() + " machine(s) to reconcile from " + Text.printable(source) + " (" + intake.ignored()
                + " event(s) ignored, " + intake.malformed() + " malformed, " + intake.outOfScope() + " out of scope)");
        List<MachineResult> results = ctx.inline(s).run(intake.jobs(), dryRun, wait);
        ObjectNode doc = Output.document("event", dryRun);
        ObjectNode events = doc.putObject("events");
        events.put("machines", intake.jobs().size());
        events.put("ignored", intake.ignored());
        events.put("malformed", intake.malformed());
        events.put("outOfScope", intake.outOfScope());
        if (!json) {
            ctx.out.println(intake.jobs().size() + " machine(s) named; " + intake.ignored() + " event(s) ignored, " + intake.malformed()
                    + " malformed, " + intake.outOfScope() + " out of scope");
        }
        // A malformed event is input we could not act on: the operator must notice it.
        return ctx.finish(json, doc, results, intake.malformed() > 0);
    }

    private String readDelivery() {
        try {
            byte[] bytes;
            if (file.equals("-")) {
                bytes = ctx.stdin.readNBytes((int) MAX_EVENT_FILE_BYTES + 1);
            } else {
                Path p = Path.of(file);
                if (Files.size(p) > MAX_EVENT_FILE_BYTES) {
                    throw new UsageException(Text.printable(file) + " is larger than " + MAX_EVENT_FILE_BYTES
                            + " bytes; an Event Grid delivery is at most 1 MB");
                }
                bytes = Files.readAllBytes(p);
            }
            if (bytes.length > MAX_EVENT_FILE_BYTES) {
                throw new UsageException("standard input is larger than " + MAX_EVENT_FILE_BYTES
                        + " bytes; an Event Grid delivery is at most 1 MB");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("cannot read " + Text.printable(file) + ": no such file");
        } catch (IOException | InvalidPathException e) {
            throw new UsageException("cannot read " + Text.printable(file) + ": " + Text.printable(String.valueOf(e.getMessage())));
        }
    }
}
