package com.mdeonboarding.decide;

import com.mdeonboarding.model.DeviceRecord;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.Sensor;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The sweep's side of the join: every device record listed once, kept per Azure resource ID (lower case) as the record
 * seen last ({@link DeviceRecord#SEEN_LAST}) and a count, so that each machine streamed from Resource Graph is joined by a
 * map look-up. Records that name no resource ID are counted but not kept: the sweep's machine rows carry no vmId to join
 * them by (the per-machine look does, {@link SensorMatch}). Memory: only what the report and the drift rule need is kept
 * (the key, the device ID, two statuses shared between entries, two times, a count): about 350 bytes per device with a
 * resource ID, so some 35 MB for 100,000 devices.
 */
public final class DeviceIndex {
    private final Map<String, Entry> byResourceId = new HashMap<>();
    private final Map<String, String> statuses = new HashMap<>();
    private long records;
    private long withoutResourceId;
    private long notOnboarded;

    /** The record seen last, reduced; times in epoch milliseconds (Long.MIN_VALUE: not reported). */
    private record Entry(String deviceId, String onboardingStatus, String healthStatus, long lastSeen, long firstSeen, int count) {
        /** As {@link DeviceRecord#SEEN_LAST}. */
        boolean seenAfter(Entry o) {
            if (lastSeen != o.lastSeen) {
                return lastSeen > o.lastSeen;
            }
            if (firstSeen != o.firstSeen) {
                return firstSeen > o.firstSeen;
            }
            return deviceId.compareTo(o.deviceId) > 0;
        }
    }

    public void add(DeviceRecord d) {
        records++;
        if (!d.onboarded()) {
            notOnboarded++;
        }
        Optional<String> resource = d.azureResourceId().map(String::trim).filter(r -> !r.isEmpty());
        if (resource.isEmpty()) {
            withoutResourceId++;
            return;
        }
        Entry e = new Entry(d.deviceId(), shared(d.onboardingStatus()), shared(d.healthStatus()), millis(d.lastSeen()), millis(d.firstSeen()), 1);
        byResourceId.merge(resource.get().toLowerCase(Locale.ROOT), e, (a, b) -> {
            Entry last = b.seenAfter(a) ? b : a;
            return new Entry(last.deviceId(), last.onboardingStatus(), last.healthStatus(), last.lastSeen(), last.firstSeen(),
                    a.count() + b.count());
        });
    }

    /** The machine's sensor as the listing shows it: verified, with the record seen last and the count (0: not seen). */
    public Sensor sensorOf(MachineId machine) {
        Entry e = byResourceId.get(machine.key());
        if (e == null) {
            return new Sensor(true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);
        }
        return new Sensor(true, Optional.of(e.deviceId()), Optional.of(e.onboardingStatus()), Optional.of(e.healthStatus()),
                e.lastSeen() == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(e.lastSeen())), e.count());
    }

    /** Device records listed. */
    public long records() {
        return records;
    }

    /** Records without a {@code vmMetadata.resourceId} (not joinable by the sweep). */
    public long withoutResourceId() {
        return withoutResourceId;
    }

    /** Records whose onboarding status is not Onboarded (e.g. CanBeOnboarded: discovered, not onboarded). */
    public long notOnboarded() {
        return notOnboarded;
    }

    /** The few status values, held once. */
    private String shared(String s) {
        return statuses.computeIfAbsent(s, k -> k);
    }

    private static long millis(Optional<Instant> t) {
        return t.map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
    }
}
