package com.mdeonboarding.api;

import com.mdeonboarding.app.Services;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepReportStore;
import com.mdeonboarding.sweep.SweepRequestQueue;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code GET /api/posture[?sweepId=...]}: the latest stored sweep report (posture and coverage per subscription), or the
 * report of one sweep (202 while a sweep asked for with POST /api/sweeps has not finished).
 */
public final class PostureEndpoint extends Endpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SweepReportStore reports;

    public PostureEndpoint(SweepReportStore reports) {
        this.reports = reports;
    }

    public static PostureEndpoint from(Services s) {
        return new PostureEndpoint(s.reports);
    }

    @Override
    protected String method() {
        return "GET";
    }

    @Override
    protected String name() {
        return "GET /api/posture";
    }

    @Override
    protected ApiResponse answer(ApiRequest request, String correlationId, Logger log) {
        onlyParameters(request, "sweepId");
        Optional<String> sweepId = request.queryParameter("sweepId");
        if (sweepId.isEmpty()) {
            SweepReport report = reports.latest().orElseThrow(() -> Problem.of(Problem.Type.NOT_FOUND, "no sweep has been recorded yet;"
                    + " the compliance sweep runs on MDE_SWEEP_SCHEDULE, or start one with POST /api/sweeps").exception());
            return ApiResponse.json(200, report.toJson());
        }
        String id = sweepId.get();
        if (!SweepRequestQueue.SWEEP_ID.matcher(id).matches()) {
            throw Problem.of(Problem.Type.INVALID_REQUEST, "sweepId '" + Text.printable(id, 60) + "' is not a sweep ID (e.g."
                    + " 20261128T101435Z-89197854, as POST /api/sweeps answers)").at("sweepId", null).exception();
        }
        Optional<SweepReport> report = reports.get(id);
        if (report.isPresent()) {
            return ApiResponse.json(200, report.get().toJson());
        }
        Optional<Instant> requested = reports.requestedAt(id);
        if (requested.isPresent()) {
            // Asked for and not finished: come back (the report is written when the sweep ends).
            ObjectNode body = JSON.createObjectNode();
            body.put("sweepId", id);
            body.put("status", "queued");
            body.put("requestedAt", requested.get().toString());
            body.put("correlationId", correlationId);
            return ApiResponse.json(202, body).withHeader("Retry-After", "10");
        }
        throw Problem.of(Problem.Type.NOT_FOUND, "no sweep " + id + " was asked for or recorded").at("sweepId", null).exception();
    }
}
