package com.mdeonboarding.emulator.state;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One subscription: its own properties, Defender plans and settings. Its machines are indexed by
 * the {@link ResourceStore}. Reachable only through a store view, so only under the store's lock.
 */
public final class EmulatedSubscription {
    public final String id;
    public String displayName;
    public String state;
    public Map<String, String> tags;
    /** Lower-case plan name to plan, in Pricings_List order. */
    private final Map<String, EmulatedPricing> pricings = new LinkedHashMap<>();
    /** Setting name (canonical case) to enabled, in Settings_List order. */
    private final Map<String, Boolean> settings = new LinkedHashMap<>();
    /** Settings Settings_List leaves out though Settings_Get returns them (canonical names). */
    private final Set<String> unlisted = new HashSet<>();

    public EmulatedSubscription(String id) {
        this.id = id;
    }

    /** The plan of that name (case-insensitive), or null. */
    public EmulatedPricing pricing(String name) {
        return pricings.get(name.toLowerCase(Locale.ROOT));
    }

    public Collection<EmulatedPricing> pricings() {
        return Collections.unmodifiableCollection(pricings.values());
    }

    /** Adds or replaces the plan of {@code p.name}. */
    public void putPricing(EmulatedPricing p) {
        pricings.put(p.name.toLowerCase(Locale.ROOT), p);
    }

    /** Setting name (canonical case) to enabled. */
    public Map<String, Boolean> settings() {
        return Collections.unmodifiableMap(settings);
    }

    public boolean setting(String canonicalName) {
        return Boolean.TRUE.equals(settings.get(canonicalName));
    }

    public void setSetting(String canonicalName, boolean enabled) {
        settings.put(canonicalName, enabled);
    }

    /** Whether Settings_List shows the setting (Microsoft's own Settings_List example leaves WDATP_UNIFIED_SOLUTION out). */
    public boolean listed(String canonicalName) {
        return !unlisted.contains(canonicalName);
    }

    public void setListed(String canonicalName, boolean listed) {
        if (listed) {
            unlisted.remove(canonicalName);
        } else {
            unlisted.add(canonicalName);
        }
    }
}
