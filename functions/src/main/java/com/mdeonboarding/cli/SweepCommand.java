package com.mdeonboarding.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.config.RemediationMode;
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
            "1:some machine is blocked, failed or still provisioning, or the sweep reported errors", HelpTexts.EXIT_USAGE},
        footer = HelpTexts.SETTINGS_FOOTER)
final class SweepCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--enforce", description = "Fix posture drift even when MDE_REMEDIATION_MODE is audit.")
    boolean enforce;

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
        Services s = ctx.services();
        SweepRequest request = new SweepRequest(false, enforce ? Optional.of(RemediationMode.ENFORCE) : Optional.empty(), List.of(), true);
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
}
