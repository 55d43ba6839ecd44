package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Microsoft.Resources subscriptions: every subscription this identity can see. */
public final class Subscriptions {
    private final ArmClient arm;
    /** Display names seen in the list so far (for people: the dashboard and the CLI show them next to the IDs). */
    private final java.util.Map<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();

    Subscriptions(ArmClient arm) {
        this.arm = arm;
    }

    /** IDs of the enabled subscriptions the identity can see (disabled and deleted ones cannot be onboarded). */
    public List<String> enabledSubscriptions() {
        List<String> ids = new ArrayList<>();
        JsonNode page = arm.get("/subscriptions", ApiVersions.SUBSCRIPTIONS);
        PageGuard guard = PageGuard.arm("Subscriptions_List (GET /subscriptions)", PageGuard.ARM_LIST_PAGES);
        while (true) {
            for (JsonNode s : page.path("value")) {
                String state = s.path("state").asText("Enabled");
                if (state.equalsIgnoreCase("Enabled") || state.equalsIgnoreCase("PastDue") || state.equalsIgnoreCase("Warned")) {
                    ids.add(s.path("subscriptionId").asText().toLowerCase(Locale.ROOT));
                }
                remember(s);
            }
            String next = page.path("nextLink").asText("");
            if (next.isEmpty()) {
                return ids;
            }
            guard.next(next);
            page = arm.getAbsolute(next);
        }
    }

    /** Every visible subscription's display name by its lower-case ID (one paged list). */
    public java.util.Map<String, String> displayNames() {
        JsonNode page = arm.get("/subscriptions", ApiVersions.SUBSCRIPTIONS);
        while (true) {
            page.path("value").forEach(this::remember);
            String next = page.path("nextLink").asText("");
            if (next.isEmpty()) {
                return knownDisplayNames();
            }
            page = arm.getAbsolute(next);
        }
    }

    /** The display names the lists read so far have shown. */
    public java.util.Map<String, String> knownDisplayNames() {
        return java.util.Map.copyOf(names);
    }

    private void remember(JsonNode s) {
        String id = s.path("subscriptionId").asText("").toLowerCase(Locale.ROOT);
        String name = s.path("displayName").asText("");
        if (!id.isEmpty() && !name.isEmpty()) {
            names.put(id, name);
        }
    }
}
