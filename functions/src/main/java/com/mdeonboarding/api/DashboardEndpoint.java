package com.mdeonboarding.api;

import com.mdeonboarding.decide.Estate;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.storage.MachineStateStore;
import com.mdeonboarding.model.Guid;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.support.Parallel;
import com.mdeonboarding.sweep.SweepReportStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * {@code GET /api/dashboard[?subscription=&reason=&kind=&after=]}: the coverage dashboard, one self-contained HTML page
 * rendered on the server ({@link DashboardPage}). Its numbers are the latest sweep's (report and estate counts, a few
 * table reads whatever the estate's size); the machines that need action are read now from the state table, one page at a
 * time, filtered by the query parameters (so the filter works without script).
 */
public final class DashboardEndpoint extends Endpoint {
    /** Sweeps in the trend chart. */
    public static final int TREND_SWEEPS = 30;
    /** Machines per page of the list. */
    public static final int PAGE_SIZE = 50;
    /** State rows one page may read looking for matches; past it the page offers to go on. */
    public static final int SCAN_BUDGET = 2000;
    /** A filtered page reads at most this many subscriptions one by one; past it, the table in batches. */
    public static final int MAX_PARTITION_QUERIES = 20;

    private final SweepReportStore reports;
    private final MachineStateStore states;
    private final Clock clock;

    public DashboardEndpoint(SweepReportStore reports, MachineStateStore states, Clock clock) {
        this.reports = reports;
        this.states = states;
        this.clock = clock;
    }

    public static DashboardEndpoint from(Services s) {
        return new DashboardEndpoint(s.reports, s.stateStore, s.clock);
    }

    @Override
    protected String name() {
        return "GET /api/dashboard";
    }

    @Override
    protected String method() {
        return "GET";
    }

    /** What the machine list is narrowed to; every value validated. */
    record Filter(Optional<String> subscription, Optional<ReasonCode> reason, Optional<MachineKind> kind, Optional<MachineId> after) {
        /** The filter's query parameters (without {@code after}), for links that keep it. */
        Map<String, String> query() {
            Map<String, String> q = new LinkedHashMap<>();
            subscription.ifPresent(s -> q.put("subscription", s));
            reason.ifPresent(r -> q.put("reason", r.name()));
            kind.ifPresent(k -> q.put("kind", k.name().toLowerCase(Locale.ROOT)));
            return q;
        }

        boolean any() {
            return subscription.isPresent() || reason.isPresent() || kind.isPresent();
        }
    }

    /** Everything the page shows. */
    record View(SweepReport report, Optional<SweepReportStore.EstateCounts> estate, List<SweepReportStore.StoredSweep> trend,
                Filter filter, MachineStateStore.Page machines, String generatedAt) {
    }

