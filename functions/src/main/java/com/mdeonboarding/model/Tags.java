package com.mdeonboarding.model;

import java.util.Map;

/** Resource tags as the rules read them: the one place that says what "tagged true" means. */
public final class Tags {
    private Tags() {
    }

    /**
     * Tag names and values compare case-insensitively and trimmed (as Azure Policy's tag conditions compare names
     * case-insensitively; a stray space in a portal-typed value must not flip the answer); the value must be "true".
     */
    public static boolean isTrue(Map<String, String> tags, String name) {
        if (tags == null || name == null) {
            return false;
        }
        String wanted = name.trim();
        return tags.entrySet().stream().anyMatch(e -> e.getKey() != null && e.getKey().trim().equalsIgnoreCase(wanted)
                && e.getValue() != null && e.getValue().trim().equalsIgnoreCase("true"));
    }
}
