package com.mdeonboarding.events;

import java.util.Set;

/**
 * What the Event Grid trigger accepts. infra/subscription-events.json filters on exactly these (tested),
 * so Event Grid does not deliver, and we do not pay for, anything else.
 */
public final class EventFilter {
    public static final String EVENT_TYPE = "Microsoft.Resources.ResourceWriteSuccess";
    public static final Set<String> ACCEPTED_OPERATIONS = Set.of(
            "Microsoft.Compute/virtualMachines/write",
            "Microsoft.HybridCompute/machines/write");

    /**
     * Deletes of a machine's extension (someone removed the MDE extension: change control). The event subscription the
     * app keeps (sweep/EventWiring) delivers these with {@link #DELETE_EVENT_TYPE}; the machine is reconciled again.
     */
    public static final String DELETE_EVENT_TYPE = "Microsoft.Resources.ResourceDeleteSuccess";
    public static final Set<String> EXTENSION_DELETES = Set.of(
            "Microsoft.Compute/virtualMachines/extensions/delete",
            "Microsoft.HybridCompute/machines/extensions/delete");

    public static boolean acceptsExtensionDelete(String operationName) {
        return operationName != null && EXTENSION_DELETES.stream().anyMatch(o -> o.equalsIgnoreCase(operationName));
    }

    private EventFilter() {
    }

    public static boolean accepts(String operationName) {
        return operationName != null && ACCEPTED_OPERATIONS.stream().anyMatch(o -> o.equalsIgnoreCase(operationName));
    }
}
