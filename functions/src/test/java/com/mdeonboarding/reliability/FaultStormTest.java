package com.mdeonboarding.reliability;

import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_A;
import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue item 1: N machines (100 by default, 1,000 under -Preliability-full) are created, their Event Grid
 * events go through the real trigger into the Azurite queue, and {@link com.mdeonboarding.testing.LocalFunctionsHost}
 * runs the reconciler as host.json's batchSize 16 lets the host (up to 24 at once) while 30% of Resource Manager requests fail at random
 * (seeded): 429 with Retry-After, 500, 503 and dropped connections, and some extension deployments end Failed.
 * Every machine must end with the decision and reason its kind calls for, no job may be lost, extension writes
 * per machine stay within MDE_MAX_EXTENSION_FAILURES, and no throttled request is retried before its Retry-After.
 */
class FaultStormTest {
    @RegisterExtension
    static final SecretScan SECRETS = new SecretScan();

    /** Retry-After of injected 429s: 1 s on reads, 2 s on writes (so the request log tells which applied). */
    private static final int READ_RETRY_AFTER = 1;
    private static final int WRITE_RETRY_AFTER = 2;
    /** Wall clocks of the client and the emulator are the same here; allow for timestamp granularity only. */
    private static final Duration CLOCK_TOLERANCE = Duration.ofMillis(10);

    enum Kind {
        WINDOWS_VM(40, "ONBOARDED", 1, ReasonCode.EXTENSION_HEALTHY),
        LINUX_VM(12, "ONBOARDED", 1, ReasonCode.EXTENSION_HEALTHY),
        WINDOWS_ARC(10, "ONBOARDED", 1, ReasonCode.EXTENSION_HEALTHY),
        LINUX_ARC(5, "ONBOARDED", 1, ReasonCode.EXTENSION_HEALTHY),
        /** The extension fails once, then succeeds. */
        FLAKY_ONCE(10, "ONBOARDED", 2, ReasonCode.EXTENSION_HEALTHY),
        /** Fails twice, then succeeds (one below MDE_MAX_EXTENSION_FAILURES). */
        FLAKY_TWICE(5, "ONBOARDED", 3, ReasonCode.EXTENSION_HEALTHY),
        /** Fails every time with a retryable cause: MDE_MAX_EXTENSION_FAILURES deployments, then BLOCKED. */
        ALWAYS_FAILS(5, "BLOCKED", 3, ReasonCode.EXTENSION_CONNECTIVITY),
        /** Fails with "not supported": retrying cannot help, so one deployment. */
        OS_REFUSED(3, "BLOCKED", 1, ReasonCode.EXTENSION_OS_NOT_SUPPORTED),
        STOPPED(4, "BLOCKED", 0, ReasonCode.VM_NOT_RUNNING),
        EXCLUDED(3, "SKIPPED", 0, ReasonCode.EXCLUDED_BY_TAG),
        /** Every read of the machine fails: the job goes to the poison queue and is recorded. */
        OUTAGE(3, "BLOCKED", 0, ReasonCode.JOB_FAILED);

        final int percent;
        final String decision;
        final int puts;
        final ReasonCode reason;

        Kind(int percent, String decision, int puts, ReasonCode reason) {
            this.percent = percent;
            this.decision = decision;
            this.puts = puts;
            this.reason = reason;
        }
    }

    record Machine(String id, Kind kind) {
    }

    private static final Set<String> FINAL_DECISIONS = Set.of("ONBOARDED", "BLOCKED", "SKIPPED");

    private static boolean isFinal(String decision) {
        return decision != null && FINAL_DECISIONS.contains(decision);
    }

