package com.mdeonboarding.testing;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.sweep.SweepRequestQueue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The one test world of the end-to-end, reliability, operator and benchmark tests: the Resource Manager emulator over
 * HTTPS (real Azure SDK pipeline), a real Azurite, the app's real {@link Services} with this world's own queue and
 * tables, and {@link LocalFunctionsHost} standing in for the Functions host and calling the real trigger classes with
 * this world's services. Nothing is static: worlds of several test classes can run side by side. Suites name their
 * tenants in small subclasses (OperatorWorld, OnboardingWorld, ReliabilityWorld, BenchWorld).
 */
public class TestWorld implements AutoCloseable {
    public static final Set<String> EXTENSION_PUTS = Set.of("VirtualMachineExtensions_CreateOrUpdate", "MachineExtensions_CreateOrUpdate");
    /** Settings that turn every MDE integration setting on. */
    public static final Map<String, Boolean> ALL_ON = Map.of("WDATP", true, "WDATP_UNIFIED_SOLUTION", true,
            "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false);

    public final ArmEmulator emulator;
    public final Services services;
    public final Map<String, String> env;
    public final LocalFunctionsHost host;
    /** Every event the emulator emitted, until taken. */
    public final List<String> events = Collections.synchronizedList(new ArrayList<>());
    /** Lines of the loggers tests hand to code they drive themselves ({@link #logger}). */
    public final List<String> testLog = Collections.synchronizedList(new ArrayList<>());
    private final String suffix;

    protected TestWorld(Builder b) {
        suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Consumer<String> onEvent = b.onEvent == null ? events::add : e -> {
            events.add(e);
            b.onEvent.accept(e);
        };
        ArmEmulator.Builder eb = ArmEmulator.builder().tenant(b.tenant).port(0).extensionProvisioningDelay(b.extensionDelay)
                .pageSize(b.pageSize).onEvent(onEvent);
        if (b.delays != null) {
            eb.delays(b.delays);
        }
        if (b.lroRetryAfterSeconds != null) {
            eb.lroRetryAfterSeconds(b.lroRetryAfterSeconds);
        }
        b.emulatorTweaks.accept(eb);
        emulator = eb.build().start();
        Map<String, String> e = new HashMap<>();
        e.put(Settings.STORAGE, Azurite.get().connectionString());
        e.put(Settings.JOBS_QUEUE, b.prefix.toLowerCase(Locale.ROOT) + "-" + suffix);
        e.put(Settings.STATE_TABLE, b.prefix + "State" + suffix);
        e.put(Settings.HISTORY_TABLE, b.prefix + "History" + suffix);
        e.put(Settings.REPORTS_TABLE, b.prefix + "Reports" + suffix);
        e.put(Settings.ARM_ENDPOINT, emulator.baseUrl());
        e.put(Settings.ARM_CA_CERT, emulator.caCertificatePemPath().toString());
        // The emulator serves the Defender for Endpoint API too: sensors are checked as in production (MDE_SENSOR_CHECK=on).
        e.put(Settings.DEFENDER_API_ENDPOINT, emulator.baseUrl());
        List<String> scope = b.scope != null ? b.scope : b.tenant.subscriptions().stream().map(SubscriptionSpec::subscriptionId).toList();
        if (!scope.isEmpty()) {
            e.put(Settings.SCOPE_SUBSCRIPTIONS, String.join(",", scope));
        }
        e.put(Settings.VERIFY_DELAY_SECONDS, "1");
        // The test worlds were written for a deployment that onboards; a fresh deployment's default (observe) is tested
        // on its own (RolloutTest, ObserveThenOnboardTest).
        e.put(Settings.MODE, "onboard");
        e.putAll(b.settings);
        env = Map.copyOf(e);
        services = new Services(Settings.from(env), b.clock);
        host = new LocalFunctionsHost(services, Azurite.get().connectionString(), env.get(Settings.JOBS_QUEUE), b.maxDequeueCount,
                b.visibilityTimeout);
        queue("").createIfNotExists();
    }

    public static Builder builder(Tenant tenant) {
        return new Builder(tenant);
    }

    /** A subscription of a test tenant: its plan and integration settings. */
    public static SubscriptionSpec subscription(String id, PricingSpec pricing, Map<String, Boolean> settings) {
        return new SubscriptionSpec(id, null, null, null, pricing, null, settings, null, null);
    }

    public static final class Builder {
        private final Tenant tenant;
        private List<String> scope;
        private final Map<String, String> settings = new HashMap<>();
        private Duration extensionDelay = Duration.ofMillis(300);
        private com.mdeonboarding.emulator.operations.Delays delays;
        private Integer lroRetryAfterSeconds = 0;
        private int pageSize = 100;
        private String prefix = "World";
        private int maxDequeueCount = 5;
        private Duration visibilityTimeout = Duration.ofSeconds(1);
        private Consumer<String> onEvent;
        private Clock clock = Clock.systemUTC();
        private Consumer<ArmEmulator.Builder> emulatorTweaks = eb -> {
        };

        private Builder(Tenant tenant) {
            this.tenant = tenant;
        }

        /** MDE_SCOPE_SUBSCRIPTIONS; default: every subscription of the tenant. */
        public Builder scope(List<String> subscriptions) {
            this.scope = List.copyOf(subscriptions);
            return this;
        }

        /** App settings that replace the world's defaults. */
        public Builder settings(Map<String, String> overrides) {
            settings.putAll(overrides);
            return this;
        }

        public Builder setting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        public Builder extensionDelay(Duration d) {
            this.extensionDelay = d;
            return this;
        }

        /** Run Command and extension durations per call (e.g. {@code Delays.azureLike().timeScale(1.0 / 30)}); replaces extensionDelay. */
        public Builder delays(com.mdeonboarding.emulator.operations.Delays d) {
            this.delays = d;
            return this;
        }

        /** The emulator's Retry-After on long-running operations; {@code null}: its default (the seconds left). */
        public Builder lroRetryAfterSeconds(Integer seconds) {
            this.lroRetryAfterSeconds = seconds;
            return this;
        }

        /** Machines per Resource Manager list page, small to exercise nextLink. */
        public Builder pageSize(int n) {
            this.pageSize = n;
            return this;
        }

        /** Starts the names of the world's queue and tables, to tell them apart in Azurite. */
        public Builder prefix(String p) {
            this.prefix = p;
            return this;
        }

        /** host.json's maxDequeueCount and visibility timeout for the local host. */
        public Builder host(int maxDequeue, Duration visibility) {
            this.maxDequeueCount = maxDequeue;
            this.visibilityTimeout = visibility;
            return this;
        }

        /** The app's clock (default: the system's); an {@link AdjustableClock} lets a test move the app's time forward. */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** Further emulator settings (e.g. the Defender for Endpoint API's rate limits). */
        public Builder emulator(Consumer<ArmEmulator.Builder> tweaks) {
            this.emulatorTweaks = tweaks;
            return this;
        }

        /** Also sends every emulator event here (besides {@link TestWorld#events}). */
        public Builder onEvent(Consumer<String> consumer) {
            this.onEvent = consumer;
            return this;
        }

        public TestWorld build() {
            return new TestWorld(this);
        }
    }

    // ---------------------------------------------------------------- events

    /** Every event the emulator emitted so far, forgotten afterwards. */
    public List<String> takeEvents() {
        synchronized (events) {
            List<String> out = new ArrayList<>(events);
            events.clear();
            return out;
        }
    }

    /** Delivers every event the emulator emitted so far (each {@code times} times) through the trigger, and forgets them. */
    public void deliverEvents(int times) {
        List<String> batch = takeEvents();
        for (int i = 0; i < times; i++) {
            for (String e : batch) {
                host.deliverEvent(e);
            }
        }
    }

    // ---------------------------------------------------------------- queue and tables

    /** The jobs queue ({@code ""}) or a queue named after it ({@code "-poison"}). */
    public QueueClient queue(String suffixOfName) {
        return new QueueClientBuilder().connectionString(Azurite.get().connectionString())
                .queueName(env.get(Settings.JOBS_QUEUE) + suffixOfName).messageEncoding(QueueMessageEncoding.BASE64).buildClient();
    }

    public QueueClient queue() {
        return queue("");
    }

    /** The messages in the jobs queue now (visible ones, up to 32), decoded; nothing is dequeued. */
    public List<String> queuedMessages() {
        List<String> out = new ArrayList<>();
        for (PeekedMessageItem m : queue().peekMessages(32, null, null)) {
            out.add(m.getBody().toString());
        }
        return out;
    }

    /** Messages in the jobs queue, visible or not (Storage's approximate count, exact when idle). */
    public int queuedJobs() {
        return queue().getProperties().getApproximateMessagesCount();
    }

    public int queueLength() {
        return queuedJobs();
    }

    public int poisonJobs() {
        return queue("-poison").getProperties().getApproximateMessagesCount();
    }

    public void clearQueue() {
        queue().clearMessages();
    }

    /** The table an app setting names ({@link Settings#STATE_TABLE}, ...). */
    public TableClient table(String setting) {
        return new TableClientBuilder().connectionString(Azurite.get().connectionString()).tableName(env.get(setting)).buildClient();
    }

    /** The state row of one machine, or null. */
    public TableEntity stateRow(String machineId) {
        return stateRows().get(machineId.toLowerCase(Locale.ROOT));
    }

    /** State rows by lower-case machine ID. */
    public Map<String, TableEntity> stateRows() {
        Map<String, TableEntity> out = new HashMap<>();
        for (TableEntity e : rows(Settings.STATE_TABLE)) {
            out.put(String.valueOf(e.getProperty("ResourceId")).toLowerCase(Locale.ROOT), e);
        }
        return out;
    }

    public List<TableEntity> historyRows() {
        return rows(Settings.HISTORY_TABLE);
    }

    private List<TableEntity> rows(String setting) {
        List<TableEntity> out = new ArrayList<>();
        try {
            table(setting).listEntities().forEach(out::add);
        } catch (TableServiceException ex) {
            if (ex.getResponse().getStatusCode() != 404) {
                throw ex;
            }
        }
        return out;
    }

    public static String decision(TableEntity row) {
        return row == null ? null : String.valueOf(row.getProperty("Decision"));
    }

    public static String reasons(TableEntity row) {
        return row == null ? null : String.valueOf(row.getProperty("Reasons"));
    }

    // ---------------------------------------------------------------- what Azure saw

    /** The machine a Resource Manager path is about (lower case), or null: the path up to the machine name. */
    public static String machineOf(String path) {
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
    public Map<String, Integer> acceptedExtensionPuts() {
        Map<String, Integer> out = new HashMap<>();
        for (RequestLog.Entry e : emulator.requestLog().snapshot()) {
            if (EXTENSION_PUTS.contains(e.operationId()) && e.status() >= 200 && e.status() < 300) {
                out.merge(machineOf(e.path()), 1, Integer::sum);
            }
        }
        return out;
    }

    public long extensionPutRequests() {
        return EXTENSION_PUTS.stream().mapToLong(op -> emulator.requestLog().count(op)).sum();
    }

    // ---------------------------------------------------------------- logs and secrets

    /** A logger for reconciles a test drives itself: lines kept in {@link #testLog} (and scanned for secrets), not printed. */
    public Logger logger(String name) {
        return CapturingLogger.into(testLog, name + "-" + suffix);
    }

    /** Every string the app persisted or logged: queue messages, state and history rows, log lines. */
    public List<String> everythingPersistedOrLogged() {
        List<String> all = new ArrayList<>(host.messagesSeen());
        all.addAll(host.logLines());
        synchronized (testLog) {
            all.addAll(testLog);
        }
        for (String t : List.of(Settings.STATE_TABLE, Settings.HISTORY_TABLE)) {
            for (TableEntity e : rows(t)) {
                all.add(e.getProperties().toString());
            }
        }
        return all;
    }

    /** The onboarding packages in every form a leak could take: base64 as served, and decoded text. */
    public List<String> secretForms() {
        List<String> forms = new ArrayList<>();
        for (String b64 : List.of(emulator.state().onboardingPackageWindowsBase64(), emulator.state().onboardingPackageLinuxBase64())) {
            forms.add(b64);
            forms.add(b64.substring(0, Math.min(64, b64.length())));
            String decoded = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
            forms.add(decoded.substring(0, Math.min(64, decoded.length())));
        }
        forms.add(emulator.state().onboardingPackageMarker());
        return forms;
    }

    @Override
    public void close() {
        host.concurrency(1);
        emulator.close();
        // Azurite keeps every queue's messages in one collection and scans all of them on each receive and delete, so
        // a closed world's delayed jobs would slow the worlds after it (in one JVM: the benchmark's scenarios). The
        // tables stay: the secret scan reads them after the test (SecretScan), so only the benchmark deletes them.
        try {
            for (String q : List.of("", "-poison", SweepRequestQueue.SUFFIX)) {
                queue(q).deleteIfExists();
            }
        } catch (RuntimeException e) {
            // Azurite stopping with the JVM: nothing left to slow down.
        }
    }

    /** Deletes this world's tables: Azurite holds every table in its one process, so rows left behind slow later worlds. */
    protected void deleteTables() {
        try {
            for (String t : List.of(Settings.STATE_TABLE, Settings.HISTORY_TABLE, Settings.REPORTS_TABLE)) {
                table(t).deleteTable();
            }
        } catch (RuntimeException e) {
            // Azurite stopping with the JVM, or a table never created: nothing left to slow down.
        }
    }
}
