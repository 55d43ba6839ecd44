package com.mdeonboarding.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.events.ResourceEvents;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of Event Grid deliveries for the hostile-input properties. Each {@link Delivery} carries the
 * oracle's answer: the machine keys that must be queued (valid ResourceWriteSuccess machine writes in scope, one
 * job per machine per delivery), nothing for anything else.
 */
final class HostileEvents {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final String WRITE_SUCCESS = "Microsoft.Resources.ResourceWriteSuccess";

    private HostileEvents() {
    }

    /** One event as text, and the machine key it must queue (null: none). */
    record Event(String json, String key, String label) {
        @Override
        public String toString() {
            return label + " " + HostileIds.Printable.of(json);
        }
    }

    /** One delivery (the trigger's input) and the keys that must be queued. */
    record Delivery(String body, Set<String> expected, List<String> labels) {
        @Override
        public String toString() {
            return labels + " expected " + expected + " body " + HostileIds.Printable.of(body);
        }
    }

    enum EventDefect {
        NONE, UNUSUAL_BUT_VALID, NO_SUBJECT, NULL_SUBJECT, NO_EVENT_TYPE, NULL_EVENT_TYPE, OTHER_EVENT_TYPE, NO_DATA, DATA_NOT_OBJECT,
        NO_DATA_VERSION, NO_OPERATION, OPERATION_WRONG_TYPE, OTHER_OPERATION, OPERATION_OF_OTHER_KIND, BAD_TIME,
        CLOUD_NO_ID, CLOUD_NO_SOURCE, CLOUD_NO_TYPE, CLOUD_BAD_SPECVERSION, CLOUD_DATA_BASE64, NOT_AN_OBJECT
    }

    static final List<String> OTHER_EVENT_TYPES = List.of("Microsoft.Resources.ResourceWriteFailure", "Microsoft.Resources.ResourceWriteCancel",
            "Microsoft.Resources.ResourceDeleteSuccess", "Microsoft.Resources.ResourceActionSuccess", "Microsoft.Resources.ResourceWriteSuccess ",
            " Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Resources.ResourceWriteSuccessX", "Microsoft.Resources.ResourceWrite\u200bSuccess",
            "Microsoft.EventGrid.SubscriptionValidationEvent", "Microsoft.Storage.BlobCreated", "", "ResourceWriteSuccess");
    static final List<String> OTHER_OPERATIONS = List.of("Microsoft.Compute/virtualMachines/extensions/write",
            "Microsoft.HybridCompute/machines/extensions/write", "Microsoft.Compute/virtualMachines/delete",
            "Microsoft.HybridCompute/machines/delete", "Microsoft.Compute/virtualMachines/runCommand/action",
            "Microsoft.HybridCompute/machines/runCommands/write", "Microsoft.Compute/virtualMachines/start/action",
            "Microsoft.Storage/storageAccounts/write", "Microsoft.Security/pricings/write", "Microsoft.Compute/virtualMachines/write/",
            "Microsoft.Compute/virtualMachines/write ", "Microsoft.Compute/virtualMachineScaleSets/write", "Microsoft.Compute/virtualMachines/writ",
            "Microsoft.Compute/virtualMachines/write\n", "", "write");
    static final List<String> BAD_TIMES = List.of("yesterday", "2026-11-28", "2026-13-45T99:99:99Z", "28/11/2026 10:00", "now", "0", "NaN",
            "2026-11-28 10:00:00Z", "\u0000");

    private static String op(String key) {
        return key.contains("/microsoft.compute/") ? "Microsoft.Compute/virtualMachines/write" : "Microsoft.HybridCompute/machines/write";
    }

    private static String opFor(String idText) {
        return idText.toLowerCase(Locale.ROOT).contains("microsoft.hybridcompute/machines/") ? "Microsoft.HybridCompute/machines/write"
                : "Microsoft.Compute/virtualMachines/write";
    }

    private static ObjectNode data(String resourceUri, String operation, Random r) {
        ObjectNode d = F.objectNode();
        if (resourceUri != null) {
            d.put("resourceUri", resourceUri);
        }
        d.put("operationName", operation);
        d.put("status", "Succeeded");
        d.put("resourceProvider", operation.contains("Hybrid") ? "Microsoft.HybridCompute" : "Microsoft.Compute");
        d.put("subscriptionId", UUID.randomUUID().toString());
        d.put("tenantId", ReliabilityWorld.TENANT);
        d.put("correlationId", UUID.randomUUID().toString());
        d.putObject("authorization").put("scope", String.valueOf(resourceUri)).put("action", operation);
        d.putObject("claims").put("appid", UUID.randomUUID().toString());
        return d;
    }

