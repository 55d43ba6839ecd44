package com.mdeonboarding.e2e;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.Services;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.PricingSpec;
import com.mdeonboarding.emulator.SubscriptionSpec;
import com.mdeonboarding.emulator.Tenant;
import com.mdeonboarding.testing.Azurite;
import com.mdeonboarding.testing.LocalFunctionsHost;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One end-to-end world: the Resource Manager emulator (real HTTPS, real Azure SDK pipeline), a real
 * Azurite, the app's real Services, and {@link LocalFunctionsHost} standing in for the Functions host.
 * Each world gets its own queue and tables.
 */
final class OnboardingWorld implements AutoCloseable {
    static final String SUB_OK = "11111111-1111-4111-8111-111111111111";
    static final String SUB_FREE = "22222222-2222-4222-8222-222222222222";
    static final String SUB_WDATP_OFF = "33333333-3333-4333-8333-333333333333";
    static final String SUB_LINUX_EXCLUDED = "44444444-4444-4444-8444-444444444444";

    final ArmEmulator emulator;
    final Services services;
    final LocalFunctionsHost host;
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    OnboardingWorld() {
        this(defaultTenant(), Map.of());
    }

    static Tenant defaultTenant() {
        return new Tenant("72f988bf-86f1-41af-91ab-2d7cd011db47", List.of(
                subscription(SUB_OK, PricingSpec.standard("P2"), Map.of("WDATP", true, "WDATP_UNIFIED_SOLUTION", true,
                        "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false)),
                subscription(SUB_FREE, PricingSpec.free(), Map.of("WDATP", true, "WDATP_UNIFIED_SOLUTION", true,
                        "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false)),
                subscription(SUB_WDATP_OFF, PricingSpec.standard("P1"), Map.of("WDATP", false, "WDATP_UNIFIED_SOLUTION", true,
                        "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false)),
                subscription(SUB_LINUX_EXCLUDED, PricingSpec.standard("P2"), Map.of("WDATP", true, "WDATP_UNIFIED_SOLUTION", true,
                        "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", true))), Map.of());
    }

    /** A world over {@code tenant}; {@code overrides} replace app settings (scope defaults to the tenant's subscriptions). */
    OnboardingWorld(Tenant tenant, Map<String, String> overrides) {
        emulator = ArmEmulator.builder().tenant(tenant).port(0).extensionProvisioningDelay(Duration.ofMillis(300))
                .lroRetryAfterSeconds(0).onEvent(events::add).build().start();
        Map<String, String> env = new HashMap<>();
        env.put(Settings.STORAGE, Azurite.get().connectionString());
        env.put(Settings.JOBS_QUEUE, "jobs-" + suffix);
        env.put(Settings.STATE_TABLE, "State" + suffix);
        env.put(Settings.HISTORY_TABLE, "History" + suffix);
        env.put(Settings.ARM_ENDPOINT, emulator.baseUrl());
        env.put(Settings.ARM_CA_CERT, emulator.caCertificatePemPath().toString());
        env.put(Settings.SCOPE_SUBSCRIPTIONS, String.join(",", tenant.subscriptions().stream().map(SubscriptionSpec::subscriptionId).toList()));
        env.put(Settings.REPORTS_TABLE, "Reports" + suffix);
        env.put(Settings.VERIFY_DELAY_SECONDS, "1");
        env.putAll(overrides);
        services = new Services(Settings.from(env), Clock.systemUTC());
        Services.set(services);
        host = new LocalFunctionsHost(Azurite.get().connectionString(), "jobs-" + suffix, 5, Duration.ofSeconds(1));
    }

    static SubscriptionSpec subscription(String id, PricingSpec pricing, Map<String, Boolean> settings) {
        return new SubscriptionSpec(id, null, null, null, pricing, null, settings, null, null);
    }

    /** Delivers every event the emulator emitted so far (each {@code times} times) and forgets them. */
    void deliverEvents(int times) {
        List<String> batch;
        synchronized (events) {
            batch = new ArrayList<>(events);
            events.clear();
        }
        for (int i = 0; i < times; i++) {
            for (String e : batch) {
                host.deliverEvent(e);
            }
        }
    }

    TableClient table(String name) {
        return new TableClientBuilder().connectionString(Azurite.get().connectionString()).tableName(name + suffix).buildClient();
    }

    TableEntity stateRow(String machineId) {
        for (TableEntity e : table("State").listEntities()) {
            if (machineId.equalsIgnoreCase(String.valueOf(e.getProperty("ResourceId")))) {
                return e;
            }
        }
        return null;
    }

    /** Every string the app persisted or logged: queue messages, state and history rows, log lines. */
    List<String> everythingPersistedOrLogged() {
        List<String> all = new ArrayList<>(host.messagesSeen());
        all.addAll(host.logLines());
        for (String t : List.of("State", "History")) {
            for (TableEntity e : table(t).listEntities()) {
                all.add(e.getProperties().toString());
            }
        }
        return all;
    }

    /** The onboarding packages in every form a leak could take: base64 as served, and decoded text. */
    List<String> secretForms() {
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
        emulator.close();
    }
}
