package com.mdeonboarding.sweep;

import com.mdeonboarding.decide.Estate;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.storage.MachineStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Every machine in scope and where it stands <em>now</em>: the one set of numbers the dashboard's cards and tables,
 * {@code GET /api/machines}, {@code list} and the sweep report's {@code estate} all count. A machine's state row (kept
 * current by events, sweeps and manual requests) says where it stands; a machine with no row stands where the latest sweep
 * saw it ({@link SweepReportStore#unrecorded}). Rows of subscriptions out of scope, and of machines found gone
 * (MACHINE_NOT_FOUND), are not counted.
 *
 * <p>Reading it scans the state table (1,000 rows a request). A snapshot is reused while it is younger than ten times what
 * reading it took (at most {@link #MAX_REUSE}): a small estate is read on every look, a large one at most a tenth of the
 * time; the page says as of when.
 */
public final class EstateNow {
    /** The longest a snapshot is reused. */
    public static final Duration MAX_REUSE = Duration.ofMinutes(5);
    private static final int BATCH = 1000;

    private final MachineStateStore states;
    private final SweepReportStore reports;
    private final Clock clock;
    private Snapshot cached;
    private String cachedKey = "";
    private Duration cachedTook = Duration.ZERO;

    public EstateNow(MachineStateStore states, SweepReportStore reports, Clock clock) {
        this.states = states;
        this.reports = reports;
        this.clock = clock;
    }

    /** One machine: its row if it has one, else where the sweep saw it. */
    public record Machine(MachineId id, Estate.Standing standing, Optional<MachineRecord> record) {
        public Optional<DecisionKind> decision() {
            return record.map(MachineRecord::kind);
        }

        /** The recorded decision, else the one the sweep's view amounts to (ONBOARDED, PENDING, BLOCKED or SKIPPED). */
        public DecisionKind effectiveDecision() {
            return decision().orElseGet(() -> switch (standing) {
                case PROTECTED, UNVERIFIED -> DecisionKind.ONBOARDED;
                case PENDING -> DecisionKind.PENDING;
                case BLOCKED -> DecisionKind.BLOCKED;
                case SKIPPED -> DecisionKind.SKIPPED;
            });
        }

        public List<ReasonCode> reasons() {
            return record.map(MachineRecord::reasons).orElse(List.of());
        }
    }

    /** Every machine in scope, in key order (subscription, then lower-case resource ID), as of {@code asOf}. */
    public record Snapshot(Instant asOf, Optional<String> sweepId, List<Machine> machines) {
        /** Counts of the machines that match, overall and per subscription. */
        public Estate.Tally tally(Predicate<Machine> filter) {
            Estate.Tally t = new Estate.Tally();
            for (Machine m : machines) {
                if (filter.test(m)) {
                    t.add(m.id().subscriptionId(), m.id().kind(), m.decision(), m.reasons(), m.standing());
                }
            }
            return t;
        }

        public List<Machine> matching(Predicate<Machine> filter) {
            return machines.stream().filter(filter).toList();
        }
    }

    /** Now, or a snapshot young enough (see the class comment), for the subscriptions in scope per the latest sweep. */
    public synchronized Snapshot now(String sweepId, Collection<String> inScope) {
        String key = sweepId + "|" + String.join(",", new java.util.TreeSet<>(inScope));
        Instant at = clock.instant();
        if (cached != null && key.equals(cachedKey)) {
            Duration reuse = cachedTook.multipliedBy(10);
            if (reuse.compareTo(MAX_REUSE) > 0) {
                reuse = MAX_REUSE;
            }
            if (!at.isAfter(cached.asOf().plus(reuse))) {
                return cached;
            }
        }
        long t0 = System.nanoTime();
        Snapshot s = read(Optional.of(sweepId), inScope, reports.unrecorded(sweepId));
        cachedTook = Duration.ofNanos(System.nanoTime() - t0);
        cached = s;
        cachedKey = key;
        return s;
    }

    /** Read now, no reuse: the state rows of {@code inScope} merged with the machines a sweep saw without one. */
    public Snapshot read(Optional<String> sweepId, Collection<String> inScope, List<SweepReportStore.Unrecorded> unrecorded) {
        Instant asOf = clock.instant();
        Set<String> scope = new HashSet<>(inScope);
        Map<String, Machine> byKey = new TreeMap<>();
        Optional<MachineId> after = Optional.empty();
        while (true) {
            MachineStateStore.Page page = states.page(Optional.empty(), Set.of(), after, r -> true, BATCH, BATCH, BATCH);
            for (MachineRecord r : page.machines()) {
                if (scope.contains(r.machine().subscriptionId()) && !r.reasons().contains(ReasonCode.MACHINE_NOT_FOUND)) {
                    byKey.put(sortKey(r.machine()), new Machine(r.machine(), Estate.standing(r.kind(), r.reasons()), Optional.of(r)));
                }
            }
            if (page.next().isEmpty()) {
                break;
            }
            after = page.next();
        }
        for (SweepReportStore.Unrecorded u : unrecorded) {
            if (scope.contains(u.machine().subscriptionId())) {
                byKey.putIfAbsent(sortKey(u.machine()), new Machine(u.machine(), u.standing(), Optional.empty()));
            }
        }
        List<Machine> machines = new ArrayList<>(byKey.values());
        machines.sort(Comparator.comparing(m -> sortKey(m.id())));
        return new Snapshot(asOf, sweepId, List.copyOf(machines));
    }

    /** Subscription, then the lower-case resource ID: the state table's order, and the order of every list. */
    public static String sortKey(MachineId id) {
        return id.subscriptionId() + "|" + id.key();
    }
}
