package com.mdeonboarding.sweep;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.mdeonboarding.decide.Estate;
import com.mdeonboarding.model.IntegrationSetting;
import com.mdeonboarding.model.IntegrationSettings;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sweep reports and the last-known integration settings per subscription, in one table:
 * PartitionKey = sweep ID with a "summary" row and one row per subscription (a report for 1,000
 * subscriptions would not fit one entity); ("latest", "latest") points at the newest sweep; PartitionKey "index" has one
 * row per sweep, newest first, with its summary; "estate-" + sweep ID holds the sweep's estate counts;
 * PartitionKey "settings" holds each subscription's settings as last read, with the time; PartitionKey "requested" has
 * one row per sweep asked for with POST /api/sweeps (RowKey = its sweep ID, RequestedAt); PartitionKey "free-pricing"
 * has one row per excluded machine this app gave resource-level pricing Free (RowKey = the machine key in base64url,
 * MachineId, SetAt), so that it removes only its own setting when the exclusion is lifted.
 */
public final class SweepReportStore {
    private static final String SUMMARY = "summary";
    private static final String LATEST = "latest";
    private static final String SETTINGS = "settings";
    private static final String REQUESTED = "requested";
    private static final String INDEX = "index";
    private static final String ESTATE = "estate-";
    private static final String TOTAL = "total";
    private static final String FREE_PRICING = "free-pricing";
    private static final String UNRECORDED = "unrecorded-";
    /** Machines per row of the unrecorded partition: about 150 characters each, under a property's 32K characters. */
    static final int UNRECORDED_PER_ROW = 150;
    /** The settings row's column per setting (the table schema). */
    private static final Map<IntegrationSetting, String> COLUMNS = Map.of(IntegrationSetting.WDATP, "Wdatp",
            IntegrationSetting.WDATP_UNIFIED_SOLUTION, "UnifiedSolution", IntegrationSetting.WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW, "ExcludeLinux");
    private final TableClient table;

    public SweepReportStore(TableClient table) {
        this.table = table;
    }

    public void save(SweepReport report) {
        save(report, null);
    }

