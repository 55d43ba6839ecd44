package com.mdeonboarding.decide;

import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.ReasonCode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the estate looks like at a glance: which machines count as protected, unverified, pending, blocked or skipped, and the
 * counts by decision, reason code and kind, overall and per subscription. The one place that says what "protected" and
 * "needs action" mean; the sweep counts with it and the dashboard shows what it counted.
 */
public final class Estate {
    private Estate() {
    }

    /** The headline's categories. */
    public enum Standing {
        /** The MDE extension is healthy and the machine's Defender for Endpoint sensor reports (device Active). */
        PROTECTED,
        /**
         * The MDE extension is healthy but nobody has seen the sensor report: the sensor check is off or could not
         * answer, or the sweep saw the extension healthy without a device list to check it against. Not counted as
         * protected: a healthy extension is not proof that the sensor reports.
         */
        UNVERIFIED,
        /** Being onboarded: a deployment is due or under way. */
        PENDING,
        /** Cannot be onboarded until someone fixes what the reason codes say. */
        BLOCKED,
        /** Deliberately left alone (excluded by tag, a connector's machine, gone, out of scope). */
        SKIPPED
    }

    /** Decisions whose machines the dashboard lists as needing action: everything not protected and not skipped. */
    private static final Set<DecisionKind> NEEDING_ACTION = Collections.unmodifiableSet(
            EnumSet.of(DecisionKind.BLOCKED, DecisionKind.DEPLOY, DecisionKind.PENDING));

    /**
     * The standing of a machine with a recorded decision. Protected is decision ONBOARDED with the sensor seen Active
     * (SENSOR_ACTIVE); ONBOARDED on the extension's word alone (SENSOR_UNVERIFIED, or a row an older build wrote) is
     * unverified.
     */
    public static Standing standing(DecisionKind decision, List<ReasonCode> reasons) {
        return switch (decision) {
            case ONBOARDED -> reasons.contains(ReasonCode.SENSOR_ACTIVE) ? Standing.PROTECTED : Standing.UNVERIFIED;
            case DEPLOY, PENDING -> Standing.PENDING;
            case BLOCKED -> Standing.BLOCKED;
            case SKIPPED -> Standing.SKIPPED;
        };
    }

    /**
     * The standing of a machine a sweep saw with no recorded decision, from what Resource Graph showed: a healthy
     * extension is protected when the device list shows its sensor Active, else unverified; an excluded machine is
     * skipped; anything else is on its way (the sweep queued a job, or an extension is provisioning).
     */
    public static Standing unrecorded(Coverage.Status status, boolean sensorActive) {
        return switch (status) {
            case ONBOARDED -> sensorActive ? Standing.PROTECTED : Standing.UNVERIFIED;
            case EXCLUDED -> Standing.SKIPPED;
            case BACKING_OFF -> Standing.BLOCKED;
            case IN_PROGRESS, NEEDS_JOB -> Standing.PENDING;
        };
    }

    public static Set<DecisionKind> decisionsNeedingAction() {
        return NEEDING_ACTION;
    }

    public static boolean needsAction(DecisionKind decision) {
        return NEEDING_ACTION.contains(decision);
    }

    /** Whole percent of {@code part} in {@code whole}, rounded down (never 100 while one machine is missing); 0 of 0 is 0. */
    public static int percent(long part, long whole) {
        return whole <= 0 ? 0 : (int) Math.min(100, (part * 100) / whole);
    }

