package com.mdeonboarding.emulator;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** One subscription. Guarded by the TenantState lock. */
final class EmulatedSubscription {
    final String id;
    String displayName;
    String state;
    Map<String, String> tags;
    /** Lower-case plan name to plan. */
    final Map<String, EmulatedPricing> pricings = new LinkedHashMap<>();
    /** Setting name (canonical case) to enabled. */
    final Map<String, Boolean> settings = new LinkedHashMap<>();
    /** Lower-case ID to machine, sorted so list pages are stable. */
    final TreeMap<String, EmulatedMachine> vms = new TreeMap<>();
    final TreeMap<String, EmulatedMachine> arcMachines = new TreeMap<>();
    final Set<String> resourceGroups = new HashSet<>();

    EmulatedSubscription(String id) {
        this.id = id;
    }

    TreeMap<String, EmulatedMachine> machines(EmulatedMachine.Kind kind) {
        return kind == EmulatedMachine.Kind.VM ? vms : arcMachines;
    }

    EmulatedPricing pricing(String name) {
        return pricings.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}
