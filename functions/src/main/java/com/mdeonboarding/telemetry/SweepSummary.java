package com.mdeonboarding.telemetry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One sweep, as Application Insights receives it (one {@code traces} row, these fields as {@code customDimensions}; names in
 * {@link #dimensions()}).
 *
 * @param sweepId        the sweep's ID
 * @param mode           observe / onboard / enforce
 * @param dryRun         nothing was written
 * @param durationMillis how long it took
 * @param counts         what it saw and did
 * @param sensors        what the Defender for Endpoint API said
 * @param errors         what went wrong (each one line)
 */
public record SweepSummary(String sweepId, String mode, boolean dryRun, long durationMillis, Counts counts, Sensors sensors,
                           List<String> errors) {
    /**
     * @param subscriptions        subscriptions swept
     * @param machines             machines seen
     * @param coverage             machines by coverage status (ONBOARDED, IN_PROGRESS, NEEDS_JOB, EXCLUDED, BACKING_OFF, ...)
     * @param driftSubscriptions   subscriptions whose posture differs from the desired one
     * @param driftFixed           of those, subscriptions fixed by this sweep (enforce mode)
     * @param jobsQueued           jobs the sweep put on the queue (or reconciled inline)
     * @param resourceManagerCalls Resource Manager requests it made
     * @param throttled            of those, answered 429
     */
    public record Counts(int subscriptions, long machines, Map<String, Long> coverage, long driftSubscriptions, long driftFixed,
                         long jobsQueued, long resourceManagerCalls, long throttled) {
        public Counts {
            coverage = Map.copyOf(coverage);
        }
    }

    /**
     * @param extensionSucceeded machines whose MDE extension is Succeeded
     * @param protectedMachines  of those, machines whose sensor is Active
     * @param checked            the device list was read
     * @param permissionMissing  the device list was refused with 401/403 (the identity lacks Machine.Read.All)
     */
    public record Sensors(long extensionSucceeded, long protectedMachines, boolean checked, boolean permissionMissing) {
    }

    /** The value of {@code customDimensions.mdeRecord} on a sweep record. */
    public static final String KIND = "sweep";
    /** Longest error text carried (a customDimensions value holds at most 8,192 characters). */
    static final int MAX_ERROR_TEXT = 2_000;

    public SweepSummary {
        Objects.requireNonNull(sweepId, "sweepId");
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(sensors, "sensors");
        errors = List.copyOf(errors);
    }

    /** protected / extensionSucceeded, 0 when nothing succeeded. */
    public double protectedRatio() {
        return sensors.extensionSucceeded() == 0 ? 0 : (double) sensors.protectedMachines() / sensors.extensionSucceeded();
    }

    public Map<String, String> dimensions() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(Telemetry.RECORD, KIND);
        d.put("sweepId", sweepId);
        d.put("mode", mode);
        d.put("dryRun", Boolean.toString(dryRun));
        d.put("subscriptions", Integer.toString(counts.subscriptions()));
        d.put("machines", Long.toString(counts.machines()));
        // JSON object text: the workbook reads it with parse_json(); sorted for a stable order.
        d.put("coverage", new TreeMap<>(counts.coverage()).entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}")));
        d.put("extensionSucceeded", Long.toString(sensors.extensionSucceeded()));
        d.put("protected", Long.toString(sensors.protectedMachines()));
        d.put("protectedRatio", String.format(java.util.Locale.ROOT, "%.4f", protectedRatio()));
        d.put("sensorsChecked", Boolean.toString(sensors.checked()));
        d.put("defenderApiPermission", sensors.permissionMissing() ? "missing" : sensors.checked() ? "ok" : "unknown");
        d.put("driftSubscriptions", Long.toString(counts.driftSubscriptions()));
        d.put("driftFixed", Long.toString(counts.driftFixed()));
        d.put("jobsQueued", Long.toString(counts.jobsQueued()));
        d.put("resourceManagerCalls", Long.toString(counts.resourceManagerCalls()));
        d.put("throttled", Long.toString(counts.throttled()));
        d.put("durationMs", Long.toString(durationMillis));
        d.put("errors", Integer.toString(errors.size()));
        String text = String.join(" | ", errors);
        d.put("errorText", text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "..." : text);
        return d;
    }

    public String message() {
        return "sweep " + sweepId + " (" + mode + (dryRun ? ", dry run" : "") + "): " + counts.machines() + " machines, "
                + sensors.protectedMachines() + " protected of " + sensors.extensionSucceeded() + " with the extension Succeeded, "
                + counts.driftSubscriptions() + " subscriptions drifted, " + counts.resourceManagerCalls() + " Resource Manager calls, "
                + durationMillis + " ms, " + errors.size() + " errors";
    }
}