    /** A well-formed event about {@code id} (valid or not), in one of the two schemas. */
    static ObjectNode event(HostileIds.IdCase id, boolean cloud, Random r) {
        String operation = id.valid() ? op(id.key()) : opFor(id.text());
        if (r.nextInt(4) == 0) {
            operation = HostileIds.recase(operation, r);
        }
        ObjectNode e = F.objectNode();
        if (cloud) {
            e.put("specversion", "1.0");
            e.put("id", UUID.randomUUID().toString());
            e.put("source", "/subscriptions/" + UUID.randomUUID());
            e.put("type", WRITE_SUCCESS);
            e.put("subject", id.text());
            e.put("time", "2026-11-28T10:00:00.1234567Z");
        } else {
            e.put("id", UUID.randomUUID().toString());
            e.put("topic", "/subscriptions/" + UUID.randomUUID());
            e.put("subject", id.text());
            e.put("eventType", r.nextInt(4) == 0 ? HostileIds.recase(WRITE_SUCCESS, r) : WRITE_SUCCESS);
            e.put("eventTime", "2026-11-28T10:00:00Z");
            e.put("dataVersion", "2");
            e.put("metadataVersion", "1");
        }
        e.set("data", data(id.text(), operation, r));
        return e;
    }

    private static String typeField(ObjectNode e) {
        return e.has("specversion") ? "type" : "eventType";
    }

    private static String timeField(ObjectNode e) {
        return e.has("specversion") ? "time" : "eventTime";
    }

