package com.mdeonboarding.model;

import java.util.regex.Pattern;

/** GUIDs as Azure writes them (subscription, tenant and client IDs): the one pattern for all of them. */
public final class Guid {
    /** Without anchors, so that it can be embedded (resource IDs). */
    public static final String REGEX = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    private static final Pattern WHOLE = Pattern.compile("^" + REGEX + "$");

    private Guid() {
    }

    public static boolean isGuid(String s) {
        return s != null && WHOLE.matcher(s).matches();
    }
}
