package com.mdeonboarding.api;

import com.mdeonboarding.decide.Estate;
import com.mdeonboarding.decide.Estate.Standing;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepReportStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The dashboard's HTML: one self-contained page (inline style sheet allowed by its hash, inline SVG, no script, no
 * external resource), so it works in a locked-down tenant and under a strict Content-Security-Policy. Every value from
 * Azure or the state table goes through {@link Html}.
 */
final class DashboardPage {
    static final String PATH = "/api/dashboard";
    static final String STATE_PATH = "/api/machines/state";
    /** Subscriptions shown in the posture table (the lowest coverage first); a filter shows any one. */
    static final int SUBSCRIPTION_ROWS = 200;

    private static final String CSS = String.join("\n",
            ":root{--p:#2e7d32;--u:#0288d1;--w:#f9a825;--b:#c62828;--s:#78909c;--ink:#1c2430;--mute:#5f6b7a;--line:#dde3ea}",
            "*{box-sizing:border-box}",
            "body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:#f4f6f9}",
            "header{background:#14213d;color:#fff;padding:14px 24px}",
            "header h1{margin:0;font-size:20px;font-weight:600}",
            "header p{margin:4px 0 0;color:#c9d3e3;font-size:13px}",
            "main{padding:16px 24px;max-width:1400px}",
            "section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:14px 16px;margin:0 0 16px}",
            "h2{font-size:16px;margin:0 0 10px}",
            ".cards{display:flex;flex-wrap:wrap;gap:12px}",
            ".card{flex:1 1 150px;border:1px solid var(--line);border-radius:6px;padding:10px 12px;border-top:4px solid var(--s)}",
            ".card .n{font-size:28px;font-weight:700;display:block}",
            ".card .l{color:var(--mute)}",
            ".card.PROTECTED{border-top-color:var(--p)}.card.UNVERIFIED{border-top-color:var(--u)}.card.PENDING{border-top-color:var(--w)}",
            ".card.BLOCKED{border-top-color:var(--b)}.card.SKIPPED{border-top-color:var(--s)}.card.TOTAL{border-top-color:#14213d}",
            ".note{color:var(--mute);font-size:12px;margin:8px 0 0}",
            "table{border-collapse:collapse;width:100%}",
            "th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}",
            "th{font-size:12px;color:var(--mute);font-weight:600;background:#f8fafc}",
            "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}",
            "td.detail{max-width:420px;overflow-wrap:anywhere;color:#334}",
            "code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}",
            "td.nowrap{white-space:nowrap}",
            ".bad{color:var(--b);font-weight:600}.good{color:var(--p)}",
            "svg .PROTECTED{fill:var(--p)}svg .UNVERIFIED{fill:var(--u)}svg .PENDING{fill:var(--w)}svg .BLOCKED{fill:var(--b)}svg .SKIPPED{fill:var(--s)}",
            "svg .rest{fill:#e9edf2}svg .axis{stroke:#c5ced8;stroke-width:1}svg .line{fill:none;stroke:var(--p);stroke-width:2}",
            "svg .dot{fill:var(--p)}svg text{font-size:11px;fill:var(--mute)}",
            "form{display:flex;flex-wrap:wrap;gap:10px;align-items:end;margin:0 0 10px}",
            "label{display:flex;flex-direction:column;font-size:12px;color:var(--mute)}",
            "select,button{font:inherit;padding:4px 6px}",
            ".pager{margin:10px 0 0;display:flex;gap:16px}",
            "a{color:#1f4fa3}");
    private static final String CSS_HASH = "'sha256-" + sha256(CSS) + "'";
    /**
     * Nothing but this page's own style sheet: no script at all, no image, font, frame or connection; forms and the base
     * URL stay on this origin; no other site may frame it.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src " + CSS_HASH
            + "; img-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private DashboardPage() {
    }

    static ApiResponse response(int status, String html) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "text/html; charset=utf-8");
        h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        // Live state that names machines: never cached; never sniffed; never framed; the key in ?code= never sent on.
        h.put("Cache-Control", "no-store");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        return new ApiResponse(status, h, html);
    }

    static String noSweep(String now) {
        StringBuilder b = head("No sweep yet");
        b.append("<main><section><h2>No sweep has been recorded yet</h2><p>The dashboard shows what the compliance sweep found."
                + " It runs on <code>MDE_SWEEP_SCHEDULE</code>; to run one now: <code>mde-onboarding sweep</code>.</p>"
                + "<p class=\"note\">Generated ").append(Html.text(now)).append("</p></section></main>");
        footer(b);
        b.append("</body></html>\n");
        return b.toString();
    }

    static String render(DashboardEndpoint.View v) {
        SweepReport r = v.report();
        Estate.Counts total = v.estate().map(SweepReportStore.EstateCounts::total).orElseGet(() -> fromReport(r));
        StringBuilder b = head("Coverage");
        b.append("<header><h1>MDE onboarding: coverage</h1><p>Sweep <code id=\"sweep-id\">").append(Html.text(r.sweepId()))
                .append("</code> (").append(Html.text(r.mode())).append(" mode) finished ").append(Html.text(minute(r.run().finishedAt())))
                .append(" &middot; ").append(r.totals().subscriptionsInScope()).append(" subscription(s) in scope &middot; page generated ")
                .append(Html.text(minute(v.generatedAt()))).append("</p></header><main>");
        headline(b, r, total, v.estate().isPresent());
        trend(b, v.trend());
        subscriptions(b, r, v.estate(), v.filter());
        reasons(b, total);
        machines(b, r, total, v);
        b.append("</main>");
        footer(b);
        b.append("</body></html>\n");
        return b.toString();
    }

    /** The version that rendered the page (CHANGELOG.md says what it contains). */
    private static void footer(StringBuilder b) {
        b.append("<footer class=\"note\">mde-onboarding <span id=\"app-version\">").append(Html.text(com.mdeonboarding.config.AppVersion.get()))
                .append("</span></footer>");
    }

