package com.mdeonboarding.decide;

import com.mdeonboarding.config.Mode;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.GuestCheckResult;
import com.mdeonboarding.model.IntegrationSetting;
import com.mdeonboarding.model.IntegrationSettings;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.OsFacts;
import com.mdeonboarding.model.OsType;
import com.mdeonboarding.model.Plan;
import com.mdeonboarding.model.Reach;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.ResourcePricing;
import com.mdeonboarding.model.SensorFacts;
import com.mdeonboarding.model.SubscriptionPosture;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Readable builders for the rule tests: a healthy starting point, then one change per row. */
public final class TestFacts {

    static final String SUB = "00000000-0000-0000-0000-000000000001";
    public static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
    static final RulesConfig AUDIT = new RulesConfig("MdeOnboardingExclude", "MdePassiveMode", Mode.ONBOARD, 3);
    static final RulesConfig ENFORCE = new RulesConfig("MdeOnboardingExclude", "MdePassiveMode", Mode.ENFORCE, 3);

    private TestFacts() {
    }

    /** A subscription with P1 and every integration setting on. */
    static SubscriptionPosture posture() {
        return posture("Standard", true, true, false);
    }

    /** {@code null} settings: the subscription does not have that setting. */
    static SubscriptionPosture posture(String tier, Boolean wdatp, Boolean unified, Boolean excludeLinux) {
        Plan plan = new Plan(tier, tier.equals("Standard") ? Optional.of("P1") : Optional.empty(), "False", List.of());
        return new SubscriptionPosture(SUB, plan, Optional.of(settings(Optional.ofNullable(wdatp), Optional.ofNullable(unified),
                Optional.ofNullable(excludeLinux), NOW)), false);
    }

    static IntegrationSettings settings(Optional<Boolean> wdatp, Optional<Boolean> unified, Optional<Boolean> excludeLinux, Instant at) {
        Map<IntegrationSetting, Boolean> v = new EnumMap<>(IntegrationSetting.class);
        wdatp.ifPresent(x -> v.put(IntegrationSetting.WDATP, x));
        unified.ifPresent(x -> v.put(IntegrationSetting.WDATP_UNIFIED_SOLUTION, x));
        excludeLinux.ifPresent(x -> v.put(IntegrationSetting.WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW, x));
        return new IntegrationSettings(v, at);
    }

    /** A stored record with this decision, written at {@code updatedAt}. */
    static MachineRecord record(MachineId id, DecisionKind kind, List<ReasonCode> reasons, Instant updatedAt) {
        return record(id, kind, reasons, updatedAt, Optional.empty());
    }

    /** ... and {@code deployedAt}: when its PUT was sent (empty: none, or a bare claim). */
    static MachineRecord record(MachineId id, DecisionKind kind, List<ReasonCode> reasons, Instant updatedAt, Optional<Instant> deployedAt) {
        return new MachineRecord(id, kind, reasons, Optional.empty(), new MachineRecord.ExtensionHistory(Optional.empty(), 0, deployedAt),
                Optional.empty(), new MachineRecord.Provenance(updatedAt, updatedAt, "cid", "sweep", 1), Optional.of("etag"));
    }

    /** Facts, what our record remembers, and what Defender for Endpoint says of the sensor: the decision's machine inputs. */
    public record Case(MachineFacts facts, Remembered memory, SensorFacts sensor) {
        public Case(MachineFacts facts, Remembered memory) {
            this(facts, memory, SensorFacts.off());
        }
    }

    static Decision decide(Case c, SubscriptionPosture posture, RulesConfig config) {
        return OnboardingRules.decide(c.facts(), c.memory(), posture, config, c.sensor());
    }

    public static Builder vm() {
        return new Builder(MachineKind.VM).os(OsType.WINDOWS).osName("Windows Server 2022 Datacenter").osVersion("10.0.20348.2227")
                .image("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition").power("running").agentReady(true);
    }

    public static Builder vmLinux() {
        return new Builder(MachineKind.VM).os(OsType.LINUX).osName("ubuntu").osVersion("22.04")
                .image("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2").power("running").agentReady(true);
    }

    public static Builder arc() {
        return new Builder(MachineKind.ARC).os(OsType.WINDOWS).osName("windows").osSku("Windows Server 2019 Datacenter")
                .osVersion("10.0.17763").arcStatus("Connected");
    }

    public static Builder arcLinux() {
        return new Builder(MachineKind.ARC).os(OsType.LINUX).osName("linux").osSku("Ubuntu 22.04.4 LTS")
                .osVersion("5.15.0-101-generic").arcStatus("Connected");
    }

    public static ExtensionState extension(String state) {
        return new ExtensionState("MDE.Windows", "MDE.Windows", ExtensionState.PUBLISHER, state, Optional.empty(), Optional.empty());
    }

    public static ExtensionState failed(String message) {
        return new ExtensionState("MDE.Windows", "MDE.Windows", ExtensionState.PUBLISHER, "Failed",
                Optional.of("ProvisioningState/failed/51"), Optional.ofNullable(message));
    }