    @Test
    void everyMachineEndsDecidedWithItsReasonUnderThirtyPercentFaults() {
        int n = Figures.machines();
        try (ReliabilityWorld w = new ReliabilityWorld(Map.of(Settings.MAX_EXTENSION_FAILURES, "3"))) {
            SECRETS.watch(w.scanner);
            List<Machine> machines = createMachines(w.emulator.state(), n, new Random(20261128L));
            List<String> events = w.takeEvents(); // one ResourceWriteSuccess per machine, as the emulator emitted them
            assertEquals(n, events.size());
            List<FaultRule> rules = injectFaults(w);
            w.emulator.requestLog().clear();

            Instant start = Instant.now();
            for (String event : events) {
                assertEquals(1, w.host.deliverEvent(event).size(), "one job per machine event: " + event);
            }
            // batchSize 16 as host.json (and newBatchThreshold 8, its default: up to 24 running); polling backs off to 500 ms
            // when idle (host.json: 2 s) to keep the default run short.
            w.host.concurrency(16).maxPollingInterval(Duration.ofMillis(500));
            Duration timeout = Duration.ofSeconds(120 + n);
            boolean done = w.host.runUntil(() -> allDecided(w, machines) && w.queuedJobs() == 0 && w.poisonJobs() == 0, timeout);
            Duration took = Duration.between(start, Instant.now());
            w.emulator.faults().clear();
            assertTrue(done, "not converged in " + timeout + ": " + undecided(w, machines));

            // Every machine: the decision and reason its kind calls for.
            Map<String, TableEntity> rows = w.stateRows();
            Map<Kind, Integer> byKind = new EnumMap<>(Kind.class);
            List<String> wrong = new ArrayList<>();
            for (Machine m : machines) {
                TableEntity row = rows.get(m.id().toLowerCase(Locale.ROOT));
                byKind.merge(m.kind(), 1, Integer::sum);
                String decision = ReliabilityWorld.decision(row);
                String reasons = ReliabilityWorld.reasons(row);
                if (!m.kind().decision.equals(decision) || reasons == null || !reasons.contains(m.kind().reason.name())) {
                    wrong.add(m + " -> " + decision + " " + reasons + " " + (row == null ? "" : row.getProperty("Detail")));
                }
                if (m.kind() == Kind.ALWAYS_FAILS || m.kind() == Kind.OS_REFUSED) {
                    if (!reasons.contains(ReasonCode.EXTENSION_FAILED.name())) {
                        wrong.add(m + " -> " + reasons + " lacks EXTENSION_FAILED");
                    }
                }
                if (m.kind() == Kind.OUTAGE && !"poison".equals(row.getProperty("Source"))) {
                    wrong.add(m + " recorded by " + row.getProperty("Source") + ", not the poison handler");
                }
            }
            assertEquals(List.of(), wrong, "machines with the wrong outcome");

            // No job lost: the input set = the state table; the queues are empty; the poison handler saw the outages only.
            assertEquals(n, machines.stream().filter(m -> rows.containsKey(m.id().toLowerCase(Locale.ROOT))).count());
            long poisoned = w.host.logLines().stream().filter(l -> l.contains("job failed repeatedly; recorded BLOCKED JOB_FAILED")).count();
            long outages = machines.stream().filter(m -> m.kind() == Kind.OUTAGE).count();
            assertEquals(outages, poisoned, "poison messages handled = machines whose reads always fail");
            long finalRows = machines.stream().map(m -> ReliabilityWorld.decision(rows.get(m.id().toLowerCase(Locale.ROOT))))
                    .filter(FaultStormTest::isFinal).count();

            // Extension writes per machine: exactly what the machine's kind calls for, never more than the failure budget.
            Map<String, Integer> accepted = w.acceptedExtensionPuts();
            List<String> overWritten = new ArrayList<>();
            long duplicateWrites = 0;
            int maxPerMachine = 0;
            for (Machine m : machines) {
                int puts = accepted.getOrDefault(m.id().toLowerCase(Locale.ROOT), 0);
                maxPerMachine = Math.max(maxPerMachine, puts);
                if (puts != m.kind().puts) {
                    overWritten.add(m + " had " + puts + " accepted extension PUTs, expected " + m.kind().puts);
                }
                duplicateWrites += Math.max(0, puts - m.kind().puts);
            }
            assertEquals(List.of(), overWritten);
            assertTrue(maxPerMachine <= 3 + 1, "bounded by MDE_MAX_EXTENSION_FAILURES + 1");

            // Retry-After honoured: no retry of a throttled request before its Retry-After elapsed.
            RetryCheck retries = checkRetries(w.emulator.requestLog().snapshot());
            assertEquals(List.of(), retries.violations, "retries before Retry-After elapsed");
            assertTrue(retries.throttledThenRetried > 0, "the storm throttled and the pipeline retried");

            Map<String, Long> faults = new LinkedHashMap<>();
            for (FaultRule r : rules) {
                faults.merge(r.toString().replaceAll(", applied=\\d+.*|, p=.*|FaultRule\\{", ""), (long) r.appliedCount(), Long::sum);
            }
            long injected = rules.stream().skip(1).mapToLong(FaultRule::appliedCount).sum();
            RequestLog log = w.emulator.requestLog();
            double faultShare = (double) injected / (log.total() - rules.get(0).appliedCount());
            assertTrue(faultShare > 0.25 && faultShare < 0.35, "about 30% of requests faulted: " + faultShare);

            String s = "storm";
            Figures.set(s, "machines", n);
            byKind.forEach((k, v) -> Figures.set(s, "machines " + k, v));
            Figures.set(s, "ARM requests", log.total());
            Figures.set(s, "faults injected (random)", injected);
            Figures.set(s, "fault share of requests (per mille)", Math.round(faultShare * 1000));
            faults.forEach((k, v) -> Figures.set(s, "faults " + k, v));
            Figures.set(s, "pipeline retries (same client request ID)", retries.retries);
            Figures.set(s, "throttled requests retried", retries.throttledThenRetried);
            Figures.set(s, "retries before Retry-After", retries.violations.size());
            Figures.set(s, "min wait after 429 beyond Retry-After (ms)", retries.minSlackMillis);
            Figures.set(s, "job invocations", w.host.reconciles());
            Figures.set(s, "failed invocations (redelivered)", w.host.failures());
            Figures.set(s, "poison jobs recorded", poisoned);
            Figures.set(s, "final state rows", finalRows);
            Figures.set(s, "lost jobs", n - finalRows);
            Figures.set(s, "extension PUT requests", w.extensionPutRequests());
            Figures.set(s, "accepted extension PUTs", accepted.values().stream().mapToLong(Integer::longValue).sum());
            Figures.set(s, "max accepted extension PUTs per machine", maxPerMachine);
            Figures.set(s, "duplicate writes", duplicateWrites);
            Figures.set(s, "seconds to converge", took.toSeconds());
        }
    }