    /**
     * Stores the report, and with it the sweep's {@code estate} counts (the dashboard's numbers; may be null): first
     * the counts in their own partition ("estate-" + sweep ID: a "total" row and one row per subscription), then the
     * report, then an index row ("index", newest first) for {@link #recent}, the "latest" pointer last.
     */
    public void save(SweepReport report, Estate.Tally estate) {
        Optional<Estate.Counts> total = Optional.ofNullable(estate).map(Estate.Tally::total);
        if (estate != null) {
            saveEstate(report.sweepId(), estate);
        }
        SweepReport summary = report.withSubscriptions(List.of()).withoutMachineList();
        List<TableTransactionAction> batch = new ArrayList<>();
        for (SweepReport.SubscriptionReport s : report.subscriptions()) {
            batch.add(new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE,
                    new TableEntity(report.sweepId(), "sub-" + s.subscriptionId()).addProperty("Json", json(s))));
            if (batch.size() == 100) { // a transaction holds at most 100 operations
                table.submitTransaction(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            table.submitTransaction(batch);
        }
        String summaryJson = truncateErrors(summary).toJson();
        table.upsertEntity(new TableEntity(report.sweepId(), SUMMARY).addProperty("Json", summaryJson));
        TableEntity index = new TableEntity(INDEX, indexKey(report)).addProperty("SweepId", report.sweepId()).addProperty("Json", summaryJson);
        total.ifPresent(t -> index.addProperty("Estate", EstateJson.write(t)));
        table.upsertEntity(index);
        // Written last: a reader never sees a pointer to a half-written report.
        table.upsertEntity(new TableEntity(LATEST, LATEST).addProperty("SweepId", report.sweepId()));
    }

    public Optional<SweepReport> latest() {
        return latestSweepId().flatMap(this::get);
    }

    /** The newest stored sweep's ID (one point read). */
    public Optional<String> latestSweepId() {
        try {
            return Optional.of(String.valueOf(table.getEntity(LATEST, LATEST).getProperty("SweepId")));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Optional<SweepReport> get(String sweepId) {
        SweepReport summary = null;
        List<SweepReport.SubscriptionReport> subs = new ArrayList<>();
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey eq '" + sweepId.replace("'", "''") + "'");
        for (TableEntity e : table.listEntities(options, null, null)) {
            String json = String.valueOf(e.getProperty("Json"));
            if (SUMMARY.equals(e.getRowKey())) {
                summary = SweepReport.fromJson(json);
            } else {
                try {
                    subs.add(SweepReport.subscriptionFromJson(json));
                } catch (JsonProcessingException ex) {
                    throw new IllegalStateException("unreadable report row " + e.getRowKey(), ex);
                }
            }
        }
        if (summary == null) {
            return Optional.empty();
        }
        subs.sort(Comparator.comparing(SweepReport.SubscriptionReport::subscriptionId));
        return Optional.of(summary.withSubscriptions(subs).withoutMachineList());
    }

    /** A sweep asked for (POST /api/sweeps), until its report is stored under the same ID. */
    public void recordRequested(String sweepId, Instant at) {
        table.upsertEntity(new TableEntity(REQUESTED, sweepId).addProperty("RequestedAt", OffsetDateTime.ofInstant(at, ZoneOffset.UTC)));
    }

    /** When the sweep of this ID was asked for, if it was. */
    public Optional<Instant> requestedAt(String sweepId) {
        try {
            Object at = table.getEntity(REQUESTED, sweepId).getProperty("RequestedAt");
            return Optional.of(at instanceof OffsetDateTime t ? t.toInstant() : Instant.EPOCH);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The newest sweep asked for since {@code since} whose report is not stored yet: a second request joins it. */
    public Optional<String> pendingRequestSince(Instant since) {
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey eq '" + REQUESTED + "' and RequestedAt ge datetime'"
                + since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "'");
        List<TableEntity> requested = new ArrayList<>();
        table.listEntities(options, null, null).forEach(requested::add);
        requested.sort(Comparator.comparing(TableEntity::getRowKey).reversed());
        for (TableEntity e : requested) {
            if (get(e.getRowKey()).isEmpty()) {
                return Optional.of(e.getRowKey());
            }
        }
        return Optional.empty();
    }

    /** A stored sweep's summary (no subscription rows) and its estate counts, if it stored any. */
    public record StoredSweep(SweepReport summary, Optional<Estate.Counts> estate) {
    }

    /** The sweep's estate counts: in total and per subscription (subscriptions without machines have no entry). */
    public record EstateCounts(Estate.Counts total, Map<String, Estate.Counts> perSubscription) {
    }

    /** A machine a sweep saw with no state row, and where the sweep found it standing. */
    public record Unrecorded(com.mdeonboarding.model.MachineId machine, Estate.Standing standing) {
    }

    /**
     * Stores the machines {@code sweepId} saw with no state row ("unrecorded-" + sweep ID, {@value #UNRECORDED_PER_ROW} a row,
     * JSON arrays of [resource ID, standing]): with the rows, they are every machine in scope ({@link EstateNow}). Written
     * before the report, so a reader that finds the report finds them.
     */
    public void saveUnrecorded(String sweepId, List<Unrecorded> machines) {
        String partition = UNRECORDED + sweepId;
        List<TableTransactionAction> batch = new ArrayList<>();
        for (int from = 0, row = 0; from < machines.size(); from += UNRECORDED_PER_ROW, row++) {
            com.fasterxml.jackson.databind.node.ArrayNode a = SweepReport.JSON.createArrayNode();
            machines.subList(from, Math.min(machines.size(), from + UNRECORDED_PER_ROW))
                    .forEach(m -> a.addArray().add(m.machine().id()).add(m.standing().name()));
            batch.add(new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE,
                    new TableEntity(partition, String.format("r%06d", row)).addProperty("Json", a.toString())));
            if (batch.size() == 100) {
                table.submitTransaction(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            table.submitTransaction(batch);
        }
    }

    /** The machines {@code sweepId} saw with no state row (none for a sweep stored before they were kept). */
    public List<Unrecorded> unrecorded(String sweepId) {
        List<Unrecorded> out = new ArrayList<>();
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey eq '" + (UNRECORDED + sweepId).replace("'", "''") + "'");
        for (TableEntity e : table.listEntities(options, null, null)) {
            try {
                for (com.fasterxml.jackson.databind.JsonNode m : SweepReport.JSON.readTree(String.valueOf(e.getProperty("Json")))) {
                    Optional<com.mdeonboarding.model.MachineId> id = com.mdeonboarding.model.MachineId.tryParse(m.path(0).asText());
                    Optional<Estate.Standing> standing = java.util.Arrays.stream(Estate.Standing.values())
                            .filter(st -> st.name().equals(m.path(1).asText())).findFirst();
                    if (id.isPresent() && standing.isPresent()) {
                        out.add(new Unrecorded(id.get(), standing.get()));
                    }
                }
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("unreadable unrecorded-machines row " + e.getRowKey(), ex);
            }
        }
        return out;
    }

    /** The newest {@code n} stored sweeps, newest first: one query on the index partition. */
    public List<StoredSweep> recent(int n) {
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey eq '" + INDEX + "'").setTop(Math.min(n, 1000));
        List<StoredSweep> out = new ArrayList<>();
        for (TableEntity e : table.listEntities(options, null, null)) {
            if (out.size() >= n) {
                break;
            }
            Object estate = e.getProperty("Estate");
            out.add(new StoredSweep(SweepReport.fromJson(String.valueOf(e.getProperty("Json"))),
                    estate == null ? Optional.empty() : Optional.of(EstateJson.read(estate.toString()))));
        }
        return out;
    }

    /** The estate counts stored with a sweep; empty for a sweep stored without them. */
    public Optional<EstateCounts> estate(String sweepId) {
        Estate.Counts total = null;
        Map<String, Estate.Counts> subs = new TreeMap<>();
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey eq '" + (ESTATE + sweepId).replace("'", "''") + "'");
        for (TableEntity e : table.listEntities(options, null, null)) {
            Estate.Counts c = EstateJson.read(String.valueOf(e.getProperty("Json")));
            if (e.getRowKey().equals(TOTAL)) {
                total = c;
            } else if (e.getRowKey().startsWith("sub-")) {
                subs.put(e.getRowKey().substring(4), c);
            }
        }
        return total == null ? Optional.empty() : Optional.of(new EstateCounts(total, subs));
    }

    /** One subscription's estate counts as a sweep stored them (one point read); empty when it stored none for it. */
    public Optional<Estate.Counts> estateOf(String sweepId, String subscriptionId) {
        try {
            return Optional.of(EstateJson.read(String.valueOf(table.getEntity(ESTATE + sweepId, "sub-" + subscriptionId).getProperty("Json"))));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void saveEstate(String sweepId, Estate.Tally estate) {
        String partition = ESTATE + sweepId;
        List<TableTransactionAction> batch = new ArrayList<>();
        for (Map.Entry<String, Estate.Counts> s : estate.perSubscription().entrySet()) {
            batch.add(new TableTransactionAction(TableTransactionActionType.UPSERT_REPLACE,
                    new TableEntity(partition, "sub-" + s.getKey()).addProperty("Json", EstateJson.write(s.getValue()))));
            if (batch.size() == 100) {
                table.submitTransaction(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            table.submitTransaction(batch);
        }
        // The total last: a reader that finds it finds every subscription's row.
        table.upsertEntity(new TableEntity(partition, TOTAL).addProperty("Json", EstateJson.write(estate.total())));
    }

    /** Newest first (the table returns rows in key order): the reversed start time, then the sweep ID. */
    private static String indexKey(SweepReport report) {
        long started;
        try {
            started = Instant.parse(report.run().startedAt()).toEpochMilli();
        } catch (RuntimeException e) {
            started = 0;
        }
        return String.format("%019d-%s", Long.MAX_VALUE - started, report.sweepId());
    }

    /** Last-known integration settings of every subscription that has been read at least once. */
    public Map<String, IntegrationSettings> knownSettings() {
        Map<String, IntegrationSettings> out = new HashMap<>();
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey eq '" + SETTINGS + "'");
        for (TableEntity e : table.listEntities(options, null, null)) {
            Instant at = e.getProperty("ReadAt") instanceof OffsetDateTime t ? t.toInstant() : Instant.EPOCH;
            Map<IntegrationSetting, Boolean> values = new EnumMap<>(IntegrationSetting.class);
            COLUMNS.forEach((setting, column) -> bool(e, column).ifPresent(v -> values.put(setting, v)));
            out.put(e.getRowKey(), new IntegrationSettings(values, at));
        }
        return out;
    }

    public void saveSettings(String subscriptionId, IntegrationSettings s) {
        TableEntity e = new TableEntity(SETTINGS, subscriptionId).addProperty("ReadAt", OffsetDateTime.ofInstant(s.readAt(), ZoneOffset.UTC));
        COLUMNS.forEach((setting, column) -> e.addProperty(column, s.value(setting).map(String::valueOf).orElse("")));
        table.upsertEntity(e);
    }

    /** The machines (lower-case IDs) this app gave resource-level pricing Free because they were excluded. */
    public java.util.Set<String> freePricingsSet() {
        java.util.Set<String> out = new java.util.HashSet<>();
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey eq '" + FREE_PRICING + "'");
        for (TableEntity e : table.listEntities(options, null, null)) {
            Object id = e.getProperty("MachineId");
            if (id != null) {
                out.add(id.toString().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    /** Remembers that this app set the machine's resource-level pricing to Free (after the PUT succeeded). */
    public void markFreePricing(String machineKey, Instant at) {
        table.upsertEntity(new TableEntity(FREE_PRICING, freePricingRow(machineKey)).addProperty("MachineId", machineKey)
                .addProperty("SetAt", OffsetDateTime.ofInstant(at, ZoneOffset.UTC)));
    }

    /** Forgets it (after the DELETE succeeded, or the machine is gone). A row already gone is fine. */
    public void unmarkFreePricing(String machineKey) {
        try {
            table.deleteEntity(FREE_PRICING, freePricingRow(machineKey));
        } catch (TableServiceException e) {
            if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
                throw e;
            }
        }
    }

    private static String freePricingRow(String machineKey) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(machineKey.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Optional<Boolean> bool(TableEntity e, String name) {
        Object v = e.getProperty(name);
        return v == null || v.toString().isEmpty() ? Optional.empty() : Optional.of(Boolean.parseBoolean(v.toString()));
    }

    private static String json(Object o) {
        try {
            return SweepReport.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A table property holds 32K characters; keep the first errors if a sweep had very many. */
    private static SweepReport truncateErrors(SweepReport r) {
        if (r.errors().size() <= 50) {
            return r;
        }
        List<String> errors = new ArrayList<>(r.errors().subList(0, 50));
        errors.add("... and " + (r.errors().size() - 50) + " more");
        return r.withErrors(errors);
    }
}
