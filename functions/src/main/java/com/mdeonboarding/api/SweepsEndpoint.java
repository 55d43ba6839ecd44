package com.mdeonboarding.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.sweep.SweepReportStore;
import com.mdeonboarding.sweep.SweepRequestQueue;
import com.mdeonboarding.sweep.SweepService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code POST /api/sweeps}: a compliance sweep now, as the timer's (everything in scope, the configured mode). The
 * request is queued for the RunRequestedSweep function (see {@link SweepRequestQueue} for why not inline) and answered
 * 202 with the sweep's ID and a {@code Location} ({@code GET /api/posture?sweepId=...}: 202 while it waits or runs, 200
 * with its report when done). A sweep asked for while another asked for in the last {@link #JOIN_WINDOW} has not
 * finished joins that one, so repeated requests cannot pile up sweeps.
 */
public final class SweepsEndpoint extends Endpoint {
    /** Longer than a sweep may run (host.json functionTimeout is 10 minutes). */
    public static final Duration JOIN_WINDOW = Duration.ofMinutes(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SweepRequestQueue queue;
    private final SweepReportStore reports;
    private final Clock clock;

    public SweepsEndpoint(SweepRequestQueue queue, SweepReportStore reports, Clock clock) {
        this.queue = queue;
        this.reports = reports;
        this.clock = clock;
    }

    public static SweepsEndpoint from(Services s) {
        return new SweepsEndpoint(s.sweepRequests, s.reports, s.clock);
    }

    @Override
    protected String name() {
        return "POST /api/sweeps";
    }

    @Override
    protected String method() {
        return "POST";
    }

    @Override
    protected ApiResponse answer(ApiRequest request, String correlationId, Logger log) {
        onlyParameters(request);
        if (request.body().filter(b -> !b.isBlank()).isPresent()) {
            JsonNode body = JsonBody.read(request, 1024);
            if (!body.isObject() || body.size() > 0) {
                throw Problem.of(Problem.Type.INVALID_REQUEST, "the body must be empty or {}: a sweep covers everything in scope,"
                        + " in the configured mode (MDE_MODE)").exception();
            }
        }
        Instant now = clock.instant();
        Optional<String> pending = reports.pendingRequestSince(now.minus(JOIN_WINDOW));
        String sweepId;
        Instant requestedAt;
        if (pending.isPresent()) {
            sweepId = pending.get();
            requestedAt = reports.requestedAt(sweepId).orElse(now);
            log.info("[correlationId=" + correlationId + "] [sweepId=" + sweepId + "] a sweep asked for at " + requestedAt
                    + " has not finished; this request joins it");
        } else {
            sweepId = SweepService.newSweepId(now);
            requestedAt = now;
            try {
                reports.recordRequested(sweepId, now);
                queue.enqueue(new SweepRequestQueue.Requested(sweepId, now));
            } catch (RuntimeException e) {
                log.warning("[correlationId=" + correlationId + "] [sweepId=" + sweepId + "] could not queue the sweep: "
                        + com.mdeonboarding.model.Text.printable(String.valueOf(e.getMessage()), 300));
                throw Problem.of(Problem.Type.UNAVAILABLE, "the sweep could not be queued (Storage is unavailable); nothing was"
                        + " started, try again later").exception();
            }
            log.info("[correlationId=" + correlationId + "] [sweepId=" + sweepId + "] sweep queued");
        }
        String location = "/api/posture?sweepId=" + sweepId;
        ObjectNode body = JSON.createObjectNode();
        body.put("sweepId", sweepId);
        body.put("status", "queued");
        body.put("requestedAt", requestedAt.toString());
        body.put("report", location);
        body.put("correlationId", correlationId);
        return ApiResponse.json(202, body).withHeader("Location", location);
    }
}
