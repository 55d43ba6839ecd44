package com.mdeonboarding.bench;

import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.operations.Delays;
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
 * The world of the event-driven scenarios: a {@link MachineMix} tenant, and the local host with host.json's batchSize and
 * newBatchThreshold (up to 24 jobs at once).
 */
final class BenchWorld extends TestWorld {
    /** host.json: batchSize 16, newBatchThreshold 8, maxPollingInterval 2 s, visibilityTimeout 15 s, maxDequeueCount 5. */
    static final int BATCH_SIZE = 16;
    static final int NEW_BATCH_THRESHOLD = 8;
    static final Duration MAX_POLLING_INTERVAL = Duration.ofSeconds(2);
    /**
     * The realistic world at 1/30 of Azure's time: Run Commands 30-90 s become 1-3 s, MDE provisioning 2-6 min becomes
     * 4-12 s, and the app's default 30 s verify delay becomes the 1 s the benchmark sets (MDE_VERIFY_DELAY_SECONDS is
     * whole seconds, and Retry-After too, so 1/30 is the smallest scale at which the app's own waits scale with it).
     */
    static final double TIME_SCALE = 1.0 / 30;

    /** A fresh sequence of those durations (each world draws its own, so a run repeats). */
    static Delays azureAtTimeScale() {
        return Delays.azureLike().timeScale(TIME_SCALE);
    }
    private static final Pattern DECIDED = Pattern.compile("\\[resourceId=([^\\]]+)\\] (ONBOARDED|BLOCKED|SKIPPED) ");

    final MachineMix.WriteEvents events;
    final int subscriptions;

    /**
     * @param extensionDelay how long the emulator keeps extension PUTs and Run Commands in progress
     * @param verifyDelay    MDE_VERIFY_DELAY_SECONDS: when the reconciler looks again after its PUT
     */
    BenchWorld(int subscriptions, Duration extensionDelay, int verifyDelaySeconds, Map<String, String> overrides) {
        this(subscriptions, Delays.fixed(extensionDelay), verifyDelaySeconds, overrides, new MachineMix.WriteEvents());
    }

    /** A world whose Run Commands and extension operations take {@code delays} (e.g. {@link #azureAtTimeScale()}). */
    BenchWorld(int subscriptions, Delays delays, int verifyDelaySeconds, Map<String, String> overrides) {
        this(subscriptions, delays, verifyDelaySeconds, overrides, new MachineMix.WriteEvents());
    }

    private BenchWorld(int subscriptions, Delays delays, int verifyDelaySeconds, Map<String, String> overrides,
                       MachineMix.WriteEvents events) {
        super(TestWorld.builder(MachineMix.tenant(subscriptions)).scope(MachineMix.subscriptionIds(subscriptions)).delays(delays)
                .lroRetryAfterSeconds(null).onEvent(events).setting(Settings.VERIFY_DELAY_SECONDS, String.valueOf(verifyDelaySeconds))
                .settings(overrides).prefix("Bench").host(5, Duration.ofSeconds(15)));
        this.events = events;
        this.subscriptions = subscriptions;
        host.concurrency(BATCH_SIZE, NEW_BATCH_THRESHOLD).maxPollingInterval(MAX_POLLING_INTERVAL);
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

    /** The benchmark runs world after world in one JVM and one Azurite: each leaves no rows behind for the next. */
    @Override
    public void close() {
        super.close();
        deleteTables();
    }

    /** Host log lines that say something went wrong (failed invocations, warnings). */
    List<String> problems() {
        return host.logLines().stream().filter(l -> l.startsWith("HOST") || l.startsWith("WARNING") || l.startsWith("SEVERE")).toList();
    }
}
