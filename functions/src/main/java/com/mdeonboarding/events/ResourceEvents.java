package com.mdeonboarding.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.Text;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
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
            }
        }
        return new Batch(List.copyOf(byMachine.values()), ignored, malformed);
    }

    private static Optional<MachineWrite> fromEventGrid(JsonNode node, String id, List<Skipped> ignored) {
        if (!node.isObject()) {
            throw new MalformedEvent("an event must be a JSON object");
        }
        return fromData(node.get("eventType"), node.get("data"), node.get("subject"), node.get("eventTime"), id, ignored);
    }

    private static Optional<MachineWrite> fromCloudEvent(JsonNode node, String id, List<Skipped> ignored) {
        if (!"1.0".equals(node.path("specversion").asText())) {
            throw new MalformedEvent("unsupported CloudEvents specversion '" + printable(node.path("specversion").asText()) + "'");
        }
        JsonNode data = node.get("data");
        if ((data == null || data.isNull()) && node.has("data_base64")) {
            data = decodeBase64(node.get("data_base64"));
        }
        return fromData(node.get("type"), data, node.get("subject"), node.get("time"), id, ignored);
    }

    /** The CloudEvents JSON format's other encoding of the data: base64 of the same JSON. */
    private static JsonNode decodeBase64(JsonNode encoded) {
        if (!encoded.isTextual()) {
            throw new MalformedEvent("data_base64 is not a string");
        }
        try {
            return JSON.readTree(Base64.getDecoder().decode(encoded.asText()));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new MalformedEvent("data_base64 is not base64 of JSON data");
        }
    }

    /**
     * Strict on what the app needs, the event type, the data's operation name and the machine (data.resourceUri, else the
     * subject); tolerant of everything else, which is read as JSON and never bound to a typed model: Azure has sent
     * authorization.evidence as an array, claims and httpRequest as strings or objects (Azure/azure-sdk-for-net #5189),
     * and an unreadable time only costs the ordering of duplicates.
     */
    private static Optional<MachineWrite> fromData(JsonNode type, JsonNode data, JsonNode subject, JsonNode time, String id,
                                                   List<Skipped> ignored) {
        if (type == null || !type.isTextual()) {
            throw new MalformedEvent("event has no event type");
        }
        boolean delete = EventFilter.DELETE_EVENT_TYPE.equalsIgnoreCase(type.asText());
        if (!EventFilter.EVENT_TYPE.equalsIgnoreCase(type.asText()) && !delete) {
            ignored.add(new Skipped(id, "event type '" + printable(type.asText()) + "' is not handled"));
            return Optional.empty();
        }
        if (data == null || data.isNull()) {
            throw new MalformedEvent("event has no data");
        }
        if (!data.isObject()) {
            throw new MalformedEvent("event data is not a JSON object");
        }
        JsonNode operation = data.get("operationName");
        if (operation == null || !operation.isTextual()) {
            throw new MalformedEvent("event data has no operationName");
        }
        if (delete) {
            return extensionDelete(data, subject, time, id, operation.asText(), ignored);
        }
        if (!EventFilter.accepts(operation.asText())) {
            // Extension writes (including our own), other resource types: not a machine write.
            ignored.add(new Skipped(id, "operation '" + printable(operation.asText()) + "' is not a machine write"));
            return Optional.empty();
        }
        JsonNode resourceUri = data.get("resourceUri");
        String uri = resourceUri != null && resourceUri.isTextual() ? resourceUri.asText()
                : subject != null && subject.isTextual() ? subject.asText() : null;
        MachineId machine = MachineId.tryParse(uri)
                .orElseThrow(() -> new MalformedEvent("resourceUri is not a VM or Arc machine ID: '" + printable(String.valueOf(uri)) + "'"));
        if (!operationMatches(machine, operation.asText())) {
            throw new MalformedEvent("operation '" + printable(operation.asText()) + "' does not match resource " + machine);
        }
        return Optional.of(new MachineWrite(machine, id, instant(time), operation.asText()));
    }

    /** A machine extension deleted: its machine may have lost MDE, so it is reconciled again. Other deletes are ignored. */
    private static Optional<MachineWrite> extensionDelete(JsonNode data, JsonNode subject, JsonNode time, String id, String operation,
                                                         List<Skipped> ignored) {
        if (!EventFilter.acceptsExtensionDelete(operation)) {
            ignored.add(new Skipped(id, "delete '" + printable(operation) + "' is not of a machine extension"));
            return Optional.empty();
        }
        JsonNode resourceUri = data.get("resourceUri");
        String uri = resourceUri != null && resourceUri.isTextual() ? resourceUri.asText()
                : subject != null && subject.isTextual() ? subject.asText() : "";
        int cut = uri.toLowerCase(java.util.Locale.ROOT).lastIndexOf("/extensions/");
        Optional<MachineId> machine = cut < 0 ? Optional.empty() : MachineId.tryParse(uri.substring(0, cut));
        if (machine.isEmpty() || uri.substring(cut + "/extensions/".length()).isEmpty() || uri.substring(cut + "/extensions/".length()).contains("/")) {
            throw new MalformedEvent("resourceUri is not a machine extension ID: '" + printable(uri) + "'");
        }
        boolean vm = operation.toLowerCase(java.util.Locale.ROOT).startsWith("microsoft.compute/");
        if (vm != (machine.get().kind() == MachineKind.VM)) {
            throw new MalformedEvent("operation '" + printable(operation) + "' does not match resource " + machine.get());
        }
        return Optional.of(new MachineWrite(machine.get(), id, instant(time), operation));
    }

    /** An event's time (ISO-8601 with an offset, or UTC without one); now when it has none that can be read. */
    private static Instant instant(JsonNode time) {
        if (time != null && time.isTextual()) {
            try {
                return OffsetDateTime.parse(time.asText()).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    return LocalDateTime.parse(time.asText()).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException ignored) {
                    // fall through
                }
            }
        }
        return Instant.now();
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
