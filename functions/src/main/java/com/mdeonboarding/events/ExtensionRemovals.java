package com.mdeonboarding.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.model.ExtensionRemoval;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.Text;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads MDE extension removals from Resource Manager delete events ({@code Microsoft.Resources.ResourceDeleteSuccess},
 * operation {@code Microsoft.Compute/virtualMachines/extensions/delete} or
 * {@code Microsoft.HybridCompute/machines/extensions/delete}), Event Grid or CloudEvents schema, for change control
 * ({@link com.mdeonboarding.decide.ChangeControl}). Who removed it comes from the data's {@code claims} (the schema of
 * ResourceDeleteSuccessEventData: learn.microsoft.com/javascript/api/@azure/eventgrid-system-events/resourcedeletesuccesseventdata,
 * and the subscription event samples in learn.microsoft.com/azure/event-grid/event-schema-subscriptions): the user principal
 * name claim, else the name claims, else the application ID; and the principal type from {@code authorization.evidence}.
 * Claims arrive as an object or as a JSON string, evidence as an object or an empty array (Azure/azure-sdk-for-net #5189);
 * both are read. Anything else in the delivery is ignored here ({@link ResourceEvents} handles machine writes).
 */
public final class ExtensionRemovals {
    public static final String EVENT_TYPE = "Microsoft.Resources.ResourceDeleteSuccess";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXTENSION = Pattern.compile(
            "^(/subscriptions/[^/]+/resourceGroups/[^/]+/providers/(?:Microsoft\\.Compute/virtualMachines|Microsoft\\.HybridCompute/machines)/[^/]+)"
                    + "/extensions/([^/]+)$", Pattern.CASE_INSENSITIVE);
    static final String UPN = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
    static final String NAME = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";

    private ExtensionRemovals() {
    }

    /** The MDE extension removals in one delivery (an event or an array of events); anything unreadable is skipped. */
    public static List<ExtensionRemoval> parse(String body) {
        List<ExtensionRemoval> out = new ArrayList<>();
        if (body == null || body.isBlank() || body.length() > ResourceEvents.MAX_BODY_CHARS) {
            return out;
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            return out;
        }
        List<JsonNode> events = new ArrayList<>();
        if (root != null && root.isArray()) {
            root.forEach(events::add);
        } else if (root != null && root.isObject()) {
            events.add(root);
        }
        for (JsonNode e : events) {
            fromEvent(e).ifPresent(out::add);
        }
        return out;
    }

    /** One event: a removal of MDE.Windows or MDE.Linux, or empty. */
    public static Optional<ExtensionRemoval> fromEvent(JsonNode e) {
        if (e == null || !e.isObject()) {
            return Optional.empty();
        }
        boolean cloud = e.has("specversion");
        String type = e.path(cloud ? "type" : "eventType").asText("");
        JsonNode data = e.path("data");
        if (!EVENT_TYPE.equalsIgnoreCase(type) || !data.isObject()) {
            return Optional.empty();
        }
        String operation = data.path("operationName").asText("");
        if (!operation.toLowerCase(Locale.ROOT).endsWith("/extensions/delete")) {
            return Optional.empty();
        }
        String uri = data.path("resourceUri").isTextual() ? data.path("resourceUri").asText() : e.path("subject").asText("");
        Matcher m = EXTENSION.matcher(uri);
        if (!m.matches()) {
            return Optional.empty();
        }
        String extension = m.group(2);
        if (!extension.equalsIgnoreCase("MDE.Windows") && !extension.equalsIgnoreCase("MDE.Linux")) {
            return Optional.empty();
        }
        Optional<MachineId> machine = MachineId.tryParse(m.group(1));
        if (machine.isEmpty()) {
            return Optional.empty();
        }
        Instant at = time(e.path(cloud ? "time" : "eventTime"));
        Optional<String> correlation = Optional.of(data.path("correlationId").asText("")).filter(s -> !s.isBlank()).map(Text::printable);
        return Optional.of(new ExtensionRemoval(machine.get(), extension, at, who(data), correlation));
    }

    /** Who: the UPN, else a name claim, else the application ID; with the principal type when the evidence names it. */
    static Optional<String> who(JsonNode data) {
        JsonNode claims = claims(data.path("claims"));
        Optional<String> principal = first(claims, UPN, "upn", NAME, "unique_name", "name")
                .or(() -> first(claims, "appid").map(a -> "application " + a));
        JsonNode evidence = data.path("authorization").path("evidence");
        Optional<String> principalType = evidence.isObject() ? Optional.of(evidence.path("principalType").asText("")).filter(s -> !s.isBlank())
                : Optional.empty();
        return principal.map(p -> Text.printable(p, 200) + principalType.map(t -> " (" + Text.printable(t, 40) + ")").orElse(""));
    }

    private static JsonNode claims(JsonNode raw) {
        if (raw.isTextual()) {
            try {
                return JSON.readTree(raw.asText());
            } catch (Exception ignored) {
                return JSON.createObjectNode();
            }
        }
        return raw;
    }

    private static Optional<String> first(JsonNode claims, String... names) {
        if (claims == null || !claims.isObject()) {
            return Optional.empty();
        }
        for (String n : names) {
            JsonNode v = claims.get(n);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return Optional.of(v.asText().trim());
            }
        }
        return Optional.empty();
    }

    private static Instant time(JsonNode t) {
        if (t != null && t.isTextual()) {
            try {
                return OffsetDateTime.parse(t.asText()).toInstant();
            } catch (DateTimeParseException ignored) {
                // below
            }
        }
        return Instant.EPOCH;
    }
}
