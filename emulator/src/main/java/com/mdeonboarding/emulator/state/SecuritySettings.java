package com.mdeonboarding.emulator.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The Defender for Cloud settings (Microsoft.Security/settings) every subscription has, with their kinds. */
public final class SecuritySettings {
    /** New-subscription defaults, in the order Settings_List returns them. */
    public static final Map<String, Boolean> DEFAULTS;
    private static final Map<String, String> KINDS;

    static {
        Map<String, Boolean> s = new LinkedHashMap<>();
        s.put("MCAS", true);
        s.put("WDATP", true);
        s.put("WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false);
        s.put("WDATP_UNIFIED_SOLUTION", true);
        s.put("Sentinel", false);
        DEFAULTS = Collections.unmodifiableMap(s);
        Map<String, String> k = new LinkedHashMap<>();
        s.keySet().forEach(n -> k.put(n, "DataExportSettings"));
        k.put("Sentinel", "AlertSyncSettings");
        KINDS = Collections.unmodifiableMap(k);
    }

    private SecuritySettings() {
    }

    public static Set<String> names() {
        return KINDS.keySet();
    }

    /** The setting's name in its canonical case (names match case-insensitively), or null when unknown. */
    public static String canonical(String name) {
        for (String known : KINDS.keySet()) {
            if (known.equalsIgnoreCase(name)) {
                return known;
            }
        }
        return null;
    }

    /** The {@code kind} a setting must be written with ({@code DataExportSettings}, or {@code AlertSyncSettings} for Sentinel). */
    public static String kindOf(String canonicalName) {
        return KINDS.get(canonicalName);
    }
}
