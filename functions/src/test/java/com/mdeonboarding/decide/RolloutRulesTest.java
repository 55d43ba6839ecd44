package com.mdeonboarding.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.config.Canary;
import com.mdeonboarding.config.Mode;
import com.mdeonboarding.config.PlanPrices;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.ExtensionRemoval;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OsType;
import com.mdeonboarding.model.Plan;
import com.mdeonboarding.model.PlannedAction;
import com.mdeonboarding.model.ReasonCode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure rules of issue 24: canary scope, change control, observe's "would" sentence, the cost figures. */
class RolloutRulesTest {
    static final String SUB = "00000000-0000-0000-0000-000000000001";

    static MachineId vm(String rg, String name) {
        return MachineId.parse("/subscriptions/" + SUB + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/virtualMachines/" + name);
    }

    static Set<String> list(String csv) {
        return csv == null || csv.isBlank() ? Set.of() : Arrays.stream(csv.split(";")).map(String::trim).collect(Collectors.toSet());
    }

    /**
     * Each row: the canary settings, a machine (resource group, name, tag value of Ring or '-'), and the outcome.
     * Exclusions win over every include; each include that is set must hold.
     */
    @ParameterizedTest(name = "tag={0} rgs={1} exclude={2} machines={3}: {4}/{5} Ring={6} -> {7}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // tag      | resource groups | excluded groups | machines      | rg       | name | Ring    | outcome
            "-          | -               | -               | -             | rg-a     | m1   | -       | IN",
            "Ring=canary| -               | -               | -             | rg-a     | m1   | canary  | IN",
            "Ring=canary| -               | -               | -             | rg-a     | m1   | Canary  | IN",
            "Ring=canary| -               | -               | -             | rg-a     | m1   | prod    | OUTSIDE_CANARY",
            "Ring=canary| -               | -               | -             | rg-a     | m1   | -       | OUTSIDE_CANARY",
            "-          | rg-a;rg-b       | -               | -             | RG-A     | m1   | -       | IN",
            "-          | rg-a;rg-b       | -               | -             | rg-c     | m1   | -       | OUTSIDE_CANARY",
            "-          | -               | rg-prod         | -             | rg-prod  | m1   | -       | EXCLUDED_BY_RESOURCE_GROUP",
            "-          | -               | rg-prod         | -             | rg-a     | m1   | -       | IN",
            "Ring=canary| rg-prod         | rg-prod         | -             | rg-prod  | m1   | canary  | EXCLUDED_BY_RESOURCE_GROUP",
            "Ring=canary| rg-a            | -               | -             | rg-a     | m1   | prod    | OUTSIDE_CANARY",
            "Ring=canary| rg-a            | -               | -             | rg-b     | m1   | canary  | OUTSIDE_CANARY",
            "-          | -               | -               | rg-a/m1       | rg-a     | M1   | -       | IN",
            "-          | -               | -               | rg-a/m1       | rg-a     | m2   | -       | OUTSIDE_CANARY",
            "Ring=canary| -               | -               | rg-a/m1       | rg-a     | m1   | prod    | OUTSIDE_CANARY",
            "-          | -               | rg-a            | rg-a/m1       | rg-a     | m1   | -       | EXCLUDED_BY_RESOURCE_GROUP",
    })
    void theCanaryScopeIsPredictableAndExclusionsWin(String tag, String groups, String excluded, String machines, String rg, String name,
                                                      String ring, String outcome) {
        Optional<Canary.IncludeTag> include = Optional.ofNullable(tag).map(t -> new Canary.IncludeTag(t.split("=")[0], t.split("=")[1]));
        Set<String> ids = list(machines).stream().map(m -> vm(m.split("/")[0], m.split("/")[1]).key()).collect(Collectors.toSet());
        Canary canary = new Canary(include, list(groups), list(excluded), ids);
        Map<String, String> tags = ring == null ? Map.of() : Map.of(" ring ", ring + " ");
        Optional<ReasonCode> got = OnboardingRules.outsideCanary(vm(rg, name), tags, canary);
        assertEquals(outcome.equals("IN") ? Optional.empty() : Optional.of(ReasonCode.valueOf(outcome)), got);
    }

    @Test
    void aMachineOutsideTheCanaryIsSkippedBeforeAnythingElseIsDecided() {
        Canary onlyRgB = new Canary(Optional.empty(), Set.of("rg-b"), Set.of(), Set.of());
        RulesConfig config = new RulesConfig("MdeOnboardingExclude", "MdePassiveMode", Mode.ONBOARD, 3, Duration.ofMinutes(60), true, onlyRgB,
                false);
        // TestFacts machines live in resource group "rg" of a Free subscription: the canary answers first.
        Decision d = OnboardingRules.decide(TestFacts.vm().os(OsType.WINDOWS).osName("Windows Server 2022 Datacenter").build(),
                Remembered.nothing(), TestFacts.posture("Free", false, false, true), config, com.mdeonboarding.model.SensorFacts.off());
        assertEquals(DecisionKind.SKIPPED, d.kind());
        assertEquals(List.of(ReasonCode.OUTSIDE_CANARY), d.reasons());
        assertTrue(d.detail().orElseThrow().contains("only resource groups rg-b"), d.toString());
    }

    // ------------------------------------------------------------------ change control

