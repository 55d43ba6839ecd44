package com.mdeonboarding.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.storage.MachineStateStore;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.sweep.SweepReport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How the command line prints: one JSON document with --json, otherwise tables an operator reads. */
final class Output {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    // ------------------------------------------------------------------ JSON

    static ObjectNode document(String command, boolean dryRun) {
        ObjectNode n = JSON.createObjectNode();
        n.put("command", command);
        n.put("dryRun", dryRun);
        return n;
    }

    static ArrayNode machines(List<MachineResult> results) {
        ArrayNode a = JSON.createArrayNode();
        for (MachineResult r : results) {
            ObjectNode m = a.addObject();
            m.put("resourceId", r.machine().id());
            m.put("decision", r.decision().map(Enum::name).orElse(null));
            ArrayNode reasons = m.putArray("reasons");
            r.reasons().forEach(c -> reasons.add(c.name()));
            ArrayNode actions = m.putArray("actions");
            r.actions().forEach(actions::add);
            m.put("status", r.status());
            m.put("detail", r.detail().orElse(null));
            m.put("correlationId", r.correlationId());
            m.put("attempts", r.attempts());
            m.put("verifyJobQueued", r.verifyJobQueued());
            m.put("error", r.error().orElse(null));
        }
        return a;
    }

    static ObjectNode summary(List<MachineResult> results) {
        Map<String, Integer> counts = new TreeMap<>();
        for (MachineResult r : results) {
            counts.merge(r.decision().map(Enum::name).orElse(r.status()), 1, Integer::sum);
        }
        ObjectNode n = JSON.createObjectNode();
        counts.forEach(n::put);
        return n;
    }