    // ------------------------------------------------------------------ sections

    private static void headline(StringBuilder b, SweepReport r, Estate.Counts c, boolean fromEstate) {
        long machines = r.machines();
        b.append("<section id=\"headline\"><h2>Machines in scope</h2><div class=\"cards\">");
        card(b, "TOTAL", "headline-total", machines, "machines in scope", "");
        for (Standing s : Standing.values()) {
            long n = c.standing(s);
            card(b, s.name(), "headline-" + s.name(), n, s.name().toLowerCase(Locale.ROOT) + " (" + Estate.percent(n, machines) + "%)",
                    hint(s));
        }
        long counted = List.of(Standing.values()).stream().mapToLong(c::standing).sum();
        b.append("</div>");
        b.append("<p class=\"note\">");
        for (MachineKind k : MachineKind.values()) {
            b.append(k == MachineKind.VM ? "VMs: " : " &middot; Arc machines: ").append("<span id=\"kind-").append(k.name()).append("\">")
                    .append(c.ofKind(k, Standing.PROTECTED)).append(" of ").append(c.ofKind(k)).append("</span> protected");
        }
        b.append(" &middot; by last decision: ");
        List<String> parts = new ArrayList<>();
        for (DecisionKind d : DecisionKind.values()) {
            parts.add(d.name() + " <span id=\"decision-" + d.name() + "\">" + c.decisions().getOrDefault(d, 0L) + "</span>");
        }
        b.append(String.join(", ", parts)).append(" (<span id=\"recorded\">").append(c.recorded()).append("</span> recorded; the others")
                .append(" the sweep saw healthy, excluded or on their way and did not need to decide)");
        if (!fromEstate) {
            b.append(". This sweep stored no estate counts (an older build ran it): the categories count recorded machines only");
        }
        if (counted != machines && fromEstate) {
            b.append(". ").append(Math.abs(machines - counted)).append(" machine(s) not counted");
        }
        b.append(".</p></section>");
    }

