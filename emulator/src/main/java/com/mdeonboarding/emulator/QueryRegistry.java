package com.mdeonboarding.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Resource Graph queries the emulator understands, by marker name. Built in:
 * <ul>
 * <li>{@code machines-v1}: one row per VM and Arc machine, ordered by id: id, name, type, subscriptionId,
 * resourceGroup, location, tags, osType, mdeExtensionName, mdeExtensionState (the MDE.Windows /
 * MDE.Linux extension's provisioningState, or null).</li>
 * <li>{@code subscriptions-v1}: one row per subscription in scope: subscriptionId, name, state (with a
 * {@code managementGroups} scope, the group's members).</li>
 * <li>{@code pricings-v1}: one row per subscription: subscriptionId, pricingTier, subPlan, enforce,
 * extensions (the VirtualMachines plan's extensions array, null when it has none).</li>
 * </ul>
 */
final class QueryRegistry {
    static final Pattern MARKER = Pattern.compile("^\\s*//\\s*mde-onboarding:([A-Za-z0-9._-]+)\\s*$");
    private final Map<String, ResourceGraphQuery> queries = new ConcurrentSkipListMap<>();

    QueryRegistry() {
        queries.put("machines-v1", QueryRegistry::machines);
        queries.put("pricings-v1", QueryRegistry::pricings);
        queries.put("subscriptions-v1", QueryRegistry::subscriptions);
    }

    void register(String name, ResourceGraphQuery query) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("query names use letters, digits, '.', '_' and '-': " + name);
        }
        queries.put(name.toLowerCase(Locale.ROOT), query);
    }

    List<String> names() {
        return new ArrayList<>(queries.keySet());
    }

    /** The marker name on the query's first non-blank line, or null. */
    static String markerOf(String query) {
        for (String line : query.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = MARKER.matcher(line);
            return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
        }
        return null;
    }

    ResourceGraphQuery get(String name) {
        return queries.get(name);
    }

    private static List<Map<String, Object>> machines(TenantState state, List<String> subscriptionIds) {
        return state.store().read(v -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String sub : subscriptionIds) {
                EmulatedSubscription s = v.subscription(sub);
                if (s == null) {
                    continue;
                }
                for (EmulatedMachine.Kind kind : EmulatedMachine.Kind.values()) {
                    for (EmulatedMachine m : v.machines(s, kind).values()) {
                        Map<String, Object> row = new LinkedHashMap<>(16);
                        row.put("id", m.id);
                        row.put("name", m.name);
                        row.put("type", m.type().toLowerCase(Locale.ROOT));
                        row.put("subscriptionId", m.subscriptionId);
                        row.put("resourceGroup", m.resourceGroup);
                        row.put("location", m.location);
                        row.put("tags", m.tags);
                        row.put("osType", m.osType);
                        EmulatedExtension mde = m.mdeExtension();
                        row.put("mdeExtensionName", mde == null ? null : mde.name);
                        row.put("mdeExtensionState", mde == null ? null : mde.provisioningState);
                        rows.add(row);
                    }
                }
            }
            // As the app's KQL: "order by id asc" (ordinal, like Kusto string ordering).
            rows.sort(java.util.Comparator.comparing(r -> (String) r.get("id")));
            return rows;
        });
    }

    private static List<Map<String, Object>> subscriptions(TenantState state, List<String> subscriptionIds) {
        return state.store().read(v -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String sub : subscriptionIds) {
                EmulatedSubscription s = v.subscription(sub);
                if (s != null) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("subscriptionId", s.id);
                    row.put("name", s.displayName);
                    row.put("state", s.state);
                    rows.add(row);
                }
            }
            return rows;
        });
    }

    private static List<Map<String, Object>> pricings(TenantState state, List<String> subscriptionIds) {
        return state.store().read(v -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String sub : subscriptionIds) {
                EmulatedSubscription s = v.subscription(sub);
                if (s == null) {
                    continue;
                }
                EmulatedPricing p = s.pricing("VirtualMachines");
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("subscriptionId", s.id);
                row.put("pricingTier", p.pricingTier);
                row.put("subPlan", p.subPlan);
                row.put("enforce", p.enforce);
                row.put("extensions", p.extensions == null ? null : Json.toListOfMaps(p.extensions)); // as properties.extensions
                rows.add(row);
            }
            return rows;
        });
    }
}
