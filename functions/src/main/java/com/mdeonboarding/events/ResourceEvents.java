package com.mdeonboarding.events;

import com.azure.core.models.CloudEvent;
import com.azure.core.util.BinaryData;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.azure.messaging.eventgrid.systemevents.ResourceWriteSuccessEventData;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.Text;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an Event Grid delivery (Event Grid schema or CloudEvents 1.0; one event or a batch) into the
 * machines that were written. Each event is judged on its own: a malformed one is reported with its id
 * and skipped, never failing the batch. Events for the same machine collapse into one.
 */
public final class ResourceEvents {
    /** Event Grid delivers at most 1 MB per batch; anything bigger is not a delivery. */
    public static final int MAX_BODY_CHARS = 1_048_576;
    /**
     * Strict: content after the delivery's JSON value, or a member named twice in one object, makes the delivery
     * not JSON (Event Grid sends neither; a lenient reader would act on whichever copy it happened to keep).
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ResourceEvents() {
    }

    public record MachineWrite(MachineId machine, String eventId, Instant eventTime, String operationName) {
    }

    public record Skipped(String eventId, String reason) {
    }

    public record Batch(List<MachineWrite> machines, List<Skipped> ignored, List<Skipped> malformed) {
    }

    public static Batch parse(String body) {
        List<Skipped> ignored = new ArrayList<>();
        List<Skipped> malformed = new ArrayList<>();
        Map<String, MachineWrite> byMachine = new LinkedHashMap<>();
        if (body == null || body.isBlank()) {
            malformed.add(new Skipped("?", "empty delivery"));
            return new Batch(List.of(), ignored, malformed);
        }
        if (body.length() > MAX_BODY_CHARS) {
            malformed.add(new Skipped("?", "delivery larger than " + MAX_BODY_CHARS + " characters"));
            return new Batch(List.of(), ignored, malformed);
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            malformed.add(new Skipped("?", "delivery is not JSON"));
            return new Batch(List.of(), ignored, malformed);
        }
        List<JsonNode> events = new ArrayList<>();
        if (root != null && root.isArray()) {
            root.forEach(events::add);
        } else if (root != null && root.isObject()) {
            events.add(root);
        } else {
            malformed.add(new Skipped("?", "delivery is neither an event nor an array of events"));
        }
        for (JsonNode node : events) {
            String id = node.isObject() && node.path("id").isTextual() ? printable(node.path("id").asText()) : "?";
            try {
                Optional<MachineWrite> write = node.has("specversion") ? fromCloudEvent(node, id, ignored) : fromEventGrid(node, id, ignored);
                write.ifPresent(w -> byMachine.merge(w.machine().key(), w,
                        (a, b) -> b.eventTime().isAfter(a.eventTime()) ? b : a));
            } catch (MalformedEvent e) {
                malformed.add(new Skipped(id, e.getMessage()));
            } catch (RuntimeException e) {
                // The SDK's own validation (missing required fields, wrong types).
                malformed.add(new Skipped(id, "not a valid event: " + printable(String.valueOf(e.getMessage()))));
            }
        }
        return new Batch(List.copyOf(byMachine.values()), ignored, malformed);
    }

    private static Optional<MachineWrite> fromEventGrid(JsonNode node, String id, List<Skipped> ignored) {
        if (!node.isObject()) {
            throw new MalformedEvent("an event must be a JSON object");
        }
        EventGridEvent e = EventGridEvent.fromString(node.toString()).get(0);
        return fromData(e.getEventType(), e.getData(), e.getSubject(), e.getEventTime(), id, ignored);
    }

    private static Optional<MachineWrite> fromCloudEvent(JsonNode node, String id, List<Skipped> ignored) {
        if (!"1.0".equals(node.path("specversion").asText())) {
            throw new MalformedEvent("unsupported CloudEvents specversion '" + printable(node.path("specversion").asText()) + "'");
        }
        CloudEvent e = CloudEvent.fromString(node.toString()).get(0);
        return fromData(e.getType(), e.getData(), e.getSubject(), e.getTime(), id, ignored);
    }

    private static Optional<MachineWrite> fromData(String type, BinaryData data, String subject, OffsetDateTime time, String id,
                                                   List<Skipped> ignored) {
        if (!EventFilter.EVENT_TYPE.equalsIgnoreCase(type)) {
            ignored.add(new Skipped(id, "event type '" + printable(String.valueOf(type)) + "' is not handled"));
            return Optional.empty();
        }
        if (data == null) {
            throw new MalformedEvent("event has no data");
        }
        ResourceWriteSuccessEventData d;
        try {
            d = data.toObject(ResourceWriteSuccessEventData.class);
        } catch (RuntimeException ex) {
            throw new MalformedEvent("event data is not ResourceWriteSuccess data");
        }
        if (d == null || d.getOperationName() == null) {
            throw new MalformedEvent("event data has no operationName");
        }
        if (!EventFilter.accepts(d.getOperationName())) {
            // Extension writes (including our own), other resource types: not a machine write.
            ignored.add(new Skipped(id, "operation '" + printable(d.getOperationName()) + "' is not a machine write"));
            return Optional.empty();
        }
        String uri = d.getResourceUri() != null ? d.getResourceUri() : subject;
        MachineId machine = MachineId.tryParse(uri)
                .orElseThrow(() -> new MalformedEvent("resourceUri is not a VM or Arc machine ID: '" + printable(String.valueOf(uri)) + "'"));
        if (!operationMatches(machine, d.getOperationName())) {
            throw new MalformedEvent("operation '" + printable(d.getOperationName()) + "' does not match resource " + machine);
        }
        Instant at = time == null ? Instant.now() : time.toInstant();
        return Optional.of(new MachineWrite(machine, id, at, d.getOperationName()));
    }

    private static boolean operationMatches(MachineId machine, String operation) {
        String expected = machine.kind() == MachineKind.VM
                ? "Microsoft.Compute/virtualMachines/write" : "Microsoft.HybridCompute/machines/write";
        return expected.equalsIgnoreCase(operation);
    }

    /** For log lines: hostile event text is escaped and capped. */
    static String printable(String s) {
        return Text.printable(s);
    }

    private static final class MalformedEvent extends RuntimeException {
        MalformedEvent(String message) {
            super(message);
        }
    }
}
