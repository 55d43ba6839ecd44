package com.mdeonboarding.api;

import com.mdeonboarding.decide.Estate;
import com.mdeonboarding.decide.Estate.Standing;
import com.mdeonboarding.decide.ReasonFamily;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.sweep.EstateFilter;
import com.mdeonboarding.sweep.EstateNow;
import com.mdeonboarding.sweep.SweepReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The dashboard's HTML: one self-contained page (inline style sheet allowed by its hash, inline SVG, no script, no
 * external resource), so it works in a locked-down tenant and under a strict Content-Security-Policy. Every value from
 * Azure or the state table goes through {@link Html}. Every link and the filter form keep the function key ({@code ?code=})
 * the page was opened with, so that under the Functions host's key every click answers 200; the policy sends no referrer,
 * so the key goes nowhere else. Laid out for 400 px and up: below 720 px tables become one card per row.
 */
final class DashboardPage {
    static final String PATH = "/api/dashboard";
    static final String STATE_PATH = "/api/machines/state";
    /** Subscriptions shown in the posture table (the lowest coverage first); a filter shows any one. */
    static final int SUBSCRIPTION_ROWS = 200;
    /** Resource groups offered in the filter (those with the most machines). */
    static final int GROUP_OPTIONS = 300;

    private static final String CSS = String.join("\n",
            ":root{--p:#2e7d32;--u:#0288d1;--w:#f9a825;--b:#c62828;--s:#78909c;--ink:#1c2430;--mute:#5f6b7a;--line:#dde3ea}",
            "*{box-sizing:border-box}",
            "body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:#f4f6f9}",
            "header{background:#14213d;color:#fff;padding:14px 24px}",
            "header h1{margin:0;font-size:20px;font-weight:600}",
            "header p{margin:4px 0 0;color:#c9d3e3;font-size:13px;overflow-wrap:anywhere}",
            "header code{color:#fff}",
            "main{padding:16px 24px;max-width:1400px}",
            "section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:14px 16px;margin:0 0 16px;min-width:0}",
            "h2{font-size:16px;margin:0 0 10px}",
            ".cards{display:flex;flex-wrap:wrap;gap:12px}",
            ".card{flex:1 1 140px;border:1px solid var(--line);border-radius:6px;padding:10px 12px;border-top:4px solid var(--s)}",
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
            "td{overflow-wrap:break-word}td.reasons code,td.decision{white-space:nowrap}",
            "code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}",
            ".sub-id{display:block;color:var(--mute);font-size:11px}",
            "td.nowrap{white-space:nowrap}",
            ".bad{color:var(--b);font-weight:600}.good{color:var(--p)}.mute{color:var(--mute)}",
            "tr.calm td{color:var(--mute)}",
            "svg{max-width:100%;height:auto}",
            "svg .PROTECTED{fill:var(--p)}svg .UNVERIFIED{fill:var(--u)}svg .PENDING{fill:var(--w)}svg .BLOCKED{fill:var(--b)}svg .SKIPPED{fill:var(--s)}",
            "svg .rest{fill:#e9edf2}svg .axis{stroke:#c5ced8;stroke-width:1}svg .line{fill:none;stroke:var(--p);stroke-width:2}",
            "svg .dot{fill:var(--p)}svg text{font-size:11px;fill:var(--mute)}",
            "form{display:flex;flex-wrap:wrap;gap:10px;align-items:end;margin:0}",
            "label{display:flex;flex-direction:column;font-size:12px;color:var(--mute);max-width:100%}",
            "select,button{font:inherit;padding:4px 6px;max-width:100%}",
            ".pager,.export{margin:10px 0 0;display:flex;flex-wrap:wrap;gap:16px}",
            ".links a{margin-right:8px;white-space:nowrap}",
            "a{color:#1f4fa3}",
            "@media (max-width:720px){header,main{padding-left:10px;padding-right:10px}section{padding:10px}",
            "table,thead,tbody,tr,th,td{display:block}thead{display:none}tr{border-bottom:1px solid var(--line);padding:6px 0}",
            "td{border:0;padding:2px 0}td[data-label]::before{content:attr(data-label) ': ';color:var(--mute);font-size:12px}",
            "td{overflow-wrap:anywhere}td.num{text-align:left}td.nowrap,td.reasons code{white-space:normal}td.detail{max-width:none}",
            ".card{flex:1 1 120px}}");
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