    /** Machines of every kind, shuffled (seeded) across two subscriptions. */
    static List<Machine> createMachines(TenantState s, int n, Random random) {
        List<Kind> kinds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int bucket = i % 100;
            int acc = 0;
            for (Kind k : Kind.values()) {
                acc += k.percent;
                if (bucket < acc) {
                    kinds.add(k);
                    break;
                }
            }
        }
        Collections.shuffle(kinds, random);
        List<Machine> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Kind k = kinds.get(i);
            String sub = i % 2 == 0 ? SUB_A : SUB_B;
            String name = "storm-" + k.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + i;
            String id = switch (k) {
                case WINDOWS_VM -> s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).name(name).build());
                case LINUX_VM -> s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).name(name).ubuntu2204().build());
                case WINDOWS_ARC -> s.createArcMachine(ArcMachineSpec.builder().subscriptionId(sub).name(name).build());
                case LINUX_ARC -> s.createArcMachine(ArcMachineSpec.builder().subscriptionId(sub).name(name).ubuntu2204().build());
                case FLAKY_ONCE -> s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).name(name)
                        .extensionOutcome(ExtensionOutcome.failFirst(1, "ProvisioningState/failed/4",
                                "ERR_NO_INTERNET_CONNECTIVITY: could not reach winatp-gw-weu.microsoft.com")).build());
                case FLAKY_TWICE -> s.createArcMachine(ArcMachineSpec.builder().subscriptionId(sub).name(name)
                        .extensionOutcome(ExtensionOutcome.failFirst(2, "ProvisioningState/failed/4",
                                "ERR_NO_INTERNET_CONNECTIVITY: proxy refused the connection")).build());
                case ALWAYS_FAILS -> s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).name(name)
                        .extensionOutcome(ExtensionOutcome.failed("ProvisioningState/failed/4",
                                "Failed to configure Microsoft Defender for Endpoint: no internet connectivity (ERR_NO_INTERNET_CONNECTIVITY)"))
                        .build());
                case OS_REFUSED -> s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).name(name)
                        .extensionOutcome(ExtensionOutcome.failed("ProvisioningState/failed/51",
                                "Onboarding to MDE via Microsoft Defender for Cloud for this operating system is not supported")).build());
                case STOPPED -> s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).name(name).powerState("deallocated").build());
                case EXCLUDED -> s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).name(name)
                        .tag("MdeOnboardingExclude", "true").build());
                case OUTAGE -> s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).name(name).build());
            };
            out.add(new Machine(id, k));
        }
        return out;
    }

    /**
     * Rule 0: every read of an OUTAGE machine fails (503, Retry-After 0 so the poison path stays quick). Then 30% of
     * all other requests, seeded: 429 7.5% (Retry-After 1 s on GET, 2 s on PUT/POST), 500, 503 and dropped connections
     * about 7.5% each (each rule draws only for requests the rules before it let through).
     */
    static List<FaultRule> injectFaults(ReliabilityWorld w) {
        double each = 1 - Math.cbrt(0.70 / 0.925);
        List<FaultRule> rules = List.of(
                FaultRule.forPath("/virtualMachines/storm-outage-\\d+$").method("GET").status(503).retryAfterSeconds(0),
                FaultRule.forAll().method("GET").status(429).retryAfterSeconds(READ_RETRY_AFTER).probability(0.075, 11),
                FaultRule.forAll().method("PUT").status(429).retryAfterSeconds(WRITE_RETRY_AFTER).probability(0.075, 12),
                FaultRule.forAll().method("POST").status(429).retryAfterSeconds(WRITE_RETRY_AFTER).probability(0.075, 13),
                FaultRule.forAll().status(500).probability(each, 14),
                FaultRule.forAll().status(503).probability(each, 15),
                FaultRule.forAll().dropConnection().probability(each, 16));
        rules.forEach(w.emulator.faults()::add);
        return rules;
    }

    private static boolean allDecided(ReliabilityWorld w, List<Machine> machines) {
        Map<String, TableEntity> rows = w.stateRows();
        return machines.stream().allMatch(m -> isFinal(ReliabilityWorld.decision(rows.get(m.id().toLowerCase(Locale.ROOT)))));
    }

    private static String undecided(ReliabilityWorld w, List<Machine> machines) {
        Map<String, TableEntity> rows = w.stateRows();
        return machines.stream().filter(m -> !isFinal(ReliabilityWorld.decision(rows.get(m.id().toLowerCase(Locale.ROOT)))))
                .limit(20).map(m -> m + "=" + ReliabilityWorld.decision(rows.get(m.id().toLowerCase(Locale.ROOT))))
                .collect(Collectors.joining(", ")) + "; queued " + w.queuedJobs() + ", poison " + w.poisonJobs();
    }

    static final class RetryCheck {
        long retries;
        long throttledThenRetried;
        long minSlackMillis = Long.MAX_VALUE;
        final List<String> violations = new ArrayList<>();
    }

    /**
     * Groups the request log by client request ID (the pipeline's retries of one request share it) and checks that
     * every request that follows a 429 started at least Retry-After after the 429 was answered.
     */
    static RetryCheck checkRetries(List<RequestLog.Entry> log) {
        RetryCheck c = new RetryCheck();
        Map<String, List<RequestLog.Entry>> byRequest = new HashMap<>();
        for (RequestLog.Entry e : log) {
            if (e.clientRequestId() != null && !e.clientRequestId().isBlank()) {
                byRequest.computeIfAbsent(e.clientRequestId(), k -> new ArrayList<>()).add(e);
            }
        }
        for (List<RequestLog.Entry> tries : byRequest.values()) {
            tries.sort(Comparator.comparing(RequestLog.Entry::timestamp));
            c.retries += tries.size() - 1;
            for (int i = 0; i + 1 < tries.size(); i++) {
                RequestLog.Entry throttled = tries.get(i);
                if (throttled.status() != 429) {
                    continue;
                }
                RequestLog.Entry next = tries.get(i + 1);
                int retryAfter = throttled.method().equals("GET") ? READ_RETRY_AFTER : WRITE_RETRY_AFTER;
                Instant earliest = throttled.timestamp().plusSeconds(retryAfter).minus(CLOCK_TOLERANCE);
                Instant started = next.timestamp().minusMillis(next.durationMillis());
                c.throttledThenRetried++;
                long slack = Duration.between(throttled.timestamp().plusSeconds(retryAfter), started).toMillis();
                c.minSlackMillis = Math.min(c.minSlackMillis, slack);
                if (started.isBefore(earliest)) {
                    c.violations.add(next.method() + " " + next.path() + " retried " + Duration.between(throttled.timestamp(), started).toMillis()
                            + " ms after a 429 with Retry-After " + retryAfter + " s");
                }
            }
        }
        if (c.minSlackMillis == Long.MAX_VALUE) {
            c.minSlackMillis = 0;
        }
        return c;
    }
}
