package com.mdeonboarding.decide;

import com.mdeonboarding.model.DeviceRecord;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.SensorFacts;
import com.mdeonboarding.model.SensorKeys;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which Defender for Endpoint device records are a machine's: the one join rule, for the per-machine look and the
 * sweep alike. A record is the machine's when its {@code vmMetadata.resourceId} is the machine's resource ID (compared
 * case-insensitively, as Resource Manager compares IDs); otherwise, for an Azure VM, when it names no resource at all and
 * its {@code vmMetadata.vmId} is the VM's {@code vmId}. Nothing else is evidence: a record naming another resource never
 * matches by vmId, and host names or IP addresses never match (a re-imaged or renamed machine would be guessed wrong).
 *
 * <p>Arc machines: {@code vmMetadata} is documented as the metadata of "the virtual machine Defender for Endpoint is running
 * on" (Microsoft Graph {@code security-vmmetadata}: vmId, cloudProvider azure/unknown, resourceId, subscriptionId), and no
 * Microsoft source says what an Arc machine's record carries there. So an Arc machine matches only a record that names its
 * Arc resource ID exactly; the Arc {@code vmId} is a Hybrid Compute identifier, not known to be the one Defender reports.
 */
public final class SensorMatch {
    private SensorMatch() {
    }

    public static List<DeviceRecord> recordsOf(MachineId machine, SensorKeys keys, Collection<DeviceRecord> candidates) {
        return candidates.stream().filter(d -> matches(machine, keys, d)).toList();
    }

    static boolean matches(MachineId machine, SensorKeys keys, DeviceRecord d) {
        Optional<String> resource = d.azureResourceId().filter(r -> !r.isBlank());
        if (resource.isPresent()) {
            return resource.get().trim().equalsIgnoreCase(machine.id());
        }
        return machine.kind() == MachineKind.VM && keys.vmId().isPresent()
                && d.azureVmId().map(v -> v.trim().equalsIgnoreCase(keys.vmId().get().trim())).orElse(false);
    }

    /**
     * What a per-machine look found among the records whose host name starts with the machine's: the machine's own
     * records when any match; otherwise, when records of exactly the machine's host name carry nothing that attributes
     * them (no resource ID; for an Arc machine, not even one naming it), the look cannot tell and says so (unverified,
     * never guessed); otherwise the machine is not seen.
     */
    public static SensorFacts lookedUp(MachineId machine, SensorKeys keys, Collection<DeviceRecord> named) {
        List<DeviceRecord> own = recordsOf(machine, keys, named);
        if (!own.isEmpty()) {
            return SensorFacts.seen(own);
        }
        String host = keys.hostName().map(SensorMatch::shortName).orElse("");
        long unattributed = named.stream()
                .filter(d -> d.azureResourceId().filter(r -> !r.isBlank()).isEmpty())
                .filter(d -> d.computerDnsName().map(SensorMatch::shortName).filter(host::equals).isPresent())
                .count();
        if (!host.isEmpty() && unattributed > 0) {
            return SensorFacts.unavailable(unattributed + " Defender for Endpoint device record(s) named '" + host + "' carry no Azure"
                    + " resource ID" + (machine.kind() == MachineKind.VM ? " or vmId of this VM" : "") + ", so they cannot be"
                    + " matched to this machine (a match by name is never guessed)", false);
        }
        return SensorFacts.seen(List.of());
    }

    /** The first label of a host name, lower case: {@code VM-01.contoso.com} is {@code vm-01}. */
    public static String shortName(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        int dot = h.indexOf('.');
        return dot < 0 ? h : h.substring(0, dot);
    }
}
