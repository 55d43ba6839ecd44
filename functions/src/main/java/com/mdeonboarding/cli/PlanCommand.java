package com.mdeonboarding.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.model.Guid;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A dry-run sweep: posture and drift per subscription, what enforce mode would change and what it would cost,"
            + " and for each machine that needs work (the first " + PlanCommand.MACHINE_LIMIT + ") the decision it would get."
            + " Writes nothing. Needs only a sign-in to Azure (az login): without AzureWebJobsStorage every machine is decided as"
            + " on its first look."},
        exitCodeListHeading = HelpTexts.EXIT_HEADING,
        exitCodeList = {"0:no machine would be blocked and the sweep had no errors",
            "1:some machine would be blocked, or the sweep reported errors", HelpTexts.EXIT_USAGE},
        footer = HelpTexts.SETTINGS_FOOTER)
final class PlanCommand implements Callable<Integer> {
    /** A plan evaluates at most this many machines one by one; the report still counts all of them. */
    static final int MACHINE_LIMIT = 200;

    private final CliContext ctx;

    @Option(names = "--subscription", paramLabel = "ID", description = "Only this subscription (repeatable); it must be in scope.")
    List<String> subscriptions = new ArrayList<>();

    @Option(names = "--json", description = HelpTexts.JSON)
    boolean json;

    PlanCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<String> subs = new ArrayList<>();
        for (String sub : subscriptions) {
            if (!Guid.isGuid(sub)) {
                throw new UsageException("--subscription '" + Text.printable(sub) + "' is not a subscription ID (a GUID)");
            }
            subs.add(sub.toLowerCase(Locale.ROOT));
        }
        Services s = ctx.previewServices();
        for (String sub : subs) {
            CliContext.requireInScope(s, sub, "subscription " + sub);
        }
        SweepReport report = s.sweeps.run(SweepRequest.plan(subs), job -> { }, ctx.log);
        List<String> needing = report.machinesNeedingWork() == null ? List.of() : report.machinesNeedingWork();
        List<OnboardingJob> jobs = new ArrayList<>();
        Instant now = s.clock.instant();
        for (String id : needing.subList(0, Math.min(MACHINE_LIMIT, needing.size()))) {
            MachineId.tryParse(id).ifPresent(m -> jobs.add(OnboardingJob.create(m, JobSource.SWEEP, now)));
        }
        if (needing.size() > MACHINE_LIMIT) {
            ctx.log.warning(needing.size() + " machines need work; deciding the first " + MACHINE_LIMIT
                    + " one by one (narrow the plan with --subscription)");
        }
        List<MachineResult> results = ctx.inline(s).run(jobs, true, Duration.ZERO);
        ObjectNode doc = Output.document("plan", true);
        doc.set("report", Output.JSON.valueToTree(report));
        doc.put("machinesNotEvaluated", Math.max(0, needing.size() - MACHINE_LIMIT));
        if (!json) {
            Output.report(ctx.out, report);
            ctx.out.println();
        }
        return ctx.finish(json, doc, results, !report.errors().isEmpty());
    }
}
