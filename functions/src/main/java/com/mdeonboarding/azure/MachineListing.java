package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.Text;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The machines of one subscription (optionally one resource group): VMs and Arc machines, listed
 * through Resource Manager with paging. The group is filtered here from the subscription-wide lists,
 * which every Resource Manager (and the local emulator) serves; group names compare case-insensitively.
 */
public final class MachineListing {
    private final ArmClient arm;

    MachineListing(ArmClient arm) {
        this.arm = arm;
    }

    /** More machines than the caller's limit: the listing stopped there. */
    public static final class TooManyMachinesException extends RuntimeException {
        private final int limit;

        public TooManyMachinesException(int limit) {
            super("more than " + limit + " machines");
            this.limit = limit;
        }

        public int limit() {
            return limit;
        }
    }

    /**
     * VMs first, then Arc machines, each in Resource Manager's order. Items whose ID is not a machine ID
     * we accept are logged and left out. Throws {@link TooManyMachinesException} beyond {@code limit}.
     */
    public List<MachineId> list(String subscriptionId, Optional<String> resourceGroup, int limit, Logger log) {
        Set<MachineId> out = new LinkedHashSet<>();
        String base = "/subscriptions/" + subscriptionId.toLowerCase(Locale.ROOT) + "/providers/";
        collect(arm.get(base + "Microsoft.Compute/virtualMachines", ApiVersions.COMPUTE), resourceGroup, limit, out, log,
                PageGuard.arm("VirtualMachines_ListAll (subscription " + subscriptionId + ")", PageGuard.ARM_LIST_PAGES));
        collect(arm.get(base + "Microsoft.HybridCompute/machines", ApiVersions.HYBRID_COMPUTE), resourceGroup, limit, out, log,
                PageGuard.arm("Machines_ListBySubscription (subscription " + subscriptionId + ")", PageGuard.ARM_LIST_PAGES));
        return List.copyOf(out);
    }

    private void collect(JsonNode page, Optional<String> resourceGroup, int limit, Set<MachineId> out, Logger log, PageGuard guard) {
        while (true) {
            for (JsonNode item : page.path("value")) {
                String id = item.path("id").asText("");
                Optional<MachineId> m = MachineId.tryParse(id);
                if (m.isEmpty()) {
                    log.warning("listing: left out an item whose ID is not a VM or Arc machine ID we accept: '"
                            + Text.printable(id) + "'");
                    continue;
                }
                if (resourceGroup.isPresent() && !m.get().resourceGroup().equalsIgnoreCase(resourceGroup.get())) {
                    continue;
                }
                out.add(m.get());
                if (out.size() > limit) {
                    throw new TooManyMachinesException(limit);
                }
            }
            String next = page.path("nextLink").asText("");
            if (next.isEmpty()) {
                return;
            }
            guard.next(next);
            page = arm.getAbsolute(next);
        }
    }
}
