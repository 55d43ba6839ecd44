package com.mdeonboarding.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.config.Mode;
import com.mdeonboarding.model.Guid;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.sweep.SweepJobs;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A real sweep, inline (no queue worker needed): fixes posture drift in enforce mode, reconciles every machine"
            + " that needs work, and stores the report (GET /api/posture shows it)."},
        exitCodeListHeading = HelpTexts.EXIT_HEADING,
        exitCodeList = {"0:every machine that needed work is onboarded and the sweep had no errors",
            "1:some machine is blocked, failed or still provisioning, or the sweep reported errors", HelpTexts.EXIT_USAGE
                + "; also --enforce without --yes where no one can confirm (stdin not a terminal), or a confirmation declined:"
                + " nothing written"},
        footer = HelpTexts.SETTINGS_FOOTER)
final class SweepCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--enforce", description = "Enforce mode for this sweep: also switch on the MDE integration settings, give"
            + " excluded machines resource-level pricing Free, and enable the plan as far as MDE_PLAN_ENABLEMENT allows. Shows what"
            + " it would change and cost, and asks for confirmation (or --yes).")
    boolean enforce;

    @Option(names = "--subscription", paramLabel = "ID", description = "Only this subscription (repeatable); it must be in scope.")
    List<String> subscriptions = new ArrayList<>();

    @Option(names = "--yes", description = "Do not ask for confirmation of --enforce (needed where stdin is not a terminal).")
    boolean yes;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = OptionValues.DEFAULT_WAIT, converter = OptionValues.Wait.class,
            description = HelpTexts.WAIT)
    Duration wait;

    @Option(names = "--json", description = HelpTexts.JSON)
    boolean json;

    @Option(names = "--progress", description = "Print progress on stderr while reconciling (machines done of total, rate, time"
            + " left); on by itself when stderr is a terminal.")
    boolean progress;

    SweepCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** The sweep's jobs, reconciled here before the report is written: the report counts how they ended. */
    private final class Inline implements SweepJobs {
        private final Services services;
        private final List<OnboardingJob> jobs = new ArrayList<>();
        List<MachineResult> results = List.of();

        Inline(Services services) {
            this.services = services;
        }

        @Override
        public void add(OnboardingJob job) {
            jobs.add(job);
        }

        @Override
        public Outcome finish() {
            ctx.log.info(jobs.size() + " machine(s) need work; reconciling them inline");
            InlineReconciler inline = ctx.inline(services);
            if (progress || ctx.stderrIsTerminal) {
                inline.withProgress(line -> ctx.err.println(line));
            }
            results = inline.run(jobs, false, wait);
            Map<MachineId, DecisionKind> decisions = new HashMap<>();
            results.forEach(r -> r.decision().ifPresent(d -> decisions.put(r.machine(), d)));
            return new Outcome(decisions, results.size(), results.stream().filter(MachineResult::verifyJobQueued).count());
        }
    }

    @Override
    public Integer call() {
        List<String> subs = new ArrayList<>();
        for (String sub : subscriptions) {
            if (!Guid.isGuid(sub)) {
                throw new UsageException("--subscription '" + Text.printable(sub) + "' is not a subscription ID (a GUID)");
            }
            subs.add(sub.toLowerCase(java.util.Locale.ROOT));
        }
        if (enforce && !yes && !ctx.stdinIsTerminal) {
            // Before anything is contacted: nothing is read or written.
            throw new UsageException("--enforce writes Defender for Cloud settings (and, with MDE_PLAN_ENABLEMENT, a billed plan) in"
                    + " every subscription it sweeps, and no one can confirm that here (stdin is not a terminal); nothing was done."
                    + " Preview it with 'mde-onboarding plan" + subs.stream().map(x -> " --subscription " + x).reduce("", String::concat)
                    + "', then run again with --yes" + (subs.isEmpty() ? " (and --subscription ID to limit it)" : ""));
        }
        Services s = ctx.services();
        for (String sub : subs) {
            CliContext.requireInScope(s, sub, "subscription " + sub);
        }
        if (enforce && !yes && !confirm(s, subs)) {
            ctx.err.println("mde-onboarding: not confirmed; nothing written");
            return Main.USAGE;
        }
        SweepRequest request = new SweepRequest(false, enforce ? Optional.of(Mode.ENFORCE) : Optional.empty(), subs, true);
        Inline jobs = new Inline(s);
        SweepReport report = s.sweeps.run(request, jobs, ctx.log);
        List<MachineResult> results = jobs.results;
        ObjectNode doc = Output.document("sweep", false);
        doc.set("report", Output.JSON.valueToTree(report));
        if (!json) {
            Output.report(ctx.out, report);
            ctx.out.println();
        }
        return ctx.finish(json, doc, results, !report.errors().isEmpty());
    }

    /**
     * Shows what enforce mode would change and what it costs (a dry run: reads only), then asks on the terminal. Only
     * "yes" confirms.
     */
    private boolean confirm(Services s, List<String> subs) {
        SweepReport preview = s.sweeps.run(new SweepRequest(true, Optional.of(Mode.ENFORCE), subs, false), job -> { }, ctx.log);
        ctx.err.println("Enforce mode in " + preview.totals().subscriptionsInScope() + " subscription(s) would:");
        boolean any = false;
        for (SweepReport.SubscriptionReport r : preview.subscriptions()) {
            for (String w : r.would() == null ? List.<String>of() : r.would()) {
                ctx.err.println("  " + r.subscriptionId() + ": " + w.replace(" (enforce mode)", "").replace(" in enforce mode", ""));
                any = true;
            }
        }
        if (!any) {
            ctx.err.println("  change no subscription setting or plan");
        }
        if (preview.rollout() != null) {
            ctx.err.println("Cost: " + preview.rollout().billing().line());
        }
        ctx.err.print("Type yes to continue: ");
        ctx.err.flush();
        try {
            String answer = new java.io.BufferedReader(new java.io.InputStreamReader(ctx.stdin, java.nio.charset.StandardCharsets.UTF_8))
                    .readLine();
            return answer != null && answer.trim().equalsIgnoreCase("yes");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
