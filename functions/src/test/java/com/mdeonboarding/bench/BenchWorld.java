package com.mdeonboarding.bench;

import com.mdeonboarding.Services;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.testing.Azurite;
import com.mdeonboarding.testing.LocalFunctionsHost;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One in-process world for the event-driven scenarios: the HTTPS Resource Manager emulator over a {@link MachineMix}
 * tenant, a real Azurite, the app's real {@link Services}, and {@link LocalFunctionsHost} standing in for the Functions
 * host with host.json's batchSize as its concurrency.
 */
final class BenchWorld implements AutoCloseable {
    /** host.json: batchSize 16, maxPollingInterval 2 s, visibilityTimeout 15 s, maxDequeueCount 5. */
    static final int BATCH_SIZE = 16;
    static final Duration MAX_POLLING_INTERVAL = Duration.ofSeconds(2);
    private static final Pattern DECIDED = Pattern.compile("\\[resourceId=([^\\]]+)\\] (ONBOARDED|BLOCKED|SKIPPED) ");

    final ArmEmulator emulator;
    final Services services;
    final LocalFunctionsHost host;
    final MachineMix.WriteEvents events = new MachineMix.WriteEvents();
    final int subscriptions;

    /**
     * @param extensionDelay how long the emulator keeps extension PUTs and Run Commands in progress
     * @param verifyDelay    MDE_VERIFY_DELAY_SECONDS: when the reconciler looks again after its PUT
     */
    BenchWorld(int subscriptions, Duration extensionDelay, int verifyDelaySeconds, Map<String, String> overrides) {
        this.subscriptions = subscriptions;
        emulator = ArmEmulator.builder().tenant(MachineMix.tenant(subscriptions)).port(0).extensionProvisioningDelay(extensionDelay)
                .onEvent(events).build().start();
        String suffix = Bench.suffix();
        Map<String, String> env = Bench.settings(emulator.baseUrl(), emulator.caCertificatePemPath(), Azurite.get().connectionString(),
                suffix, MachineMix.subscriptionIds(subscriptions));
        env.put(Settings.VERIFY_DELAY_SECONDS, String.valueOf(verifyDelaySeconds));
        env.putAll(overrides);
        services = Bench.services(env);
        host = new LocalFunctionsHost(Azurite.get().connectionString(), env.get(Settings.JOBS_QUEUE), 5, Duration.ofSeconds(15))
                .concurrency(BATCH_SIZE).maxPollingInterval(MAX_POLLING_INTERVAL);
    }

    /** Machines (lower-case IDs) whose latest reconcile logged a settled decision: ONBOARDED, BLOCKED or SKIPPED. */
    Map<String, String> settled() {
        Map<String, String> out = new java.util.HashMap<>();
        for (String line : host.logLines()) {
            Matcher m = DECIDED.matcher(line);
            if (m.find()) {
                out.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
            }
        }
        return out;
    }

    /** Whether every one of {@code ids} has logged ONBOARDED. */
    boolean allOnboarded(List<MachineMix.Machine> machines) {
        Map<String, String> s = settled();
        Set<String> missing = new HashSet<>();
        for (MachineMix.Machine m : machines) {
            if (!"ONBOARDED".equals(s.get(m.id().toLowerCase(Locale.ROOT)))) {
                missing.add(m.id());
            }
        }
        return missing.isEmpty();
    }

    /** Host log lines that say something went wrong (failed invocations, warnings). */
    List<String> problems() {
        return host.logLines().stream().filter(l -> l.startsWith("HOST") || l.startsWith("WARNING") || l.startsWith("SEVERE")).toList();
    }

    @Override
    public void close() {
        host.concurrency(1);
        emulator.close();
    }
}
