package com.mdeonboarding.bench;

import com.mdeonboarding.config.RemediationMode;
import com.mdeonboarding.onboarding.Decision;
import com.mdeonboarding.onboarding.ExtensionState;
import com.mdeonboarding.onboarding.MachineFacts;
import com.mdeonboarding.onboarding.MachineKind;
import com.mdeonboarding.onboarding.OnboardingRules;
import com.mdeonboarding.onboarding.OsType;
import com.mdeonboarding.onboarding.RulesConfig;
import com.mdeonboarding.onboarding.SubscriptionPosture;
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
    private static final RulesConfig RULES = new RulesConfig("MdeOnboardingExclude", "MdePassiveMode", RemediationMode.AUDIT, 3);
    private static final SubscriptionPosture POSTURE = new SubscriptionPosture(SUB, "Standard", Optional.of("P2"), false, List.of(),
            Optional.of(true), Optional.of(true), Optional.of(false));

    private final MachineFacts newWindowsVm = vm(OsType.WINDOWS, "Windows Server 2022 Datacenter", "10.0.20348.2340", Optional.empty());
    private final MachineFacts onboardedVm = vm(OsType.WINDOWS, "Windows Server 2022 Datacenter", "10.0.20348.2340",
            Optional.of(new ExtensionState("MDE.Windows", "MDE.Windows", ExtensionState.PUBLISHER, "Succeeded", Optional.empty(), Optional.empty())));
    private final MachineFacts newLinuxVm = vm(OsType.LINUX, "ubuntu", "22.04", Optional.empty());

    private static MachineFacts vm(OsType os, String osName, String osVersion, Optional<ExtensionState> ext) {
        return new MachineFacts(VM, MachineKind.VM, SUB, "westeurope", os, Optional.of(osName), Optional.empty(), Optional.of(osVersion),
                Optional.of(os == OsType.LINUX ? "Canonical" : "MicrosoftWindowsServer"),
                Optional.of(os == OsType.LINUX ? "0001-com-ubuntu-server-jammy" : "WindowsServer"),
                Optional.of(os == OsType.LINUX ? "22_04-lts-gen2" : "2022-datacenter-azure-edition"), Optional.of("running"), Optional.of(true),
                Optional.empty(), Map.of(), ext, Optional.empty(), Optional.empty(), 0);
    }

    @Benchmark
    public Decision deployNewWindowsVm() {
        return OnboardingRules.decide(newWindowsVm, POSTURE, RULES);
    }

    @Benchmark
    public Decision alreadyOnboarded() {
        return OnboardingRules.decide(onboardedVm, POSTURE, RULES);
    }

    @Benchmark
    public Decision newLinuxVmNeedsGuestCheck() {
        return OnboardingRules.decide(newLinuxVm, POSTURE, RULES);
    }
}
