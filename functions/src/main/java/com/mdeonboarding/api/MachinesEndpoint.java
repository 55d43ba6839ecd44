package com.mdeonboarding.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.sweep.EstateFilter;
import com.mdeonboarding.sweep.EstateNow;
import com.mdeonboarding.sweep.SweepReportStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code GET /api/machines[?subscription=&resourceGroup=&kind=&standing=&decision=&reason=&family=&after=&limit=&format=json|csv]}:
 * the machines in scope now, filtered, in key order, a page at a time; JSON or CSV with the same columns
 * ({@link MachineList}). The next page starts {@code after} the last resource ID of this one ({@code next}, and a
 * {@code Link: <...>; rel="next"} header); {@code total} counts every match.
 */
public final class MachinesEndpoint extends Endpoint {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 5000;
    static final String PATH = "/api/machines";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SweepReportStore reports;
    private final EstateNow estate;
    private final MachineList.Portals portals;

    public MachinesEndpoint(SweepReportStore reports, EstateNow estate, MachineList.Portals portals) {
        this.reports = reports;
        this.estate = estate;
        this.portals = portals;
    }

    public static MachinesEndpoint from(Services s) {
        return new MachinesEndpoint(s.reports, s.estateNow, MachineList.Portals.of(s.settings.azureCloud()));
    }

    @Override
    protected String method() {
        return "GET";
    }

    @Override
    protected String name() {
        return "GET " + PATH;
    }

    /** One page of the filtered list. */
    record Page(EstateView view, EstateFilter filter, List<EstateNow.Machine> machines, long total, Optional<MachineId> next) {
    }

    /** The page after {@code after} (exclusive), at most {@code limit} machines. */
    static Page page(EstateView view, EstateFilter filter, Optional<MachineId> after, int limit) {
        List<EstateNow.Machine> all = view.now().matching(filter);
        String from = after.map(EstateNow::sortKey).orElse("");
        List<EstateNow.Machine> rest = all.stream().filter(m -> EstateNow.sortKey(m.id()).compareTo(from) > 0).toList();
        List<EstateNow.Machine> page = rest.subList(0, Math.min(limit, rest.size()));
        Optional<MachineId> next = rest.size() > limit ? Optional.of(page.get(page.size() - 1).id()) : Optional.empty();
        return new Page(view, filter, page, all.size(), next);
    }

    @Override
    protected ApiResponse answer(ApiRequest request, String correlationId, Logger log) {
        List<String> known = new ArrayList<>(EstateFilter.PARAMETERS);
        known.addAll(List.of("after", "limit", "format"));
        onlyParameters(request, known.toArray(String[]::new));
        EstateFilter filter = EstateView.filter(request);
        Optional<MachineId> after = request.queryParameter("after").map(String::trim).filter(a -> !a.isEmpty())
                .map(a -> MachineId.tryParse(a).orElseThrow(() -> Problem.of(Problem.Type.INVALID_REQUEST, "after must be the resource ID"
                        + " of the last machine of the previous page (its 'next'); got '" + Text.printable(a, 120) + "'").at("after", null)
                        .exception()));
        int limit = limit(request);
        boolean csv = format(request);
        EstateView view = EstateView.load(reports, estate).orElseThrow(() -> Problem.of(Problem.Type.NOT_FOUND, "no sweep has been"
                + " recorded yet, so the machines in scope are not known; start one with POST /api/sweeps or 'mde-onboarding sweep'")
                .exception());
        Page p = page(view, filter, after, limit);
        List<List<String>> rows = p.machines().stream().map(m -> MachineList.cells(m, view.subscriptionNames(), portals)).toList();
        Map<String, String> nextQuery = new LinkedHashMap<>(filter.query());
        p.next().ifPresent(n -> nextQuery.put("after", n.id()));
        if (limit != DEFAULT_LIMIT) {
            nextQuery.put("limit", String.valueOf(limit));
        }
        if (csv) {
            nextQuery.put("format", "csv");
        }
        request.queryParameter("code").ifPresent(c -> nextQuery.put("code", c));
        String nextLink = p.next().isPresent() ? Html.url(PATH, nextQuery) : null;
        log.fine("[correlationId=" + correlationId + "] machines: " + p.machines().size() + " of " + p.total() + " listed");
        ApiResponse response;
        if (csv) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "text/csv; charset=utf-8; header=present");
            h.put("Content-Disposition", "attachment; filename=\"machines.csv\"");
            h.put("Cache-Control", "no-store");
            h.put("X-Content-Type-Options", "nosniff");
            response = new ApiResponse(200, h, MachineList.csv(rows));
        } else {
            ObjectNode body = JSON.createObjectNode();
            body.put("asOf", view.now().asOf().toString());
            body.put("sweepId", view.report().sweepId());
            ObjectNode f = body.putObject("filter");
            filter.query().forEach(f::put);
            body.put("total", p.total());
            ArrayNode machines = body.putArray("machines");
            rows.forEach(r -> machines.add(MachineList.json(r)));
            body.put("next", p.next().map(MachineId::id).orElse(null));
            body.put("nextLink", nextLink);
            response = ApiResponse.json(200, body);
        }
        response = response.withHeader("X-Total-Count", String.valueOf(p.total()));
        return nextLink == null ? response : response.withHeader("Link", "<" + nextLink + ">; rel=\"next\"");
    }

    private static int limit(ApiRequest request) {
        String v = request.queryParameter("limit").map(String::trim).orElse(String.valueOf(DEFAULT_LIMIT));
        if (v.matches("^[0-9]{1,4}$")) {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        }
        throw Problem.of(Problem.Type.INVALID_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT + "; got '"
                + Text.printable(v, 40) + "'").at("limit", null).exception();
    }

    /** True for CSV: {@code format=csv}, or no format and an Accept header that asks for text/csv. */
    private static boolean format(ApiRequest request) {
        Optional<String> f = request.queryParameter("format").map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty());
        if (f.isPresent()) {
            return switch (f.get()) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw Problem.of(Problem.Type.INVALID_REQUEST, "format must be json or csv; got '" + Text.printable(f.get(), 40)
                        + "'").at("format", null).exception();
            };
        }
        return request.header("Accept").map(a -> a.toLowerCase(Locale.ROOT).contains("text/csv")).orElse(false);
    }
}
