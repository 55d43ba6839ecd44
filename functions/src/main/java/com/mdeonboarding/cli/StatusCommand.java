package com.mdeonboarding.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.api.MachineStateView;
import com.mdeonboarding.storage.MachineStateStore;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"What the state store knows about a machine: decision, reason codes with their sentences, extension state,"
            + " failures, history. Reads only the state store (no Resource Manager call)."},
        exitCodeListHeading = HelpTexts.EXIT_HEADING,
        exitCodeList = {"0:a decision is recorded and it is not BLOCKED", "1:nothing is recorded for the machine, or it is BLOCKED",
            HelpTexts.EXIT_USAGE},
        footer = HelpTexts.SETTINGS_FOOTER)
final class StatusCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(paramLabel = "MACHINE", arity = "1", description = "Resource ID of an Azure VM or Arc machine, or its name (or"
            + " resource-group/name) when no other machine in scope has it.")
    String resourceId;

    @Option(names = "--history", paramLabel = "N", defaultValue = "" + OptionValues.DEFAULT_HISTORY, converter = OptionValues.History.class,
            description = "History entries to show, newest first (0 to 100; default ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--json", description = HelpTexts.JSON)
    boolean json;

    StatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        MachineId id = MachineLookup.resolve(ctx, resourceId);
        Services s = ctx.services();
        Optional<MachineRecord> state = s.stateStore.get(id);
        List<MachineStateStore.HistoryEntry> entries = state.isPresent() && history > 0 ? s.stateStore.history(id, history) : List.of();
        ObjectNode doc = Output.document("status", false);
        ArrayNode machines = doc.putArray("machines");
        ObjectNode m = machines.addObject();
        m.put("resourceId", state.map(x -> x.machine().id()).orElse(id.id()));
        m.put("decision", state.map(x -> x.kind().name()).orElse(null));
        ArrayNode reasons = m.putArray("reasons");
        state.ifPresent(x -> x.reasons().forEach(r -> reasons.add(r.name())));
        ArrayNode actions = m.putArray("actions");
        entries.stream().findFirst().ifPresent(h -> List.of(h.actions().split(",")).stream().map(String::trim)
                .filter(x -> !x.isEmpty()).forEach(actions::add));
        if (state.isPresent()) {
            m.set("state", MachineStateView.toJson(state.get(), entries));
        } else {
            m.putNull("state");
        }
        int exit = state.isEmpty() || state.get().kind() == DecisionKind.BLOCKED ? Main.ATTENTION : Main.OK;
        doc.put("exitCode", exit);
        if (json) {
            Output.print(ctx.out, doc);
        } else if (state.isPresent()) {
            Output.status(ctx.out, state.get(), entries);
        } else {
            ctx.out.println("Nothing is recorded for " + id.id() + ": it has not been reconciled yet (try 'mde-onboarding onboard').");
        }
        return exit;
    }
}
