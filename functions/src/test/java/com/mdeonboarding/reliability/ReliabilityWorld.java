package com.mdeonboarding.reliability;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.mdeonboarding.Services;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.PricingSpec;
import com.mdeonboarding.emulator.RequestLog;
import com.mdeonboarding.emulator.SubscriptionSpec;
import com.mdeonboarding.emulator.Tenant;
import com.mdeonboarding.testing.Azurite;
import com.mdeonboarding.testing.LocalFunctionsHost;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The reliability suite's world: the HTTPS Resource Manager emulator, the shared Azurite, the app's real
 * {@link Services} (installed as the process instance the triggers use) and {@link LocalFunctionsHost}
 * standing in for the Functions host, with this world's own queue and tables, and a {@link SecretScanner}
 * over everything the world can see.
 */
final class ReliabilityWorld implements AutoCloseable {
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    /** In scope: P2, integration on, Linux included. */
    static final String SUB_A = "a1111111-1111-4111-8111-111111111111";
    /** In scope: P1, integration on. */
    static final String SUB_B = "b2222222-2222-4222-8222-222222222222";
    /** In scope: P2, WDATP off (audit: BLOCKED INTEGRATION_DISABLED; enforce: switched on). */
    static final String SUB_WDATP_OFF = "c3333333-3333-4333-8333-333333333333";
    /** Known to Resource Manager, not in MDE_SCOPE_SUBSCRIPTIONS. */
    static final String SUB_OUT = "d4444444-4444-4444-8444-444444444444";
    /** In MDE_SCOPE_SUBSCRIPTIONS and in MDE_SCOPE_EXCLUDE_SUBSCRIPTIONS. */
    static final String SUB_EXCLUDED = "e5555555-5555-4555-8555-555555555555";
    static final List<String> IN_SCOPE = List.of(SUB_A, SUB_B, SUB_WDATP_OFF);
    static final Map<String, Boolean> ALL_ON = Map.of("WDATP", true, "WDATP_UNIFIED_SOLUTION", true, "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false);
    static final Set<String> EXTENSION_PUTS = Set.of("VirtualMachineExtensions_CreateOrUpdate", "MachineExtensions_CreateOrUpdate");

    final ArmEmulator emulator;
    final Services services;
    final LocalFunctionsHost host;
    final Map<String, String> env;
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final SecretScanner scanner;
    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    ReliabilityWorld() {
        this(Map.of());
    }

    ReliabilityWorld(Map<String, String> overrides) {
        this(defaultTenant(), overrides);
    }

    static Tenant defaultTenant() {
        Map<String, Boolean> wdatpOff = Map.of("WDATP", false, "WDATP_UNIFIED_SOLUTION", true, "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false);
        return new Tenant(TENANT, List.of(
                subscription(SUB_A, PricingSpec.standard("P2"), ALL_ON),
                subscription(SUB_B, PricingSpec.standard("P1"), ALL_ON),
                subscription(SUB_WDATP_OFF, PricingSpec.standard("P2"), wdatpOff),
                subscription(SUB_OUT, PricingSpec.free(), wdatpOff),
                subscription(SUB_EXCLUDED, PricingSpec.free(), wdatpOff)), Map.of());
    }

    static SubscriptionSpec subscription(String id, PricingSpec pricing, Map<String, Boolean> settings) {
        return new SubscriptionSpec(id, null, null, null, pricing, null, settings, null, null);
    }

    /** Scope: {@link #IN_SCOPE} plus {@link #SUB_EXCLUDED}, which MDE_SCOPE_EXCLUDE_SUBSCRIPTIONS takes out again. */
    ReliabilityWorld(Tenant tenant, Map<String, String> overrides) {
        emulator = ArmEmulator.builder().tenant(tenant).port(0).extensionProvisioningDelay(Duration.ofMillis(300))
                .lroRetryAfterSeconds(0).onEvent(events::add).build().start();
        Map<String, String> e = new HashMap<>();
        e.put(Settings.STORAGE, Azurite.get().connectionString());
        e.put(Settings.JOBS_QUEUE, "rel-" + suffix);
        e.put(Settings.STATE_TABLE, "RelState" + suffix);
        e.put(Settings.HISTORY_TABLE, "RelHistory" + suffix);
        e.put(Settings.REPORTS_TABLE, "RelReports" + suffix);
        e.put(Settings.ARM_ENDPOINT, emulator.baseUrl());
        e.put(Settings.ARM_CA_CERT, emulator.caCertificatePemPath().toString());
        List<String> scope = new ArrayList<>(IN_SCOPE);
        scope.add(SUB_EXCLUDED);
        e.put(Settings.SCOPE_SUBSCRIPTIONS, String.join(",", scope));
        e.put(Settings.SCOPE_EXCLUDE_SUBSCRIPTIONS, SUB_EXCLUDED);
        e.put(Settings.VERIFY_DELAY_SECONDS, "1");
        e.putAll(overrides);
        env = Map.copyOf(e);
        services = new Services(Settings.from(env), Clock.systemUTC());
        Services.set(services);
        host = new LocalFunctionsHost(Azurite.get().connectionString(), env.get(Settings.JOBS_QUEUE), 5, Duration.ofSeconds(1));
        scanner = SecretScanner.forTenant(emulator.state())
                .source("host log", host::logLines)
                .source("host messages", host::messagesSeen)
                .source("test log", () -> {
                    synchronized (testLog) {
                        return new ArrayList<>(testLog);
                    }
                })
                .queue("jobs", queue(""))
                .queue("poison", queue("-poison"))
                .table("state", table(Settings.STATE_TABLE))
                .table("history", table(Settings.HISTORY_TABLE))
                .table("reports", table(Settings.REPORTS_TABLE));
    }

    final List<String> testLog = Collections.synchronizedList(new ArrayList<>());

    /** A logger for reconciles a test drives itself: lines kept (and scanned for secrets), not printed. */
    java.util.logging.Logger logger(String name) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name + "-" + suffix);
        l.setUseParentHandlers(false);
        l.setLevel(java.util.logging.Level.ALL);
        if (l.getHandlers().length == 0) {
            l.addHandler(new java.util.logging.Handler() {
                @Override
                public void publish(java.util.logging.LogRecord r) {
                    testLog.add(r.getLevel() + " " + r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
        }
        return l;
    }

    /** The triggers read {@code Services.get()}: point it at this world. */
    ReliabilityWorld install() {
        Services.set(services);
        return this;
    }

    QueueClient queue(String suffixOfName) {
        return new QueueClientBuilder().connectionString(Azurite.get().connectionString())
                .queueName(env.get(Settings.JOBS_QUEUE) + suffixOfName).messageEncoding(QueueMessageEncoding.BASE64).buildClient();
    }

    TableClient table(String setting) {
        return new TableClientBuilder().connectionString(Azurite.get().connectionString()).tableName(env.get(setting)).buildClient();
    }

    /** Messages in the jobs queue, visible or not (Storage's approximate count, exact when idle). */
    int queuedJobs() {
        return queue("").getProperties().getApproximateMessagesCount();
    }

    int poisonJobs() {
        return queue("-poison").getProperties().getApproximateMessagesCount();
    }

    /** State rows by lower-case machine ID. */
    Map<String, TableEntity> stateRows() {
        Map<String, TableEntity> out = new HashMap<>();
        try {
            for (TableEntity e : table(Settings.STATE_TABLE).listEntities()) {
                out.put(String.valueOf(e.getProperty("ResourceId")).toLowerCase(Locale.ROOT), e);
            }
        } catch (TableServiceException ex) {
            if (ex.getResponse().getStatusCode() != 404) {
                throw ex;
            }
        }
        return out;
    }

    List<TableEntity> historyRows() {
        List<TableEntity> out = new ArrayList<>();
        try {
            table(Settings.HISTORY_TABLE).listEntities().forEach(out::add);
        } catch (TableServiceException ex) {
            if (ex.getResponse().getStatusCode() != 404) {
                throw ex;
            }
        }
        return out;
    }

    static String decision(TableEntity row) {
        return row == null ? null : String.valueOf(row.getProperty("Decision"));
    }

    static String reasons(TableEntity row) {
        return row == null ? null : String.valueOf(row.getProperty("Reasons"));
    }

    /** Every event the emulator emitted so far, forgotten afterwards. */
    List<String> takeEvents() {
        synchronized (events) {
            List<String> out = new ArrayList<>(events);
            events.clear();
            return out;
        }
    }

    /** The machine a Resource Manager path is about (lower case), or null: the path up to the machine name. */
    static String machineOf(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        for (String marker : List.of("/providers/microsoft.compute/virtualmachines/", "/providers/microsoft.hybridcompute/machines/")) {
            int i = p.indexOf(marker);
            if (i >= 0) {
                int start = i + marker.length();
                int end = p.indexOf('/', start);
                return end < 0 ? p : p.substring(0, end);
            }
        }
        return null;
    }

    /** Extension PUTs per machine (lower-case ID) that Resource Manager accepted (2xx). */
    Map<String, Integer> acceptedExtensionPuts() {
        Map<String, Integer> out = new HashMap<>();
        for (RequestLog.Entry e : emulator.requestLog().snapshot()) {
            if (EXTENSION_PUTS.contains(e.operationId()) && e.status() >= 200 && e.status() < 300) {
                out.merge(machineOf(e.path()), 1, Integer::sum);
            }
        }
        return out;
    }

    long extensionPutRequests() {
        return EXTENSION_PUTS.stream().mapToLong(op -> emulator.requestLog().count(op)).sum();
    }

    @Override
    public void close() {
        emulator.close();
    }
}
