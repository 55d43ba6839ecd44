package com.mdeonboarding.emulator.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Azure VM as the tenant file (or a test) describes it.
 *
 * @param subscriptionId   only needed when creating a VM at run time; the tenant file nests VMs in their subscription
 * @param osType           {@code Windows} or {@code Linux} ({@code storageProfile.osDisk.osType})
 * @param osName           instance view {@code osName}, e.g. "Windows Server 2022 Datacenter"; null: the agent has not reported it
 * @param osVersion        instance view {@code osVersion}
 * @param powerState       {@code running} (default), {@code deallocated}, {@code stopped}, {@code starting}, ...
 * @param vmAgentReady     whether the VM agent reports Ready (default true)
 * @param extensionOutcome how future extension PUTs on this VM end (default Succeeded)
 * @param runCommandOutput what Run Command prints: a string, or an object mapping a marker found in the script to
 *                         the output (a string, or {@code {"stdout":..,"stderr":..,"exitCode":..}}); key {@code default} is the fallback
 * @param sensor           how its Defender for Endpoint sensor behaves once the MDE extension succeeds (default: reports at once)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtualMachineSpec(String subscriptionId, String resourceGroup, String name, String location,
        String osType, String osName, String osVersion, ImageReference image, String vmSize, String powerState,
        Boolean vmAgentReady, String vmAgentVersion, String computerName, String vmId, Map<String, String> tags,
        List<ExtensionSpec> extensions, PricingSpec pricing, ExtensionOutcome extensionOutcome,
        Object runCommandOutput, SensorSpec sensor) {
    public VirtualMachineSpec {
        require(resourceGroup, "resourceGroup");
        require(name, "name");
        location = location == null ? "westeurope" : location;
        osType = osType == null ? "Windows" : osType;
        if (!osType.equalsIgnoreCase("Windows") && !osType.equalsIgnoreCase("Linux")) {
            throw new IllegalArgumentException("VM '" + name + "': osType must be Windows or Linux, not '" + osType + "'");
        }
        osType = osType.equalsIgnoreCase("Windows") ? "Windows" : "Linux";
        vmSize = vmSize == null ? "Standard_D2s_v3" : vmSize;
        powerState = powerState == null ? "running" : powerState;
        vmAgentReady = vmAgentReady == null ? Boolean.TRUE : vmAgentReady;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        extensions = extensions == null ? List.of() : List.copyOf(extensions);
    }

    static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the defaults of a healthy, running Windows Server 2022 VM. */
    public static final class Builder {
        private String subscriptionId;
        private String resourceGroup = "rg";
        private String name;
        private String location = "westeurope";
        private String osType = "Windows";
        private String osName = "Windows Server 2022 Datacenter";
        private String osVersion = "10.0.20348.2340";
        private ImageReference image = ImageReference.of("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter");
        private String vmSize;
        private String powerState = "running";
        private boolean vmAgentReady = true;
        private String vmAgentVersion;
        private String computerName;
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
        public Builder osType(String v) { osType = v; return this; }
        public Builder osName(String v) { osName = v; return this; }
        public Builder osVersion(String v) { osVersion = v; return this; }
        public Builder image(String publisher, String offer, String sku) { image = ImageReference.of(publisher, offer, sku); return this; }
        public Builder image(ImageReference v) { image = v; return this; }
        public Builder vmSize(String v) { vmSize = v; return this; }
        public Builder powerState(String v) { powerState = v; return this; }
        public Builder vmAgentReady(boolean v) { vmAgentReady = v; return this; }
        public Builder vmAgentVersion(String v) { vmAgentVersion = v; return this; }
        public Builder computerName(String v) { computerName = v; return this; }
        public Builder vmId(String v) { vmId = v; return this; }
        public Builder tag(String key, String value) { tags.put(key, value); return this; }
        public Builder tags(Map<String, String> v) { tags.putAll(v); return this; }
        public Builder extension(ExtensionSpec v) { extensions.add(v); return this; }
        public Builder pricing(PricingSpec v) { pricing = v; return this; }
        public Builder extensionOutcome(ExtensionOutcome v) { extensionOutcome = v; return this; }
        public Builder runCommandOutput(Object v) { runCommandOutput = v; return this; }
        public Builder sensor(SensorSpec v) { sensor = v; return this; }

        /** An Ubuntu 22.04 LTS VM. */
        public Builder ubuntu2204() {
            osType = "Linux";
            osName = "ubuntu";
            osVersion = "22.04";
            image = ImageReference.of("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2");
            return this;
        }

        public VirtualMachineSpec build() {
            return new VirtualMachineSpec(subscriptionId, resourceGroup, name, location, osType, osName, osVersion,
                    image, vmSize, powerState, vmAgentReady, vmAgentVersion, computerName, vmId, tags, extensions,
                    pricing, extensionOutcome, runCommandOutput, sensor);
        }
    }
}
