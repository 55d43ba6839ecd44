package com.mdeonboarding.storage;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.PagedIterable;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.GuestRun;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord.ExtensionHistory;
import com.mdeonboarding.model.MachineRecord.Provenance;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.RunHandle;
import com.mdeonboarding.model.Sensor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Latest decision per machine (state table, ETag-guarded) and an append-only history (history table).
 * State: PartitionKey = subscription ID, RowKey = encoded lower-case machine ID.
 * History: PartitionKey = encoded machine ID, RowKey = reversed timestamp (newest first).
 * Sensor columns (both tables, when the sensor was looked at): SensorVerified, SensorRecords, SensorDeviceId,
 * SensorOnboardingStatus, SensorHealthStatus, SensorLastSeen; the state row also keeps ExtensionSucceededSince and
 * ReOnboardedAt (the sensor's grace period and the one re-onboarding).
 * A Run Command under way (the guest check or passive mode, followed across looks: no worker waits on it), state row only:
 * GuestRunPurpose (GUEST_CHECK or PASSIVE_MODE), GuestRunScript, GuestRunStartedAt, GuestRunStarts, and Azure's name for
 * it: GuestRunOperation and GuestRunResult (a VM's operation status and result URLs) or GuestRunCommand (an Arc run
 * command's name), none of them while its start is claimed and not yet answered.
 */
public final class MachineStateStore {
    /** History entries of failed processing attempts carry this pseudo-decision. */
    public static final String ERROR = "ERROR";
    /** The column that names the write that stored a row (see {@link #put}). */
    static final String WRITE_TOKEN = "WriteToken";
    private final TableClient state;
    private final TableClient history;

    public MachineStateStore(TableClient state, TableClient history) {
        this.state = state;
        this.history = history;
    }

    /** Thrown when another worker wrote the row since we read it: the caller lost the race and stops. */
    public static final class ConcurrentUpdateException extends RuntimeException {
        public ConcurrentUpdateException(MachineId machine) {
            super("another worker updated the state of " + machine + " concurrently");
        }
    }

    /**
     * The machine's row, if any. A filtered query rather than a point read: the same one request, but a machine with no
     * row yet (the common case for a new machine) is an empty answer, not an exception the SDK logs as an error.
     */
    public Optional<MachineRecord> get(MachineId machine) {
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey eq '" + machine.subscriptionId()
                + "' and RowKey eq '" + rowKey(machine).replace("'", "''") + "'");
        for (TableEntity e : state.listEntities(options, null, Context.NONE)) {
            return Optional.of(fromEntity(machine, e));
        }
        return Optional.empty();
    }

    /**
     * Writes the state row: a new row must not exist yet, an existing one must still carry the ETag it was read with.
     * Returns the stored state with its new ETag.
     *
     * <p>Every write carries a fresh write token. The Storage SDK retries a write whose answer was lost (a timeout, a 503
     * after the service stored it); the retry then meets its own write and is answered 409 (insert) or 412 (update). So a
     * 409/412 is judged by reading the row: if it carries this write's token, the write went through and counts as done;
     * otherwise another writer got there first ({@link ConcurrentUpdateException}).
     */
    public MachineRecord put(MachineRecord s) {
        String token = UUID.randomUUID().toString();
        TableEntity e = toEntity(s).addProperty(WRITE_TOKEN, token);
        try {
            Response<Void> written;
            if (s.etag().isEmpty()) {
                written = state.createEntityWithResponse(e, null, Context.NONE);
            } else {
                e.getProperties().put("odata.etag", s.etag().get());
                written = state.updateEntityWithResponse(e, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
            }
            // Insert Entity and Update Entity answer the new ETag in a header (Learn, Table service REST API): no read back.
            return s.withEtag(etagHeader(written.getHeaders().getValue(HttpHeaderName.ETAG))
                    .orElseGet(() -> state.getEntity(e.getPartitionKey(), e.getRowKey()).getETag()));
        } catch (TableServiceException ex) {
            int status = ex.getResponse().getStatusCode();
            if (status == 409 || status == 412) {
                return ownWrite(s, token).orElseThrow(() -> new ConcurrentUpdateException(s.machine()));
            }
            throw ex;
        }
    }

    /** The row as stored, if the write with {@code token} is what is stored: our own write, whose answer was lost. */
    private Optional<MachineRecord> ownWrite(MachineRecord s, String token) {
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey eq '" + quote(s.machine().subscriptionId())
                + "' and RowKey eq '" + quote(rowKey(s.machine())) + "'");
        for (TableEntity e : state.listEntities(options, null, Context.NONE)) {
            return token.equals(str(e, WRITE_TOKEN)) ? Optional.of(s.withEtag(e.getETag())) : Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Rows whose next look was due before {@code before} (their follow-up job was lost, or is late), oldest first as the
     * table returns them, at most {@code limit}. Table storage has no secondary index: this is one filtered query over the
     * state table (1,000 rows a request); final rows carry no NextLookAt and never match.
     */
    public List<MachineRecord> overdue(Instant before, int limit) {
        ListEntitiesOptions options = new ListEntitiesOptions()
                .setFilter("NextLookAt lt datetime'" + before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + "'")
                .setTop(Math.max(1, Math.min(1000, limit)));
        List<MachineRecord> out = new ArrayList<>();
        for (TableEntity e : state.listEntities(options, null, Context.NONE)) {
            if (out.size() >= limit) {
                break;
            }
            MachineId.tryParse(str(e, "ResourceId")).ifPresent(m -> out.add(fromEntity(m, e)));
        }
        return out;
    }

    /**
     * The ETag of a write's response, as If-Match takes it. Azure sends the weak ETag the entity's odata.etag carries,
     * {@code W/"datetime'2026-12-01T13%3A44%3A51.2082867Z'"}; Azurite 3.37 sends it without the closing quote, which it
     * then refuses in If-Match (400), so a weak ETag missing that quote gets it back.
     */
    static Optional<String> etagHeader(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(header.startsWith("W/\"") && !header.endsWith("\"") ? header + "\"" : header);
    }

    public void appendHistory(MachineRecord s, List<String> actions) {
        Provenance w = s.written();
        TableEntity e = new TableEntity(rowKey(s.machine()), historyKey(w.updatedAt()))
                .addProperty("ResourceId", s.machine().id())
                .addProperty("Decision", s.kind().name())
                .addProperty("Reasons", join(s.reasons()))
                .addProperty("Detail", s.detail().orElse(""))
                .addProperty("ExtensionState", s.extension().provisioningState().orElse(""))
                .addProperty("Actions", String.join(",", actions))
                .addProperty("CorrelationId", w.correlationId())
                .addProperty("Source", w.source())
                .addProperty("Attempt", w.attempt())
                .addProperty("At", utc(w.updatedAt()));
        s.extension().sensor().ifPresent(sensor -> addSensor(e, sensor));
        insertHistory(e);
    }

    /**
     * A history entry's key is unique to it (its time and a random tail), so a 409 can only be this insert's own
     * earlier try, retried by the SDK after its answer was lost: it is stored, and counts as done.
     */
    private void insertHistory(TableEntity e) {
        try {
            history.createEntity(e);
        } catch (TableServiceException ex) {
            if (ex.getResponse().getStatusCode() != 409) {
                throw ex;
            }
        }
    }

    /** The sensor columns of state and history rows (added with the sensor check; rows without them have no sensor). */
    private static void addSensor(TableEntity e, Sensor s) {
        e.addProperty("SensorVerified", s.verified());
        e.addProperty("SensorRecords", s.records());
        s.deviceId().ifPresent(v -> e.addProperty("SensorDeviceId", v));
        s.onboardingStatus().ifPresent(v -> e.addProperty("SensorOnboardingStatus", v));
        s.healthStatus().ifPresent(v -> e.addProperty("SensorHealthStatus", v));
        s.lastSeen().ifPresent(t -> e.addProperty("SensorLastSeen", utc(t)));
    }

    private static Optional<Sensor> sensor(TableEntity e) {
        if (!(e.getProperty("SensorVerified") instanceof Boolean verified)) {
            return Optional.empty();
        }
        return Optional.of(new Sensor(verified, opt(str(e, "SensorDeviceId")), opt(str(e, "SensorOnboardingStatus")),
                opt(str(e, "SensorHealthStatus")), optInstant(e, "SensorLastSeen"),
                e.getProperty("SensorRecords") instanceof Integer n ? n : 0));
    }

    /** Newest first: the row key is the reversed time, with a random tail so that two entries in one millisecond differ. */
    private static String historyKey(Instant at) {
        return String.format("%019d-%06d", Long.MAX_VALUE - at.toEpochMilli(), ThreadLocalRandom.current().nextInt(1_000_000));
    }

    /** Newest first, at most {@code limit} entries. */
    public List<HistoryEntry> history(MachineId machine, int limit) {
        ListEntitiesOptions options = new ListEntitiesOptions()
                .setFilter("PartitionKey eq '" + rowKey(machine).replace("'", "''") + "'")
                .setTop(limit);
        PagedIterable<TableEntity> page = history.listEntities(options, null, Context.NONE);
        List<HistoryEntry> out = new ArrayList<>();
        for (TableEntity e : page) {
            if (out.size() >= limit) {
                break;
            }
            out.add(new HistoryEntry(str(e, "Decision"), parseReasons(str(e, "Reasons")), str(e, "Detail"), str(e, "ExtensionState"),
                    str(e, "Actions"), new HistoryEntry.Written(e.getProperty("At") instanceof OffsetDateTime t ? t.toInstant() : Instant.EPOCH,
                            str(e, "CorrelationId"), str(e, "Source"), e.getProperty("Attempt") instanceof Integer i ? i : 0), sensor(e)));
        }
        return out;
    }

    /** Every state row of one subscription (for sweeps: which machines are BLOCKED, and since when). */
    public Iterable<MachineRecord> listSubscription(String subscriptionId) {
        ListEntitiesOptions options = new ListEntitiesOptions()
                .setFilter("PartitionKey eq '" + subscriptionId.replace("'", "''") + "'");
        List<MachineRecord> out = new ArrayList<>();
        for (TableEntity e : state.listEntities(options, null, Context.NONE)) {
            String id = str(e, "ResourceId");
            MachineId.tryParse(id).ifPresent(m -> out.add(fromEntity(m, e)));
        }
        return out;
    }

    /** One page of state rows in key order (subscription, then machine ID), how many rows it read, and where to go on. */
    public record Page(List<MachineRecord> machines, Optional<MachineId> next, long scanned) {
    }

    /**
     * State rows whose decision is one of {@code decisions} (filtered by the table service), within {@code subscription}
     * if given, after {@code after} in key order, that also match {@code filter} (here): at most {@code limit} of them,
     * reading at most {@code scanBudget} rows, so that a rare match cannot make one page read the whole table, in requests
     * of {@code batch} rows (small when nearly every row matches, the service's 1,000 when a filter is selective: every
     * request costs the service a scan). {@link Page#next} is where the next page starts; empty when nothing is left.
     */
    public Page page(Optional<String> subscription, Set<DecisionKind> decisions, Optional<MachineId> after,
                     Predicate<MachineRecord> filter, int limit, int scanBudget, int batch) {
        List<String> clauses = new ArrayList<>();
        subscription.ifPresent(sub -> clauses.add("PartitionKey eq '" + quote(sub) + "'"));
        after.ifPresent(a -> clauses.add("(PartitionKey gt '" + quote(a.subscriptionId()) + "' or (PartitionKey eq '"
                + quote(a.subscriptionId()) + "' and RowKey gt '" + quote(rowKey(a)) + "'))"));
        if (!decisions.isEmpty()) {
            clauses.add("(" + String.join(" or ", decisions.stream().map(d -> "Decision eq '" + d.name() + "'").toList()) + ")");
        }
        ListEntitiesOptions options = new ListEntitiesOptions().setTop(Math.max(1, Math.min(1000, batch)));
        if (!clauses.isEmpty()) {
            options.setFilter(String.join(" and ", clauses));
        }
        List<MachineRecord> out = new ArrayList<>();
        long scanned = 0;
        MachineId last = null;
        for (TableEntity e : state.listEntities(options, null, Context.NONE)) {
            Optional<MachineId> id = MachineId.tryParse(str(e, "ResourceId"));
            if (id.isEmpty()) {
                continue;
            }
            MachineRecord r = fromEntity(id.get(), e);
            if (filter.test(r)) {
                if (out.size() == limit) {
                    return new Page(out, Optional.of(out.get(out.size() - 1).machine()), scanned);
                }
                out.add(r);
            }
            scanned++;
            last = id.get();
            if (scanned >= scanBudget) {
                return new Page(out, Optional.of(last), scanned);
            }
        }
        return new Page(out, Optional.empty(), scanned);
    }

    /**
     * The same over a chosen list of subscriptions (partition queries only, the cheap kind of query), in key order: for
     * a selective filter, the subscriptions where matches are known to be.
     */
    public Page pageOf(List<String> subscriptions, Set<DecisionKind> decisions, Optional<MachineId> after, Predicate<MachineRecord> filter,
                       int limit, int scanBudget) {
        List<MachineRecord> out = new ArrayList<>();
        long scanned = 0;
        for (String sub : subscriptions.stream().sorted().toList()) {
            if (after.isPresent() && sub.compareTo(after.get().subscriptionId()) < 0) {
                continue;
            }
            Optional<MachineId> from = after.filter(a -> a.subscriptionId().equals(sub));
            Page p = page(Optional.of(sub), decisions, from, filter, limit - out.size(), (int) (scanBudget - scanned), 1000);
            out.addAll(p.machines());
            scanned += p.scanned();
            if (p.next().isPresent()) {
                return new Page(out, p.next(), scanned);
            }
            if (out.size() == limit) {
                return new Page(out, Optional.of(out.get(out.size() - 1).machine()), scanned);
            }
        }
        return new Page(out, Optional.empty(), scanned);
    }

    private static String quote(String s) {
        return s.replace("'", "''");
    }

    /**
     * Remembers why processing a job failed (as a history entry with decision ERROR), so that the poison
     * handler can say what went wrong last. Exception messages here never carry request bodies.
     */
    public void noteError(MachineId machine, String correlationId, int dequeueCount, Throwable error) {
        String message = error.getClass().getSimpleName() + ": " + String.valueOf(error.getMessage());
        Instant now = Instant.now();
        insertHistory(new TableEntity(rowKey(machine), historyKey(now))
                .addProperty("ResourceId", machine.id())
                .addProperty("Decision", ERROR)
                .addProperty("Reasons", "")
                .addProperty("Detail", message.length() > 2000 ? message.substring(0, 2000) : message)
                .addProperty("CorrelationId", correlationId)
                .addProperty("Attempt", dequeueCount)
                .addProperty("At", utc(now)));
    }

    /** The last processing error noted for the machine (see {@link #noteError}), if any in its recent history. */
    public Optional<String> lastError(MachineId machine) {
        return history(machine, 20).stream().filter(h -> ERROR.equals(h.decision())).findFirst().map(HistoryEntry::detail);
    }

    /**
     * Records {@code decision} for a job that failed too often, keeping what the row knew of the extension, the guest
     * check and a Run Command under way (a later look still reads its end); retried a few times against concurrent writers (it is the last word on the job).
     */
    public MachineRecord recordPoison(OnboardingJob job, Decision decision, Instant now) {
        for (int attempt = 0; ; attempt++) {
            Optional<MachineRecord> prior = get(job.machine());
            MachineRecord s = MachineRecord.of(job.machine(), decision,
                    prior.map(MachineRecord::extension).orElse(ExtensionHistory.none()), prior.map(MachineRecord::guest).orElse(MachineRecord.Guest.none()),
                    new Provenance(prior.map(p -> p.written().observedAt()).orElse(now), now, job.correlationId(), "poison", job.attempt()),
                    prior.flatMap(MachineRecord::etag));
            try {
                MachineRecord stored = put(s);
                appendHistory(stored, List.of());
                return stored;
            } catch (ConcurrentUpdateException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /** One history row: the decision then (or {@link #ERROR}), what was done, which job wrote it, and the sensor then. */
    public record HistoryEntry(String decision, List<ReasonCode> reasons, String detail, String extensionState, String actions,
                               Written written, Optional<Sensor> sensor) {
        public HistoryEntry(String decision, List<ReasonCode> reasons, String detail, String extensionState, String actions,
                            Written written) {
            this(decision, reasons, detail, extensionState, actions, written, Optional.empty());
        }

        public record Written(Instant at, String correlationId, String source, int attempt) {
        }

        public Instant at() {
            return written.at();
        }

        public String correlationId() {
            return written.correlationId();
        }

        public String source() {
            return written.source();
        }

        public int attempt() {
            return written.attempt();
        }
    }

    static String rowKey(MachineId machine) {
        // Table keys may not contain '/', '\\', '#', '?': URL-encoding removes all of them.
        return URLEncoder.encode(machine.key(), StandardCharsets.UTF_8);
    }

    private static TableEntity toEntity(MachineRecord s) {
        Provenance w = s.written();
        TableEntity e = new TableEntity(s.machine().subscriptionId(), rowKey(s.machine()))
                .addProperty("ResourceId", s.machine().id())
                .addProperty("Decision", s.kind().name())
                .addProperty("Reasons", join(s.reasons()))
                .addProperty("Detail", s.detail().orElse(""))
                .addProperty("ExtensionState", s.extension().provisioningState().orElse(""))
                .addProperty("ExtensionFailures", s.extension().failures())
                .addProperty("ObservedAt", utc(w.observedAt()))
                .addProperty("UpdatedAt", utc(w.updatedAt()))
                .addProperty("CorrelationId", w.correlationId())
                .addProperty("Source", w.source())
                .addProperty("Attempt", w.attempt());
        if (!w.delivery().isEmpty()) {
            e.addProperty("Delivery", w.delivery());
        }
        w.nextLookAt().ifPresent(t -> e.addProperty("NextLookAt", utc(t)));
        s.extension().lastDeployAt().ifPresent(t -> e.addProperty("LastDeployAt", utc(t)));
        s.extension().succeededSince().ifPresent(t -> e.addProperty("ExtensionSucceededSince", utc(t)));
        s.extension().reOnboardedAt().ifPresent(t -> e.addProperty("ReOnboardedAt", utc(t)));
        s.extension().sensor().ifPresent(sensor -> addSensor(e, sensor));
        s.guestCheck().ifPresent(g -> e
                .addProperty("GuestCheckRan", g.ran())
                .addProperty("GuestCheckFindings", join(g.findings()))
                .addProperty("GuestCheckAt", utc(g.checkedAt()))
                .addProperty("GuestCheckSummary", g.summary()));
        s.guestRun().ifPresent(run -> addGuestRun(e, run));
        return e;
    }

    private static void addGuestRun(TableEntity e, GuestRun run) {
        e.addProperty("GuestRunPurpose", run.purpose().name());
        e.addProperty("GuestRunScript", run.script());
        e.addProperty("GuestRunStartedAt", utc(run.startedAt()));
        e.addProperty("GuestRunStarts", run.starts());
        run.handle().ifPresent(h -> {
            if (h instanceof RunHandle.VmOperation op) {
                op.statusUrl().ifPresent(u -> e.addProperty("GuestRunOperation", u));
                op.resultUrl().ifPresent(u -> e.addProperty("GuestRunResult", u));
            } else {
                e.addProperty("GuestRunCommand", ((RunHandle.ArcRunCommand) h).name());
            }
        });
    }

    /** The run a row records; a row this build cannot read (an unknown purpose) records none, and the next look starts afresh. */
    private static Optional<GuestRun> guestRun(TableEntity e) {
        Optional<GuestRun.Purpose> purpose = java.util.Arrays.stream(GuestRun.Purpose.values())
                .filter(p -> p.name().equals(str(e, "GuestRunPurpose"))).findFirst();
        Optional<Instant> at = optInstant(e, "GuestRunStartedAt");
        if (purpose.isEmpty() || at.isEmpty() || str(e, "GuestRunScript").isEmpty()) {
            return Optional.empty();
        }
        Optional<String> status = opt(str(e, "GuestRunOperation"));
        Optional<String> result = opt(str(e, "GuestRunResult"));
        Optional<String> command = opt(str(e, "GuestRunCommand"));
        Optional<RunHandle> handle = command.isPresent() ? Optional.of(new RunHandle.ArcRunCommand(command.get()))
                : status.isPresent() || result.isPresent() ? Optional.of(new RunHandle.VmOperation(status, result)) : Optional.empty();
        int starts = e.getProperty("GuestRunStarts") instanceof Integer n ? Math.max(1, n) : 1;
        return Optional.of(new GuestRun(purpose.get(), str(e, "GuestRunScript"), handle, at.get(), starts));
    }

    private static MachineRecord fromEntity(MachineId machine, TableEntity e) {
        Optional<GuestCheckResult> guest = e.getProperty("GuestCheckAt") instanceof OffsetDateTime at
                ? Optional.of(new GuestCheckResult(Boolean.TRUE.equals(e.getProperty("GuestCheckRan")),
                        parseReasons(str(e, "GuestCheckFindings")), at.toInstant(), str(e, "GuestCheckSummary")))
                : Optional.empty();
        ExtensionHistory extension = new ExtensionHistory(opt(str(e, "ExtensionState")),
                e.getProperty("ExtensionFailures") instanceof Integer i ? i : 0,
                e.getProperty("LastDeployAt") instanceof OffsetDateTime t ? Optional.of(t.toInstant()) : Optional.empty())
                .withSensor(optInstant(e, "ExtensionSucceededSince"), optInstant(e, "ReOnboardedAt"), sensor(e));
        Provenance written = new Provenance(instant(e, "ObservedAt"), instant(e, "UpdatedAt"), str(e, "CorrelationId"),
                str(e, "Source"), e.getProperty("Attempt") instanceof Integer a ? a : 0, str(e, "Delivery"), optInstant(e, "NextLookAt"));
        return new MachineRecord(machine, DecisionKind.valueOf(str(e, "Decision")), parseReasons(str(e, "Reasons")), opt(str(e, "Detail")),
                extension, new MachineRecord.Guest(guest, guestRun(e)), written, Optional.ofNullable(e.getETag()));
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Optional<Instant> optInstant(TableEntity e, String name) {
        return e.getProperty(name) instanceof OffsetDateTime t ? Optional.of(t.toInstant()) : Optional.empty();
    }

    private static Instant instant(TableEntity e, String name) {
        return e.getProperty(name) instanceof OffsetDateTime t ? t.toInstant() : Instant.EPOCH;
    }

    private static String str(TableEntity e, String name) {
        Object v = e.getProperty(name);
        return v == null ? "" : v.toString();
    }

    private static Optional<String> opt(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static String join(List<ReasonCode> codes) {
        return String.join(",", codes.stream().map(Enum::name).toList());
    }

    /** Unknown codes (written by a newer build) are dropped rather than failing the read. */
    static List<ReasonCode> parseReasons(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        List<ReasonCode> out = new ArrayList<>();
        for (String part : s.split(",")) {
            Arrays.stream(ReasonCode.values()).filter(c -> c.name().equals(part.trim())).findFirst().ifPresent(out::add);
        }
        return out;
    }
}
