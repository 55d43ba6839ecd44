package com.mdeonboarding.api;

import com.mdeonboarding.sweep.EstateFilter;
import com.mdeonboarding.sweep.EstateNow;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepReportStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the dashboard and {@code GET /api/machines} both start from: the latest sweep's report (the subscriptions in scope,
 * their posture and display names) and the estate now ({@link EstateNow}), and the request's filter, validated.
 */
record EstateView(SweepReport report, EstateNow.Snapshot now, Map<String, String> subscriptionNames) {

    /** Empty when no sweep has been recorded yet. */
    static Optional<EstateView> load(SweepReportStore reports, EstateNow estate) {
        Optional<SweepReport> report = reports.latest();
        if (report.isEmpty()) {
            return Optional.empty();
        }
        SweepReport r = report.get();
        List<String> inScope = r.subscriptions().stream().map(SweepReport.SubscriptionReport::subscriptionId).toList();
        Map<String, String> names = new HashMap<>();
        r.subscriptions().forEach(s -> {
            if (s.displayName() != null && !s.displayName().isBlank()) {
                names.put(s.subscriptionId(), s.displayName());
            }
        });
        return Optional.of(new EstateView(r, estate.now(r.sweepId(), inScope), Map.copyOf(names)));
    }

    /** The request's filter; a bad value is a 400 that names the parameter. */
    static EstateFilter filter(ApiRequest request) {
        return filter(request::queryParameter);
    }

    static EstateFilter filter(Function<String, Optional<String>> values) {
        try {
            return EstateFilter.parse(values);
        } catch (EstateFilter.InvalidFilterException e) {
            throw Problem.of(Problem.Type.INVALID_REQUEST, e.getMessage()).at(e.parameter(), null).exception();
        }
    }

    /** "Contoso Production (3f2b8c1e…)" or the ID when the name is unknown. */
    String subscriptionLabel(String id) {
        String name = subscriptionNames.get(id);
        return name == null ? id : name;
    }
}
