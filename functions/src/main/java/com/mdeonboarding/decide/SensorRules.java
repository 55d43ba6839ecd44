package com.mdeonboarding.decide;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.DeviceRecord;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OsType;
import com.mdeonboarding.model.PlannedAction;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.Sensor;
import com.mdeonboarding.model.SensorFacts;
import com.mdeonboarding.model.SensorHealth;
import com.mdeonboarding.model.SubscriptionPosture;
import com.mdeonboarding.model.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a machine whose MDE extension Succeeded is protected: its Defender for Endpoint sensor reports. The rules, in
 * order (the device record seen last speaks for the machine):
 * <ol>
 *   <li>check off, or the API could not answer: the extension's verdict stands (ONBOARDED) with SENSOR_UNVERIFIED;</li>
 *   <li>onboarded and Active: ONBOARDED, EXTENSION_HEALTHY + SENSOR_ACTIVE;</li>
 *   <li>onboarded and Inactive / ImpairedCommunication / NoSensorData(ImpairedCommunication): BLOCKED with its code;</li>
 *   <li>no report yet (no record, or one not onboarded or of Unknown health): PENDING SENSOR_AWAITING_FIRST_REPORT within
 *       the grace period after the extension first showed Succeeded;</li>
 *   <li>after the grace: DEPLOY SENSOR_NOT_SEEN once, the extension written again with {@code forceReOnboarding: true}
 *       (when the plan is on and the machine reachable); after that re-onboarding and another grace: BLOCKED SENSOR_NOT_SEEN.</li>
 * </ol>
 * Pure: the caller passes the time to {@link #remember}.
 */
public final class SensorRules {
    /** A look again after "no call to spare" or a server error waits at least this long (the API's limits are per minute). */
    static final Duration RETRY_UNAVAILABLE_AFTER = Duration.ofMinutes(1);

    private SensorRules() {
    }

    /**
     * What the state row remembers for the sensor, judged against now.
     *
     * @param succeededSince when the extension was first seen Succeeded (since our re-onboarding, if any); empty while it is not
     * @param reOnboardedAt  when we re-deployed it with forceReOnboarding (at most once)
     * @param graceLeft      how much of the grace period is left (zero: over); empty while the extension has not succeeded
     */
    public record SensorMemory(Optional<Instant> succeededSince, Optional<Instant> reOnboardedAt, Optional<Duration> graceLeft) {
        public static SensorMemory none() {
            return new SensorMemory(Optional.empty(), Optional.empty(), Optional.empty());
        }

        public boolean graceOver() {
            return graceLeft.map(Duration::isZero).orElse(false);
        }

        public boolean reOnboarded() {
            return reOnboardedAt.isPresent();
        }
    }

    /**
     * The grace period starts when the extension is first seen Succeeded, and again after our re-onboarding (a Succeeded
     * remembered from before it does not count); it is forgotten while the extension is not Succeeded.
     */
    public static SensorMemory remember(Optional<MachineRecord> prior, Optional<ExtensionState> ext, Instant now, Duration grace) {
        Optional<Instant> reOnboarded = prior.flatMap(r -> r.extension().reOnboardedAt());
        if (!ext.map(ExtensionState::succeeded).orElse(false)) {
            return new SensorMemory(Optional.empty(), reOnboarded, Optional.empty());
        }
        Instant since = prior.flatMap(r -> r.extension().succeededSince())
                .filter(s -> reOnboarded.map(s::isAfter).orElse(true))
                .filter(s -> !s.isAfter(now))
                .orElse(now);
        Duration left = Duration.between(now, since.plus(grace));
        return new SensorMemory(Optional.of(since), reOnboarded, Optional.of(left.isNegative() ? Duration.ZERO : left));
    }

    /** The decision for a machine whose extension Succeeded (called by {@link OnboardingRules#decide}). */
    static Decision judge(MachineFacts facts, Remembered memory, SensorFacts sensor, SubscriptionPosture posture, RulesConfig config) {
        if (sensor instanceof SensorFacts.Off) {
            return unverified("sensor check is off (MDE_SENSOR_CHECK=off)");
        }
        if (sensor instanceof SensorFacts.NotLooked) {
            return unverified("the sensor was not looked up");
        }
        if (sensor instanceof SensorFacts.Unavailable u) {
            return unverified(u.cause());
        }
        SensorFacts.Seen seen = (SensorFacts.Seen) sensor;
        Optional<DeviceRecord> latest = seen.latest();
        String about = describe(seen);
        if (latest.isPresent() && latest.get().onboarded()) {
            SensorHealth health = latest.get().health();
            switch (health) {
                case ACTIVE -> {
                    return new Decision(DecisionKind.ONBOARDED, List.of(ReasonCode.EXTENSION_HEALTHY, ReasonCode.SENSOR_ACTIVE), List.of(),
                            Optional.of(about));
                }
                case INACTIVE -> {
                    return blocked(ReasonCode.SENSOR_INACTIVE, about);
                }
                case IMPAIRED_COMMUNICATION -> {
                    return blocked(ReasonCode.SENSOR_IMPAIRED_COMMUNICATION, about);
                }
                case NO_SENSOR_DATA, NO_SENSOR_DATA_IMPAIRED_COMMUNICATION -> {
                    return blocked(ReasonCode.SENSOR_NO_DATA, about);
                }
                default -> {
                    // Unknown health is no report yet: fall through to the grace rules.
                }
            }
        }
        SensorMemory m = memory.sensor();
        if (!m.graceOver()) {
            return new Decision(DecisionKind.PENDING, List.of(ReasonCode.SENSOR_AWAITING_FIRST_REPORT), List.of(), Optional.of(about
                    + m.succeededSince().map(s -> "; the extension has shown Succeeded since " + s).orElse("")
                    + m.graceLeft().map(l -> ", " + l.toMinutes() + " min of the grace period left").orElse("")));
        }
        if (m.reOnboarded()) {
            return blocked(ReasonCode.SENSOR_NOT_SEEN, about + "; re-deployed with forceReOnboarding at " + m.reOnboardedAt().get()
                    + ", and still no report after the grace period");
        }
        // Re-deploy once with forceReOnboarding: only where a deployment can succeed.
        if (!OnboardingRules.planEnabled(facts, posture)) {
            return new Decision(DecisionKind.BLOCKED, List.of(ReasonCode.PLAN_NOT_ENABLED, ReasonCode.SENSOR_NOT_SEEN), List.of(),
                    Optional.of(about + "; the re-onboarding needs Defender for Servers on"));
        }
        Optional<Decision> unreachable = OnboardingRules.reachability(facts);
        if (unreachable.isPresent()) {
            List<ReasonCode> reasons = new ArrayList<>(unreachable.get().reasons());
            reasons.add(ReasonCode.SENSOR_NOT_SEEN);
            return new Decision(DecisionKind.BLOCKED, reasons, List.of(),
                    Optional.of(unreachable.get().detail().map(d -> d + "; ").orElse("") + about));
        }
        List<PlannedAction> actions = new ArrayList<>();
        if (facts.osType() == OsType.WINDOWS && Tags.isTrue(facts.tags(), config.passiveModeTag())) {
            actions.add(PlannedAction.SET_PASSIVE_MODE);
        }
        actions.add(PlannedAction.DEPLOY_EXTENSION);
        return new Decision(DecisionKind.DEPLOY, List.of(ReasonCode.SENSOR_NOT_SEEN), actions,
                Optional.of(about + "; no report within the grace period: re-deploying once with forceReOnboarding"));
    }

    /**
     * When to look again because of the sensor: while awaiting the first report, a back-off doubling from the verify delay
     * (up to 16 times it), never past the end of the grace period (so the machine is judged as soon as it is over); after
     * a retryable SENSOR_UNVERIFIED, the same back-off but at least a minute, for as many attempts as a pending
     * extension gets. Empty when the sensor asks for no look.
     */
    public static Optional<Duration> lookAgainAfter(Decision decision, SensorFacts sensor, SensorMemory memory, int attempt,
                                                   Duration verifyDelay) {
        Duration backOff = verifyDelay.multipliedBy(1L << Math.min(4, Math.max(0, attempt - 1)));
        if (decision.kind() == DecisionKind.PENDING && decision.has(ReasonCode.SENSOR_AWAITING_FIRST_REPORT)) {
            Duration untilOver = memory.graceLeft().orElse(backOff).plusSeconds(1);
            return Optional.of(backOff.compareTo(untilOver) < 0 ? backOff : untilOver);
        }
        if (decision.has(ReasonCode.SENSOR_UNVERIFIED) && sensor instanceof SensorFacts.Unavailable u && u.retryable()
                && attempt < ReconcileRules.MAX_PENDING_ATTEMPTS) {
            return Optional.of(backOff.compareTo(RETRY_UNAVAILABLE_AFTER) < 0 ? RETRY_UNAVAILABLE_AFTER : backOff);
        }
        return Optional.empty();
    }

    /** Whether this decision's deployment re-onboards the sensor (the extension then carries forceReOnboarding: true). */
    public static boolean reOnboards(Decision decision) {
        return decision.kind() == DecisionKind.DEPLOY && decision.has(ReasonCode.SENSOR_NOT_SEEN)
                && decision.actions().contains(PlannedAction.DEPLOY_EXTENSION);
    }

    /**
     * Whether the sweep should send the machine for a look because of its sensor: the listing shows an onboarded device
     * whose health differs from what the state row recorded at its last look (it turned Inactive, impaired or silent, or
     * recovered, or it appeared after a look that saw none). A machine the listing does not show is no evidence (the sweep
     * joins by resource ID only), nor is Unknown health; a machine whose sensor was never verified is sent only when its
     * sensor is not Active (the first sweep after installing the app must not send every onboarded machine).
     */
    public static boolean driftedSinceLastLook(Sensor now, Optional<Sensor> recorded) {
        Optional<SensorHealth> health = now.health().filter(h -> h != SensorHealth.UNKNOWN);
        if (health.isEmpty()) {
            return false;
        }
        if (recorded.filter(Sensor::verified).isEmpty()) {
            return health.get() != SensorHealth.ACTIVE;
        }
        return !recorded.get().health().equals(health);
    }

    private static Decision unverified(String cause) {
        return new Decision(DecisionKind.ONBOARDED, List.of(ReasonCode.EXTENSION_HEALTHY, ReasonCode.SENSOR_UNVERIFIED), List.of(),
                Optional.of(cause));
    }

    private static Decision blocked(ReasonCode code, String detail) {
        return new Decision(DecisionKind.BLOCKED, List.of(code), List.of(), Optional.of(detail));
    }

    /** The operator's view of what the records say. */
    static String describe(SensorFacts.Seen seen) {
        Optional<DeviceRecord> latest = seen.latest();
        if (latest.isEmpty()) {
            return "no Defender for Endpoint device names this machine";
        }
        DeviceRecord d = latest.get();
        String count = seen.records().size() > 1 ? " (" + seen.records().size() + " device records name this machine; the one seen last decides)" : "";
        return "device " + d.deviceId() + ": onboardingStatus " + (d.onboardingStatus().isEmpty() ? "?" : d.onboardingStatus())
                + ", healthStatus " + (d.healthStatus().isEmpty() ? "?" : d.healthStatus())
                + d.lastSeen().map(t -> ", last seen " + t).orElse("") + count;
    }
}
