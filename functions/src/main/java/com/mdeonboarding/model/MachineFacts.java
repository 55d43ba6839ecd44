package com.mdeonboarding.model;

import java.util.Map;
import java.util.Optional;

/**
 * Everything Azure says about one machine now that the decision needs. Built once per reconcile by the
 * {@code azure} layer; the decision function never does I/O. What our own state remembers (guest check, failure
 * count) is not a fact about the machine and travels separately.
 *
 * @param id              the machine
 * @param location        Azure region (extensions are written there)
 * @param os              operating system facts
 * @param reach           VM power state and agent, or Arc connection status
 * @param tags            resource tags (read with {@link Tags})
 * @param mdeExtension    the MDE extension if one exists
 * @param resourcePricing the machine's own Defender for Servers pricing, when it was read
 * @param sensorKeys      what joins the machine to its Defender for Endpoint device records besides its resource ID
 */
public record MachineFacts(MachineId id, String location, OsFacts os, Reach reach, Map<String, String> tags,
                           Optional<ExtensionState> mdeExtension, Optional<ResourcePricing> resourcePricing, SensorKeys sensorKeys) {

    public MachineFacts {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        sensorKeys = sensorKeys == null ? SensorKeys.none() : sensorKeys;
    }

    /** Facts without sensor keys (the device records can then be joined by resource ID only). */
    public MachineFacts(MachineId id, String location, OsFacts os, Reach reach, Map<String, String> tags,
                        Optional<ExtensionState> mdeExtension, Optional<ResourcePricing> resourcePricing) {
        this(id, location, os, reach, tags, mdeExtension, resourcePricing, SensorKeys.none());
    }

    public MachineKind kind() {
        return id.kind();
    }

    public OsType osType() {
        return os.type();
    }

    public MachineFacts withResourcePricing(Optional<ResourcePricing> pricing) {
        return new MachineFacts(id, location, os, reach, tags, mdeExtension, pricing, sensorKeys);
    }

    /** The extension name/type for this OS: {@code MDE.Windows} or {@code MDE.Linux}. */
    public String mdeExtensionName() {
        return ExtensionState.nameFor(os.type());
    }
}