    public static GuestCheckResult passed() {
        return new GuestCheckResult(true, List.of(), NOW, "all good");
    }

    public static GuestCheckResult findings(ReasonCode... codes) {
        return new GuestCheckResult(true, List.of(codes), NOW, "found " + List.of(codes));
    }

    public static GuestCheckResult unavailable() {
        return GuestCheckResult.unavailable(NOW, "Run Command failed");
    }

    public static final class Builder {
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
        private Optional<String> vmProvisioning = Optional.empty();
        private Optional<String> arcAgentVersion = Optional.empty();
        private final Map<String, String> tags = new HashMap<>();
        private Optional<ExtensionState> extension = Optional.empty();
        private Optional<ResourcePricing> pricing = Optional.empty();
        private Optional<GuestCheckResult> guestCheck = Optional.empty();
        private int failures;
        private SensorFacts sensor = SensorFacts.off();
        private SensorRules.SensorMemory sensorMemory = SensorRules.SensorMemory.none();

        Builder(MachineKind kind) {
            this.kind = kind;
        }

        public Builder os(OsType v) {
            osType = v;
            return this;
        }

        public Builder osName(String v) {
            osName = Optional.ofNullable(v);
            return this;
        }

        public Builder osSku(String v) {
            osSku = Optional.ofNullable(v);
            return this;
        }

        public Builder osVersion(String v) {
            osVersion = Optional.ofNullable(v);
            return this;
        }

        public Builder image(String p, String o, String s) {
            publisher = Optional.ofNullable(p);
            offer = Optional.ofNullable(o);
            sku = Optional.ofNullable(s);
            return this;
        }

        public Builder power(String v) {
            power = Optional.ofNullable(v);
            return this;
        }

        public Builder agentReady(Boolean v) {
            agentReady = Optional.ofNullable(v);
            return this;
        }

        /** The VM's own provisioningState (Creating, Updating, Succeeded). */
        public Builder provisioning(String v) {
            vmProvisioning = Optional.ofNullable(v);
            return this;
        }

        /** The Arc machine's Connected Machine agent version. */
        public Builder agentVersion(String v) {
            arcAgentVersion = Optional.ofNullable(v);
            return this;
        }

        public Builder arcStatus(String v) {
            arcStatus = Optional.ofNullable(v);
            return this;
        }

        public Builder tag(String name, String value) {
            tags.put(name, value);
            return this;
        }

        public Builder extension(ExtensionState v) {
            extension = Optional.ofNullable(v);
            return this;
        }

        public Builder pricing(String tier, boolean inherited) {
            pricing = Optional.of(new ResourcePricing(tier, tier.equals("Standard") ? Optional.of("P1") : Optional.empty(), inherited));
            return this;
        }

        public Builder guestCheck(GuestCheckResult v) {
            guestCheck = Optional.ofNullable(v);
            return this;
        }

        public Builder failures(int v) {
            failures = v;
            return this;
        }

        /** What the Defender for Endpoint API says (default: the check is off). */
        public Builder sensor(SensorFacts v) {
            sensor = v;
            return this;
        }

        /** The sensor's grace period and re-onboarding as the record remembers them. */
        public Builder sensorMemory(SensorRules.SensorMemory v) {
            sensorMemory = v;
            return this;
        }

        /** Windows Server 2016 VM (downlevel). */
        public Builder ws2016() {
            return osName("Windows Server 2016 Datacenter").osVersion("Microsoft Windows NT 10.0.14393.0")
                    .image("MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter");
        }

        /** Windows Server 2012 R2 VM (downlevel). */
        public Builder ws2012r2() {
            return osName("Windows Server 2012 R2 Datacenter").osVersion("6.3.9600")
                    .image("MicrosoftWindowsServer", "WindowsServer", "2012-R2-Datacenter");
        }

        public MachineFacts build() {
            String type = kind == MachineKind.VM ? "Microsoft.Compute/virtualMachines" : "Microsoft.HybridCompute/machines";
            MachineId id = MachineId.parse("/subscriptions/" + SUB + "/resourceGroups/rg/providers/" + type + "/m1");
            Optional<OsFacts.MarketplaceImage> image = publisher.isPresent() || offer.isPresent() || sku.isPresent()
                    ? Optional.of(new OsFacts.MarketplaceImage(publisher, offer, sku)) : Optional.empty();
            Reach reach = kind == MachineKind.VM ? new Reach.Vm(power, agentReady, vmProvisioning) : new Reach.Arc(arcStatus, arcAgentVersion);
            return new MachineFacts(id, "westeurope", new OsFacts(osType, osName, osSku, osVersion, image), reach, Map.copyOf(tags),
                    extension, pricing);
        }

        /** The facts with what the record remembers (guest check, failure count). */
        public Case toCase() {
            return new Case(build(), new Remembered(failures, guestCheck, Optional.empty(), false, sensorMemory), sensor);
        }
    }
}
