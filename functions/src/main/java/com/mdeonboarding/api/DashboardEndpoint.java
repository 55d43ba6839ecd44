package com.mdeonboarding.api;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.decide.Estate;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.support.Parallel;
import com.mdeonboarding.sweep.EstateFilter;
import com.mdeonboarding.sweep.EstateNow;
import com.mdeonboarding.sweep.SweepReportStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code GET /api/dashboard[?subscription=&resourceGroup=&kind=&standing=&decision=&reason=&family=&after=]}: the coverage
 * dashboard, one self-contained HTML page rendered on the server ({@link DashboardPage}). Every number on it is counted from
 * the estate now ({@link EstateNow}: the state rows, and what the latest sweep saw of machines without one), narrowed by the
 * filter: the cards, the act-first list, the reasons, the subscriptions table and the machine list all follow it; the trend
 * follows the subscription and kind filters (past sweeps stored counts by those only) and says so otherwise.
 */
public final class DashboardEndpoint extends Endpoint {
    /** Sweeps in the trend chart. */
    public static final int TREND_SWEEPS = 30;
    /** Machines per page of the list. */
    public static final int PAGE_SIZE = 50;

    private final SweepReportStore reports;
    private final EstateNow estate;
    private final MachineList.Portals portals;
    private final Clock clock;

    public DashboardEndpoint(SweepReportStore reports, EstateNow estate, MachineList.Portals portals, Clock clock) {
        this.reports = reports;
        this.estate = estate;
        this.portals = portals;
        this.clock = clock;
    }

    public static DashboardEndpoint from(Services s) {
        return new DashboardEndpoint(s.reports, s.estateNow, MachineList.Portals.of(s.settings.azureCloud()), s.clock);
    }

    @Override
    protected String name() {
        return "GET /api/dashboard";
    }

    @Override
    protected String method() {
        return "GET";
    }

    /** One point of the trend: a stored sweep's protected machines of all it counted (within the filter). */
    record TrendPoint(String sweepId, String startedAt, long protectedMachines, long machines) {
    }

    /** Everything the page shows. {@code trend} is empty when the filter is one the stored sweeps cannot follow. */
    record View(EstateView estate, EstateFilter filter, Optional<MachineId> after, MachinesEndpoint.Page machines,
                Optional<List<TrendPoint>> trend, Optional<String> functionKey, MachineList.Portals portals, String generatedAt) {
    }

    @Override
    protected ApiResponse answer(ApiRequest request, String correlationId, Logger log) {
        List<String> known = new ArrayList<>(EstateFilter.PARAMETERS);
        known.add("after");
        onlyParameters(request, known.toArray(String[]::new));
        EstateFilter filter = EstateView.filter(request);
        Optional<MachineId> after = request.queryParameter("after").map(String::trim).filter(a -> !a.isEmpty())
                .map(a -> MachineId.tryParse(a).orElseThrow(() -> Problem.of(Problem.Type.INVALID_REQUEST,
                        "after must be the resource ID of the last machine of the previous page; got '" + Text.printable(a, 120) + "'")
                        .at("after", null).exception()));
        Optional<EstateView> loaded = EstateView.load(reports, estate);
        if (loaded.isEmpty()) {
            return DashboardPage.response(404, DashboardPage.noSweep(clock.instant().toString()));
        }
        EstateView view = loaded.get();
        // The list: what needs someone (blocked, then on its way) unless the filter names the standings to show.
        EstateFilter listed = filter.standings().isEmpty() ? filter.withStandings(List.of(Estate.Standing.BLOCKED, Estate.Standing.PENDING))
                : filter;
        MachinesEndpoint.Page page = MachinesEndpoint.page(view, listed, after, PAGE_SIZE);
        Optional<List<TrendPoint>> trend = trend(filter);
        log.fine("[correlationId=" + correlationId + "] dashboard: sweep " + view.report().sweepId() + ", " + view.now().machines().size()
                + " machines in scope as of " + view.now().asOf() + ", " + page.machines().size() + " listed");
        return DashboardPage.response(200, DashboardPage.render(new View(view, filter, after, page, trend,
                request.queryParameter("code").filter(c -> !c.isBlank()), portals, clock.instant().toString())));
    }

    /**
     * The stored sweeps' protected share: overall, of one kind, or of one subscription (a point read per sweep, at once);
     * empty for a filter the stored counts do not have (resource group, standing, decision, reason, family).
     */
    private Optional<List<TrendPoint>> trend(EstateFilter f) {
        if (f.resourceGroup().isPresent() || !f.standings().isEmpty() || f.decision().isPresent() || f.reason().isPresent()
                || f.family().isPresent()) {
            return Optional.empty();
        }
        List<SweepReportStore.StoredSweep> recent = reports.recent(TREND_SWEEPS);
        List<Optional<Estate.Counts>> counts = new ArrayList<>();
        recent.forEach(s -> counts.add(Optional.empty()));
        if (f.subscription().isPresent()) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < recent.size(); i++) {
                idx.add(i);
            }
            Parallel.forEach(idx, 8, i -> {
                Optional<Estate.Counts> c = reports.estateOf(recent.get(i).summary().sweepId(), f.subscription().get());
                synchronized (counts) {
                    counts.set(i, c);
                }
            });
        } else {
            for (int i = 0; i < recent.size(); i++) {
                counts.set(i, recent.get(i).estate());
            }
        }
        List<TrendPoint> out = new ArrayList<>();
        for (int i = recent.size() - 1; i >= 0; i--) {
            SweepReportStore.StoredSweep s = recent.get(i);
            Optional<Estate.Counts> c = counts.get(i);
            long machines;
            long prot;
            if (c.isPresent() && f.kind().isPresent()) {
                machines = c.get().ofKind(f.kind().get());
                prot = c.get().ofKind(f.kind().get(), Estate.Standing.PROTECTED);
            } else if (c.isPresent()) {
                machines = c.get().machines();
                prot = c.get().standing(Estate.Standing.PROTECTED);
            } else if (f.subscription().isEmpty() && f.kind().isEmpty()) {
                machines = s.summary().machines();
                prot = s.summary().coverage().getOrDefault("ONBOARDED", 0L);
            } else {
                continue;
            }
            out.add(new TrendPoint(s.summary().sweepId(), s.summary().run().startedAt(), prot, machines));
        }
        return Optional.of(out);
    }
}