    /** Links of one page: same-origin, the function key kept. */
    private record Links(Optional<String> key) {
        String href(String path, Map<String, String> query) {
            Map<String, String> q = new LinkedHashMap<>(query);
            key.ifPresent(k -> q.put("code", k));
            return Html.href(path, q);
        }

        String dashboard(EstateFilter f) {
            return href(PATH, f.query());
        }
    }

    static String render(DashboardEndpoint.View v) {
        EstateView ev = v.estate();
        SweepReport r = ev.report();
        EstateFilter f = v.filter();
        Links links = new Links(v.functionKey());
        List<EstateNow.Machine> machines = ev.now().matching(f);
        Estate.Tally tally = ev.now().tally(f);
        Estate.Counts total = tally.total();
        StringBuilder b = head("Coverage");
        b.append("<header><h1>MDE onboarding: coverage</h1><p>Numbers as of <span id=\"as-of\">")
                .append(Html.text(minute(ev.now().asOf().toString()))).append("</span> (every machine's state now; latest sweep <code id=\"sweep-id\">")
                .append(Html.text(r.sweepId())).append("</code>, ").append(Html.text(r.mode())).append(" mode, finished ")
                .append(Html.text(minute(r.run().finishedAt()))).append(") &middot; ").append(r.totals().subscriptionsInScope())
                .append(" subscription(s) in scope &middot; page generated ").append(Html.text(minute(v.generatedAt()))).append("</p></header><main>");
        filter(b, ev, f, links);
        headline(b, total, f);
        actFirst(b, machines, f, links);
        trend(b, v.trend(), f);
        subscriptions(b, ev, f, tally, links);
        reasons(b, total, f, links);
        machineList(b, ev, v, links);
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

    private static void filter(StringBuilder b, EstateView ev, EstateFilter f, Links links) {
        b.append("<section id=\"filter\"><h2>Filter: every number below follows it</h2><form method=\"get\" action=\"")
                .append(Html.text(PATH)).append("\">");
        links.key().ifPresent(k -> b.append("<input type=\"hidden\" name=\"code\" value=\"").append(Html.text(k, 400)).append("\">"));
        b.append("<label>subscription<select name=\"subscription\">").append(option("", "all", f.subscription().isEmpty()));
        ev.report().subscriptions().stream().sorted(Comparator.comparing((SweepReport.SubscriptionReport s) ->
                ev.subscriptionLabel(s.subscriptionId()).toLowerCase(Locale.ROOT))).forEach(s ->
                b.append(option(s.subscriptionId(), ev.subscriptionLabel(s.subscriptionId()) + (ev.subscriptionNames().containsKey(s.subscriptionId())
                        ? " (" + s.subscriptionId().substring(0, 8) + ")" : ""), f.subscription().map(s.subscriptionId()::equals).orElse(false))));
        b.append("</select></label><label>resource group<select name=\"resourceGroup\">").append(option("", "all", f.resourceGroup().isEmpty()));
        Map<String, Long> groups = ev.now().machines().stream().filter(m -> f.subscription().map(m.id().subscriptionId()::equals).orElse(true))
                .collect(Collectors.groupingBy(m -> m.id().resourceGroup().toLowerCase(Locale.ROOT), Collectors.counting()));
        TreeSet<String> shown = groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(GROUP_OPTIONS)
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        f.resourceGroup().ifPresent(g -> shown.add(g.toLowerCase(Locale.ROOT)));
        for (String g : shown) {
            b.append(option(g, g, f.resourceGroup().map(x -> x.equalsIgnoreCase(g)).orElse(false)));
        }
        b.append("</select></label><label>kind<select name=\"kind\">").append(option("", "all", f.kind().isEmpty()))
                .append(option("vm", "VM", f.kind().map(MachineKind.VM::equals).orElse(false)))
                .append(option("arc", "Arc", f.kind().map(MachineKind.ARC::equals).orElse(false)))
                .append("</select></label><label>standing<select name=\"standing\">").append(option("", "all", f.standings().isEmpty()));
        for (Standing s : Standing.values()) {
            b.append(option(s.name(), s.name().toLowerCase(Locale.ROOT), f.standings().equals(List.of(s))));
        }
        b.append("</select></label><label>reason family<select name=\"family\">").append(option("", "all", f.family().isEmpty()));
        for (ReasonFamily fam : ReasonFamily.values()) {
            b.append(option(fam.parameter(), fam.label(), f.family().map(fam::equals).orElse(false)));
        }
        b.append("</select></label><label>reason<select name=\"reason\">").append(option("", "all", f.reason().isEmpty()));
        Map<ReasonCode, Long> present = ev.now().tally(m -> true).total().reasons();
        for (ReasonCode c : ReasonCode.values()) {
            if (present.containsKey(c) || f.reason().map(c::equals).orElse(false)) {
                b.append(option(c.name(), c.name(), f.reason().map(c::equals).orElse(false)));
            }
        }
        b.append("</select></label>");
        f.decision().ifPresent(d -> b.append("<input type=\"hidden\" name=\"decision\" value=\"").append(d.name()).append("\">"));
        b.append("<button type=\"submit\" id=\"apply\">Filter</button>");
        if (f.any()) {
            b.append("<a id=\"clear\" href=\"").append(links.dashboard(EstateFilter.none())).append("\">clear</a>");
        }
        b.append("</form><div class=\"export\">Export the ").append(f.any() ? "filtered " : "").append("machine list: ");
        Map<String, String> csv = new LinkedHashMap<>(f.query());
        csv.put("format", "csv");
        csv.put("limit", String.valueOf(MachinesEndpoint.MAX_LIMIT));
        Map<String, String> json = new LinkedHashMap<>(f.query());
        json.put("limit", String.valueOf(MachinesEndpoint.MAX_LIMIT));
        b.append("<a id=\"export-csv\" href=\"").append(links.href(MachinesEndpoint.PATH, csv)).append("\">CSV</a>")
                .append("<a id=\"export-json\" href=\"").append(links.href(MachinesEndpoint.PATH, json)).append("\">JSON</a>")
                .append("<span class=\"note\">").append(MachinesEndpoint.MAX_LIMIT)
                .append(" machines per file; the JSON's nextLink (and a Link header) go on</span></div></section>");
    }

    private static void headline(StringBuilder b, Estate.Counts c, EstateFilter f) {
        long machines = c.machines();
        b.append("<section id=\"headline\"><h2>Machines in scope").append(f.any() ? " (filtered)" : "").append("</h2><div class=\"cards\">");
        card(b, "TOTAL", "headline-total", machines, "machines", "");
        for (Standing s : Standing.values()) {
            long n = c.standing(s);
            card(b, s.name(), "headline-" + s.name(), n, s.name().toLowerCase(Locale.ROOT) + " (" + Estate.percent(n, machines) + "%)", hint(s));
        }
        b.append("</div><p class=\"note\">");
        for (MachineKind k : MachineKind.values()) {
            b.append(k == MachineKind.VM ? "VMs: " : " &middot; Arc machines: ").append("<span id=\"kind-").append(k.name()).append("\">")
                    .append(c.ofKind(k, Standing.PROTECTED)).append(" of ").append(c.ofKind(k)).append("</span> protected");
        }
        b.append(" &middot; by recorded decision: ");
        List<String> parts = new ArrayList<>();
        for (DecisionKind d : DecisionKind.values()) {
            parts.add(d.name() + " <span id=\"decision-" + d.name() + "\">" + c.decisions().getOrDefault(d, 0L) + "</span>");
        }
        b.append(String.join(", ", parts)).append(" (<span id=\"recorded\">").append(c.recorded()).append("</span> recorded; the others")
                .append(" stand where the latest sweep saw them: healthy, excluded or on their way).</p></section>");
    }

    private static String hint(Standing s) {
        return switch (s) {
            case PROTECTED -> "MDE extension healthy and the sensor reports (device Active)";
            case UNVERIFIED -> "MDE extension healthy; the sensor was not seen reporting (yet, or the check is off)";
            case PENDING -> "deployment due or under way";
            case BLOCKED -> "need someone: see what to fix first";
            case SKIPPED -> "excluded, a connector's, or out of scope";
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

    /** A blocking reason: how many machines it blocks, and the oldest of their decisions (blocked at least since). */
    private record Blocker(ReasonCode code, long machines, Optional<Instant> since) {
    }

    /**
     * What to fix first: the reasons blocked machines have, the one that blocks most machines first, then the one blocking
     * longest; reasons that need nobody (a healthy extension, a step done) are left out.
     */
    static List<Blocker> blockers(List<EstateNow.Machine> machines) {
        Map<ReasonCode, long[]> count = new EnumMap<>(ReasonCode.class);
        Map<ReasonCode, Instant> since = new EnumMap<>(ReasonCode.class);
        for (EstateNow.Machine m : machines) {
            if (m.standing() != Standing.BLOCKED) {
                continue;
            }
            Optional<Instant> at = m.record().map(r -> r.written().updatedAt());
            for (ReasonCode c : m.reasons()) {
                if (!ReasonFamily.needsSomeone(c)) {
                    continue;
                }
                count.computeIfAbsent(c, k -> new long[1])[0]++;
                at.ifPresent(t -> since.merge(c, t, (x, y) -> x.isBefore(y) ? x : y));
            }
        }
        return count.entrySet().stream().map(e -> new Blocker(e.getKey(), e.getValue()[0], Optional.ofNullable(since.get(e.getKey()))))
                .sorted(Comparator.comparingLong(Blocker::machines).reversed()
                        .thenComparing(x -> x.since().orElse(Instant.MAX))
                        .thenComparing(x -> x.code().name()))
                .toList();
    }

    private static void actFirst(StringBuilder b, List<EstateNow.Machine> machines, EstateFilter f, Links links) {
        List<Blocker> rows = blockers(machines);
        b.append("<section id=\"act-first\"><h2>Fix first: what blocks the most machines, and the longest</h2><table><thead><tr>")
                .append("<th>reason</th><th>kind of fix</th><th class=\"num\">machines blocked</th><th>oldest decision</th>")
                .append("<th>what to do</th></tr></thead><tbody>");
        for (Blocker x : rows) {
            EstateFilter narrowed = f.withReason(Optional.of(x.code())).withStandings(List.of(Standing.BLOCKED));
            b.append("<tr id=\"act-").append(x.code().name()).append("\"><td data-label=\"reason\"><a href=\"")
                    .append(links.dashboard(narrowed)).append("\"><code>").append(x.code().name()).append("</code></a></td>")
                    .append("<td data-label=\"kind of fix\">").append(Html.text(ReasonFamily.of(x.code()).label())).append("</td>")
                    .append("<td class=\"num count\" data-label=\"machines blocked\">").append(x.machines()).append("</td>")
                    .append("<td class=\"nowrap\" data-label=\"oldest decision\">").append(Html.text(x.since().map(t -> minute(t.toString())).orElse("-")))
                    .append("</td><td data-label=\"what to do\">").append(Html.text(x.code().sentence(), 1000)).append("</td></tr>");
        }
        if (rows.isEmpty()) {
            b.append("<tr><td colspan=\"5\" id=\"nothing-blocked\">Nothing is blocked").append(f.any() ? " within the filter" : "")
                    .append(".</td></tr>");
        }
        b.append("</tbody></table><p class=\"note\">A machine may be blocked for several reasons; fixing a subscription's posture")
                .append(" unblocks all of its machines at once. \"Oldest decision\" is when the longest-waiting of them was last decided.</p></section>");
    }

    /** Protected share per stored sweep, oldest left, as an inline SVG line that scales to the page's width. */
    private static void trend(StringBuilder b, Optional<List<DashboardEndpoint.TrendPoint>> trend, EstateFilter f) {
        if (trend.isEmpty()) {
            b.append("<section id=\"trend\"><h2>Protected over the last sweeps</h2><p class=\"note\" id=\"trend-off\">Past sweeps stored")
                    .append(" their counts by subscription and kind only; this filter (").append(Html.text(String.join(", ",
                            f.query().keySet()))).append(") has no trend. The numbers above are of now.</p></section>");
            return;
        }
        List<DashboardEndpoint.TrendPoint> sweeps = trend.get();
        int w = 720;
        int h = 170;
        int left = 40;
        int right = 12;
        int top = 10;
        int bottom = 30;
        b.append("<section id=\"trend\"><h2>Protected over the last ").append(sweeps.size()).append(" sweep(s)")
                .append(f.any() ? " (filtered)" : "").append("</h2>");
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
            DashboardEndpoint.TrendPoint s = sweeps.get(i);
            int pct = Estate.percent(s.protectedMachines(), s.machines());
            int x = n == 1 ? (left + w - right) / 2 : left + (w - left - right) * i / (n - 1);
            int y = top + (h - top - bottom) * (100 - pct) / 100;
            points.add(x + "," + y);
            dots.append("<circle class=\"dot\" cx=\"").append(x).append("\" cy=\"").append(y).append("\" r=\"3.5\"><title>")
                    .append(Html.text(s.sweepId())).append(": ").append(s.protectedMachines()).append(" of ").append(s.machines())
                    .append(" protected (").append(pct).append("%)</title></circle>");
        }
        if (n > 1) {
            b.append("<polyline class=\"line\" points=\"").append(String.join(" ", points)).append("\"/>");
        }
        b.append(dots);
        if (n > 0) {
            b.append("<text x=\"").append(left).append("\" y=\"").append(h - 8).append("\">")
                    .append(Html.text(minute(sweeps.get(0).startedAt()))).append("</text>");
            b.append("<text x=\"").append(w - right).append("\" y=\"").append(h - 8).append("\" text-anchor=\"end\">")
                    .append(Html.text(minute(sweeps.get(n - 1).startedAt()))).append("</text>");
        }
        b.append("</svg><p class=\"note\">Each point is a sweep's own count when it ran; the cards above count now.</p></section>");
    }

    private static void subscriptions(StringBuilder b, EstateView ev, EstateFilter f, Estate.Tally tally, Links links) {
        Map<String, Estate.Counts> per = tally.perSubscription();
        List<SweepReport.SubscriptionReport> subs = ev.report().subscriptions().stream()
                .filter(s -> f.subscription().map(s.subscriptionId()::equals).orElse(true))
                .sorted(Comparator.comparingInt((SweepReport.SubscriptionReport s) ->
                                per.getOrDefault(s.subscriptionId(), Estate.Counts.none()).protectedPercent())
                        .thenComparing(s -> ev.subscriptionLabel(s.subscriptionId()).toLowerCase(Locale.ROOT)))
                .toList();
        b.append("<section id=\"subscriptions\"><h2>Subscriptions: posture and coverage</h2><table><thead><tr><th>subscription</th>")
                .append("<th>plan</th><th>WDATP</th><th>unified</th><th>Linux</th><th>drift</th><th>enforce mode fixed</th>")
                .append("<th class=\"num\">machines</th><th>coverage</th></tr></thead><tbody>");
        for (SweepReport.SubscriptionReport s : subs.subList(0, Math.min(SUBSCRIPTION_ROWS, subs.size()))) {
            Estate.Counts c = per.getOrDefault(s.subscriptionId(), Estate.Counts.none());
            String readAt = s.settings().settingsReadAt();
            b.append("<tr id=\"sub-").append(Html.text(s.subscriptionId())).append("\"><td data-label=\"subscription\"><a href=\"")
                    .append(links.dashboard(new EstateFilter(Optional.of(s.subscriptionId()), f.resourceGroup(), f.kind(), f.standings(),
                            f.decision(), f.reason(), f.family()))).append("\">").append(Html.text(ev.subscriptionLabel(s.subscriptionId())))
                    .append("</a>");
            if (ev.subscriptionNames().containsKey(s.subscriptionId())) {
                b.append("<code class=\"sub-id\">").append(Html.text(s.subscriptionId())).append("</code>");
            }
            b.append("</td><td class=\"plan\" data-label=\"plan\">").append(Html.text(plan(s.plan()))).append("</td>")
                    .append(setting("WDATP", s.settings().wdatp(), true, readAt))
                    .append(setting("unified", s.settings().unifiedSolution(), true, readAt))
                    .append(setting("Linux", s.settings().excludeLinux(), false, readAt))
                    .append("<td class=\"drift\" data-label=\"drift\">").append(list(s.drift(), "bad")).append("</td><td class=\"fixed\" data-label=\"fixed\">")
                    .append(list(s.fixed(), "good")).append("</td><td class=\"num machines\" data-label=\"machines\">").append(c.machines())
                    .append("</td><td data-label=\"coverage\">").append(bar(c)).append(" <span class=\"protected\">")
                    .append(c.protectedPercent()).append("%</span></td></tr>");
        }
        b.append("</tbody></table>");
        if (subs.size() > SUBSCRIPTION_ROWS) {
            b.append("<p class=\"note\">").append(subs.size() - SUBSCRIPTION_ROWS).append(" more subscription(s), better covered, are not"
                    + " shown; choose one in the filter.</p>");
        }
        b.append("<p class=\"note\">Posture as the latest sweep read it; machines and coverage as of now, within the filter.</p></section>");
    }

    private static String plan(SweepReport.PlanView p) {
        if (p == null || p.pricingTier() == null) {
            return "unknown";
        }
        return p.pricingTier() + (p.subPlan() == null ? "" : " " + p.subPlan());
    }

    /** An integration setting's cell; {@code wanted} is the value MDE needs (Linux: excluded = false). */
    private static String setting(String label, Boolean value, boolean wanted, String readAt) {
        if (value == null) {
            return "<td class=\"mute\" data-label=\"" + label + "\">" + (readAt == null ? "not read yet" : "absent") + "</td>";
        }
        String shown = wanted ? (value ? "on" : "off") : (value ? "excluded" : "included");
        return "<td class=\"" + (value == wanted ? "good" : "bad") + "\" data-label=\"" + label + "\">" + shown + "</td>";
    }

    private static String list(List<String> items, String cls) {
        if (items == null || items.isEmpty()) {
            return "&ndash;";
        }
        return items.stream().map(i -> "<span class=\"" + cls + "\">" + Html.text(i) + "</span>").collect(Collectors.joining("<br>"));
    }

    /** A stacked bar: protected, unverified, pending, blocked, skipped. */
    private static String bar(Estate.Counts c) {
        int w = 160;
        StringBuilder s = new StringBuilder("<svg class=\"bar\" width=\"" + w + "\" height=\"12\" viewBox=\"0 0 " + w
                + " 12\" xmlns=\"http://www.w3.org/2000/svg\"><rect class=\"rest\" x=\"0\" y=\"0\" width=\"" + w + "\" height=\"12\"/>");
        double x = 0;
        StringBuilder title = new StringBuilder();
        for (Standing st : Standing.values()) {
            long n = c.standing(st);
            double width = c.machines() <= 0 ? 0 : w * (double) n / c.machines();
            if (n > 0) {
                s.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"12\"/>", st.name(), x, width));
            }
            x += width;
            title.append(title.isEmpty() ? "" : ", ").append(n).append(' ').append(st.name().toLowerCase(Locale.ROOT));
        }
        return s.append("<title>").append(title).append("</title></svg>").toString();
    }

