package com.mdeonboarding.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.decide.Estate;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.ReasonCode;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@link Estate.Counts} as stored in the reports table:
 * {@code {"machines":n,"standings":{..},"decisions":{..},"reasons":{..},"kinds":{"VM":{..},"ARC":{..}}}}.
 * Names this build does not know (written by a newer one) are left out rather than failing the read.
 */
final class EstateJson {
    private EstateJson() {
    }

    static String write(Estate.Counts c) {
        ObjectNode n = SweepReport.JSON.createObjectNode();
        n.put("machines", c.machines());
        put(n.putObject("standings"), c.standings());
        put(n.putObject("decisions"), c.decisions());
        put(n.putObject("reasons"), c.reasons());
        ObjectNode kinds = n.putObject("kinds");
        c.kinds().forEach((k, m) -> put(kinds.putObject(k.name()), m));
        return n.toString();
    }

    static Estate.Counts read(String json) {
        JsonNode n;
        try {
            n = SweepReport.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable estate counts: " + e.getOriginalMessage(), e);
        }
        Map<MachineKind, Map<Estate.Standing, Long>> kinds = new EnumMap<>(MachineKind.class);
        for (MachineKind k : MachineKind.values()) {
            if (n.path("kinds").has(k.name())) {
                kinds.put(k, read(n.path("kinds").path(k.name()), Estate.Standing.class));
            }
        }
        return new Estate.Counts(n.path("machines").asLong(), read(n.path("standings"), Estate.Standing.class),
                read(n.path("decisions"), DecisionKind.class), read(n.path("reasons"), ReasonCode.class), kinds);
    }

    private static <K extends Enum<K>> void put(ObjectNode into, Map<K, Long> m) {
        m.forEach((k, v) -> into.put(k.name(), v));
    }

    private static <K extends Enum<K>> Map<K, Long> read(JsonNode n, Class<K> type) {
        Map<K, Long> out = new EnumMap<>(type);
        for (K k : type.getEnumConstants()) {
            if (n.path(k.name()).canConvertToLong()) {
                out.put(k, n.path(k.name()).asLong());
            }
        }
        return out;
    }
}
