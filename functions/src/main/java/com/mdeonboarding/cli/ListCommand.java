package com.mdeonboarding.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.api.MachineList;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.sweep.EstateFilter;
import com.mdeonboarding.sweep.EstateNow;
import com.mdeonboarding.sweep.SweepReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The machines in scope now, filtered as on the dashboard (and as GET /api/machines filters them): every machine's"
            + " state row, and for a machine without one, where the latest sweep saw it. Nothing is written."},
        exitCodeListHeading = HelpTexts.EXIT_HEADING,
        exitCodeList = {"0:listed (also when nothing matches)", HelpTexts.EXIT_USAGE},
        footer = {HelpTexts.SETTINGS_FOOTER, "Examples:", "  mde-onboarding list --standing BLOCKED",
            "  mde-onboarding list --family posture -o csv > blocked-by-posture.csv",
            "  mde-onboarding list --subscription 3f2b8c1e-6d4a-4f7e-9b21-5c8e0a7d4f10 --kind arc -o tsv | cut -f1,7"})
final class ListCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--subscription", paramLabel = "ID", description = "Only this subscription's machines.")
    String subscription;

    @Option(names = "--resource-group", paramLabel = "NAME", description = "Only this resource group's machines (case-insensitive).")
    String resourceGroup;

    @Option(names = "--kind", paramLabel = "vm|arc", description = "Only VMs or only Arc machines.")
    String kind;

    @Option(names = "--standing", paramLabel = "STANDING[,STANDING]", description = "PROTECTED, UNVERIFIED, PENDING, BLOCKED or SKIPPED.")
    String standing;

    @Option(names = "--decision", paramLabel = "DECISION", description = "ONBOARDED, DEPLOY, PENDING, BLOCKED or SKIPPED.")
    String decision;

    @Option(names = "--reason", paramLabel = "CODE", description = "Only machines whose decision carries this reason code.")
    String reason;

    @Option(names = "--family", paramLabel = "FAMILY", description = "Only machines with a reason of this family: posture, machine, os,"
            + " guest, extension, sensor, scope or processing.")
    String family;

    @Option(names = {"-o", "--output"}, paramLabel = "table|json|tsv|csv", defaultValue = "table",
            description = "table (default: for people), json (one document), tsv (no header: for cut and awk) or csv (a header first,"
                + " as GET /api/machines?format=csv).")
    String output;

    ListCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String format = output.trim().toLowerCase(java.util.Locale.ROOT);
        if (!List.of("table", "json", "tsv", "csv").contains(format)) {
            throw new UsageException("-o/--output must be table, json, tsv or csv; got '" + Text.printable(output, 40) + "'");
        }
        Map<String, String> values = new HashMap<>();
        put(values, "subscription", subscription);
        put(values, "resourceGroup", resourceGroup);
        put(values, "kind", kind);
        put(values, "standing", standing);
        put(values, "decision", decision);
        put(values, "reason", reason);
        put(values, "family", family);
        EstateFilter filter;
        try {
            filter = EstateFilter.parse(name -> Optional.ofNullable(values.get(name)));
        } catch (EstateFilter.InvalidFilterException e) {
            throw new UsageException("--" + option(e.parameter()) + ": " + e.getMessage());
        }
        Services s = ctx.services();
        SweepReport report = s.reports.latest().orElseThrow(() -> new UsageException("no sweep has been recorded yet, so the machines in"
                + " scope are not known; run 'mde-onboarding sweep' first"));
        EstateNow.Snapshot now = s.estateNow.now(report.sweepId(),
                report.subscriptions().stream().map(SweepReport.SubscriptionReport::subscriptionId).toList());
        Map<String, String> names = new HashMap<>();
        report.subscriptions().forEach(x -> {
            if (x.displayName() != null) {
                names.put(x.subscriptionId(), x.displayName());
            }
        });
        MachineList.Portals portals = MachineList.Portals.of(s.settings.azureCloud());
        List<List<String>> rows = new ArrayList<>();
        for (EstateNow.Machine m : now.matching(filter)) {
            rows.add(MachineList.cells(m, names, portals));
        }
        switch (format) {
            case "json" -> {
                ObjectNode doc = Output.document("list", false);
                doc.put("asOf", now.asOf().toString());
                doc.put("sweepId", report.sweepId());
                ObjectNode f = doc.putObject("filter");
                filter.query().forEach(f::put);
                doc.put("total", rows.size());
                ArrayNode machines = doc.putArray("machines");
                rows.forEach(r -> machines.add(MachineList.json(r)));
                Output.print(ctx.out, doc);
            }
            case "csv" -> ctx.out.print(MachineList.csv(rows));
            case "tsv" -> ctx.out.print(MachineList.tsv(rows));
            default -> table(rows);
        }
        if (!format.equals("json")) {
            ctx.err.println(rows.size() + " machine(s)" + (filter.any() ? " matching the filter" : "") + ", as of " + now.asOf()
                    + " (" + now.machines().size() + " in scope)");
        }
        return Main.OK;
    }

    private void table(List<List<String>> rows) {
        int[] pick = {MachineList.COLUMNS.indexOf("resourceGroup"), MachineList.COLUMNS.indexOf("name"), MachineList.COLUMNS.indexOf("kind"),
            MachineList.COLUMNS.indexOf("subscriptionName"), MachineList.COLUMNS.indexOf("standing"), MachineList.COLUMNS.indexOf("reasons")};
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"RESOURCE GROUP", "NAME", "KIND", "SUBSCRIPTION", "STANDING", "REASONS"});
        for (List<String> r : rows) {
            String sub = r.get(pick[3]).isEmpty() ? r.get(MachineList.COLUMNS.indexOf("subscriptionId")) : r.get(pick[3]);
            out.add(new String[] {r.get(pick[0]), r.get(pick[1]), r.get(pick[2]), sub, r.get(pick[4]), r.get(pick[5])});
        }
        int[] width = new int[6];
        out.forEach(row -> {
            for (int c = 0; c < 6; c++) {
                width[c] = Math.max(width[c], Math.min(60, row[c].length()));
            }
        });
        for (String[] row : out) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < 6; c++) {
                String cell = Text.printable(row[c], 200);
                b.append(c == 5 ? cell : cell + " ".repeat(Math.max(1, width[c] + 2 - cell.length())));
            }
            ctx.out.println(b.toString().stripTrailing());
        }
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static String option(String parameter) {
        return parameter.equals("resourceGroup") ? "resource-group" : parameter;
    }
}
