package com.mdeonboarding.sweep;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.fasterxml.jackson.core.JsonProcessingException;
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

/**
 * Sweep reports and the last-known integration settings per subscription, in one table:
 * PartitionKey = sweep ID with a "summary" row and one row per subscription (a report for 1,000
 * subscriptions would not fit one entity); ("latest", "latest") points at the newest sweep;
 * PartitionKey "settings" holds each subscription's settings as last read, with the time; PartitionKey "requested" has
 * one row per sweep asked for with POST /api/sweeps (RowKey = its sweep ID, RequestedAt).
 */
public final class SweepReportStore {
    private static final String SUMMARY = "summary";
    private static final String LATEST = "latest";
    private static final String SETTINGS = "settings";
    private static final String REQUESTED = "requested";
    /** The settings row's column per setting (the table schema). */
    private static final Map<IntegrationSetting, String> COLUMNS = Map.of(IntegrationSetting.WDATP, "Wdatp",
            IntegrationSetting.WDATP_UNIFIED_SOLUTION, "UnifiedSolution", IntegrationSetting.WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW, "ExcludeLinux");
    private final TableClient table;

    public SweepReportStore(TableClient table) {
        this.table = table;
    }

    public void save(SweepReport report) {
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
        table.upsertEntity(new TableEntity(report.sweepId(), SUMMARY).addProperty("Json", truncateErrors(summary).toJson()));
        // Written last: a reader never sees a pointer to a half-written report.
        table.upsertEntity(new TableEntity(LATEST, LATEST).addProperty("SweepId", report.sweepId()));
    }

    public Optional<SweepReport> latest() {
        String sweepId;
        try {
            sweepId = String.valueOf(table.getEntity(LATEST, LATEST).getProperty("SweepId"));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        return get(sweepId);
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
