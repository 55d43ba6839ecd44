package com.mdeonboarding.decide;

import static com.mdeonboarding.decide.TestFacts.AUDIT;
import static com.mdeonboarding.decide.TestFacts.NOW;
import static com.mdeonboarding.decide.TestFacts.arc;
import static com.mdeonboarding.decide.TestFacts.extension;
import static com.mdeonboarding.decide.TestFacts.posture;
import static com.mdeonboarding.decide.TestFacts.vm;
import static com.mdeonboarding.model.DecisionKind.BLOCKED;
import static com.mdeonboarding.model.DecisionKind.DEPLOY;
import static com.mdeonboarding.model.DecisionKind.ONBOARDED;
import static com.mdeonboarding.model.DecisionKind.PENDING;
import static com.mdeonboarding.model.DecisionKind.SKIPPED;
import static com.mdeonboarding.model.PlannedAction.DEPLOY_EXTENSION;
import static com.mdeonboarding.model.PlannedAction.SET_PASSIVE_MODE;
import static com.mdeonboarding.model.ReasonCode.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.DeviceRecord;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.PlannedAction;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.Sensor;
import com.mdeonboarding.model.SensorFacts;
import com.mdeonboarding.model.SubscriptionPosture;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The "Decisions" list, row by row, for machines whose MDE extension Succeeded. */
class SensorRulesTest {
    private static final SubscriptionPosture OK = posture();
    private static final Duration GRACE = Duration.ofMinutes(60);
    private static final String VM_ID = "/subscriptions/" + TestFacts.SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/m1";

    /** Within the grace period: the extension Succeeded 10 minutes ago. */
    private static final SensorRules.SensorMemory WITHIN = new SensorRules.SensorMemory(Optional.of(NOW.minusSeconds(600)),
            Optional.empty(), Optional.of(Duration.ofMinutes(50)));
    /** The grace period is over, no re-onboarding yet. */
    private static final SensorRules.SensorMemory OVER = new SensorRules.SensorMemory(Optional.of(NOW.minusSeconds(7200)),
            Optional.empty(), Optional.of(Duration.ZERO));
    /** Over again after our one re-onboarding. */
    private static final SensorRules.SensorMemory OVER_AFTER_REONBOARDING = new SensorRules.SensorMemory(Optional.of(NOW.minusSeconds(3700)),
            Optional.of(NOW.minusSeconds(3800)), Optional.of(Duration.ZERO));

    static DeviceRecord device(String id, String onboarding, String health, Instant lastSeen) {
        return new DeviceRecord(id, Optional.of("m1"), onboarding, health, Optional.of(lastSeen.minusSeconds(3600)), Optional.of(lastSeen),
                Optional.of(VM_ID), Optional.empty());
    }

    static SensorFacts seen(DeviceRecord... records) {
        return SensorFacts.seen(List.of(records));
    }

    private static final SensorFacts ACTIVE = seen(device("d1", "Onboarded", "Active", NOW));

    private static Arguments row(String name, TestFacts.Builder facts, SensorFacts sensor, SensorRules.SensorMemory memory,
                                 DecisionKind kind, List<ReasonCode> reasons, List<PlannedAction> actions) {
        return Arguments.of(name, facts.sensor(sensor).sensorMemory(memory).toCase(), OK, kind, reasons, actions);
    }

    private static Arguments row(String name, SensorFacts sensor, SensorRules.SensorMemory memory, DecisionKind kind, ReasonCode... reasons) {
        return row(name, vm().extension(extension("Succeeded")), sensor, memory, kind, List.of(reasons), List.of());
    }

