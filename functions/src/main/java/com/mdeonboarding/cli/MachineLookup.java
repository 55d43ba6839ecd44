package com.mdeonboarding.cli;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.sweep.EstateNow;
import com.mdeonboarding.sweep.SweepReport;
import java.util.List;
import java.util.Optional;

/**
 * A machine named on the command line: its full resource ID, or its name ({@code vm-web-01}) or resource group and name
 * ({@code rg-web/vm-web-01}), looked up case-insensitively among the machines in scope now ({@link EstateNow}: the state
 * rows and the latest sweep). A name that several machines share is an error that lists them, so nothing is guessed.
 */
final class MachineLookup {
    /** Matches listed when a name is ambiguous. */
    static final int LISTED = 20;

    private MachineLookup() {
    }

    static MachineId resolve(CliContext ctx, String raw) {
        Optional<MachineId> id = MachineId.tryParse(raw);
        if (id.isPresent()) {
            return id.get();
        }
        String name = raw.trim();
        if (name.isEmpty() || name.startsWith("/") || name.length() > 200) {
            return CliContext.machineId(raw);
        }
        Services s = ctx.services();
        SweepReport report = s.reports.latest().orElseThrow(() -> new UsageException("'" + Text.printable(name) + "' is not a resource ID,"
                + " and no sweep has been recorded yet to look a name up in; give the machine's resource ID, or run 'mde-onboarding sweep'"));
        EstateNow.Snapshot now = s.estateNow.now(report.sweepId(),
                report.subscriptions().stream().map(SweepReport.SubscriptionReport::subscriptionId).toList());
        List<MachineId> matches = now.machines().stream().map(EstateNow.Machine::id).filter(m -> matches(m, name)).toList();
        if (matches.size() == 1) {
            ctx.log.fine("'" + Text.printable(name) + "' is " + matches.get(0).id());
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new UsageException("no machine in scope is named '" + Text.printable(name) + "' (looked up among the "
                    + now.machines().size() + " machines the state table and the latest sweep know, by name or resource-group/name);"
                    + " give its resource ID, or run 'mde-onboarding sweep' if it is new");
        }
        StringBuilder b = new StringBuilder("'" + Text.printable(name) + "' names " + matches.size() + " machines; give one's resource ID"
                + " (or resource-group/name):");
        matches.stream().limit(LISTED).forEach(m -> b.append("\n  ").append(m.id()));
        if (matches.size() > LISTED) {
            b.append("\n  ... and ").append(matches.size() - LISTED).append(" more ('mde-onboarding list' shows them all)");
        }
        throw new UsageException(b.toString());
    }

    private static boolean matches(MachineId m, String name) {
        int slash = name.indexOf('/');
        if (slash > 0) {
            return m.resourceGroup().equalsIgnoreCase(name.substring(0, slash)) && m.name().equalsIgnoreCase(name.substring(slash + 1));
        }
        return m.name().equalsIgnoreCase(name);
    }
}
