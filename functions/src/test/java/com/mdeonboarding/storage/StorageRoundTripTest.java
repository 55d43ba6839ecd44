package com.mdeonboarding.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.models.QueueMessageItem;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.GuestRun;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.RunHandle;
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
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * Insert Entity and Update Entity answer the new ETag in a header (Learn, Table service REST API, "Update Entity",
     * response headers), so a state write is one Storage request, and the ETag it returns guards the next write.
     */
    @Test
    void aStateRowWriteIsOneRequestAndTheEtagItReturnsGuardsTheNextWrite() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        AtomicInteger requests = new AtomicInteger();
        TableClient counted = new TableClientBuilder().connectionString(Azurite.get().connectionString()).tableName("State" + suffix)
                .addPolicy((context, next) -> {
                    requests.incrementAndGet();
                    return next.process();
                }).buildClient();
        counted.createTable();
        MachineStateStore store = new MachineStateStore(counted, clients().table("History" + suffix));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        MachineRecord claim = new MachineRecord(VM, DecisionKind.PENDING, List.of(ReasonCode.GUEST_CHECK_RUNNING), Optional.of("claimed"),
                MachineRecord.ExtensionHistory.none(), Optional.empty(), new MachineRecord.Provenance(now, now, "corr-6", "event", 1),
                Optional.empty());
        requests.set(0);
        MachineRecord claimed = store.put(claim);
        MachineRecord recorded = store.put(new MachineRecord(VM, DecisionKind.DEPLOY, List.of(ReasonCode.EXTENSION_MISSING), Optional.empty(),
                MachineRecord.ExtensionHistory.none(), Optional.empty(), new MachineRecord.Provenance(now, now, "corr-6", "event", 1),
                claimed.etag()));
        assertEquals(2, requests.get(), "an insert and an update, no read back");
        assertEquals(recorded.etag(), store.get(VM).orElseThrow().etag(), "the ETag a write returns is the row's");
        assertThrows(MachineStateStore.ConcurrentUpdateException.class, () -> store.put(claimed), "the claim's ETag is stale now");
    }

    @Test
    void aWriteResponseEtagIsTakenAsIfMatchTakesIt() {
        String azure = "W/\"datetime'2021-10-15T16%3A13%3A12.9366343Z'\"";
        assertEquals(Optional.of(azure), MachineStateStore.etagHeader(azure), "Azure's header, as the entity's odata.etag");
        assertEquals(Optional.of(azure), MachineStateStore.etagHeader(azure.substring(0, azure.length() - 1)),
                "Azurite 3.37's header lacks the closing quote");
        assertEquals(Optional.of("\"0x8DA7073A2000D1C\""), MachineStateStore.etagHeader("\"0x8DA7073A2000D1C\""));
        assertEquals(Optional.empty(), MachineStateStore.etagHeader(null));
        assertEquals(Optional.empty(), MachineStateStore.etagHeader(" "));
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

    /**
     * Issue 23, item 1: a write that was stored but whose answer was lost. The proxy answers every stored entity write 503;
     * the SDK's retry then meets the write it already made: 409 for the insert, 412 for the update, 409 for the history
     * insert. Each is recognised as our own (the row carries this write's token; a history key is unique to its entry) and
     * counts as done. Before, the 409/412 became ConcurrentUpdateException: a lost race with no follow-up (LOST_RACE), or
     * a failed job for the history insert.
     */
    @Test
    void aWriteWhoseAnswerWasLostCountsAsDoneNotAsALostRace() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String cs = Azurite.get().connectionString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("TableEndpoint=http://127\\.0\\.0\\.1:([0-9]+)/").matcher(cs);
        assertTrue(m.find());
        int port = Integer.parseInt(m.group(1));
        clients().table("State" + suffix);
        clients().table("History" + suffix);
        try (com.mdeonboarding.testing.LossyStorageProxy lossy = com.mdeonboarding.testing.LossyStorageProxy.to(port, 1.0, 7)) {
            String viaProxy = cs.replace(":" + port + "/", ":" + lossy.port() + "/");
            MachineStateStore store = new MachineStateStore(
                    new TableClientBuilder().connectionString(viaProxy).tableName("State" + suffix).buildClient(),
                    new TableClientBuilder().connectionString(viaProxy).tableName("History" + suffix).buildClient());
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            MachineRecord claim = new MachineRecord(VM, DecisionKind.DEPLOY, List.of(ReasonCode.EXTENSION_MISSING), Optional.empty(),
                    MachineRecord.ExtensionHistory.none(), Optional.empty(), new MachineRecord.Provenance(now, now, "corr-lost", "event", 1),
                    Optional.empty());
            MachineRecord inserted = store.put(claim);
            MachineRecord updated = store.put(new MachineRecord(VM, DecisionKind.PENDING, List.of(ReasonCode.EXTENSION_PROVISIONING),
                    Optional.empty(), MachineRecord.ExtensionHistory.none(), Optional.empty(),
                    new MachineRecord.Provenance(now, now, "corr-lost", "event", 1), inserted.etag()));
            store.appendHistory(updated, List.of("DEPLOY_EXTENSION"));
            assertEquals(3, lossy.lost(), "each of the three writes was stored and its answer lost");
            assertEquals(DecisionKind.PENDING, store.get(VM).orElseThrow().kind());
            assertEquals(updated.etag(), store.get(VM).orElseThrow().etag(), "the ETag read back after the 412 is the row's");
            assertEquals(1, store.history(VM, 10).size(), "one history entry, not two");
        }
    }

    /** A Run Command under way round-trips in the state row: a VM's operation URLs, an Arc run command's name, a bare claim. */
    @Test
    void theRunCommandUnderWayRoundTripsInTheStateRow() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        StorageClients c = clients();
        MachineStateStore store = new MachineStateStore(c.table("State" + suffix), c.table("History" + suffix));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String base = "https://management.azure.com/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/providers/Microsoft.Compute"
                + "/locations/westeurope/operations/4f1e5e1a-0d7e-4a55-9a52-0a7f1b7a7c11";
        List<GuestRun> runs = List.of(
                new GuestRun(GuestRun.Purpose.GUEST_CHECK, "windows-downlevel.ps1", Optional.of(new RunHandle.VmOperation(
                        Optional.of(base + "?api-version=2024-07-01"), Optional.of(base + "?monitor=true&api-version=2024-07-01"))), now, 1),
                new GuestRun(GuestRun.Purpose.GUEST_CHECK, "windows-downlevel.ps1", Optional.of(new RunHandle.VmOperation(Optional.empty(),
                        Optional.of(base + "?monitor=true&api-version=2024-07-01"))), now, 1),
                new GuestRun(GuestRun.Purpose.PASSIVE_MODE, "set-passive-mode.ps1",
                        Optional.of(new RunHandle.ArcRunCommand("mde-onboarding-set-passive-mode")), now.minusSeconds(30), 2),
                GuestRun.claimed(GuestRun.Purpose.GUEST_CHECK, "linux-conflicts.sh", now, 1));
        Optional<String> etag = Optional.empty();
        for (GuestRun run : runs) {
            MachineRecord s = new MachineRecord(VM, DecisionKind.PENDING, List.of(ReasonCode.GUEST_CHECK_RUNNING), Optional.of("running"),
                    MachineRecord.ExtensionHistory.none(), new MachineRecord.Guest(Optional.empty(), Optional.of(run)),
                    new MachineRecord.Provenance(now, now, "corr-5", "event", 1), etag);
            etag = store.put(s).etag();
            assertEquals(Optional.of(run), store.get(VM).orElseThrow().guestRun(), run.toString());
        }
        // Once read to its end the row records none (the columns go with a REPLACE write).
        MachineRecord done = new MachineRecord(VM, DecisionKind.DEPLOY, List.of(ReasonCode.EXTENSION_MISSING), Optional.empty(),
                MachineRecord.ExtensionHistory.none(), Optional.empty(), new MachineRecord.Provenance(now, now, "corr-5", "event", 1), etag);
        store.put(done);
        assertEquals(Optional.empty(), store.get(VM).orElseThrow().guestRun());
    }
}
