package com.mdeonboarding.emulator.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Azure Arc-enabled server ({@code Microsoft.HybridCompute/machines}) as the tenant file describes it.
 *
 * @param subscriptionId   only needed when creating a machine at run time
 * @param status           {@code Connected} (default), {@code Disconnected}, {@code Expired} or {@code Error}
 * @param osName           {@code windows} / {@code linux} (as the Arc agent reports it)
 * @param osType           {@code windows} / {@code linux}; derived from osName when absent
 * @param osSku            e.g. "Windows Server 2012 R2 Datacenter", "Ubuntu 22.04.4 LTS"
 * @param lastStatusChange ISO-8601 instant; defaults to a fixed time
 * @param runCommandOutput see {@link VirtualMachineSpec#runCommandOutput()}
 * @param sensor           how its Defender for Endpoint sensor behaves once the MDE extension succeeds (default: reports at once)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArcMachineSpec(String subscriptionId, String resourceGroup, String name, String location,
        String status, String osName, String osType, String osSku, String osVersion, String agentVersion,
        String lastStatusChange, String vmId, Map<String, String> tags, List<ExtensionSpec> extensions,
        PricingSpec pricing, ExtensionOutcome extensionOutcome, Object runCommandOutput, SensorSpec sensor) {
    public ArcMachineSpec {
        VirtualMachineSpec.require(resourceGroup, "resourceGroup");
        VirtualMachineSpec.require(name, "name");
        location = location == null ? "westeurope" : location;
        status = status == null ? "Connected" : status;
        osType = osType == null && osName != null ? osName.toLowerCase(java.util.Locale.ROOT) : osType;
        agentVersion = agentVersion == null ? "1.40.02664.1629" : agentVersion;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults of a Connected Windows Server 2022 Arc machine. */
    public static final class Builder {
        private String subscriptionId;
        private String resourceGroup = "rg-arc";
        private String name;
        private String location = "westeurope";
        private String status = "Connected";
        private String osName = "windows";
        private String osType = "windows";
        private String osSku = "Windows Server 2022 Datacenter";
        private String osVersion = "10.0.20348.2340";
        private String agentVersion;
        private String lastStatusChange;
        private String vmId;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final List<ExtensionSpec> extensions = new ArrayList<>();
        private PricingSpec pricing;
        private ExtensionOutcome extensionOutcome;
        private Object runCommandOutput;
        private SensorSpec sensor;

        public Builder subscriptionId(String v) { subscriptionId = v; return this; }
        public Builder resourceGroup(String v) { resourceGroup = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder location(String v) { location = v; return this; }
        public Builder status(String v) { status = v; return this; }
        public Builder osName(String v) { osName = v; return this; }
        public Builder osType(String v) { osType = v; return this; }
        public Builder osSku(String v) { osSku = v; return this; }
        public Builder osVersion(String v) { osVersion = v; return this; }
        public Builder agentVersion(String v) { agentVersion = v; return this; }
        public Builder lastStatusChange(String v) { lastStatusChange = v; return this; }
        public Builder vmId(String v) { vmId = v; return this; }
        public Builder tag(String key, String value) { tags.put(key, value); return this; }
        public Builder tags(Map<String, String> v) { tags.putAll(v); return this; }
        public Builder extension(ExtensionSpec v) { extensions.add(v); return this; }
        public Builder pricing(PricingSpec v) { pricing = v; return this; }
        public Builder extensionOutcome(ExtensionOutcome v) { extensionOutcome = v; return this; }
        public Builder runCommandOutput(Object v) { runCommandOutput = v; return this; }
        public Builder sensor(SensorSpec v) { sensor = v; return this; }

        /** An Ubuntu 22.04 Arc machine. */
        public Builder ubuntu2204() {
            osName = "linux";
            osType = "linux";
            osSku = "Ubuntu 22.04.4 LTS";
            osVersion = "5.15.0-105-generic";
            return this;
        }

        public ArcMachineSpec build() {
            return new ArcMachineSpec(subscriptionId, resourceGroup, name, location, status, osName, osType, osSku,
                    osVersion, agentVersion, lastStatusChange, vmId, tags, extensions, pricing, extensionOutcome,
                    runCommandOutput, sensor);
        }
    }
}
