package com.mdeonboarding.e2e;

import com.mdeonboarding.testing.TelemetryCapture.Captured;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A static preview of the workbook in infra/monitoring.json: its six panels, each filled from captured telemetry records by
 * the rule its query states (latest decision per machine; first event look to first Active sensor per correlation ID;
 * BLOCKED by reason family; coverage per subscription; per sweep: protected ratio, drift, throttling, errors). Drawn as
 * SVG for the README. It is not Azure Monitor's render of the KQL: no engine here runs those queries (their syntax and
 * binding are checked by KustoQueriesCheckTest).
 */
final class WorkbookPreview {
    private final Map<String, Captured> latest = new TreeMap<>();
    private final List<Captured> decisions;
    private final List<Captured> sweeps;

    private WorkbookPreview(List<Captured> decisions, List<Captured> sweeps) {
        this.decisions = decisions;
        this.sweeps = sweeps.stream().sorted(Comparator.comparing(Captured::timestamp)).toList();
        decisions.stream().sorted(Comparator.comparing(Captured::timestamp)).forEach(r -> latest.put(r.get("resourceId"), r));
    }

    static WorkbookPreview of(List<Captured> decisions, List<Captured> sweeps) {
        return new WorkbookPreview(decisions, sweeps);
    }

    /** The state-over-time panel's rule, at the last record: protected / unverified / pending / blocked / skipped. */
    static String state(Captured r) {
        String d = r.get("decision");
        if ("ONBOARDED".equals(d)) {
            return "Active".equals(r.get("sensorHealth")) ? "protected" : "unverified";
        }
        return switch (d) {
            case "DEPLOY", "PENDING" -> "pending";
            case "BLOCKED" -> "blocked";
            default -> "skipped";
        };
    }

    Map<String, Long> states() {
        Map<String, Long> out = new TreeMap<>();
        latest.values().forEach(r -> out.merge(state(r), 1L, Long::sum));
        return out;
    }

    Map<String, Long> blockedFamilies() {
        Map<String, Long> out = new TreeMap<>();
        latest.values().stream().filter(r -> "BLOCKED".equals(r.get("decision"))).forEach(r -> out.merge(r.get("reasonFamily"), 1L, Long::sum));
        return out;
    }

    /** family | codes | sentence | machines, as the blocked-by-reason panel lists them. */
    List<String[]> blockedRows() {
        Map<String, String[]> rows = new LinkedHashMap<>();
        Map<String, Long> counts = new TreeMap<>();
        latest.values().stream().filter(r -> "BLOCKED".equals(r.get("decision"))).forEach(r -> {
            String key = r.get("reasonFamily") + "|" + r.get("reasonCodes");
            rows.putIfAbsent(key, new String[] {r.get("reasonFamily"), r.get("reasonCodes"), r.get("operatorSentence")});
            counts.merge(key, 1L, Long::sum);
        });
        List<String[]> out = new ArrayList<>();
        rows.forEach((k, v) -> out.add(new String[] {v[0], v[1], v[2], Long.toString(counts.get(k))}));
        out.sort(Comparator.comparing((String[] a) -> -Long.parseLong(a[3])));
        return out;
    }

    /** Seconds from the first look of an event job to the first look that saw the sensor Active, per correlation ID. */
    List<Double> secondsToProtected() {
        Map<String, Instant[]> byJob = new TreeMap<>();
        decisions.stream().filter(r -> "event".equals(r.get("jobSource"))).sorted(Comparator.comparing(Captured::timestamp)).forEach(r -> {
            Instant[] t = byJob.computeIfAbsent(r.get("correlationId"), k -> new Instant[2]);
            if (t[0] == null) {
                t[0] = r.timestamp();
            }
            if (t[1] == null && "Active".equals(r.get("sensorHealth"))) {
                t[1] = r.timestamp();
            }
        });
        return byJob.values().stream().filter(t -> t[1] != null).map(t -> Duration.between(t[0], t[1]).toMillis() / 1000.0).sorted().toList();
    }

    /** subscription | machines | protected | blocked | coverage %. */
    List<String[]> coverageRows() {
        Map<String, long[]> bySub = new TreeMap<>();
        latest.values().forEach(r -> {
            long[] c = bySub.computeIfAbsent(r.get("subscriptionId"), k -> new long[3]);
            c[0]++;
            if ("protected".equals(state(r))) {
                c[1]++;
            }
            if ("blocked".equals(state(r))) {
                c[2]++;
            }
        });
        List<String[]> out = new ArrayList<>();
        bySub.forEach((sub, c) -> out.add(new String[] {sub, Long.toString(c[0]), Long.toString(c[1]), Long.toString(c[2]),
                String.format(java.util.Locale.ROOT, "%.1f", 100.0 * c[1] / c[0])}));
        out.sort(Comparator.comparing((String[] a) -> Double.parseDouble(a[4])));
        return out;
    }

    /** sweep | protected ratio | drifted | fixed | throttled | errors. */
    List<String[]> sweepRows() {
        List<String[]> out = new ArrayList<>();
        int n = 0;
        for (Captured s : sweeps) {
            n++;
            out.add(new String[] {"sweep " + n, s.get("protectedRatio"), s.get("driftSubscriptions"), s.get("driftFixed"), s.get("throttled"),
                    s.get("errors")});
        }
        return out;
    }

