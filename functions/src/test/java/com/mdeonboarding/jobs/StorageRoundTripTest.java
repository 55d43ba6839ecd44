package com.mdeonboarding.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.models.QueueMessageItem;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.Sensor;
import com.mdeonboarding.testing.Azurite;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Real Azurite: queue messages and table rows round-trip exactly as the Functions host will see them. */
class StorageRoundTripTest {
    private static final MachineId VM = MachineId.parse(
            "/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/web-01");

    private static StorageClients clients() {
        return new StorageClients(new Settings.StorageSettings(Optional.of(Azurite.get().connectionString()), Optional.empty(),
                Optional.empty()), () -> {
                    throw new AssertionError("no identity needed with a connection string");
                });
    }

    @Test
    void jobRoundTripsThroughAzuriteAsBase64LikeTheFunctionsHostExpects() {
        String queueName = "jobs-" + UUID.randomUUID().toString().substring(0, 8);
        JobQueue queue = new JobQueue(clients().queue(queueName));
        OnboardingJob job = OnboardingJob.create(VM, JobSource.EVENT, Instant.parse("2026-11-28T10:00:00Z"));
        queue.enqueue(job);

        // Read back with a plain client (no decoding) to see the wire format the host reads.
        QueueClient raw = new QueueClientBuilder().connectionString(Azurite.get().connectionString()).queueName(queueName).buildClient();
        QueueMessageItem m = raw.receiveMessage();
        String decoded = new String(Base64.getDecoder().decode(m.getBody().toString()), StandardCharsets.UTF_8);
        OnboardingJob back = JobCodec.decode(decoded);
        assertEquals(job, back);
        assertTrue(decoded.contains("\"v\":1"), decoded);
    }

    @Test
    void delayedJobIsInvisibleUntilItsDelayPasses() {
        String queueName = "jobs-" + UUID.randomUUID().toString().substring(0, 8);
        JobQueue queue = new JobQueue(clients().queue(queueName));
        queue.enqueue(OnboardingJob.create(VM, JobSource.SWEEP, Instant.now()), Duration.ofSeconds(30));
        QueueClient raw = new QueueClientBuilder().connectionString(Azurite.get().connectionString()).queueName(queueName).buildClient();
        assertNull(raw.receiveMessage(), "a verify job must not be visible before its delay");
        assertEquals(1, raw.getProperties().getApproximateMessagesCount());
    }

    @Test
    void stateRowRoundTripsAndConcurrentWritersAreDetected() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        StorageClients c = clients();
        MachineStateStore store = new MachineStateStore(c.table("State" + suffix), c.table("History" + suffix));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        GuestCheckResult check = new GuestCheckResult(true, List.of(ReasonCode.PREREQ_KB2999226_MISSING), now, "KB2999226 missing");
        MachineRecord s = new MachineRecord(VM, DecisionKind.BLOCKED, List.of(ReasonCode.PREREQ_KB2999226_MISSING), Optional.of("detail"),
                MachineRecord.ExtensionHistory.none(), Optional.of(check), new MachineRecord.Provenance(now, now, "corr-1", "event", 1),
                Optional.empty());
        MachineRecord stored = store.put(s);
        assertTrue(stored.etag().isPresent());

        MachineRecord read = store.get(VM).orElseThrow();
        assertEquals(DecisionKind.BLOCKED, read.kind());
        assertEquals(List.of(ReasonCode.PREREQ_KB2999226_MISSING), read.reasons());
        assertEquals(check, read.guestCheck().orElseThrow());
        assertEquals(now, read.written().observedAt());

        // Mixed-case ID names the same row.
        assertTrue(store.get(MachineId.parse(VM.id().toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/")
                .replace("/RESOURCEGROUPS/", "/resourceGroups/").replace("/PROVIDERS/", "/providers/"))).isPresent());

        // Two writers holding the same ETag: the second loses.
        store.put(read);
        assertThrows(MachineStateStore.ConcurrentUpdateException.class, () -> store.put(read));
        // A second insert of a row that exists also loses.
        assertThrows(MachineStateStore.ConcurrentUpdateException.class, () -> store.put(s));

        store.appendHistory(read, List.of("DEPLOY_EXTENSION"));
        store.appendHistory(new MachineRecord(VM, DecisionKind.ONBOARDED, List.of(ReasonCode.EXTENSION_HEALTHY), Optional.empty(),
                new MachineRecord.ExtensionHistory(Optional.of("Succeeded"), 0, Optional.empty()), Optional.empty(),
                new MachineRecord.Provenance(now, now.plusSeconds(5), "corr-2", "event", 2), Optional.empty()), List.of());
        List<MachineStateStore.HistoryEntry> h = store.history(VM, 10);
        assertEquals(2, h.size());
        assertEquals("ONBOARDED", h.get(0).decision(), "newest first");
    }

    @Test
    void theSensorColumnsRoundTripInStateAndHistory() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        StorageClients c = clients();
        MachineStateStore store = new MachineStateStore(c.table("State" + suffix), c.table("History" + suffix));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Sensor sensor = new Sensor(true, Optional.of("1e5bc9d7e413ddd7902c2932e418702b84d0cc07"), Optional.of("Onboarded"),
                Optional.of("Inactive"), Optional.of(now.minusSeconds(3600)), 2);
        MachineRecord.ExtensionHistory ext = new MachineRecord.ExtensionHistory(Optional.of("Succeeded"), 0, Optional.of(now.minusSeconds(7200)))
                .withSensor(Optional.of(now.minusSeconds(7000)), Optional.of(now.minusSeconds(5000)), Optional.of(sensor));
        MachineRecord s = new MachineRecord(VM, DecisionKind.BLOCKED, List.of(ReasonCode.SENSOR_INACTIVE), Optional.of("device ..."), ext,
                Optional.empty(), new MachineRecord.Provenance(now, now, "corr-3", "sweep", 1), Optional.empty());
        store.appendHistory(store.put(s), List.of());
        MachineRecord read = store.get(VM).orElseThrow();
        assertEquals(ext, read.extension(), "succeededSince, reOnboardedAt and the sensor come back");
        assertEquals(Optional.of(sensor), store.history(VM, 1).get(0).sensor());

        // A row written before the sensor columns existed reads as "never looked at".
        MachineRecord old = new MachineRecord(VM, DecisionKind.ONBOARDED, List.of(ReasonCode.EXTENSION_HEALTHY), Optional.empty(),
                new MachineRecord.ExtensionHistory(Optional.of("Succeeded"), 0, Optional.empty()), Optional.empty(),
                new MachineRecord.Provenance(now, now, "corr-4", "event", 1), read.etag());
        store.put(old);
        assertEquals(Optional.empty(), store.get(VM).orElseThrow().extension().sensor());
        assertEquals(Optional.of(Sensor.unverified()), Sensor.of(com.mdeonboarding.model.SensorFacts.off()));
    }
}
