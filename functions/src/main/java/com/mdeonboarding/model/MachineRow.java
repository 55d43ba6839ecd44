package com.mdeonboarding.model;

import java.util.Map;
import java.util.Optional;

/**
 * One machine as a sweep sees it in Resource Graph: no instance view, only what the resources table holds.
 *
 * @param id             the machine
 * @param tags           its tags
 * @param extensionState the MDE extension's provisioning state, empty when it has none
 */
public record MachineRow(MachineId id, Map<String, String> tags, Optional<String> extensionState) {
    public MachineRow {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
