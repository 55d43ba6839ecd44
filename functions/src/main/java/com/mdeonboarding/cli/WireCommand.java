package com.mdeonboarding.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.decide.EventWiringRules;
import com.mdeonboarding.sweep.EventWiring;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "wire", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The sweep's event wiring step alone: for every subscription in scope, our Event Grid event subscription on"
            + " its Microsoft.Resources.Subscriptions system topic (an existing topic is used as it is, never changed; one is created"
            + " where none exists), and none on visible subscriptions the scope excludes. Unless MDE_MODE is enforce it"
            + " only reports what it would do. One summary line; a line per subscription only where something failed (--all: every"
            + " subscription that is not wired yet)."},
        exitCodeListHeading = HelpTexts.EXIT_HEADING,
        exitCodeList = {"0:nothing failed (the summary says what was or would be wired)", "1:some subscription could not be wired",
            HelpTexts.EXIT_USAGE},
        footer = HelpTexts.SETTINGS_FOOTER)
final class WireCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--enforce", description = "Write even when MDE_MODE is observe or onboard.")
    boolean enforce;

    @Option(names = "--dry-run", description = "Report what would be written; write nothing.")
    boolean dryRun;

    @Option(names = "--all", description = "A line for every subscription not wired yet, not only failures.")
    boolean all;

    @Option(names = "--json", description = HelpTexts.JSON)
    boolean json;

    WireCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (enforce && dryRun) {
            throw new UsageException("--enforce and --dry-run contradict each other: pick one");
        }
        Services s = ctx.services();
        if (s.settings.eventWiring().functionAppId().isEmpty() || s.settings.eventWiring().location().isEmpty()) {
            throw new UsageException("set " + Settings.WIRING_FUNCTION_APP_ID + " and " + Settings.WIRING_LOCATION + " (main.json sets"
                    + " them in Azure): the events go to that Function App's OnResourceWrite function");
        }
        boolean write = !dryRun && (enforce || s.settings.mode().writesPosture());
        EventWiring.Report report = s.sweeps.wire(new EventWiring(s.azure, s.settings.eventWiring()), write, ctx.log);
        List<EventWiring.Line> shown = report.lines().stream().filter(l -> l.failed()
                || (all && l.step() != EventWiringRules.Step.WIRED)).toList();
        if (json) {
            ObjectNode doc = Output.document("wire", !write);
            doc.put("summary", report.summary());
            ObjectNode counts = doc.putObject("counts");
            report.counts().forEach((k, v) -> counts.put(k.name().toLowerCase(Locale.ROOT), v));
            ArrayNode lines = doc.putArray("subscriptions");
            for (EventWiring.Line l : shown) {
                lines.addObject().put("subscriptionId", l.subscriptionId()).put("step", l.step().name().toLowerCase(Locale.ROOT))
                        .put("reason", l.reason()).put("outcome", l.outcome());
            }
            doc.putObject("calls").put("reads", report.reads()).put("writes", report.writes()).put("resourceGraph", report.graphRequests());
            Output.print(ctx.out, doc);
        } else {
            ctx.out.println(report.summary());
            for (EventWiring.Line l : shown) {
                ctx.out.println("  " + l.subscriptionId() + "  " + l.step().name().toLowerCase(Locale.ROOT) + ": " + l.reason() + " -> " + l.outcome());
            }
            if (!write && report.lines().stream().anyMatch(l -> l.outcome().startsWith("would"))) {
                ctx.out.println("(observe/onboard: nothing written; 'mde-onboarding wire --enforce' writes it)");
            }
        }
        return report.failures().isEmpty() ? Main.OK : Main.ATTENTION;
    }
}
