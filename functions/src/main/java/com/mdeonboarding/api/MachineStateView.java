package com.mdeonboarding.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.storage.MachineStateStore;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.model.Sensor;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the state store knows about one machine, as JSON: the latest decision with each reason code's
 * operator sentence, extension state, failures, the Defender for Endpoint sensor, and recent history. Shared by the HTTP API and the CLI.
 * Absent values are {@code null}, so the document always has the same members.
 */
public final class MachineStateView {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MachineStateView() {
    }

    public static ObjectNode toJson(MachineRecord s, List<MachineStateStore.HistoryEntry> history) {
        ObjectNode n = JSON.createObjectNode();
        n.put("resourceId", s.machine().id());
        n.put("kind", s.machine().kind() == MachineKind.VM ? "virtualMachine" : "arcMachine");
        n.put("decision", s.kind().name());
        ArrayNode reasons = n.putArray("reasons");
        for (ReasonCode r : s.reasons()) {
            reasons.addObject().put("code", r.name()).put("sentence", r.sentence());
        }
        n.put("detail", s.detail().orElse(null));
        n.put("extensionState", s.extension().provisioningState().orElse(null));
        n.put("extensionFailures", s.extension().failures());
        n.put("lastDeployAt", time(s.extension().lastDeployAt()));
        if (s.guestCheck().isPresent()) {
            ObjectNode g = n.putObject("guestCheck");
            g.put("ran", s.guestCheck().get().ran());
            ArrayNode f = g.putArray("findings");
            s.guestCheck().get().findings().forEach(c -> f.add(c.name()));
            g.put("checkedAt", s.guestCheck().get().checkedAt().toString());
            g.put("summary", s.guestCheck().get().summary());
        } else {
            n.putNull("guestCheck");
        }
        MachineRecord.ExtensionHistory ext = s.extension();
        if (ext.sensor().isPresent() || ext.succeededSince().isPresent() || ext.reOnboardedAt().isPresent()) {
            ObjectNode sensor = sensor(n.putObject("sensor"), ext.sensor());
            sensor.put("extensionSucceededSince", time(ext.succeededSince()));
            sensor.put("reOnboardedAt", time(ext.reOnboardedAt()));
        } else {
            n.putNull("sensor");
        }
        n.put("observedAt", s.written().observedAt().toString());
        n.put("updatedAt", s.written().updatedAt().toString());
        n.put("correlationId", s.written().correlationId());
        n.put("source", s.written().source());
        n.put("attempt", s.written().attempt());
        ArrayNode h = n.putArray("history");
        for (MachineStateStore.HistoryEntry e : history) {
            ObjectNode x = h.addObject();
            x.put("at", e.at().toString());
            x.put("decision", e.decision());
            ArrayNode codes = x.putArray("reasons");
            e.reasons().forEach(r -> codes.add(r.name()));
            x.put("detail", e.detail().isEmpty() ? null : e.detail());
            x.put("extensionState", e.extensionState().isEmpty() ? null : e.extensionState());
            ArrayNode actions = x.putArray("actions");
            Arrays.stream(e.actions().split(",")).map(String::trim).filter(a -> !a.isEmpty()).forEach(actions::add);
            x.put("correlationId", e.correlationId());
            x.put("source", e.source().isEmpty() ? null : e.source());
            x.put("attempt", e.attempt());
            if (e.sensor().isPresent()) {
                sensor(x.putObject("sensor"), e.sensor());
            } else {
                x.putNull("sensor");
            }
        }
        return n;
    }

    /**
     * The machine's Defender for Endpoint sensor when last looked at: verified (the API answered), the device record seen
     * last (ID, onboarding and health status, last full report) and how many records name the machine.
     */
    private static ObjectNode sensor(ObjectNode o, Optional<Sensor> sensor) {
        o.put("verified", sensor.map(Sensor::verified).orElse(false));
        o.put("deviceId", sensor.flatMap(Sensor::deviceId).orElse(null));
        o.put("onboardingStatus", sensor.flatMap(Sensor::onboardingStatus).orElse(null));
        o.put("healthStatus", sensor.flatMap(Sensor::healthStatus).orElse(null));
        o.put("lastSeen", time(sensor.flatMap(Sensor::lastSeen)));
        o.put("records", sensor.map(Sensor::records).orElse(0));
        return o;
    }

    private static String time(Optional<Instant> t) {
        return t.map(Instant::toString).orElse(null);
    }
}
