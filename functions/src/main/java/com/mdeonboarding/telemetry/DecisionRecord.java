package com.mdeonboarding.telemetry;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One decision about one machine, as Application Insights receives it: each field below becomes one {@code customDimensions}
 * key of a {@code traces} row (see {@link #dimensions()} for the names the workbook and alerts query). Carries IDs, codes and
 * counts only: never the decision's free-text detail (it quotes Azure and guest text), never a secret.
 *
 * @param job                  the job looked at: resource ID, subscription, machine kind, correlation ID, source, attempt
 * @param decision             the decision: ONBOARDED, DEPLOY, PENDING, SKIPPED or BLOCKED and its reason codes, most
 *                             important first (its free-text detail is not sent)
 * @param os                   the machine's OS type as the facts showed it (Windows / Linux / unknown); empty when the caller did
 *                             not have the facts in hand
 * @param sensorHealth         the Defender for Endpoint device's healthStatus as seen (Active, Inactive, ...), or empty when the
 *                             sensor was not looked at
 * @param duration             how long the reconcile took
 * @param resourceManagerCalls Resource Manager requests made for it (every retry counts)
 * @param dryRun               planned only, nothing written
 */
public record DecisionRecord(OnboardingJob job, Decision decision, Optional<String> os, Optional<String> sensorHealth,
                             Duration duration, long resourceManagerCalls, boolean dryRun) {
    /** The value of {@code customDimensions.mdeRecord} on a decision record. */
    public static final String KIND = "decision";

    public DecisionRecord {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(decision, "decision");
        os = os == null ? Optional.empty() : os;
        sensorHealth = sensorHealth == null ? Optional.empty() : sensorHealth;
        Objects.requireNonNull(duration, "duration");
    }

    /**
     * The reason family: the first reason code's first word (PLAN, INTEGRATION, OS, VM, ARC, EXTENSION, SENSOR, PREREQ,
     * GUEST, PASSIVE, JOB, ...), what the workbook groups BLOCKED machines by.
     */
    public String reasonFamily() {
        String first = decision.reasons().get(0).name();
        int cut = first.indexOf('_');
        return cut < 0 ? first : first.substring(0, cut);
    }

    /** The customDimensions of the trace, in a stable order. Every value is a string (Application Insights stores them so). */
    public Map<String, String> dimensions() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(Telemetry.RECORD, KIND);
        MachineId machine = job.machine();
        d.put("resourceId", machine.id());
        d.put("subscriptionId", machine.subscriptionId());
        d.put("machineKind", machine.kind().name());
        d.put("os", os.orElse("unknown"));
        d.put("decision", decision.kind().name());
        d.put("reasonCodes", reasonCodes());
        d.put("reasonFamily", reasonFamily());
        d.put("operatorSentence", decision.reasons().get(0).sentence());
        d.put("sensorHealth", sensorHealth.orElse("NotChecked"));
        d.put("correlationId", job.correlationId());
        d.put("jobSource", job.source().wire());
        d.put("attempt", Integer.toString(job.attempt()));
        d.put("durationMs", Long.toString(duration.toMillis()));
        d.put("resourceManagerCalls", Long.toString(resourceManagerCalls));
        d.put("dryRun", Boolean.toString(dryRun));
        return d;
    }

    /** The trace's message: one line an operator can read in the transaction search. */
    public String message() {
        return "decision " + decision.kind().name() + " " + reasonCodes() + " for " + job.machine().id() + " (" + job.source().wire()
                + ", attempt " + job.attempt() + ")" + (dryRun ? " [dry run]" : "");
    }

    private String reasonCodes() {
        return decision.reasons().stream().map(Enum::name).collect(Collectors.joining(","));
    }
}