    private static String hint(Standing s) {
        return switch (s) {
            case PROTECTED -> "MDE extension healthy and the sensor reports (device Active)";
            case UNVERIFIED -> "MDE extension healthy; the sensor was not seen reporting (sensor check off or unavailable)";
            case PENDING -> "deployment due or under way";
            case BLOCKED -> "need someone to fix the reasons below";
            case SKIPPED -> "excluded, a connector's, or gone";
        };
    }

    private static void card(StringBuilder b, String cls, String id, long n, String label, String hint) {
        b.append("<div class=\"card ").append(cls).append("\"><span class=\"n\" id=\"").append(id).append("\">").append(n)
                .append("</span><span class=\"l\">").append(label).append("</span>");
        if (!hint.isEmpty()) {
            b.append("<br><span class=\"note\">").append(hint).append("</span>");
        }
        b.append("</div>");
    }

    /** Protected share per stored sweep, oldest left, as an inline SVG line. */
    private static void trend(StringBuilder b, List<SweepReportStore.StoredSweep> recent) {
        List<SweepReportStore.StoredSweep> sweeps = new ArrayList<>(recent);
        java.util.Collections.reverse(sweeps);
        int w = 720;
        int h = 170;
        int left = 40;
        int right = 12;
        int top = 10;
        int bottom = 30;
        b.append("<section id=\"trend\"><h2>Protected over the last ").append(sweeps.size()).append(" sweep(s)</h2>");
        b.append("<svg role=\"img\" aria-label=\"protected share per sweep\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (int pct : new int[] {0, 50, 100}) {
            int y = top + (h - top - bottom) * (100 - pct) / 100;
            b.append("<line class=\"axis\" x1=\"").append(left).append("\" y1=\"").append(y).append("\" x2=\"").append(w - right)
                    .append("\" y2=\"").append(y).append("\"/><text x=\"4\" y=\"").append(y + 4).append("\">").append(pct).append("%</text>");
        }
        List<String> points = new ArrayList<>();
        StringBuilder dots = new StringBuilder();
        int n = sweeps.size();
        for (int i = 0; i < n; i++) {
            SweepReportStore.StoredSweep s = sweeps.get(i);
            long machines = s.summary().machines();
            long prot = s.estate().map(e -> e.standing(Standing.PROTECTED)).orElseGet(() -> s.summary().coverage().getOrDefault("ONBOARDED", 0L));
            int pct = Estate.percent(prot, machines);
            int x = n == 1 ? (left + w - right) / 2 : left + (w - left - right) * i / (n - 1);
            int y = top + (h - top - bottom) * (100 - pct) / 100;
            points.add(x + "," + y);
            dots.append("<circle class=\"dot\" cx=\"").append(x).append("\" cy=\"").append(y).append("\" r=\"3.5\"><title>")
                    .append(Html.text(s.summary().sweepId())).append(": ").append(prot).append(" of ").append(machines)
                    .append(" protected (").append(pct).append("%)</title></circle>");
        }
        if (n > 1) {
            b.append("<polyline class=\"line\" points=\"").append(String.join(" ", points)).append("\"/>");
        }
        b.append(dots);
        if (n > 0) {
            b.append("<text x=\"").append(left).append("\" y=\"").append(h - 8).append("\">")
                    .append(Html.text(minute(sweeps.get(0).summary().run().startedAt()))).append("</text>");
            b.append("<text x=\"").append(w - right).append("\" y=\"").append(h - 8).append("\" text-anchor=\"end\">")
                    .append(Html.text(minute(sweeps.get(n - 1).summary().run().startedAt()))).append("</text>");
        }
        b.append("</svg></section>");
    }

