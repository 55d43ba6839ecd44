package com.mdeonboarding.emulator;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One subscription. Guarded by the TenantState lock. */
final class SubscriptionState {
    final String id;
    String displayName;
    String state;
    Map<String, String> tags;
    /** Lower-case plan name to plan. */
    final Map<String, PricingState> pricings = new LinkedHashMap<>();
    /** Setting name (canonical case) to enabled. */
    final Map<String, Boolean> settings = new LinkedHashMap<>();
    /** Lower-case ID to machine, sorted so list pages are stable. */
    final TreeMap<String, MachineState> vms = new TreeMap<>();
    final TreeMap<String, MachineState> arcMachines = new TreeMap<>();
    final Set<String> resourceGroups = new HashSet<>();

    SubscriptionState(String id) {
        this.id = id;
    }

    TreeMap<String, MachineState> machines(MachineState.Kind kind) {
        return kind == MachineState.Kind.VM ? vms : arcMachines;
    }

    PricingState pricing(String name) {
        return pricings.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
