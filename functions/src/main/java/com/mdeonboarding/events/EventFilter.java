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

    private EventFilter() {
    }

    public static boolean accepts(String operationName) {
        return operationName != null && ACCEPTED_OPERATIONS.stream().anyMatch(o -> o.equalsIgnoreCase(operationName));
    }
}