    private static void subscriptions(StringBuilder b, SweepReport r, Optional<SweepReportStore.EstateCounts> estate,
                                      DashboardEndpoint.Filter f) {
        Map<String, Estate.Counts> per = estate.map(SweepReportStore.EstateCounts::perSubscription).orElse(Map.of());
        List<SweepReport.SubscriptionReport> subs = r.subscriptions().stream()
                .filter(s -> f.subscription().map(s.subscriptionId()::equals).orElse(true))
                .sorted(Comparator.comparingInt((SweepReport.SubscriptionReport s) -> coverage(per, s))
                        .thenComparing(SweepReport.SubscriptionReport::subscriptionId))
                .toList();
        b.append("<section id=\"subscriptions\"><h2>Subscriptions: posture and coverage</h2><table><thead><tr><th>subscription</th>")
                .append("<th>plan</th><th>WDATP</th><th>unified</th><th>Linux</th><th>drift</th><th>enforce mode fixed</th>")
                .append("<th class=\"num\">machines</th><th>coverage</th></tr></thead><tbody>");
        for (SweepReport.SubscriptionReport s : subs.subList(0, Math.min(SUBSCRIPTION_ROWS, subs.size()))) {
            Estate.Counts c = per.getOrDefault(s.subscriptionId(), Estate.Counts.none());
            b.append("<tr id=\"sub-").append(Html.text(s.subscriptionId())).append("\"><td><a href=\"")
                    .append(Html.href(PATH, Map.of("subscription", s.subscriptionId()))).append("\"><code>")
                    .append(Html.text(s.subscriptionId())).append("</code></a></td><td class=\"plan\">")
                    .append(Html.text(plan(s.plan()))).append("</td>")
                    .append(setting(s.settings().wdatp(), true, s.settings().settingsReadAt()))
                    .append(setting(s.settings().unifiedSolution(), true, s.settings().settingsReadAt()))
                    .append(setting(s.settings().excludeLinux(), false, s.settings().settingsReadAt()))
                    .append("<td class=\"drift\">").append(list(s.drift(), "bad")).append("</td><td class=\"fixed\">")
                    .append(list(s.fixed(), "good")).append("</td><td class=\"num machines\">").append(s.counts().machines())
                    .append("</td><td>").append(bar(c, s.counts().machines())).append(' ')
                    .append(Estate.percent(c.standing(Standing.PROTECTED), s.counts().machines())).append("%</td></tr>");
        }
        b.append("</tbody></table>");
        if (subs.size() > SUBSCRIPTION_ROWS) {
            b.append("<p class=\"note\">").append(subs.size() - SUBSCRIPTION_ROWS).append(" more subscription(s), better covered, are not"
                    + " shown; choose one in the filter below.</p>");
        }
        b.append("</section>");
    }

    private static int coverage(Map<String, Estate.Counts> per, SweepReport.SubscriptionReport s) {
        return Estate.percent(per.getOrDefault(s.subscriptionId(), Estate.Counts.none()).standing(Standing.PROTECTED), s.counts().machines());
    }

    private static String plan(SweepReport.PlanView p) {
        if (p == null || p.pricingTier() == null) {
            return "unknown";
        }
        return p.pricingTier() + (p.subPlan() == null ? "" : " " + p.subPlan());
    }

    /** An integration setting's cell; {@code wanted} is the value MDE needs (Linux: excluded = false). */
    private static String setting(Boolean value, boolean wanted, String readAt) {
        if (value == null) {
            return "<td class=\"mute\">" + (readAt == null ? "not read yet" : "absent") + "</td>";
        }
        String shown = wanted ? (value ? "on" : "off") : (value ? "excluded" : "included");
        return "<td class=\"" + (value == wanted ? "good" : "bad") + "\">" + shown + "</td>";
    }

    private static String list(List<String> items, String cls) {
        if (items == null || items.isEmpty()) {
            return "&ndash;";
        }
        return items.stream().map(i -> "<span class=\"" + cls + "\">" + Html.text(i) + "</span>").collect(Collectors.joining("<br>"));
    }

