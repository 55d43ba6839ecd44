package com.mdeonboarding.onboarding;

import com.mdeonboarding.config.RemediationMode;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Readable builders for the rule tests: a healthy starting point, then one change per row. */
final class TestFacts {

    static final String SUB = "00000000-0000-0000-0000-000000000001";
    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    static final RulesConfig AUDIT = new RulesConfig("MdeOnboardingExclude", "MdePassiveMode", RemediationMode.AUDIT, 3);
    static final RulesConfig ENFORCE = new RulesConfig("MdeOnboardingExclude", "MdePassiveMode", RemediationMode.ENFORCE, 3);

    private TestFacts() {
    }

    /** A subscription with P1 and every integration setting on. */
    static SubscriptionPosture posture() {
        return new SubscriptionPosture(SUB, "Standard", Optional.of("P1"), false, List.of(),
                Optional.of(true), Optional.of(true), Optional.of(false));
    }

    static SubscriptionPosture posture(String tier, Boolean wdatp, Boolean unified, Boolean excludeLinux) {
        return new SubscriptionPosture(SUB, tier, tier.equals("Standard") ? Optional.of("P1") : Optional.empty(), false, List.of(),
                Optional.ofNullable(wdatp), Optional.ofNullable(unified), Optional.ofNullable(excludeLinux));
    }

    static Builder vm() {
        return new Builder(MachineKind.VM).os(OsType.WINDOWS).osName("Windows Server 2022 Datacenter").osVersion("10.0.20348.2227")
                .image("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition").power("running").agentReady(true);
    }

    static Builder vmLinux() {
        return new Builder(MachineKind.VM).os(OsType.LINUX).osName("ubuntu").osVersion("22.04")
                .image("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2").power("running").agentReady(true);
    }

    static Builder arc() {
        return new Builder(MachineKind.ARC).os(OsType.WINDOWS).osName("windows").osSku("Windows Server 2019 Datacenter")
                .osVersion("10.0.17763").arcStatus("Connected");
    }

    static Builder arcLinux() {
        return new Builder(MachineKind.ARC).os(OsType.LINUX).osName("linux").osSku("Ubuntu 22.04.4 LTS")
                .osVersion("5.15.0-101-generic").arcStatus("Connected");
    }

    static ExtensionState extension(String state) {
        return new ExtensionState("MDE.Windows", "MDE.Windows", ExtensionState.PUBLISHER, state, Optional.empty(), Optional.empty());
    }

    static ExtensionState failed(String message) {
        return new ExtensionState("MDE.Windows", "MDE.Windows", ExtensionState.PUBLISHER, "Failed",
                Optional.of("ProvisioningState/failed/51"), Optional.ofNullable(message));
    }

    static GuestCheckResult passed() {
        return new GuestCheckResult(true, List.of(), NOW, "all good");
    }

    static GuestCheckResult findings(ReasonCode... codes) {
        return new GuestCheckResult(true, List.of(codes), NOW, "found " + List.of(codes));
    }

    static GuestCheckResult unavailable() {
        return GuestCheckResult.unavailable(NOW, "Run Command failed");
    }

    static final class Builder {
        private final MachineKind kind;
        private OsType osType = OsType.UNKNOWN;
        private Optional<String> osName = Optional.empty();
        private Optional<String> osSku = Optional.empty();
        private Optional<String> osVersion = Optional.empty();
        private Optional<String> publisher = Optional.empty();
        private Optional<String> offer = Optional.empty();
        private Optional<String> sku = Optional.empty();
        private Optional<String> power = Optional.empty();
        private Optional<Boolean> agentReady = Optional.empty();
        private Optional<String> arcStatus = Optional.empty();
        private final Map<String, String> tags = new HashMap<>();
        private Optional<ExtensionState> extension = Optional.empty();
        private Optional<ResourcePricing> pricing = Optional.empty();
        private Optional<GuestCheckResult> guestCheck = Optional.empty();
        private int failures;

        Builder(MachineKind kind) {
            this.kind = kind;
        }

        Builder os(OsType v) {
            osType = v;
            return this;
        }

        Builder osName(String v) {
            osName = Optional.ofNullable(v);
            return this;
        }

        Builder osSku(String v) {
            osSku = Optional.ofNullable(v);
            return this;
        }

        Builder osVersion(String v) {
            osVersion = Optional.ofNullable(v);
            return this;
        }

        Builder image(String p, String o, String s) {
            publisher = Optional.ofNullable(p);
            offer = Optional.ofNullable(o);
            sku = Optional.ofNullable(s);
            return this;
        }

        Builder power(String v) {
            power = Optional.ofNullable(v);
            return this;
        }

        Builder agentReady(Boolean v) {
            agentReady = Optional.ofNullable(v);
            return this;
        }

        Builder arcStatus(String v) {
            arcStatus = Optional.ofNullable(v);
            return this;
        }

        Builder tag(String name, String value) {
            tags.put(name, value);
            return this;
        }

        Builder extension(ExtensionState v) {
            extension = Optional.ofNullable(v);
            return this;
        }

        Builder pricing(String tier, boolean inherited) {
            pricing = Optional.of(new ResourcePricing(tier, tier.equals("Standard") ? Optional.of("P1") : Optional.empty(), inherited));
            return this;
        }

        Builder guestCheck(GuestCheckResult v) {
            guestCheck = Optional.ofNullable(v);
            return this;
        }

        Builder failures(int v) {
            failures = v;
            return this;
        }

        /** Windows Server 2016 VM (downlevel). */
        Builder ws2016() {
            return osName("Windows Server 2016 Datacenter").osVersion("Microsoft Windows NT 10.0.14393.0")
                    .image("MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter");
        }

        /** Windows Server 2012 R2 VM (downlevel). */
        Builder ws2012r2() {
            return osName("Windows Server 2012 R2 Datacenter").osVersion("6.3.9600")
                    .image("MicrosoftWindowsServer", "WindowsServer", "2012-R2-Datacenter");
        }

        MachineFacts build() {
            String type = kind == MachineKind.VM ? "Microsoft.Compute/virtualMachines" : "Microsoft.HybridCompute/machines";
            return new MachineFacts("/subscriptions/" + SUB + "/resourceGroups/rg/providers/" + type + "/m1", kind, SUB, "westeurope",
                    osType, osName, osSku, osVersion, publisher, offer, sku, power, agentReady, arcStatus, Map.copyOf(tags),
                    extension, pricing, guestCheck, failures);
        }
    }
}
