package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Microsoft.Resources subscriptions: every subscription this identity can see. */
public final class Subscriptions {
    private final ArmClient arm;

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
            }
            String next = page.path("nextLink").asText("");
            if (next.isEmpty()) {
                return ids;
            }
            guard.next(next);
            page = arm.getAbsolute(next);
        }
    }
}