    /** A stacked bar: protected, pending, blocked, skipped, and the rest (not counted) in grey. */
    private static String bar(Estate.Counts c, long machines) {
        int w = 160;
        StringBuilder s = new StringBuilder("<svg class=\"bar\" width=\"" + w + "\" height=\"12\" viewBox=\"0 0 " + w
                + " 12\" xmlns=\"http://www.w3.org/2000/svg\"><rect class=\"rest\" x=\"0\" y=\"0\" width=\"" + w + "\" height=\"12\"/>");
        double x = 0;
        StringBuilder title = new StringBuilder();
        for (Standing st : Standing.values()) {
            long n = c.standing(st);
            double width = machines <= 0 ? 0 : w * (double) n / machines;
            if (n > 0) {
                s.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"12\"/>", st.name(), x, width));
            }
            x += width;
            title.append(title.isEmpty() ? "" : ", ").append(n).append(' ').append(st.name().toLowerCase(Locale.ROOT));
        }
        return s.append("<title>").append(title).append("</title></svg>").toString();
    }

    private static void reasons(StringBuilder b, Estate.Counts c) {
        List<Map.Entry<ReasonCode, Long>> rows = c.reasons().entrySet().stream()
                .sorted(Map.Entry.<ReasonCode, Long>comparingByValue().reversed().thenComparing(e -> e.getKey().name())).toList();
        b.append("<section id=\"reasons\"><h2>Why: reason codes, largest first</h2><table><thead><tr><th>reason</th>")
                .append("<th class=\"num\">machines</th><th>what it means and what to do</th></tr></thead><tbody>");
        for (Map.Entry<ReasonCode, Long> e : rows) {
            b.append("<tr id=\"reason-").append(e.getKey().name()).append("\"><td class=\"nowrap\"><a href=\"")
                    .append(Html.href(PATH, Map.of("reason", e.getKey().name()))).append("\"><code>").append(e.getKey().name())
                    .append("</code></a></td><td class=\"num count\">").append(e.getValue()).append("</td><td>")
                    .append(Html.text(e.getKey().sentence(), 1000)).append("</td></tr>");
        }
        if (rows.isEmpty()) {
            b.append("<tr><td colspan=\"3\">No decision recorded yet.</td></tr>");
        }
        b.append("</tbody></table><p class=\"note\">Counts machines with a recorded decision; a machine can have several reasons.</p></section>");
    }

    private static void machines(StringBuilder b, SweepReport r, Estate.Counts total, DashboardEndpoint.View v) {
        DashboardEndpoint.Filter f = v.filter();
        b.append("<section id=\"machines\"><h2>Machines that need action (now)</h2>");
        b.append("<form method=\"get\" action=\"").append(Html.text(PATH)).append("\"><label>subscription<select name=\"subscription\">")
                .append(option("", "all", f.subscription().isEmpty()));
        for (SweepReport.SubscriptionReport s : r.subscriptions()) {
            b.append(option(s.subscriptionId(), s.subscriptionId(), f.subscription().map(s.subscriptionId()::equals).orElse(false)));
        }
        b.append("</select></label><label>reason<select name=\"reason\">").append(option("", "all", f.reason().isEmpty()));
        for (ReasonCode c : ReasonCode.values()) {
            if (total.reasons().containsKey(c) || f.reason().map(c::equals).orElse(false)) {
                b.append(option(c.name(), c.name(), f.reason().map(c::equals).orElse(false)));
            }
        }
        b.append("</select></label><label>kind<select name=\"kind\">").append(option("", "all", f.kind().isEmpty()))
                .append(option("vm", "VM", f.kind().map(MachineKind.VM::equals).orElse(false)))
                .append(option("arc", "Arc", f.kind().map(MachineKind.ARC::equals).orElse(false)))
                .append("</select></label><button type=\"submit\" id=\"apply\">Filter</button>");
        if (f.any()) {
            b.append("<a id=\"clear\" href=\"").append(Html.href(PATH, Map.of())).append("\">clear</a>");
        }
        b.append("</form><table id=\"machine-table\"><thead><tr><th>machine</th><th>kind</th><th>subscription</th><th>decision</th>")
                .append("<th>reasons</th><th>detail</th><th>updated</th></tr></thead><tbody>");
        for (MachineRecord m : v.machines().machines()) {
            b.append("<tr class=\"machine\" data-kind=\"").append(m.machine().kind().name()).append("\"><td><a class=\"state\" href=\"")
                    .append(Html.href(STATE_PATH, Map.of("resourceId", m.machine().id()))).append("\">")
                    .append(Html.text(m.machine().resourceGroup() + "/" + m.machine().name())).append("</a></td><td>")
                    .append(m.machine().kind() == MachineKind.VM ? "VM" : "Arc").append("</td><td class=\"nowrap\"><code title=\"")
                    .append(Html.text(m.machine().subscriptionId())).append("\">").append(Html.text(m.machine().subscriptionId().substring(0, 8)))
                    .append("&hellip;</code></td><td class=\"decision\">").append(m.kind().name())
                    .append("</td><td class=\"reasons\">");
            List<String> codes = new ArrayList<>();
            for (ReasonCode c : m.reasons()) {
                codes.add("<code title=\"" + Html.text(c.sentence(), 1000) + "\">" + c.name() + "</code>");
            }
            b.append(String.join(" ", codes)).append("</td><td class=\"detail\">").append(Html.text(m.detail().orElse("")))
                    .append("</td><td class=\"nowrap\">").append(Html.text(minute(m.written().updatedAt().toString()))).append("</td></tr>");
        }
        if (v.machines().machines().isEmpty()) {
            b.append("<tr><td colspan=\"7\" id=\"no-machines\">No machine ").append(f.any() ? "matching the filter " : "")
                    .append(f.after().isPresent() ? "on this page" : "").append(" needs action.</td></tr>");
        }
        b.append("</tbody></table><div class=\"pager\">");
        if (f.after().isPresent()) {
            b.append("<a id=\"first-page\" href=\"").append(Html.href(PATH, f.query())).append("\">&larr; first page</a>");
        }
        if (v.machines().next().isPresent()) {
            Map<String, String> q = new LinkedHashMap<>(f.query());
            q.put("after", v.machines().next().get().id());
            b.append("<a id=\"next-page\" href=\"").append(Html.href(PATH, q)).append("\">next page &rarr;</a>");
        }
        b.append("</div><p class=\"note\">Decisions BLOCKED, DEPLOY and PENDING in the subscriptions in scope, in the state table now,")
                .append(" ").append(DashboardEndpoint.PAGE_SIZE).append(" per page (a page reads at most ").append(DashboardEndpoint.SCAN_BUDGET)
                .append(" state rows). A reason or kind filter whose machines the last sweep counted in at most ")
                .append(DashboardEndpoint.MAX_PARTITION_QUERIES).append(" subscriptions searches just those.")
                .append(" Each machine links to its state and history.</p></section>");
    }

    private static String option(String value, String label, boolean selected) {
        return "<option value=\"" + Html.text(value) + "\"" + (selected ? " selected" : "") + ">" + Html.text(label) + "</option>";
    }

    // ------------------------------------------------------------------ helpers

    private static StringBuilder head(String title) {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,")
                .append("initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\"><title>").append(Html.text(title))
                .append(" - mde-onboarding</title><style>").append(CSS).append("</style></head><body>");
        return b;
    }

    /** A report stored without estate counts: categories from its recorded decisions only. */
    private static Estate.Counts fromReport(SweepReport r) {
        Map<DecisionKind, Long> decisions = new EnumMap<>(DecisionKind.class);
        Map<Standing, Long> standings = new EnumMap<>(Standing.class);
        r.totals().lastDecisions().forEach((k, n) -> {
            for (DecisionKind d : DecisionKind.values()) {
                if (d.name().equals(k)) {
                    decisions.put(d, n);
                    standings.merge(Estate.standing(d, List.of()), n, Long::sum);
                }
            }
        });
        Map<ReasonCode, Long> reasons = new EnumMap<>(ReasonCode.class);
        r.totals().lastReasons().forEach((k, n) -> {
            for (ReasonCode c : ReasonCode.values()) {
                if (c.name().equals(k)) {
                    reasons.put(c, n);
                }
            }
        });
        return new Estate.Counts(r.machines(), standings, decisions, reasons, Map.of());
    }

    /** An ISO-8601 instant to the minute, e.g. "2026-12-01 11:14 UTC"; anything else as it is. */
    static String minute(String instant) {
        return instant != null && instant.matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}.*Z$")
                ? instant.substring(0, 10) + " " + instant.substring(11, 16) + " UTC" : String.valueOf(instant);
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