    private static void reasons(StringBuilder b, Estate.Counts c, EstateFilter f, Links links) {
        // What needs someone first, largest first; states that need nobody (a healthy extension, an Active sensor) last.
        List<Map.Entry<ReasonCode, Long>> rows = c.reasons().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<ReasonCode, Long> e) -> ReasonFamily.needsSomeone(e.getKey()) ? 0 : 1)
                        .thenComparing(Map.Entry.<ReasonCode, Long>comparingByValue().reversed()).thenComparing(e -> e.getKey().name())).toList();
        b.append("<section id=\"reasons\"><h2>Why: reason codes of every recorded decision</h2><table><thead><tr><th>reason</th>")
                .append("<th class=\"num\">machines</th><th>what it means and what to do</th></tr></thead><tbody>");
        for (Map.Entry<ReasonCode, Long> e : rows) {
            boolean calm = !ReasonFamily.needsSomeone(e.getKey());
            b.append("<tr id=\"reason-").append(e.getKey().name()).append("\"").append(calm ? " class=\"calm\"" : "")
                    .append("><td class=\"nowrap\" data-label=\"reason\"><a href=\"").append(links.dashboard(f.withReason(Optional.of(e.getKey()))))
                    .append("\"><code>").append(e.getKey().name()).append("</code></a></td><td class=\"num count\" data-label=\"machines\">")
                    .append(e.getValue()).append("</td><td data-label=\"meaning\">").append(Html.text(e.getKey().sentence(), 1000)).append("</td></tr>");
        }
        if (rows.isEmpty()) {
            b.append("<tr><td colspan=\"3\">No decision recorded").append(f.any() ? " within the filter" : " yet").append(".</td></tr>");
        }
        b.append("</tbody></table><p class=\"note\">Counts machines with a recorded decision, within the filter; a machine can have")
                .append(" several reasons. Greyed rows need nobody.</p></section>");
    }

    private static void machineList(StringBuilder b, EstateView ev, DashboardEndpoint.View v, Links links) {
        EstateFilter f = v.filter();
        MachinesEndpoint.Page page = v.machines();
        b.append("<section id=\"machines\"><h2>").append(f.standings().isEmpty() ? "Machines that need action (blocked or on their way)"
                : "Machines: " + Html.text(String.join(", ", f.standings().stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList())))
                .append(" &middot; <span id=\"machine-total\">").append(page.total()).append("</span></h2>");
        b.append("<table id=\"machine-table\"><thead><tr><th>machine</th><th>kind</th><th>subscription</th><th>standing</th><th>reasons</th>")
                .append("<th>detail</th><th>updated</th><th>open in</th></tr></thead><tbody>");
        List<EstateNow.Machine> shown = page.machines();
        for (EstateNow.Machine m : shown) {
            Optional<String> device = MachineList.deviceId(m);
            b.append("<tr class=\"machine\" data-kind=\"").append(m.id().kind().name()).append("\" data-standing=\"").append(m.standing().name())
                    .append("\"><td data-label=\"machine\">");
            if (m.record().isPresent()) {
                b.append("<a class=\"state\" href=\"").append(links.href(STATE_PATH, Map.of("resourceId", m.id().id()))).append("\">")
                        .append(Html.text(m.id().resourceGroup() + "/" + m.id().name())).append("</a>");
            } else {
                // Nothing recorded yet (seen by the sweep only, e.g. provisioning by someone else): no state to link to.
                b.append("<span class=\"state\" title=\"not recorded yet: as the latest sweep saw it\">")
                        .append(Html.text(m.id().resourceGroup() + "/" + m.id().name())).append("</span>");
            }
            b.append("</td><td data-label=\"kind\">")
                    .append(m.id().kind() == MachineKind.VM ? "VM" : "Arc").append("</td><td data-label=\"subscription\">")
                    .append(Html.text(ev.subscriptionLabel(m.id().subscriptionId()))).append("</td><td class=\"decision\" data-label=\"standing\">")
                    .append(m.standing().name()).append(m.decision().map(d -> d.name().equals(m.standing().name()) ? "" : " (" + d.name() + ")").orElse(""))
                    .append("</td><td class=\"reasons\" data-label=\"reasons\">");
            List<String> codes = new ArrayList<>();
            for (ReasonCode c : m.reasons()) {
                codes.add("<code title=\"" + Html.text(c.sentence(), 1000) + "\">" + c.name() + "</code>");
            }
            b.append(String.join(" ", codes)).append("</td><td class=\"detail\" data-label=\"detail\">")
                    .append(Html.text(m.record().flatMap(r -> r.detail()).orElse(""))).append("</td><td class=\"nowrap\" data-label=\"updated\">")
                    .append(Html.text(m.record().map(r -> minute(r.written().updatedAt().toString())).orElse("not recorded")))
                    .append("</td><td class=\"links\" data-label=\"open in\"><a class=\"azure-portal\" rel=\"noopener noreferrer\" target=\"_blank\" href=\"")
                    .append(Html.text(v.portals().resource(m.id().id()), 2000)).append("\">Azure portal</a>");
            device.ifPresent(d -> b.append("<a class=\"defender-portal\" rel=\"noopener noreferrer\" target=\"_blank\" href=\"")
                    .append(Html.text(v.portals().device(d), 2000)).append("\">Defender portal</a>"));
            b.append("</td></tr>");
        }
        if (shown.isEmpty()) {
            b.append("<tr><td colspan=\"8\" id=\"no-machines\">No machine ").append(f.any() ? "matching the filter " : "")
                    .append(v.after().isPresent() ? "on this page" : "").append(" needs action.</td></tr>");
        }
        b.append("</tbody></table><div class=\"pager\">");
        if (v.after().isPresent()) {
            b.append("<a id=\"first-page\" href=\"").append(links.dashboard(f)).append("\">&larr; first page</a>");
        }
        if (page.next().isPresent()) {
            Map<String, String> q = new LinkedHashMap<>(f.query());
            q.put("after", page.next().get().id());
            b.append("<a id=\"next-page\" href=\"").append(links.href(PATH, q)).append("\">next page &rarr;</a>");
        }
        b.append("</div><p class=\"note\">").append(DashboardEndpoint.PAGE_SIZE).append(" per page, in subscription and name order.")
                .append(" Each machine links to its state and history, to the Azure portal, and to its Defender portal device page")
                .append(" once its sensor's device ID is known.</p></section>");
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