    /** Applies one defect. Returns the JSON text and whether the event may still queue its machine. */
    static Event build(HostileIds.IdCase id, boolean cloud, EventDefect defect, Random r) {
        ObjectNode e = event(id, cloud, r);
        ObjectNode data = (ObjectNode) e.get("data");
        boolean stillValid = false;
        switch (defect) {
            case NONE -> stillValid = true;
            case UNUSUAL_BUT_VALID -> {
                stillValid = true;
                switch (r.nextInt(9)) {
                    case 0 -> data.remove("resourceUri"); // the subject names the machine
                    case 1 -> e.put("subject", "/not/the/resource/" + r.nextInt()); // resourceUri wins
                    case 2 -> {
                        if (cloud) {
                            e.put("id", ""); // CloudEvents requires an id; an empty one is still one
                        } else {
                            e.remove("id"); // Event Grid's id only labels log lines
                        }
                    }
                    case 3 -> e.put("id", r.nextInt());
                    case 4 -> e.put("id", "id-\u0000\n\r\u001b[31m-\u202e-" + "x".repeat(r.nextInt(5000)));
                    case 5 -> e.remove(timeField(e));
                    case 6 -> e.put(timeField(e), pick(List.of("2026-11-28T10:00:00+02:00", "2026-11-28T10:00:00.1Z", "1970-01-01T00:00:00Z",
                            "2999-12-31T23:59:59.9999999Z", cloud ? "2026-11-28T10:00:00Z"
                                    : "2026-11-28T10:00:00" /* no offset: the Event Grid SDK reads UTC (its CloudEvent reader refuses it) */), r));
                    case 7 -> e.put("padding" + r.nextInt(100), "\u00e9\u2028\u0000".repeat(r.nextInt(30_000)));
                    default -> {
                        data.put("extra", "p".repeat(r.nextInt(100_000)));
                        ObjectNode n = data.putObject("nested");
                        for (int i = 0; i < r.nextInt(50); i++) {
                            n = n.putObject("n");
                        }
                    }
                }
            }
            case NO_SUBJECT -> {
                if (cloud) {
                    data.remove("resourceUri"); // CloudEvents may omit the subject; then nothing names the machine
                }
                e.remove("subject");
                stillValid = !cloud; // the Event Grid event still names it in data.resourceUri
            }
            case NULL_SUBJECT -> {
                if (cloud) {
                    data.remove("resourceUri");
                }
                e.putNull("subject");
                stillValid = !cloud;
            }
            case NO_EVENT_TYPE -> e.remove(typeField(e));
            case NULL_EVENT_TYPE -> e.putNull(typeField(e));
            case OTHER_EVENT_TYPE -> {
                if (r.nextBoolean()) {
                    e.put(typeField(e), pick(OTHER_EVENT_TYPES, r));
                } else {
                    e.put(typeField(e), r.nextInt());
                }
            }
            case NO_DATA -> e.remove("data");
            case DATA_NOT_OBJECT -> {
                switch (r.nextInt(5)) {
                    case 0 -> e.put("data", data.toString());
                    case 1 -> e.put("data", r.nextInt());
                    case 2 -> e.set("data", F.arrayNode().add(data));
                    case 3 -> e.put("data", true);
                    default -> e.putNull("data");
                }
            }
            case NO_DATA_VERSION -> {
                if (cloud) {
                    e.remove("id"); // (CloudEvents has no dataVersion: take away its id instead)
                } else {
                    e.remove("dataVersion");
                }
                stillValid = true; // neither is what the app needs (issue 14: tolerant of everything it does not need)
            }
            case NO_OPERATION -> data.remove("operationName");
            case OPERATION_WRONG_TYPE -> {
                switch (r.nextInt(4)) {
                    case 0 -> data.set("operationName", F.arrayNode().add(data.get("operationName").asText()));
                    case 1 -> data.set("operationName", F.objectNode().put("value", data.get("operationName").asText()));
                    case 2 -> data.putNull("operationName");
                    default -> data.put("operationName", true);
                }
            }
            case OTHER_OPERATION -> data.put("operationName", pick(OTHER_OPERATIONS, r));
            case OPERATION_OF_OTHER_KIND -> data.put("operationName", opFor(id.text()).contains("Hybrid")
                    ? "Microsoft.Compute/virtualMachines/write" : "Microsoft.HybridCompute/machines/write");
            case BAD_TIME -> {
                if (r.nextBoolean()) {
                    e.put(timeField(e), pick(BAD_TIMES, r));
                } else {
                    e.put(timeField(e), r.nextLong());
                }
                stillValid = true; // the time only orders duplicates of one delivery
            }
            case CLOUD_NO_ID -> {
                if (cloud) {
                    e.remove("id");
                } else {
                    e.remove("subject");
                }
                stillValid = true; // the id labels log lines; data.resourceUri names the machine
            }
            case CLOUD_NO_SOURCE -> {
                if (cloud) {
                    e.remove("source");
                } else {
                    e.remove("dataVersion");
                }
                stillValid = true;
            }
            case CLOUD_NO_TYPE -> e.remove(typeField(e));
            case CLOUD_BAD_SPECVERSION -> {
                e.remove("specversion");
                // Field order does not matter to JSON; specversion first makes it a CloudEvent for the parser.
                ObjectNode c = F.objectNode().put("specversion", pick(List.of("0.3", "2.0", "1", "1.0.0", "", "v1.0"), r));
                c.setAll(e);
                c.remove("eventType");
                c.put("type", WRITE_SUCCESS);
                c.put("source", "/subscriptions/x");
                return new Event(c.toString(), null, "event " + defect);
            }
            case CLOUD_DATA_BASE64 -> {
                if (cloud) {
                    // The CloudEvents spec's other encoding of the same data: still the same event.
                    e.remove("data");
                    e.put("data_base64", java.util.Base64.getEncoder().encodeToString(data.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    stillValid = true;
                } else {
                    e.remove("data");
                }
            }
            case NOT_AN_OBJECT -> {
                return new Event(pick(List.of("null", "1", "\"" + id.text().replace("\\", "\\\\").replace("\"", "\\\"")
                        .replaceAll("\\p{Cntrl}", "") + "\"", "[]", "true", "[[" + e + "]]"), r), null, "event " + defect);
            }
        }
        String key = stillValid && id.queues() ? id.key() : null;
        return new Event(e.toString(), key, (cloud ? "cloud " : "") + "event " + defect + " / id " + id.label());
    }

    private static <T> T pick(List<T> l, Random r) {
        return l.get(r.nextInt(l.size()));
    }

    static Arbitrary<Event> events() {
        Arbitrary<EventDefect> defects = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(EventDefect.NONE)),
                Tuple.of(3, Arbitraries.just(EventDefect.UNUSUAL_BUT_VALID)),
                Tuple.of(8, Arbitraries.of(EventDefect.values())));
        return Combinators.combine(HostileIds.any(), Arbitraries.integers().between(0, 3), defects, Arbitraries.longs())
                .as((id, schema, defect, seed) -> build(id, schema == 0, defect, new Random(seed)));
    }

    enum DeliveryShape {
        ARRAY, SINGLE, TRAILING_CONTENT, DUPLICATE_KEY, TOO_LARGE, NEAR_LIMIT, TOO_DEEP, TRUNCATED, GARBAGE, SCALAR
    }