    @Override
    protected ApiResponse answer(ApiRequest request, String correlationId, Logger log) {
        onlyParameters(request, "subscription", "reason", "kind", "after");
        Filter filter = filter(request);
        Optional<String> sweepId = reports.latestSweepId();
        if (sweepId.isEmpty()) {
            return DashboardPage.response(404, DashboardPage.noSweep(clock.instant().toString()));
        }
        // Independent reads at once: the report, its estate counts, the trend and (unless a filter needs the counts) the machines.
        AtomicReference<Optional<SweepReport>> latest = new AtomicReference<>();
        AtomicReference<Optional<SweepReportStore.EstateCounts>> estate = new AtomicReference<>();
        AtomicReference<List<SweepReportStore.StoredSweep>> trend = new AtomicReference<>();
        AtomicReference<MachineStateStore.Page> listed = new AtomicReference<>();
        boolean selective = filter.subscription().isEmpty() && (filter.kind().isPresent() || filter.reason().isPresent());
        List<Runnable> reads = new ArrayList<>(List.of(
                () -> latest.set(reports.get(sweepId.get())),
                () -> estate.set(reports.estate(sweepId.get())),
                () -> trend.set(reports.recent(TREND_SWEEPS))));
        if (!selective) {
            // The whole table (or one subscription), as it is now; nearly every row the service returns is shown.
            reads.add(() -> listed.set(states.page(filter.subscription(), Estate.decisionsNeedingAction(), filter.after(), matches(filter),
                    PAGE_SIZE, SCAN_BUDGET, PAGE_SIZE + 1)));
        }
        Parallel.forEach(reads, reads.size(), Runnable::run);
        if (selective) {
            // Kind and reason are not columns the table service can filter on. Matches the last sweep counted in a few
            // subscriptions: one partition query each. Otherwise they are common enough to fill a page from the table in
            // batches of 1,000 rows (at most SCAN_BUDGET rows per page).
            List<String> candidates = candidates(estate.get(), filter);
            listed.set(estate.get().isPresent() && candidates.size() <= MAX_PARTITION_QUERIES
                    ? states.pageOf(candidates, Estate.decisionsNeedingAction(), filter.after(), matches(filter), PAGE_SIZE, SCAN_BUDGET)
                    : states.page(Optional.empty(), Estate.decisionsNeedingAction(), filter.after(), matches(filter), PAGE_SIZE, SCAN_BUDGET,
                            1000));
        }
        if (latest.get().isEmpty()) {
            return DashboardPage.response(404, DashboardPage.noSweep(clock.instant().toString()));
        }
        SweepReport report = latest.get().get();
        Set<String> inScope = new HashSet<>();
        report.subscriptions().forEach(s -> inScope.add(s.subscriptionId()));
        // Rows of subscriptions no longer in scope are left out here (rare: after a scope change), not counted against the page.
        MachineStateStore.Page all = listed.get();
        MachineStateStore.Page page = filter.subscription().isPresent() && !inScope.contains(filter.subscription().get())
                ? new MachineStateStore.Page(List.of(), Optional.empty(), all.scanned())
                : new MachineStateStore.Page(all.machines().stream().filter(r -> inScope.contains(r.machine().subscriptionId())).toList(),
                        all.next(), all.scanned());
        log.fine("[correlationId=" + correlationId + "] dashboard: sweep " + report.sweepId() + ", " + page.machines().size()
                + " machines listed, " + page.scanned() + " state rows read");
        return DashboardPage.response(200, DashboardPage.render(new View(report, estate.get(), trend.get(), filter, page,
                clock.instant().toString())));
    }

    private static Predicate<MachineRecord> matches(Filter filter) {
        return r -> filter.kind().map(k -> r.machine().kind() == k).orElse(true) && filter.reason().map(c -> r.reasons().contains(c)).orElse(true);
    }

    /** Subscriptions whose last sweep counted a machine with the filter's reason, or a pending or blocked one of its kind. */
    static List<String> candidates(Optional<SweepReportStore.EstateCounts> estate, Filter filter) {
        List<String> out = new ArrayList<>();
        estate.ifPresent(e -> e.perSubscription().forEach((sub, c) -> {
            boolean reason = filter.reason().map(r -> c.reasons().getOrDefault(r, 0L) > 0).orElse(true);
            boolean kind = filter.kind().map(k -> c.ofKind(k, Estate.Standing.BLOCKED) + c.ofKind(k, Estate.Standing.PENDING) > 0).orElse(true);
            if (reason && kind) {
                out.add(sub);
            }
        }));
        return out;
    }

    private static Filter filter(ApiRequest request) {
        Optional<String> subscription = nonEmpty(request, "subscription").map(s -> {
            if (!Guid.isGuid(s)) {
                throw invalid("subscription", "subscription must be a subscription ID (a GUID); got '" + Text.printable(s, 60) + "'");
            }
            return s.toLowerCase(Locale.ROOT);
        });
        Optional<ReasonCode> reason = nonEmpty(request, "reason").map(r -> Arrays.stream(ReasonCode.values())
                .filter(c -> c.name().equals(r)).findFirst()
                .orElseThrow(() -> invalid("reason", "reason must be a reason code such as PLAN_NOT_ENABLED; got '" + Text.printable(r, 60) + "'")));
        Optional<MachineKind> kind = nonEmpty(request, "kind").map(k -> switch (k.toLowerCase(Locale.ROOT)) {
            case "vm" -> MachineKind.VM;
            case "arc" -> MachineKind.ARC;
            default -> throw invalid("kind", "kind must be vm or arc; got '" + Text.printable(k, 60) + "'");
        });
        Optional<MachineId> after = nonEmpty(request, "after").map(a -> MachineId.tryParse(a).orElseThrow(() -> invalid("after",
                "after must be the resource ID of the last machine of the previous page; got '" + Text.printable(a, 120) + "'")));
        return new Filter(subscription, reason, kind, after);
    }

    /** An empty value (a form's "all" choice) is no filter. */
    private static Optional<String> nonEmpty(ApiRequest request, String name) {
        return request.queryParameter(name).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static ApiException invalid(String field, String detail) {
        return Problem.of(Problem.Type.INVALID_REQUEST, detail).at(field, null).exception();
    }
}