    static void print(PrintStream out, JsonNode doc) {
        try {
            out.println(JSON.writeValueAsString(doc));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ tables

    /** Machines grouped by subscription, one row each, then why each one that is not onboarded is not. */
    static void table(PrintStream out, List<MachineResult> results) {
        if (results.isEmpty()) {
            out.println("No machines.");
            return;
        }
        boolean dryRun = results.stream().anyMatch(MachineResult::dryRun);
        List<MachineResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing((MachineResult r) -> r.machine().subscriptionId()).thenComparing(r -> r.machine().key()));
        String sub = null;
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MACHINE", "KIND", "DECISION", "REASONS", dryRun ? "ACTIONS (would be)" : "ACTIONS"});
        List<Integer> headerRows = new ArrayList<>();
        for (MachineResult r : sorted) {
            if (!r.machine().subscriptionId().equals(sub)) {
                sub = r.machine().subscriptionId();
                headerRows.add(rows.size());
                rows.add(new String[] {"subscription " + sub});
            }
            rows.add(new String[] {
                    r.machine().resourceGroup() + "/" + r.machine().name(),
                    r.machine().kind() == MachineKind.VM ? "VM" : "Arc",
                    r.decision().map(Enum::name).orElse(r.status()),
                    r.reasons().isEmpty() ? "-" : String.join(",", r.reasons().stream().map(Enum::name).toList()),
                    r.actions().isEmpty() ? "-" : String.join(", ", r.actions())});
        }
        int[] width = new int[5];
        for (int i = 0; i < rows.size(); i++) {
            if (headerRows.contains(i)) {
                continue;
            }
            for (int c = 0; c < 5; c++) {
                width[c] = Math.max(width[c], rows.get(i)[c].length());
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            if (headerRows.contains(i)) {
                out.println(row[0]);
                continue;
            }
            StringBuilder b = new StringBuilder("  ");
            for (int c = 0; c < 5; c++) {
                b.append(c == 4 ? row[c] : pad(row[c], width[c] + 2));
            }
            out.println(b.toString().stripTrailing());
        }
        // Every machine that is not onboarded, and will not simply get the missing extension, says why.
        List<MachineResult> attention = sorted.stream().filter(r -> r.needsAttention() && !r.dryRun()
                || r.decision().map(d -> d != DecisionKind.ONBOARDED && !r.reasons().equals(List.of(ReasonCode.EXTENSION_MISSING)))
                .orElse(true)).toList();
        if (!attention.isEmpty()) {
            out.println();
            out.println("Why:");
            for (MachineResult r : attention) {
                out.println("  " + r.machine().id());
                for (ReasonCode c : r.reasons()) {
                    out.println("    " + c.name() + ": " + c.sentence());
                }
                r.detail().ifPresent(d -> out.println("    detail: " + shown(d)));
                r.error().ifPresent(e -> out.println("    error: " + shown(e)));
                if (!r.dryRun()) {
                    out.println("    correlationId: " + r.correlationId());
                }
            }
        }
    }

    static void status(PrintStream out, MachineRecord s, List<MachineStateStore.HistoryEntry> history) {
        MachineId id = s.machine();
        out.println(id.id());
        out.println("  decision      " + s.kind() + "  (updated " + s.written().updatedAt() + ", source " + s.written().source() + ", attempt "
                + s.written().attempt() + ", correlationId " + shown(s.written().correlationId()) + ")");
        for (ReasonCode c : s.reasons()) {
            out.println("  reason        " + c.name() + ": " + c.sentence());
        }
        s.detail().ifPresent(d -> out.println("  detail        " + shown(d)));
        out.println("  extension     " + s.extension().provisioningState().orElse("none seen") + "  (" + s.extension().failures()
                + " failed deployment(s)" + s.extension().lastDeployAt().map(t -> ", last deployed " + t).orElse("") + ")");
        s.extension().sensor().ifPresent(sensor -> out.println("  sensor        " + shown(!sensor.verified() ? "not verified"
                : sensor.deviceId().map(d -> "device " + d + " " + sensor.onboardingStatus().orElse("?") + ", "
                        + sensor.healthStatus().orElse("?") + sensor.lastSeen().map(t -> ", last seen " + t).orElse("")
                        + (sensor.records() > 1 ? " (" + sensor.records() + " records)" : "")).orElse("no device seen"))));
        s.guestCheck().ifPresent(g -> out.println("  guest check   " + (g.ran() ? "ran" : "did not run") + " at " + g.checkedAt()
                + (g.findings().isEmpty() ? "" : ", findings " + g.findings()) + ": " + shown(g.summary())));
        if (!history.isEmpty()) {
            out.println("History (newest first):");
            for (MachineStateStore.HistoryEntry h : history) {
                out.println("  " + h.at() + "  " + pad(h.decision(), 10) + pad(h.reasons().isEmpty() ? "-" : String.join(",",
                        h.reasons().stream().map(Enum::name).toList()), 28) + " actions: " + (h.actions().isEmpty() ? "-" : h.actions())
                        + "  [" + shown(h.source()) + " attempt " + h.attempt() + ", correlationId " + shown(h.correlationId()) + "]"
                        + (h.detail().isEmpty() ? "" : "  " + shown(h.detail())));
            }
        }
    }

    static void report(PrintStream out, SweepReport r) {
        out.println("Sweep " + r.sweepId() + " (" + r.mode() + (r.dryRun() ? ", dry run: nothing written" : "") + "): "
                + r.totals().subscriptionsInScope() + " subscription(s), " + r.machines() + " machine(s), " + r.run().durationMillis() + " ms, "
                + r.calls().total() + " Resource Manager call(s)");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SUBSCRIPTION", "PLAN", "WDATP", "UNIFIED", "LINUX", "MACHINES", "NEED WORK", "DRIFT", "FIXED"});
        for (SweepReport.SubscriptionReport s : r.subscriptions()) {
            SweepReport.SettingsView set = s.settings();
            rows.add(new String[] {s.subscriptionId(), shown(s.plan().pricingTier() + (s.plan().subPlan() == null ? "" : " " + s.plan().subPlan())),
                    onOff(set.wdatp()), onOff(set.unifiedSolution()), set.excludeLinux() == null ? "?" : set.excludeLinux() ? "excluded" : "included",
                    String.valueOf(s.counts().machines()), String.valueOf(s.counts().machinesNeedingJob()),
                    s.drift().isEmpty() ? "-" : shown(String.join("; ", s.drift())), s.fixed().isEmpty() ? "-" : shown(String.join("; ", s.fixed()))});
        }
        int[] width = new int[9];
        rows.forEach(row -> {
            for (int c = 0; c < 9; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        });
        for (String[] row : rows) {
            StringBuilder b = new StringBuilder("  ");
            for (int c = 0; c < 9; c++) {
                b.append(c == 8 ? row[c] : pad(row[c], width[c] + 2));
            }
            out.println(b.toString().stripTrailing());
        }
        if (r.estate() != null) {
            // The numbers the dashboard, GET /api/machines and 'list' show: every machine in scope as it stands now.
            StringBuilder est = new StringBuilder("Machines now: " + r.estate().machines() + " in scope:");
            r.estate().standings().forEach((k, v) -> est.append(' ').append(k.toLowerCase(java.util.Locale.ROOT)).append(' ').append(v).append(','));
            out.println(est.substring(0, est.length() - 1) + " (as of " + r.estate().asOf() + ")");
        } else {
            // A dry run decides afterwards (the table below): these are what Resource Graph showed before any decision.
            StringBuilder cov = new StringBuilder("Coverage as Resource Graph shows it, before the decisions below:");
            r.coverage().forEach((k, v) -> cov.append(' ').append(k).append(' ').append(v).append(','));
            out.println(cov.substring(0, cov.length() - (r.coverage().isEmpty() ? 0 : 1)));
        }
        if (r.sensor() != null) {
            StringBuilder sen = new StringBuilder("Sensors when the sweep started: " + r.sensor().protectedMachines() + " Active of "
                    + r.sensor().extensionSucceeded() + " with the extension Succeeded");
            if (r.sensor().checked()) {
                r.sensor().health().forEach((k, v) -> sen.append(v == 0 ? "" : ", " + k + " " + v));
            } else {
                sen.append(" (not checked: ").append(shown(r.sensor().cause())).append(')');
            }
            out.println(sen);
        }
        if (r.rollout() != null) {
            SweepReport.Rollout ro = r.rollout();
            out.println("Machines: " + ro.canary());
            if (ro.billing() != null) {
                out.println("Cost: " + ro.billing().line());
            }
            SweepReport.Exclusions x = ro.exclusions();
            if (x != null && (x.excluded() > 0 || x.freeRemoved() > 0)) {
                out.println("Excluded under an enabled integration: " + x.excluded() + " machine(s); resource-level pricing Free set "
                        + x.freeSet() + ", kept " + x.freeHeld() + ", removed " + x.freeRemoved() + "; set Free by someone else "
                        + x.freeBySomeoneElse());
            }
            for (SweepReport.SubscriptionReport s : r.subscriptions()) {
                if (s.would() != null) {
                    s.would().forEach(w -> out.println("  " + s.subscriptionId() + ": " + w));
                }
            }
            for (String w : ro.would()) {
                out.println("Held back: " + w);
            }
        }
        for (String e : r.errors()) {
            out.println("Error: " + shown(e));
        }
    }

    /**
     * Text that came from Azure, a guest or a stored row, as the terminal gets it: escaped (no escape sequence, carriage
     * return, NUL or bidi override reaches the operator's terminal) and bounded. The azure layer already escapes what it
     * reads (issue #23 item 4); this holds for rows written before it did, and for any source that forgets.
     */
    static String shown(String s) {
        return Text.printable(s, MAX_SHOWN);
    }

    /** A printed field's limit: a decision's detail is at most a status message and the end of an installer's log. */
    static final int MAX_SHOWN = 3_000;

    private static String onOff(Boolean b) {
        return b == null ? "?" : b ? "on" : "off";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
