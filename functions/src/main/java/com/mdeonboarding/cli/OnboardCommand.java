package com.mdeonboarding.cli;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "onboard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reconcile machines now: print each decision, its reasons, and what was written (or, with --dry-run, would be)."},
        exitCodeListHeading = HelpTexts.EXIT_HEADING,
        exitCodeList = {"0:every machine is onboarded (a dry run: every decision was made)",
            "1:a machine is blocked, failed, does not exist, or was still provisioning when the wait ended", HelpTexts.EXIT_USAGE},
        footer = HelpTexts.SETTINGS_FOOTER)
final class OnboardCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(paramLabel = "MACHINE", arity = "1..*", description = "Resource ID of an Azure VM or Arc machine, or its name (or"
            + " resource-group/name) when no other machine in scope has it; a machine named twice is reconciled once.")
    List<String> resourceIds;

    @Option(names = "--dry-run", description = "Read and decide only: nothing is written to Azure, the state store or the queue.")
    boolean dryRun;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = OptionValues.DEFAULT_WAIT, converter = OptionValues.Wait.class,
            description = HelpTexts.WAIT)
    Duration wait;

    @Option(names = "--json", description = HelpTexts.JSON)
    boolean json;

    OnboardCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Set<MachineId> machines = new LinkedHashSet<>();
        for (String raw : resourceIds) {
            MachineId id = MachineLookup.resolve(ctx, raw);
            if (!machines.add(id)) {
                ctx.log.warning("named twice, reconciled once: " + id.id());
            }
        }
        Services s = ctx.services();
        for (MachineId id : machines) {
            CliContext.requireInScope(s, id.subscriptionId(), id.id());
        }
        Instant now = s.clock.instant();
        List<OnboardingJob> jobs = machines.stream().map(m -> OnboardingJob.create(m, JobSource.MANUAL, now)).toList();
        List<MachineResult> results = ctx.inline(s).run(jobs, dryRun, wait);
        return ctx.finish(json, Output.document("onboard", dryRun), results, false);
    }
}
