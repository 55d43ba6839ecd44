package com.mdeonboarding.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this build (Maven's project version, written into {@code mde-onboarding-version.properties} when the
 * jar is built): what {@code --version}, the OpenAPI document and the dashboard footer show, and what CHANGELOG.md and
 * the release package are named after.
 */
public final class AppVersion {
    private static volatile String version;

    private AppVersion() {
    }

    public static String get() {
        String v = version;
        if (v == null) {
            Properties p = new Properties();
            try (InputStream in = AppVersion.class.getResourceAsStream("/mde-onboarding-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            v = p.getProperty("version", "unknown");
            if (v.contains("${")) {
                v = "unknown"; // an unfiltered copy (an IDE build): never show the placeholder
            }
            version = v;
        }
        return v;
    }
}
