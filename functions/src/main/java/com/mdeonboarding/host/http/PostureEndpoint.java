package com.mdeonboarding.host.http;

import com.mdeonboarding.host.Services;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepReportStore;
import java.util.logging.Logger;

/** {@code GET /api/posture}: the latest stored sweep report (posture and coverage per subscription). */
public final class PostureEndpoint extends Endpoint {
    private final SweepReportStore reports;

    public PostureEndpoint(SweepReportStore reports) {
        this.reports = reports;
    }

    public static PostureEndpoint from(Services s) {
        return new PostureEndpoint(s.reports);
    }

    @Override
    protected String name() {
        return "GET /api/posture";
    }

    @Override
    protected ApiResponse answer(ApiRequest request, String correlationId, Logger log) {
        onlyParameters(request);
        SweepReport report = reports.latest().orElseThrow(() -> Problem.of(Problem.Type.NOT_FOUND, "no sweep has been recorded yet;"
                + " the compliance sweep runs on MDE_SWEEP_SCHEDULE, or run 'mde-onboarding sweep'").exception());
        return ApiResponse.json(200, report.toJson());
    }
}
