package com.mdeonboarding.bench;

import com.mdeonboarding.config.Settings;
import com.mdeonboarding.testing.TestWorld;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The world of the event-driven scenarios: a {@link MachineMix} tenant, and the local host with host.json's batchSize as
 * its concurrency.
 */
final class BenchWorld extends TestWorld {
    /** host.json: batchSize 16, maxPollingInterval 2 s, visibilityTimeout 15 s, maxDequeueCount 5. */
    static final int BATCH_SIZE = 16;
    static final Duration MAX_POLLING_INTERVAL = Duration.ofSeconds(2);
    private static final Pattern DECIDED = Pattern.compile("\\[resourceId=([^\\]]+)\\] (ONBOARDED|BLOCKED|SKIPPED) ");

    final MachineMix.WriteEvents events;
    final int subscriptions;

    /**
     * @param extensionDelay how long the emulator keeps extension PUTs and Run Commands in progress
     * @param verifyDelay    MDE_VERIFY_DELAY_SECONDS: when the reconciler looks again after its PUT
     */
    BenchWorld(int subscriptions, Duration extensionDelay, int verifyDelaySeconds, Map<String, String> overrides) {
        this(subscriptions, extensionDelay, verifyDelaySeconds, overrides, new MachineMix.WriteEvents());
    }

    private BenchWorld(int subscriptions, Duration extensionDelay, int verifyDelaySeconds, Map<String, String> overrides,
                       MachineMix.WriteEvents events) {
        super(TestWorld.builder(MachineMix.tenant(subscriptions)).scope(MachineMix.subscriptionIds(subscriptions)).extensionDelay(extensionDelay)
                .lroRetryAfterSeconds(null).onEvent(events).setting(Settings.VERIFY_DELAY_SECONDS, String.valueOf(verifyDelaySeconds))
                .settings(overrides).prefix("Bench").host(5, Duration.ofSeconds(15)));
        this.events = events;
        this.subscriptions = subscriptions;
        host.concurrency(BATCH_SIZE).maxPollingInterval(MAX_POLLING_INTERVAL);
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
}
