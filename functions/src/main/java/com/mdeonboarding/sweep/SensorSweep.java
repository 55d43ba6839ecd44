package com.mdeonboarding.sweep;

import com.mdeonboarding.azure.CallCounter;
import com.mdeonboarding.azure.DefenderApiException;
import com.mdeonboarding.azure.DefenderEndpoint;
import com.mdeonboarding.decide.DeviceIndex;
import com.mdeonboarding.decide.SensorRules;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.Sensor;
import com.mdeonboarding.model.SensorHealth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The sweep's sensor part: the Defender for Endpoint device list read once (ceil(devices / 10,000) calls), joined by
 * resource ID to each machine streamed from Resource Graph whose extension Succeeded; machines counted by sensor health,
 * and a job for each whose sensor health changed since its last look ({@link SensorRules#driftedSinceLastLook}), at most
 * {@value #JOBS_PER_SWEEP} per sweep (each job's look is one API call, out of 1,500 an hour; the rest wait for the next
 * sweep). The API not permitted or unreachable is one report error, not one per machine.
 */
final class SensorSweep {
    /** Sensor-drift jobs per sweep: a third of the API's hourly budget. */
    static final int JOBS_PER_SWEEP = 500;
    /** Health classes counted for machines whose extension Succeeded, in report order. */
    static final String NOT_SEEN = "NOT_SEEN";
    static final String NOT_ONBOARDED = "NOT_ONBOARDED";
    static final String UNVERIFIED = "UNVERIFIED";

    private final DeviceIndex index;
    private final String cause;
    private final long calls;
    /** The device list was refused with 401/403: the identity lacks Machine.Read.All (the sweep record's alert). */
    private boolean permissionDenied;
    private final Map<String, Long> health = new LinkedHashMap<>();
    private long extensionSucceeded;
    private long jobs;
    private long deferred;

    private SensorSweep(DeviceIndex index, String cause, long calls) {
        this.index = index;
        this.cause = cause;
        this.calls = calls;
        for (SensorHealth h : SensorHealth.values()) {
            health.put(h.name(), 0L);
        }
        health.put(NOT_ONBOARDED, 0L);
        health.put(NOT_SEEN, 0L);
        health.put(UNVERIFIED, 0L);
    }

    /** The Defender for Endpoint API refused the device list for want of permission (401/403). */
    boolean permissionDenied() {
        return permissionDenied;
    }

    /** Lists the devices once (when the check is on); a failure is noted once in {@code errors}. */
    static SensorSweep start(boolean enabled, DefenderEndpoint api, CallCounter counter, List<String> errors, Logger log, String tag) {
        if (!enabled) {
            return new SensorSweep(null, "sensor check is off (MDE_SENSOR_CHECK=off)", 0);
        }
        long before = counter.total();
        DeviceIndex index = new DeviceIndex();
        try {
            api.forEachDevice(index::add);
        } catch (DefenderApiException e) {
            String cause = e.getMessage();
            errors.add("sensor check: " + cause);
            log.warning(tag + "sensor check unavailable for this sweep: " + cause);
            SensorSweep failed = new SensorSweep(null, cause, counter.total() - before);
            failed.permissionDenied = e.permissionDenied();
            return failed;
        }
        return new SensorSweep(index, null, counter.total() - before);
    }

    /** For a machine whose extension Succeeded: counts its sensor; true when it should get a job for its sensor. */
    boolean needsJob(MachineId id, Optional<MachineRecord> last, boolean dryRun) {
        extensionSucceeded++;
        if (index == null) {
            health.merge(UNVERIFIED, 1L, Long::sum);
            return false;
        }
        Sensor now = index.sensorOf(id);
        health.merge(now.records() == 0 ? NOT_SEEN : now.health().map(Enum::name).orElse(NOT_ONBOARDED), 1L, Long::sum);
        if (!SensorRules.driftedSinceLastLook(now, last.flatMap(r -> r.extension().sensor()))) {
            return false;
        }
        if (jobs >= JOBS_PER_SWEEP) {
            deferred++;
            return false;
        }
        if (!dryRun) {
            jobs++;
        }
        return !dryRun;
    }

    /** The device list shows this machine's sensor Active (false when there is no list: check off or unavailable). */
    boolean reportsActive(MachineId id) {
        return index != null && index.sensorOf(id).health().map(h -> h == SensorHealth.ACTIVE).orElse(false);
    }

    long jobs() {
        return jobs;
    }

    SweepReport.SensorTotals totals() {
        return new SweepReport.SensorTotals(index != null, cause, extensionSucceeded, health.get(SensorHealth.ACTIVE.name()),
                new LinkedHashMap<>(health), jobs, deferred,
                new SweepReport.DeviceListing(index == null ? 0 : index.records(), index == null ? 0 : index.withoutResourceId(),
                        index == null ? 0 : index.notOnboarded(), calls));
    }
}
