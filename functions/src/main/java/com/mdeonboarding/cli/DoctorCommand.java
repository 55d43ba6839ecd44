package com.mdeonboarding.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.decide.Verdict;
import com.mdeonboarding.model.Guid;
import com.mdeonboarding.model.Text;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A checklist to run after deploying or when something looks wrong: settings; Storage (queues, tables);"
            + " signed in to Resource Manager; per subscription in scope its Defender posture, the role actions this identity holds"
            + " there and its Event Grid wiring (with MDE_WIRING_FUNCTION_APP_ID set: every subscription's wiring in one summary"
            + " line, a line per failure; --fix writes what is missing); the Defender for Endpoint API when the sensor check is on. One line per check with"
            + " the fix. Checks the identity it runs as: run it as the app's identity to check the app's access."},
        exitCodeListHeading = HelpTexts.EXIT_HEADING,
        exitCodeList = {"0:nothing failed (warnings may remain)", "1:some check failed", "2:bad usage"},
        footer = HelpTexts.SETTINGS_FOOTER)
final class DoctorCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--subscription", paramLabel = "ID", description = "Check only this subscription of the scope (repeatable).")
    List<String> subscriptions = new ArrayList<>();

    @Option(names = "--fix", description = "Also write the event wiring that is missing or differs (as 'wire --enforce').")
    boolean fix;

    @Option(names = "--json", description = HelpTexts.JSON)
    boolean json;

    DoctorCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<String> only = new ArrayList<>();
        for (String sub : subscriptions) {
            if (!Guid.isGuid(sub)) {
                throw new UsageException("--subscription '" + Text.printable(sub) + "' is not a subscription ID (a GUID)");
            }
            only.add(sub.toLowerCase(Locale.ROOT));
        }
        List<Doctor.Line> lines = new Doctor(ctx.env, only, Clock.systemUTC(), fix).run();
        long pass = count(lines, Verdict.Status.PASS);
        long warn = count(lines, Verdict.Status.WARN);
        long fail = count(lines, Verdict.Status.FAIL);
        int exit = fail > 0 ? Main.ATTENTION : Main.OK;
        if (json) {
            ObjectNode doc = Output.document("doctor", false);
            ArrayNode checks = doc.putArray("checks");
            for (Doctor.Line l : lines) {
                ObjectNode c = checks.addObject();
                c.put("check", l.check());
                c.put("status", l.verdict().status().name().toLowerCase(Locale.ROOT));
                c.put("detail", l.verdict().detail());
                c.put("fix", l.verdict().fix().orElse(null));
            }
            ObjectNode summary = doc.putObject("summary");
            summary.put("pass", pass);
            summary.put("warn", warn);
            summary.put("fail", fail);
            doc.put("exitCode", exit);
            Output.print(ctx.out, doc);
        } else {
            ctx.out.println("mde-onboarding doctor: " + lines.size() + " check(s): " + pass + " pass, " + warn + " warn, " + fail + " fail");
            int width = lines.stream().mapToInt(l -> l.check().length()).max().orElse(0);
            for (Doctor.Line l : lines) {
                ctx.out.println("  " + l.verdict().status() + "  " + l.check() + " ".repeat(width - l.check().length() + 2) + l.verdict().detail());
                l.verdict().fix().ifPresent(f -> ctx.out.println("        fix: " + f));
            }
        }
        return exit;
    }

    private static long count(List<Doctor.Line> lines, Verdict.Status s) {
        return lines.stream().filter(l -> l.verdict().status() == s).count();
    }
}
