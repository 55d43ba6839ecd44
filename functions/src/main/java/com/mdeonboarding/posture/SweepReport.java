package com.mdeonboarding.posture;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import java.util.Map;

/**
 * What one sweep found and did: posture per subscription (drift found and fixed), machine coverage by
 * status and by last decision / reason code, jobs queued, duration and Resource Manager calls.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepReport(
        String sweepId,
        String startedAt,
        String finishedAt,
        long durationMillis,
        String mode,
        boolean dryRun,
        int subscriptionsInScope,
        long machines,
        Map<String, Long> coverage,
        Map<String, Long> lastDecisions,
        Map<String, Long> lastReasons,
        long jobsQueued,
        Calls calls,
        List<SubscriptionReport> subscriptions,
        List<String> errors,
        List<String> machinesNeedingWork) {

    /** Resource Manager requests made by this sweep (every retry counts), split by kind. */
    public record Calls(long total, long reads, long writes, long resourceGraphRequests, long settingsReads) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriptionReport(
            String subscriptionId,
            String pricingTier,
            String subPlan,
            String enforce,
            Boolean wdatp,
            Boolean unifiedSolution,
            Boolean excludeLinux,
            String settingsReadAt,
            List<String> drift,
            List<String> fixed,
            long machines,
            long machinesNeedingJob) {
    }

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SweepReport fromJson(String json) {
        try {
            return JSON.readValue(json, SweepReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a sweep report: " + e.getOriginalMessage());
        }
    }

    /** One line for the log. */
    public String summary() {
        return "sweep " + sweepId + " (" + mode + (dryRun ? ", dry run" : "") + "): " + subscriptionsInScope + " subscriptions, "
                + machines + " machines " + coverage + ", " + jobsQueued + " jobs queued, drift fixed in "
                + subscriptions.stream().filter(s -> !s.fixed().isEmpty()).count() + " subscriptions, "
                + calls.total() + " Resource Manager calls, " + durationMillis + " ms" + (errors.isEmpty() ? "" : ", " + errors.size() + " errors");
    }
}