    private static final int W = 1215;
    private static final int PANEL_W = 585;
    private static final int PANEL_H = 200;

    String svg() {
        StringBuilder b = new StringBuilder();
        int h = 70 + 3 * (PANEL_H + 15);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(h)
                .append("\" font-family=\"Segoe UI, Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#f3f2f1\"/>\n")
                .append(text(15, 28, "mde-onboarding (workbook, infra/monitoring.json)", 18, "#201f1e", true))
                .append(text(15, 50, "Static preview: each panel's rule applied to the telemetry records of a small emulated world "
                        + "(functions/src/test/.../e2e/WorkbookPreviewTest), not Azure Monitor's render of the KQL.", 12, "#605e5c", false));
        panel(b, 0, 0, "Machines by state (latest decision)", p -> bars(p, states()));
        panel(b, 1, 0, "Write event to sensor Active (p50 / p95)", p -> {
            List<Double> s = secondsToProtected();
            p.append(text(p.x + 15, p.y + 70, s.isEmpty() ? "no machine reached Active" : String.format(java.util.Locale.ROOT,
                    "p50 %.1f s    p95 %.1f s", pct(s, 50), pct(s, 95)), 22, "#0078d4", true));
            p.append(text(p.x + 15, p.y + 100, s.size() + " machines (the emulator's extension and sensor are fast; in Azure, minutes)",
                    12, "#605e5c", false));
        });
        panel(b, 0, 1, "BLOCKED machines by reason family, with what to do", p -> table(p, new String[] {"family", "codes", "what to do", "n"},
                new int[] {0, 95, 265, 545}, blockedRows(), new int[] {13, 24, 46, 4}));
        panel(b, 1, 1, "Coverage per subscription (latest decision per machine)", p -> table(p,
                new String[] {"subscription", "machines", "protected", "blocked", "coverage %"}, new int[] {0, 270, 340, 410, 475},
                coverageRows(), new int[] {40, 8, 8, 8, 8}));
        panel(b, 0, 2, "Posture drift and protected ratio per sweep", p -> table(p,
                new String[] {"sweep", "protected ratio", "drifted", "fixed"}, new int[] {0, 120, 260, 360},
                sweepRows().stream().map(r -> new String[] {r[0], r[1], r[2], r[3]}).toList(), new int[] {12, 10, 6, 6}));
        panel(b, 1, 2, "Throttling (429s) and errors per sweep", p -> table(p, new String[] {"sweep", "throttled", "errors"},
                new int[] {0, 120, 260}, sweepRows().stream().map(r -> new String[] {r[0], r[4], r[5]}).toList(), new int[] {12, 6, 6}));
        return b.append("</svg>\n").toString();
    }

    private record Pane(StringBuilder out, int x, int y) {
        Pane append(String s) {
            out.append(s);
            return this;
        }
    }

    private interface Body {
        void draw(Pane p);
    }

    private static void panel(StringBuilder b, int col, int row, String title, Body body) {
        int x = 15 + col * (PANEL_W + 15);
        int y = 65 + row * (PANEL_H + 15);
        b.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(PANEL_W).append("\" height=\"")
                .append(PANEL_H).append("\" fill=\"#ffffff\" stroke=\"#e1dfdd\"/>\n");
        b.append(text(x + 12, y + 24, title, 14, "#201f1e", true));
        body.draw(new Pane(b, x, y));
    }

    private static void bars(Pane p, Map<String, Long> counts) {
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(1);
        Map<String, String> colour = Map.of("protected", "#107c10", "unverified", "#ffb900", "pending", "#0078d4", "blocked", "#d13438",
                "skipped", "#8a8886");
        int i = 0;
        for (String s : List.of("protected", "unverified", "pending", "blocked", "skipped")) {
            long n = counts.getOrDefault(s, 0L);
            int y = p.y() + 50 + i * 32;
            p.append(text(p.x() + 15, y + 15, s, 12, "#323130", false));
            p.append("<rect x=\"" + (p.x() + 100) + "\" y=\"" + y + "\" width=\"" + Math.max(2, 400 * n / max) + "\" height=\"20\" fill=\""
                    + colour.get(s) + "\"/>\n");
            p.append(text(p.x() + 110 + (int) Math.max(2, 400 * n / max), y + 15, Long.toString(n), 12, "#323130", true));
            i++;
        }
    }

    private static void table(Pane p, String[] head, int[] at, List<String[]> rows, int[] width) {
        for (int c = 0; c < head.length; c++) {
            p.append(text(p.x() + 15 + at[c], p.y() + 50, head[c], 12, "#605e5c", true));
        }
        int y = p.y() + 72;
        for (String[] r : rows.subList(0, Math.min(rows.size(), 7))) {
            for (int c = 0; c < head.length; c++) {
                String v = r[c] == null ? "" : r[c];
                p.append(text(p.x() + 15 + at[c], y, v.length() > width[c] ? v.substring(0, width[c] - 1) + "…" : v, 12, "#323130", false));
            }
            y += 22;
        }
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static String text(int x, int y, String s, int size, String fill, boolean bold) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-size=\"" + size + "\" fill=\"" + fill + "\"" + (bold ? " font-weight=\"600\"" : "")
                + ">" + s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</text>\n";
    }
}