    /**
     * Counts of one set of machines. {@code decisions} and {@code reasons} count machines with a recorded decision
     * only (as the sweep report's lastDecisions and lastReasons do); {@code standings} and {@code kinds} count every
     * machine.
     */
    public record Counts(long machines, Map<Standing, Long> standings, Map<DecisionKind, Long> decisions,
                         Map<ReasonCode, Long> reasons, Map<MachineKind, Map<Standing, Long>> kinds) {
        public Counts {
            standings = Collections.unmodifiableMap(copy(standings, Standing.class));
            decisions = Collections.unmodifiableMap(copy(decisions, DecisionKind.class));
            reasons = Collections.unmodifiableMap(copy(reasons, ReasonCode.class));
            EnumMap<MachineKind, Map<Standing, Long>> k = new EnumMap<>(MachineKind.class);
            kinds.forEach((kind, m) -> k.put(kind, Collections.unmodifiableMap(copy(m, Standing.class))));
            kinds = Collections.unmodifiableMap(k);
        }

        public static Counts none() {
            return new Counts(0, Map.of(), Map.of(), Map.of(), Map.of());
        }

        public long standing(Standing s) {
            return standings.getOrDefault(s, 0L);
        }

        /** Machines with a recorded decision. */
        public long recorded() {
            return decisions.values().stream().mapToLong(Long::longValue).sum();
        }

        public long ofKind(MachineKind kind) {
            return kinds.getOrDefault(kind, Map.of()).values().stream().mapToLong(Long::longValue).sum();
        }

        public long ofKind(MachineKind kind, Standing s) {
            return kinds.getOrDefault(kind, Map.of()).getOrDefault(s, 0L);
        }

        public int protectedPercent() {
            return percent(standing(Standing.PROTECTED), machines);
        }

        private static <K extends Enum<K>> EnumMap<K, Long> copy(Map<K, Long> in, Class<K> type) {
            EnumMap<K, Long> m = new EnumMap<>(type);
            in.forEach((k, v) -> {
                if (v != null && v != 0) {
                    m.put(k, v);
                }
            });
            return m;
        }
    }

    /** Counts machines one by one, overall and per subscription. Not thread-safe (a sweep counts on one thread). */
    public static final class Tally {
        private final Mutable total = new Mutable();
        private final Map<String, Mutable> perSubscription = new TreeMap<>();

        /**
         * @param decision the machine's recorded decision and its reasons, if any
         * @param status   what the sweep made of the machine (used when nothing is recorded)
         * @param sensorActive the sweep's device list shows the machine's sensor Active (used when nothing is recorded)
         */
        public void add(String subscriptionId, MachineKind kind, Optional<DecisionKind> decision, List<ReasonCode> reasons,
                        Coverage.Status status, boolean sensorActive) {
            Standing s = decision.map(d -> standing(d, reasons)).orElseGet(() -> unrecorded(status, sensorActive));
            total.add(kind, decision, reasons, s);
            perSubscription.computeIfAbsent(subscriptionId, k -> new Mutable()).add(kind, decision, reasons, s);
        }

        /** A machine whose standing is known already (counted from its state row now, or as a sweep last saw it). */
        public void add(String subscriptionId, MachineKind kind, Optional<DecisionKind> decision, List<ReasonCode> reasons, Standing s) {
            total.add(kind, decision, reasons, s);
            perSubscription.computeIfAbsent(subscriptionId, k -> new Mutable()).add(kind, decision, reasons, s);
        }

        public Counts total() {
            return total.counts();
        }

        public SortedMap<String, Counts> perSubscription() {
            SortedMap<String, Counts> out = new TreeMap<>();
            perSubscription.forEach((k, v) -> out.put(k, v.counts()));
            return out;
        }
    }

    private static final class Mutable {
        long machines;
        final EnumMap<Standing, Long> standings = new EnumMap<>(Standing.class);
        final EnumMap<DecisionKind, Long> decisions = new EnumMap<>(DecisionKind.class);
        final EnumMap<ReasonCode, Long> reasons = new EnumMap<>(ReasonCode.class);
        final EnumMap<MachineKind, Map<Standing, Long>> kinds = new EnumMap<>(MachineKind.class);

        void add(MachineKind kind, Optional<DecisionKind> decision, List<ReasonCode> reasonCodes, Standing s) {
            machines++;
            standings.merge(s, 1L, Long::sum);
            kinds.computeIfAbsent(kind, k -> new EnumMap<>(Standing.class)).merge(s, 1L, Long::sum);
            decision.ifPresent(d -> {
                decisions.merge(d, 1L, Long::sum);
                reasonCodes.forEach(r -> reasons.merge(r, 1L, Long::sum));
            });
        }

        Counts counts() {
            return new Counts(machines, standings, decisions, reasons, kinds);
        }
    }
}
