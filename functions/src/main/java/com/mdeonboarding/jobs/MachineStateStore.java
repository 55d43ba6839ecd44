package com.mdeonboarding.jobs;

import com.azure.core.http.rest.PagedIterable;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.core.util.Context;
import com.mdeonboarding.onboarding.DecisionKind;
import com.mdeonboarding.onboarding.GuestCheckResult;
import com.mdeonboarding.onboarding.MachineId;
import com.mdeonboarding.onboarding.ReasonCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Latest decision per machine (state table, ETag-guarded) and an append-only history (history table).
 * State: PartitionKey = subscription ID, RowKey = encoded lower-case machine ID.
 * History: PartitionKey = encoded machine ID, RowKey = reversed timestamp (newest first).
 */
public final class MachineStateStore {
    /** History entries of failed processing attempts carry this pseudo-decision. */
    public static final String ERROR = "ERROR";
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

    public Optional<MachineState> get(MachineId machine) {
        try {
            TableEntity e = state.getEntity(machine.subscriptionId(), rowKey(machine));
            return Optional.of(fromEntity(machine, e));
        } catch (TableServiceException ex) {
            if (ex.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw ex;
        }
    }

    /**
     * Writes the state row: a new row must not exist yet, an existing one must still carry the ETag
     * it was read with. Returns the stored state with its new ETag.
     */
    public MachineState put(MachineState s) {
        TableEntity e = toEntity(s);
        try {
            if (s.etag().isEmpty()) {
                state.createEntityWithResponse(e, null, Context.NONE);
            } else {
                e.getProperties().put("odata.etag", s.etag().get());
                state.updateEntityWithResponse(e, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
            }
            // The write's response header carries the new ETag in a form the emulator (Azurite) does not accept
            // back in If-Match; the entity's own odata.etag from a read does. One cheap table read buys that.
            return withEtag(s, state.getEntity(e.getPartitionKey(), e.getRowKey()).getETag());
        } catch (TableServiceException ex) {
            int status = ex.getResponse().getStatusCode();
            if (status == 409 || status == 412) {
                throw new ConcurrentUpdateException(s.machine());
            }
            throw ex;
        }
    }

    public void appendHistory(MachineState s, List<String> actions) {
        long ts = s.updatedAt().toEpochMilli();
        String rowKey = String.format("%019d-%06d", Long.MAX_VALUE - ts, ThreadLocalRandom.current().nextInt(1_000_000));
        TableEntity e = new TableEntity(rowKey(s.machine()), rowKey)
                .addProperty("ResourceId", s.machine().id())
                .addProperty("Decision", s.decision().name())
                .addProperty("Reasons", join(s.reasons()))
                .addProperty("Detail", s.detail().orElse(""))
                .addProperty("ExtensionState", s.extensionState().orElse(""))
                .addProperty("Actions", String.join(",", actions))
                .addProperty("CorrelationId", s.correlationId())
                .addProperty("Source", s.source())
                .addProperty("Attempt", s.attempt())
                .addProperty("At", OffsetDateTime.ofInstant(s.updatedAt(), ZoneOffset.UTC));
        history.createEntity(e);
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
            out.add(new HistoryEntry(
                    str(e, "Decision"), parseReasons(str(e, "Reasons")), str(e, "Detail"), str(e, "ExtensionState"),
                    str(e, "Actions"), str(e, "CorrelationId"), str(e, "Source"),
                    e.getProperty("Attempt") instanceof Integer i ? i : 0,
                    e.getProperty("At") instanceof OffsetDateTime t ? t.toInstant() : Instant.EPOCH));
        }
        return out;
    }

    /** Every state row of one subscription (for sweeps: which machines are BLOCKED, and since when). */
    public Iterable<MachineState> listSubscription(String subscriptionId) {
        ListEntitiesOptions options = new ListEntitiesOptions()
                .setFilter("PartitionKey eq '" + subscriptionId.replace("'", "''") + "'");
        List<MachineState> out = new ArrayList<>();
        for (TableEntity e : state.listEntities(options, null, Context.NONE)) {
            String id = str(e, "ResourceId");
            MachineId.tryParse(id).ifPresent(m -> out.add(fromEntity(m, e)));
        }
        return out;
    }

    /**
     * Remembers why processing a job failed (as a history entry with decision ERROR), so that the poison
     * handler can say what went wrong last. Exception messages here never carry request bodies.
     */
    public void noteError(MachineId machine, String correlationId, int dequeueCount, Throwable error) {
        String message = error.getClass().getSimpleName() + ": " + String.valueOf(error.getMessage());
        Instant now = Instant.now();
        String rowKey = String.format("%019d-%06d", Long.MAX_VALUE - now.toEpochMilli(), ThreadLocalRandom.current().nextInt(1_000_000));
        history.createEntity(new TableEntity(rowKey(machine), rowKey)
                .addProperty("ResourceId", machine.id())
                .addProperty("Decision", ERROR)
                .addProperty("Reasons", "")
                .addProperty("Detail", message.length() > 2000 ? message.substring(0, 2000) : message)
                .addProperty("CorrelationId", correlationId)
                .addProperty("Attempt", dequeueCount)
                .addProperty("At", utc(now)));
    }

    /** The job failed too often: record BLOCKED JOB_FAILED with the last error noted for the machine. */
    public MachineState recordPoison(OnboardingJob job, Instant now) {
        String lastError = history(job.machine(), 20).stream().filter(h -> ERROR.equals(h.decision())).findFirst()
                .map(h -> "last error: " + h.detail()).orElse("no error was noted");
        for (int attempt = 0; ; attempt++) {
            Optional<MachineState> prior = get(job.machine());
            MachineState s = new MachineState(job.machine(), DecisionKind.BLOCKED, List.of(ReasonCode.JOB_FAILED),
                    Optional.of("processing failed repeatedly; " + lastError),
                    prior.flatMap(MachineState::extensionState), prior.map(MachineState::extensionFailures).orElse(0),
                    prior.flatMap(MachineState::lastDeployAt), prior.flatMap(MachineState::guestCheck),
                    prior.map(MachineState::observedAt).orElse(now), now, job.correlationId(), "poison", job.attempt(),
                    prior.flatMap(MachineState::etag));
            try {
                MachineState stored = put(s);
                appendHistory(stored, List.of());
                return stored;
            } catch (ConcurrentUpdateException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    public record HistoryEntry(String decision, List<ReasonCode> reasons, String detail, String extensionState,
                               String actions, String correlationId, String source, int attempt, Instant at) {
    }

    static String rowKey(MachineId machine) {
        // Table keys may not contain '/', '\\', '#', '?': URL-encoding removes all of them.
        return URLEncoder.encode(machine.key(), StandardCharsets.UTF_8);
    }

    private static TableEntity toEntity(MachineState s) {
        TableEntity e = new TableEntity(s.machine().subscriptionId(), rowKey(s.machine()))
                .addProperty("ResourceId", s.machine().id())
                .addProperty("Decision", s.decision().name())
                .addProperty("Reasons", join(s.reasons()))
                .addProperty("Detail", s.detail().orElse(""))
                .addProperty("ExtensionState", s.extensionState().orElse(""))
                .addProperty("ExtensionFailures", s.extensionFailures())
                .addProperty("ObservedAt", utc(s.observedAt()))
                .addProperty("UpdatedAt", utc(s.updatedAt()))
                .addProperty("CorrelationId", s.correlationId())
                .addProperty("Source", s.source())
                .addProperty("Attempt", s.attempt());
        s.lastDeployAt().ifPresent(t -> e.addProperty("LastDeployAt", utc(t)));
        s.guestCheck().ifPresent(g -> e
                .addProperty("GuestCheckRan", g.ran())
                .addProperty("GuestCheckFindings", join(g.findings()))
                .addProperty("GuestCheckAt", utc(g.checkedAt()))
                .addProperty("GuestCheckSummary", g.summary()));
        return e;
    }

    private static MachineState fromEntity(MachineId machine, TableEntity e) {
        Optional<GuestCheckResult> guest = e.getProperty("GuestCheckAt") instanceof OffsetDateTime at
                ? Optional.of(new GuestCheckResult(Boolean.TRUE.equals(e.getProperty("GuestCheckRan")),
                        parseReasons(str(e, "GuestCheckFindings")), at.toInstant(), str(e, "GuestCheckSummary")))
                : Optional.empty();
        return new MachineState(
                machine,
                DecisionKind.valueOf(str(e, "Decision")),
                parseReasons(str(e, "Reasons")),
                opt(str(e, "Detail")),
                opt(str(e, "ExtensionState")),
                e.getProperty("ExtensionFailures") instanceof Integer i ? i : 0,
                e.getProperty("LastDeployAt") instanceof OffsetDateTime t ? Optional.of(t.toInstant()) : Optional.empty(),
                guest,
                instant(e, "ObservedAt"),
                instant(e, "UpdatedAt"),
                str(e, "CorrelationId"),
                str(e, "Source"),
                e.getProperty("Attempt") instanceof Integer a ? a : 0,
                Optional.ofNullable(e.getETag()));
    }

    private static MachineState withEtag(MachineState s, String etag) {
        return new MachineState(s.machine(), s.decision(), s.reasons(), s.detail(), s.extensionState(),
                s.extensionFailures(), s.lastDeployAt(), s.guestCheck(), s.observedAt(), s.updatedAt(),
                s.correlationId(), s.source(), s.attempt(), Optional.ofNullable(etag));
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
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
