package com.mdeonboarding.emulator.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.mdeonboarding.emulator.state.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The tenant file: subscriptions with their machines, plans and settings. See emulator/README.md
 * for the format; {@code src/main/resources/sample-tenant.json} is a complete example.
 *
 * @param tenantId         the Entra tenant ID reported by subscriptions and events
 * @param subscriptions    the subscriptions
 * @param managementGroups optional: management group name to subscription IDs (used by Resource Graph's
 *                         {@code managementGroups} scope)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tenant(String tenantId, List<SubscriptionSpec> subscriptions, Map<String, List<String>> managementGroups) {
    public Tenant {
        tenantId = tenantId == null ? "72f988bf-0000-4000-8000-000000000000" : tenantId;
        subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
        managementGroups = managementGroups == null ? Map.of() : Map.copyOf(managementGroups);
    }

    /** Reads a tenant file; errors name the file and the offending field. */
    public static Tenant load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read tenant file " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid tenant file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses tenant JSON (unknown fields are errors, so typos do not pass silently). */
    public static Tenant parse(String json) {
        try {
            return Json.STRICT.readValue(json, Tenant.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage() + locationOf(e), e);
        }
    }

    /** The bundled sample tenant that exercises every onboarding decision. */
    public static Tenant sample() {
        try (InputStream in = Tenant.class.getResourceAsStream("/sample-tenant.json")) {
            if (in == null) {
                throw new IllegalStateException("sample-tenant.json is missing from the emulator jar");
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serializes this tenant to JSON in the tenant file format. */
    public String toJson() {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String locationOf(JsonProcessingException e) {
        StringBuilder path = new StringBuilder();
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append('.').append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
        }
        String where = path.length() > 0 ? " at " + path.substring(path.charAt(0) == '.' ? 1 : 0) : "";
        return e.getLocation() != null ? where + " (line " + e.getLocation().getLineNr() + ")" : where;
    }
}
