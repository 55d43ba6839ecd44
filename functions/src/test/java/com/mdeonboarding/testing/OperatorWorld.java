package com.mdeonboarding.testing;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.mdeonboarding.Services;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.PricingSpec;
import com.mdeonboarding.emulator.SubscriptionSpec;
import com.mdeonboarding.emulator.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The world the operator surfaces (HTTP API, command line) run in: the Resource Manager emulator over
 * HTTPS, a real Azurite, and the app's real {@link Services}, with this world's own queue and tables.
 * One per test class; {@link #clearQueue()} between tests keeps "nothing was queued" checks exact.
 */
public final class OperatorWorld implements AutoCloseable {
    /** In scope: Defender for Servers P2, integration on, Linux included. */
    public static final String SUB_IN = "aaaaaaaa-1111-4111-8111-111111111111";
    /** In scope and known to the emulator, on the Free tier. */
    public static final String SUB_FREE = "bbbbbbbb-2222-4222-8222-222222222222";
    /** Known to the emulator, not in MDE_SCOPE_SUBSCRIPTIONS. */
    public static final String SUB_OUT = "cccccccc-3333-4333-8333-333333333333";
    /** Listed in MDE_SCOPE_SUBSCRIPTIONS and in MDE_SCOPE_EXCLUDE_SUBSCRIPTIONS. */
    public static final String SUB_EXCLUDED = "dddddddd-4444-4444-8444-444444444444";
    /** In scope, unknown to Resource Manager. */
    public static final String SUB_GHOST = "eeeeeeee-5555-4555-8555-555555555555";

    public final ArmEmulator emulator;
    public final Services services;
    public final Map<String, String> env;
    public final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final QueueClient queue;

    public OperatorWorld() {
        this(100);
    }

    /** {@code pageSize}: machines per Resource Manager list page, small to exercise nextLink. */
    public OperatorWorld(int pageSize) {
        Map<String, Boolean> on = Map.of("WDATP", true, "WDATP_UNIFIED_SOLUTION", true, "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false);
        Tenant tenant = new Tenant("72f988bf-86f1-41af-91ab-2d7cd011db47", List.of(
                subscription(SUB_IN, PricingSpec.standard("P2"), on),
                subscription(SUB_FREE, PricingSpec.free(), on),
                subscription(SUB_OUT, PricingSpec.standard("P2"), on),
                subscription(SUB_EXCLUDED, PricingSpec.standard("P2"), on)), Map.of());
        emulator = ArmEmulator.builder().tenant(tenant).port(0).extensionProvisioningDelay(Duration.ofMillis(300))
                .lroRetryAfterSeconds(0).pageSize(pageSize).onEvent(events::add).build().start();
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, String> e = new HashMap<>();
        e.put(Settings.STORAGE, Azurite.get().connectionString());
        e.put(Settings.JOBS_QUEUE, "ops-" + suffix);
        e.put(Settings.STATE_TABLE, "OpsState" + suffix);
        e.put(Settings.HISTORY_TABLE, "OpsHistory" + suffix);
        e.put(Settings.REPORTS_TABLE, "OpsReports" + suffix);
        e.put(Settings.ARM_ENDPOINT, emulator.baseUrl());
        e.put(Settings.ARM_CA_CERT, emulator.caCertificatePemPath().toString());
        e.put(Settings.SCOPE_SUBSCRIPTIONS, String.join(",", SUB_IN, SUB_FREE, SUB_EXCLUDED, SUB_GHOST));
        e.put(Settings.SCOPE_EXCLUDE_SUBSCRIPTIONS, SUB_EXCLUDED);
        e.put(Settings.VERIFY_DELAY_SECONDS, "1");
        env = Map.copyOf(e);
        services = new Services(Settings.from(env), Clock.systemUTC());
        Services.set(services);
        queue = new QueueClientBuilder().connectionString(Azurite.get().connectionString()).queueName(env.get(Settings.JOBS_QUEUE))
                .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
        queue.createIfNotExists();
    }

    private static SubscriptionSpec subscription(String id, PricingSpec pricing, Map<String, Boolean> settings) {
        return new SubscriptionSpec(id, null, null, null, pricing, null, settings, null, null);
    }

    /** The triggers read {@code Services.get()}: point it at this world (other test classes install their own). */
    public OperatorWorld install() {
        Services.set(services);
        return this;
    }

    /** The messages in the jobs queue now (visible ones, up to 32), decoded; nothing is dequeued. */
    public List<String> queuedMessages() {
        List<String> out = new ArrayList<>();
        for (PeekedMessageItem m : queue.peekMessages(32, null, null)) {
            out.add(m.getBody().toString());
        }
        return out;
    }

    public int queueLength() {
        return queue.getProperties().getApproximateMessagesCount();
    }

    public void clearQueue() {
        queue.clearMessages();
    }

    public QueueClient queue() {
        return queue;
    }

    /** Every event the emulator emitted so far, forgotten afterwards. */
    public List<String> takeEvents() {
        synchronized (events) {
            List<String> out = new ArrayList<>(events);
            events.clear();
            return out;
        }
    }

    @Override
    public void close() {
        emulator.close();
    }
}
