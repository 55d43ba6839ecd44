package com.mdeonboarding.decide;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.PlannedAction;
import com.mdeonboarding.model.SensorFacts;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When a machine is looked at again: every requeue, back-off, poll and overdue delay of the loop, in one place. Pure.
 */
public final class LookAgain {
    /** Without a Retry-After: look at a Run Command again after the verify delay, but at least this often (it ends in 20 to 90 s). */
    static final Duration DEFAULT_POLL = Duration.ofSeconds(10);
    public static final Duration MIN_POLL = Duration.ofSeconds(1);
    static final Duration MAX_POLL = Duration.ofSeconds(60);
    /**
     * A row is overdue when its next look is this far past: the follow-up the queue holds for it should have run by then.
     * With the resync every 2 minutes (host/Resync), a stranded machine is looked at within about 3 minutes of its due time.
     */
    public static final Duration RESYNC_GRACE = Duration.ofMinutes(1);
    /** Storage caps a message's initial invisibility at 7 days (Put Message, visibilitytimeout). */
    public static final Duration MAX_QUEUE_DELAY = Duration.ofDays(7);
    /** An operator waits at the command line: look again when the reconciler asks, but at least this often. */
    public static final Duration OPERATOR_MAX_PAUSE = Duration.ofSeconds(10);

    private LookAgain() {
    }

    /**
     * How long a claim (a DEPLOY row without its deployment, or a Run Command claimed and not started) counts as the
     * claiming pass still working: twice the verify delay. Later it is a pass that died, and the machine is looked at again.
     */
    public static Duration claimWindow(Duration verifyDelay) {
        return verifyDelay.multipliedBy(2);
    }

    /** How soon the command line looks again at a machine another worker was handling: the verify delay, at most 5 s. */
    public static Duration raceRetry(Duration verifyDelay) {
        return verifyDelay.compareTo(Duration.ofSeconds(5)) < 0 ? verifyDelay : Duration.ofSeconds(5);
    }

    /**
     * When to look at the machine again: after a deployment, the verify delay; while provisioning or waiting on a
     * transient state, a back-off that doubles from the verify delay (up to 16 times it), for
     * {@link ReconcileRules#MAX_PENDING_ATTEMPTS} attempts (a transient state is BLOCKED before, at {@link ReconcileRules#MAX_TRANSIENT_ATTEMPTS});
     * while the sensor is awaited, or could not be asked for a reason that passes, as {@link SensorRules#lookAgainAfter}
     * says; otherwise not (the next event or sweep will).
     */
    public static Optional<Duration> afterPass(Decision decision, List<String> done, int attempt, Duration verifyDelay,
                                                  SensorFacts sensor, SensorRules.SensorMemory sensorMemory) {
        if (done.contains(PlannedAction.DEPLOY_EXTENSION.name())) {
            return Optional.of(verifyDelay);
        }
        return SensorRules.lookAgainAfter(decision, sensor, sensorMemory, attempt, verifyDelay)
                .or(() -> afterPass(decision, done, attempt, verifyDelay));
    }

    /** {@link #afterPass(Decision, List, int, Duration, SensorFacts, SensorRules.SensorMemory)} without the sensor's looks. */
    public static Optional<Duration> afterPass(Decision decision, List<String> done, int attempt, Duration verifyDelay) {
        if (done.contains(PlannedAction.DEPLOY_EXTENSION.name())) {
            return Optional.of(verifyDelay);
        }
        if (decision.kind() == DecisionKind.PENDING && attempt < ReconcileRules.MAX_PENDING_ATTEMPTS) {
            return Optional.of(verifyDelay.multipliedBy(1L << Math.min(4, attempt - 1)));
        }
        return Optional.empty();
    }
    /**
     * When to look at a running Run Command again: Azure's Retry-After when it gave one, else the verify delay up to
     * {@link #DEFAULT_POLL}; never sooner than a second (a Retry-After of 0 would make a busy loop of the queue) nor later
     * than a minute.
     */
    public static Duration pollDelay(Optional<Duration> retryAfter, Duration verifyDelay) {
        Duration d = retryAfter.filter(r -> !r.isNegative() && !r.isZero()).orElse(min(verifyDelay, DEFAULT_POLL));
        return d.compareTo(MIN_POLL) < 0 ? MIN_POLL : min(d, MAX_POLL);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
