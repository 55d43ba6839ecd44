package com.mdeonboarding.bench;

import com.mdeonboarding.decide.OnboardingRules;
import com.mdeonboarding.decide.Remembered;
import com.mdeonboarding.decide.RulesConfig;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DeviceRecord;
import com.mdeonboarding.model.SensorFacts;
import java.time.Instant;
import java.util.List;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.IntegrationSetting;
import com.mdeonboarding.model.IntegrationSettings;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OsFacts;
import com.mdeonboarding.model.OsType;
import com.mdeonboarding.model.Plan;
import com.mdeonboarding.model.Reach;
import com.mdeonboarding.model.SubscriptionPosture;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH micro-benchmark of the pure decision function ({@link OnboardingRules#decide}), the one piece of the reconcile
 * that is CPU only: it shows the decision is noise next to one Resource Manager call. Run by bin/benchmark
 * ({@code org.openjdk.jmh.Main DecisionBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DecisionBenchmark {
    private static final String SUB = "00000000-0000-4000-8000-000000000001";
    private static final String VM = "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm";
    private static final RulesConfig RULES = new RulesConfig("MdeOnboardingExclude", "MdePassiveMode", com.mdeonboarding.config.Mode.ONBOARD, 3);
    private static final SubscriptionPosture POSTURE = new SubscriptionPosture(SUB, new Plan("Standard", Optional.of("P2"), "False", List.of()),
            Optional.of(new IntegrationSettings(Map.of(IntegrationSetting.WDATP, true, IntegrationSetting.WDATP_UNIFIED_SOLUTION, true,
                    IntegrationSetting.WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW, false), Instant.EPOCH)), true);

    private final MachineFacts newWindowsVm = vm(OsType.WINDOWS, "Windows Server 2022 Datacenter", "10.0.20348.2340", Optional.empty());
    private final MachineFacts onboardedVm = vm(OsType.WINDOWS, "Windows Server 2022 Datacenter", "10.0.20348.2340",
            Optional.of(new ExtensionState("MDE.Windows", "MDE.Windows", ExtensionState.PUBLISHER, "Succeeded", Optional.empty(), Optional.empty())));
    private final MachineFacts newLinuxVm = vm(OsType.LINUX, "ubuntu", "22.04", Optional.empty());

    /** The onboarded VM's sensor: one device record, onboarded and Active. */
    private static final SensorFacts ACTIVE_DEVICE = SensorFacts.seen(List.of(new DeviceRecord("1e5bc9d7e413ddd7902c2932e418702b84d0cc07",
            Optional.of("vm1"), "Onboarded", "Active", Optional.of(Instant.parse("2026-05-01T10:00:00Z")),
            Optional.of(Instant.parse("2026-05-01T11:00:00Z")), Optional.of(VM), Optional.empty())));

    private static MachineFacts vm(OsType os, String osName, String osVersion, Optional<ExtensionState> ext) {
        OsFacts.MarketplaceImage image = new OsFacts.MarketplaceImage(Optional.of(os == OsType.LINUX ? "Canonical" : "MicrosoftWindowsServer"),
                Optional.of(os == OsType.LINUX ? "0001-com-ubuntu-server-jammy" : "WindowsServer"),
                Optional.of(os == OsType.LINUX ? "22_04-lts-gen2" : "2022-datacenter-azure-edition"));
        return new MachineFacts(MachineId.parse(VM), "westeurope", new OsFacts(os, Optional.of(osName), Optional.empty(), Optional.of(osVersion),
                Optional.of(image)), new Reach.Vm(Optional.of("running"), Optional.of(true)), Map.of(), ext, Optional.empty());
    }

    @Benchmark
    public Decision deployNewWindowsVm() {
        return OnboardingRules.decide(newWindowsVm, Remembered.nothing(), POSTURE, RULES, SensorFacts.notLooked());
    }

    @Benchmark
    public Decision alreadyOnboarded() {
        return OnboardingRules.decide(onboardedVm, Remembered.nothing(), POSTURE, RULES, ACTIVE_DEVICE);
    }

    @Benchmark
    public Decision newLinuxVmNeedsGuestCheck() {
        return OnboardingRules.decide(newLinuxVm, Remembered.nothing(), POSTURE, RULES, SensorFacts.notLooked());
    }
}