    static Arbitrary<Delivery> deliveries() {
        Arbitrary<DeliveryShape> shapes = Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.just(DeliveryShape.ARRAY)),
                Tuple.of(15, Arbitraries.just(DeliveryShape.SINGLE)),
                Tuple.of(5, Arbitraries.just(DeliveryShape.TRAILING_CONTENT)),
                Tuple.of(5, Arbitraries.just(DeliveryShape.DUPLICATE_KEY)),
                Tuple.of(2, Arbitraries.just(DeliveryShape.TOO_LARGE)),
                Tuple.of(2, Arbitraries.just(DeliveryShape.NEAR_LIMIT)),
                Tuple.of(3, Arbitraries.just(DeliveryShape.TOO_DEEP)),
                Tuple.of(5, Arbitraries.just(DeliveryShape.TRUNCATED)),
                Tuple.of(5, Arbitraries.just(DeliveryShape.GARBAGE)),
                Tuple.of(3, Arbitraries.just(DeliveryShape.SCALAR)));
        Arbitrary<String> garbage = Arbitraries.strings().all().ofMaxLength(200);
        return Combinators.combine(shapes, events().list().ofMinSize(0).ofMaxSize(5), garbage, Arbitraries.longs())
                .as((shape, events, junk, seed) -> delivery(shape, events, junk, new Random(seed)));
    }

    private static String array(List<Event> events) {
        return "[" + String.join(",", events.stream().map(Event::json).toList()) + "]";
    }

    private static Set<String> keys(List<Event> events) {
        Set<String> out = new LinkedHashSet<>();
        events.stream().map(Event::key).filter(k -> k != null).forEach(out::add);
        return out;
    }

    static Delivery delivery(DeliveryShape shape, List<Event> events, String junk, Random r) {
        Delivery d = shaped(shape, events, junk, r);
        // A delivery over Event Grid's 1 MB is refused whole, whatever it holds.
        return d.body().length() > ResourceEvents.MAX_BODY_CHARS ? new Delivery(d.body(), Set.of(), d.labels()) : d;
    }

    private static Delivery shaped(DeliveryShape shape, List<Event> events, String junk, Random r) {
        List<String> labels = new ArrayList<>();
        labels.add(shape.name());
        events.forEach(e -> labels.add(e.label()));
        Set<String> none = Set.of();
        return switch (shape) {
            case ARRAY -> new Delivery(array(events), keys(events), labels);
            case SINGLE -> events.isEmpty() ? new Delivery("{}", none, labels)
                    : new Delivery(events.get(0).json(), keys(events.subList(0, 1)), List.of(shape.name(), events.get(0).label()));
            case TRAILING_CONTENT -> new Delivery(array(events) + pick(List.of("x", "]", ",{}", " {\"a\":1}", "[]", array(events), "\u0000"), r),
                    none, labels);
            case DUPLICATE_KEY -> {
                // A second "subject"/"resourceUri" member in one event: not a JSON text any parser must read one way.
                String body = array(events).replaceFirst("\"subject\":", "\"subject\":\"/subscriptions/x\",\"subject\":");
                if (!body.contains("\"subject\":\"/subscriptions/x\"")) {
                    body = "[{\"id\":\"a\",\"id\":\"b\"}" + (events.isEmpty() ? "" : "," + array(events).substring(1, array(events).length() - 1)) + "]";
                }
                yield new Delivery(body, none, labels);
            }
            case TOO_LARGE -> new Delivery("[" + String.join(",", events.stream().map(Event::json).toList())
                    + (events.isEmpty() ? "" : ",") + "{\"padding\":\"" + "x".repeat(ResourceEvents.MAX_BODY_CHARS) + "\"}]", none, labels);
            case NEAR_LIMIT -> {
                // Just under the limit: still read, and the padding event is malformed on its own.
                String head = array(events);
                int room = ResourceEvents.MAX_BODY_CHARS - head.length() - 40;
                String body = head.substring(0, head.length() - 1) + (events.isEmpty() ? "" : ",") + "{\"padding\":\""
                        + "x".repeat(Math.max(0, room)) + "\"}]";
                yield new Delivery(body, keys(events), labels);
            }
            case TOO_DEEP -> {
                int depth = 1_100 + r.nextInt(20_000);
                String bomb = "[".repeat(depth) + "]".repeat(depth);
                String body = events.isEmpty() ? bomb : array(events).substring(0, array(events).length() - 1) + "," + bomb + "]";
                yield new Delivery(body, none, labels);
            }
            case TRUNCATED -> {
                String full = array(events);
                yield new Delivery(full.substring(0, r.nextInt(Math.max(1, full.length() - 1))), none, labels);
            }
            case GARBAGE -> new Delivery(junk, none, List.of(shape.name()));
            case SCALAR -> new Delivery(pick(List.of("null", "true", "0", "-1e999", "\"x\"", "[]", "{}", "[null]", "[1,\"a\",[],{}]", " ", "",
                    "\uFEFF[]", "[[]]", "{\"0\":{}}"), r), none, List.of(shape.name()));
        };
    }

}