    static final Instant NOW = Instant.parse("2026-12-08T10:00:00Z");
    static final ExtensionRemoval BY_ALICE = new ExtensionRemoval(vm("rg", "m1"), "MDE.Windows", Instant.parse("2026-12-08T09:00:00Z"),
            Optional.of("alice@contoso.com (User)"), Optional.of("cid-1"));

    @ParameterizedTest(name = "seen={0} event={1} source={2} reinstall={3} -> {4}")
    @CsvSource({
            // extension seen before, removal event recorded, job source, MDE_REINSTALL_REMOVED, outcome
            "true,  true,  EVENT,  false, HOLD",
            "true,  false, SWEEP,  false, HOLD",
            "false, true,  SWEEP,  false, HOLD",
            "true,  true,  SWEEP,  true,  NORMAL",
            "true,  true,  MANUAL, false, NORMAL",
            "false, false, SWEEP,  false, NORMAL",
    })
    void aRemovedExtensionIsHeldUnlessTheSettingOrAnOperatorSaysOtherwise(boolean seen, boolean event, JobSource source, boolean reinstall,
                                                                          String outcome) {
        ChangeControl.Memory memory = new ChangeControl.Memory(seen, event ? Optional.of(BY_ALICE) : Optional.empty());
        Optional<Decision> d = ChangeControl.hold(Optional.empty(), memory, source, reinstall, NOW);
        assertEquals(outcome.equals("HOLD"), d.isPresent(), String.valueOf(d));
        d.ifPresent(x -> {
            assertEquals(DecisionKind.SKIPPED, x.kind());
            assertEquals(List.of(ReasonCode.EXTENSION_REMOVED), x.reasons());
            assertTrue(x.detail().orElseThrow().contains(event ? "removed by alice@contoso.com (User) at 2026-12-08T09:00:00Z" : "noticed at " + NOW),
                    x.detail().get());
        });
        if (outcome.equals("NORMAL") && (seen || event)) {
            assertTrue(ChangeControl.reinstallNote(Optional.empty(), memory).orElseThrow().startsWith("reinstalling an MDE extension that was removed"));
        }
    }

    @Test
    void anExtensionThatIsThereAgainIsNotHeldAndARemovalIsNoticedOnce() {
        ChangeControl.Memory seen = new ChangeControl.Memory(true, Optional.empty());
        assertEquals(Optional.empty(), ChangeControl.hold(Optional.of(TestFacts.extension("Succeeded")), seen, JobSource.SWEEP, false, NOW));
        assertTrue(ChangeControl.removedNow(Optional.empty(), seen));
        assertTrue(!ChangeControl.removedNow(Optional.empty(), new ChangeControl.Memory(true, Optional.of(BY_ALICE))), "already recorded");
        assertTrue(!ChangeControl.removedNow(Optional.of(TestFacts.extension("Succeeded")), seen));
    }

    // ------------------------------------------------------------------ observe's sentence

    @Test
    void observeSaysWhatItWouldDo() {
        assertEquals("would DEPLOY MDE.Windows", WouldDo.sentence(new Decision(DecisionKind.DEPLOY, List.of(ReasonCode.EXTENSION_MISSING),
                List.of(PlannedAction.DEPLOY_EXTENSION), Optional.empty()), "MDE.Windows"));
        assertEquals("would run the read-only guest check, then switch on the subscription's setting WDATP, then set Defender Antivirus"
                        + " passive mode, then DEPLOY MDE.Linux",
                WouldDo.sentence(new Decision(DecisionKind.DEPLOY, List.of(ReasonCode.EXTENSION_MISSING), List.of(PlannedAction.RUN_GUEST_CHECK,
                        PlannedAction.ENABLE_WDATP, PlannedAction.SET_PASSIVE_MODE, PlannedAction.DEPLOY_EXTENSION), Optional.empty()), "MDE.Linux"));
        assertEquals("would leave it: BLOCKED PLAN_NOT_ENABLED", WouldDo.sentence(Decision.of(DecisionKind.BLOCKED, ReasonCode.PLAN_NOT_ENABLED),
                "MDE.Windows"));
        assertTrue(WouldDo.sentence(Decision.of(DecisionKind.ONBOARDED, ReasonCode.EXTENSION_HEALTHY), "MDE.Windows").startsWith(WouldDo.PREFIX));
    }

    // ------------------------------------------------------------------ cost

    @Test
    void costIsServersTimesTheListPricePerServerAndMonth() {
        Plan p1 = new Plan("Standard", Optional.of("P1"), "False", List.of());
        Plan p2 = new Plan("Standard", Optional.of("P2"), "False", List.of());
        Plan legacy = new Plan("Standard", Optional.empty(), "False", List.of());
        assertEquals(new BigDecimal("15700"), Billing.monthly(p1, 3140, PlanPrices.LIST));
        assertEquals(new BigDecimal("150"), Billing.monthly(p2, 10, PlanPrices.LIST));
        assertEquals(new BigDecimal("150"), Billing.monthly(legacy, 10, PlanPrices.LIST), "Standard without a sub-plan is Plan 2");
        assertEquals(BigDecimal.ZERO, Billing.monthly(Plan.free(), 10, PlanPrices.LIST));
        assertEquals("$15,700", Billing.money(new BigDecimal("15700")));
        assertEquals("$14.60", Billing.money(new BigDecimal("14.6")));
        assertEquals("3,140 servers", Billing.servers(3140));
        assertEquals("1 server", Billing.servers(1));
    }
}
