package com.mdeonboarding.model;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A subscription's integration settings as read: each setting's value, or empty when the subscription does not have it.
 *
 * @param values what was read, per setting (a missing key: the setting does not exist)
 * @param readAt when they were read
 */
public record IntegrationSettings(Map<IntegrationSetting, Boolean> values, Instant readAt) {
    public IntegrationSettings {
        EnumMap<IntegrationSetting, Boolean> copy = new EnumMap<>(IntegrationSetting.class);
        copy.putAll(values);
        values = Map.copyOf(copy);
    }

    public Optional<Boolean> value(IntegrationSetting s) {
        return Optional.ofNullable(values.get(s));
    }

    public boolean satisfied(IntegrationSetting s) {
        return s.satisfiedBy(value(s));
    }

    /** The same settings with one changed (after our own write). */
    public IntegrationSettings with(IntegrationSetting s, boolean value) {
        Map<IntegrationSetting, Boolean> copy = new EnumMap<>(IntegrationSetting.class);
        copy.putAll(values);
        copy.put(s, value);
        return new IntegrationSettings(copy, readAt);
    }
}