    static Stream<Arguments> decisions() {
        TestFacts.Builder onboarded = vm().extension(extension("Succeeded"));
        return Stream.of(
                // The extension-level decision stands, marked unverified.
                row("check off: unverified", SensorFacts.off(), WITHIN, ONBOARDED, EXTENSION_HEALTHY, SENSOR_UNVERIFIED),
                row("API not permitted: unverified", SensorFacts.unavailable("Defender for Endpoint API returned 403 Forbidden", false),
                        OVER, ONBOARDED, EXTENSION_HEALTHY, SENSOR_UNVERIFIED),
                row("API unreachable: unverified", SensorFacts.unavailable("unreachable", true), OVER, ONBOARDED, EXTENSION_HEALTHY,
                        SENSOR_UNVERIFIED),
                row("not looked up: unverified, never a guess", SensorFacts.notLooked(), OVER, ONBOARDED, EXTENSION_HEALTHY, SENSOR_UNVERIFIED),
                // Onboarded devices, by health.
                row("Onboarded + Active: protected", ACTIVE, WITHIN, ONBOARDED, EXTENSION_HEALTHY, SENSOR_ACTIVE),
                row("documented lower-case spellings (onboarded, active)", seen(device("d1", "onboarded", "active", NOW)), OVER, ONBOARDED,
                        EXTENSION_HEALTHY, SENSOR_ACTIVE),
                row("Inactive", seen(device("d1", "Onboarded", "Inactive", NOW)), WITHIN, BLOCKED, SENSOR_INACTIVE),
                row("ImpairedCommunication", seen(device("d1", "Onboarded", "ImpairedCommunication", NOW)), WITHIN, BLOCKED,
                        SENSOR_IMPAIRED_COMMUNICATION),
                row("NoSensorData", seen(device("d1", "Onboarded", "NoSensorData", NOW)), WITHIN, BLOCKED, SENSOR_NO_DATA),
                row("NoSensorDataImpairedCommunication", seen(device("d1", "Onboarded", "NoSensorDataImpairedCommunication", NOW)), WITHIN,
                        BLOCKED, SENSOR_NO_DATA),
                row("Inactive needs no grace", seen(device("d1", "Onboarded", "Inactive", NOW)), OVER, BLOCKED, SENSOR_INACTIVE),
                // Several records: the one seen last decides.
                row("re-onboarded: new Active record beats the old Inactive one", seen(device("old", "Onboarded", "Inactive",
                        NOW.minusSeconds(86_400)), device("new", "Onboarded", "Active", NOW)), WITHIN, ONBOARDED, EXTENSION_HEALTHY, SENSOR_ACTIVE),
                row("the one seen last decides even when it is the bad one", seen(device("new", "Onboarded", "Active",
                        NOW.minusSeconds(86_400)), device("old", "Onboarded", "Inactive", NOW)), WITHIN, BLOCKED, SENSOR_INACTIVE),
                // No report yet: the grace period.
                row("no device within the grace: awaiting", seen(), WITHIN, PENDING, SENSOR_AWAITING_FIRST_REPORT),
                row("no device, grace not started yet: awaiting", seen(), SensorRules.SensorMemory.none(), PENDING, SENSOR_AWAITING_FIRST_REPORT),
                row("CanBeOnboarded is no report", seen(device("d1", "CanBeOnboarded", "Active", NOW)), WITHIN, PENDING,
                        SENSOR_AWAITING_FIRST_REPORT),
                row("Unknown health is no report", seen(device("d1", "Onboarded", "Unknown", NOW)), WITHIN, PENDING,
                        SENSOR_AWAITING_FIRST_REPORT),
                row("no device after the grace: re-deploy once with forceReOnboarding", onboarded, seen(), OVER, DEPLOY,
                        List.of(SENSOR_NOT_SEEN), List.of(DEPLOY_EXTENSION)),
                row("CanBeOnboarded after the grace: re-deploy", onboarded, seen(device("d1", "CanBeOnboarded", "Unknown", NOW)), OVER,
                        DEPLOY, List.of(SENSOR_NOT_SEEN), List.of(DEPLOY_EXTENSION)),
                row("re-deploy sets passive mode first when tagged", vm().tag("MdePassiveMode", "true").extension(extension("Succeeded")),
                        seen(), OVER, DEPLOY, List.of(SENSOR_NOT_SEEN), List.of(SET_PASSIVE_MODE, DEPLOY_EXTENSION)),
                row("still no device after the re-onboarding: blocked", seen(), OVER_AFTER_REONBOARDING, BLOCKED, SENSOR_NOT_SEEN),
                row("after the re-onboarding, within its grace: awaiting again", seen(), new SensorRules.SensorMemory(
                        Optional.of(NOW.minusSeconds(60)), Optional.of(NOW.minusSeconds(120)), Optional.of(Duration.ofMinutes(59))),
                        PENDING, SENSOR_AWAITING_FIRST_REPORT),
                // The re-deployment only where one can succeed.
                row("re-deploy needs a running VM", vm().power("deallocated").extension(extension("Succeeded")), seen(), OVER, BLOCKED,
                        List.of(VM_NOT_RUNNING, SENSOR_NOT_SEEN), List.of()),
                row("re-deploy needs a Connected Arc machine", arc().arcStatus("Disconnected").extension(extension("Succeeded")), seen(),
                        OVER, BLOCKED, List.of(ARC_DISCONNECTED, SENSOR_NOT_SEEN), List.of()),
                // Rules before the sensor still win.
                row("exclusion tag wins over the sensor", vm().tag("MdeOnboardingExclude", "true").extension(extension("Succeeded")),
                        seen(), OVER, SKIPPED, List.of(EXCLUDED_BY_TAG), List.of()),
                row("an extension in progress is not judged by its sensor", vm().extension(extension("Updating")), seen(), OVER, PENDING,
                        List.of(EXTENSION_PROVISIONING), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void decides(String name, TestFacts.Case c, SubscriptionPosture posture, DecisionKind kind, List<ReasonCode> reasons,
                 List<PlannedAction> actions) {
        Decision d = TestFacts.decide(c, posture, AUDIT);
        assertEquals(kind, d.kind(), () -> "kind; decision was " + d);
        assertEquals(reasons, d.reasons(), () -> "reasons; decision was " + d);
        assertEquals(actions, d.actions(), () -> "actions; decision was " + d);
    }

    @org.junit.jupiter.api.Test
    void theReDeploymentNeedsThePlanAndCarriesForceReOnboarding() {
        Decision planOff = TestFacts.decide(vm().extension(extension("Succeeded")).sensor(seen()).sensorMemory(OVER).toCase(),
                posture("Free", true, true, false), AUDIT);
        assertEquals(List.of(PLAN_NOT_ENABLED, SENSOR_NOT_SEEN), planOff.reasons());

        TestFacts.Case c = vm().extension(extension("Succeeded")).sensor(seen()).sensorMemory(OVER).toCase();
        Decision redeploy = TestFacts.decide(c, OK, AUDIT);
        assertTrue(SensorRules.reOnboards(redeploy));
        assertEquals(true, MdeExtensionSpec.forDecision(c.facts(), redeploy).settings().get("forceReOnboarding"));
        Decision first = TestFacts.decide(vm().toCase(), OK, AUDIT);
        assertFalse(SensorRules.reOnboards(first));
        assertEquals(false, MdeExtensionSpec.forDecision(vm().build(), first).settings().get("forceReOnboarding"));
    }

    @org.junit.jupiter.api.Test
    void detailsSayWhatTheRecordsShow() {
        Decision d = TestFacts.decide(vm().extension(extension("Succeeded")).sensor(seen(device("old", "Onboarded", "Inactive",
                NOW.minusSeconds(86_400)), device("new", "Onboarded", "Active", NOW))).sensorMemory(WITHIN).toCase(), OK, AUDIT);
        assertTrue(d.detail().orElseThrow().contains("device new") && d.detail().get().contains("2 device records"), d.toString());
        Decision off = TestFacts.decide(vm().extension(extension("Succeeded")).toCase(), OK, AUDIT);
        assertTrue(off.detail().orElseThrow().contains("MDE_SENSOR_CHECK=off"), off.toString());
        Decision notSeen = TestFacts.decide(vm().extension(extension("Succeeded")).sensor(seen()).sensorMemory(OVER_AFTER_REONBOARDING)
                .toCase(), OK, AUDIT);
        assertTrue(notSeen.detail().orElseThrow().contains("forceReOnboarding"), notSeen.toString());
        assertTrue(SENSOR_NOT_SEEN.sentence().contains("connectivity") && SENSOR_NOT_SEEN.sentence().contains("proxy")
                && SENSOR_NOT_SEEN.sentence().contains("tenant"), "names what to check");
    }

    // ---------------------------------------------------------------- what the record remembers

    private static MachineRecord prior(Optional<Instant> since, Optional<Instant> reOnboarded) {
        MachineRecord r = TestFacts.record(MachineId.parse(VM_ID), DecisionKind.PENDING, List.of(SENSOR_AWAITING_FIRST_REPORT), NOW);
        return new MachineRecord(r.machine(), r.kind(), r.reasons(), r.detail(), r.extension().withSensor(since, reOnboarded, Optional.empty()),
                r.guestCheck(), r.written(), r.etag());
    }

    static Stream<Arguments> memories() {
        Instant earlier = NOW.minus(Duration.ofMinutes(45));
        Instant longAgo = NOW.minus(Duration.ofHours(3));
        return Stream.of(
                Arguments.of("not Succeeded: no grace", Optional.empty(), "Updating", Optional.empty(), Optional.empty()),
                Arguments.of("first Succeeded now: the grace starts", Optional.empty(), "Succeeded", Optional.of(NOW), Optional.of(GRACE)),
                Arguments.of("Succeeded for 45 min: 15 left", Optional.of(prior(Optional.of(earlier), Optional.empty())), "Succeeded",
                        Optional.of(earlier), Optional.of(Duration.ofMinutes(15))),
                Arguments.of("Succeeded for 3 h: over", Optional.of(prior(Optional.of(longAgo), Optional.empty())), "Succeeded",
                        Optional.of(longAgo), Optional.of(Duration.ZERO)),
                Arguments.of("a Succeeded from before our re-onboarding does not count", Optional.of(prior(Optional.of(longAgo),
                        Optional.of(earlier))), "Succeeded", Optional.of(NOW), Optional.of(GRACE)),
                Arguments.of("a Succeeded after our re-onboarding counts", Optional.of(prior(Optional.of(earlier),
                        Optional.of(longAgo))), "Succeeded", Optional.of(earlier), Optional.of(Duration.ofMinutes(15))),
                Arguments.of("a time in the future is not trusted", Optional.of(prior(Optional.of(NOW.plusSeconds(600)), Optional.empty())),
                        "Succeeded", Optional.of(NOW), Optional.of(GRACE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("memories")
    void remembersTheGracePeriod(String name, Optional<MachineRecord> prior, String state, Optional<Instant> since, Optional<Duration> left) {
        SensorRules.SensorMemory m = SensorRules.remember(prior, Optional.of(extension(state)), NOW, GRACE);
        assertEquals(since, m.succeededSince());
        assertEquals(left, m.graceLeft());
        assertEquals(prior.flatMap(p -> p.extension().reOnboardedAt()), m.reOnboardedAt(), "the re-onboarding is remembered");
    }

    // ---------------------------------------------------------------- when to look again

    static Stream<Arguments> looks() {
        Decision awaiting = new Decision(PENDING, List.of(SENSOR_AWAITING_FIRST_REPORT), List.of(), Optional.empty());
        Decision unverified = new Decision(ONBOARDED, List.of(EXTENSION_HEALTHY, SENSOR_UNVERIFIED), List.of(), Optional.empty());
        Decision active = new Decision(ONBOARDED, List.of(EXTENSION_HEALTHY, SENSOR_ACTIVE), List.of(), Optional.empty());
        SensorRules.SensorMemory lots = new SensorRules.SensorMemory(Optional.of(NOW), Optional.empty(), Optional.of(Duration.ofMinutes(50)));
        SensorRules.SensorMemory little = new SensorRules.SensorMemory(Optional.of(NOW), Optional.empty(), Optional.of(Duration.ofSeconds(20)));
        Duration verify = Duration.ofSeconds(30);
        return Stream.of(
                Arguments.of("awaiting, first look: the verify delay", awaiting, SensorFacts.seen(List.of()), lots, 1, Optional.of(verify)),
                Arguments.of("awaiting, fifth look: 16 times it", awaiting, SensorFacts.seen(List.of()), lots, 5, Optional.of(verify.multipliedBy(16))),
                Arguments.of("awaiting, no attempt cap (the grace bounds it)", awaiting, SensorFacts.seen(List.of()), lots, 40,
                        Optional.of(verify.multipliedBy(16))),
                Arguments.of("awaiting, never past the grace's end", awaiting, SensorFacts.seen(List.of()), little, 5,
                        Optional.of(Duration.ofSeconds(21))),
                Arguments.of("no call to spare: again after at least a minute", unverified, SensorFacts.unavailable("budget", true), lots, 1,
                        Optional.of(Duration.ofMinutes(1))),
                Arguments.of("retryable unverified stops like a pending extension", unverified, SensorFacts.unavailable("budget", true), lots,
                        ReconcileRules.MAX_PENDING_ATTEMPTS, Optional.empty()),
                Arguments.of("not permitted: no look (the sweep and the permission fix it)", unverified,
                        SensorFacts.unavailable("403", false), lots, 1, Optional.empty()),
                Arguments.of("protected: no look", active, SensorFacts.seen(List.of()), lots, 1, Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("looks")
    void looksAgain(String name, Decision d, SensorFacts sensor, SensorRules.SensorMemory memory, int attempt, Optional<Duration> expected) {
        assertEquals(expected, LookAgain.afterPass(d, List.of(), attempt, Duration.ofSeconds(30), sensor, memory));
    }

    @org.junit.jupiter.api.Test
    void aDeploymentIsVerifiedAfterTheVerifyDelay() {
        Decision redeploy = new Decision(DEPLOY, List.of(SENSOR_NOT_SEEN), List.of(DEPLOY_EXTENSION), Optional.empty());
        assertEquals(Optional.of(Duration.ofSeconds(30)), LookAgain.afterPass(redeploy, List.of(DEPLOY_EXTENSION.name()), 3,
                Duration.ofSeconds(30), SensorFacts.seen(List.of()), OVER));
    }

    // ---------------------------------------------------------------- sweep drift

    static Sensor sensor(String health) {
        return new Sensor(true, Optional.of("d1"), Optional.of("Onboarded"), Optional.of(health), Optional.of(NOW), 1);
    }

    static Stream<Arguments> drifts() {
        Sensor none = new Sensor(true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);
        return Stream.of(
                Arguments.of("Active then Inactive: turned Inactive since the last look", sensor("Inactive"), Optional.of(sensor("Active")), true),
                Arguments.of("Active then ImpairedCommunication", sensor("ImpairedCommunication"), Optional.of(sensor("Active")), true),
                Arguments.of("Inactive then Active: recovered", sensor("Active"), Optional.of(sensor("Inactive")), true),
                Arguments.of("Inactive then Inactive: nothing new", sensor("Inactive"), Optional.of(sensor("Inactive")), false),
                Arguments.of("Active then Active", sensor("Active"), Optional.of(sensor("Active")), false),
                Arguments.of("never looked at, Inactive now", sensor("Inactive"), Optional.empty(), true),
                Arguments.of("never looked at, Active now: counted, no job", sensor("Active"), Optional.empty(), false),
                Arguments.of("unverified before, NoSensorData now", sensor("NoSensorData"), Optional.of(Sensor.unverified()), true),
                Arguments.of("not seen at the last look, Active now: it appeared", sensor("Active"), Optional.of(none), true),
                Arguments.of("never verified (permission), Active now: counted, no job", sensor("Active"), Optional.of(Sensor.unverified()),
                        false),
                Arguments.of("not in the listing: no evidence (joined by resource ID only)", none, Optional.of(sensor("Active")), false),
                Arguments.of("Unknown now: no evidence either", sensor("Unknown"), Optional.of(sensor("Active")), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drifts")
    void sweepSendsMachinesWhoseSensorChanged(String name, Sensor now, Optional<Sensor> recorded, boolean job) {
        assertEquals(job, SensorRules.driftedSinceLastLook(now, recorded));
    }
}
