package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.api.OpenApiEndpoint;
import com.mdeonboarding.config.AppVersion;
import com.mdeonboarding.testing.RepoPaths;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A version that means something: 0.x.y (no -SNAPSHOT) in every pom, an entry in CHANGELOG.md, the same version in
 * the built app (--version, the OpenAPI document), a reproducible-build timestamp, and a package that never carries the
 * sample local.settings.json (the emulator's endpoints).
 */
class ReleaseTest {

    static String pomVersion() throws Exception {
        String pom = Files.readString(RepoPaths.repoRoot().resolve("pom.xml"));
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find());
        return m.group(1);
    }

    @Test
    void theVersionIsAReleaseVersionEverywhereAndInTheChangelog() throws Exception {
        String v = pomVersion();
        assertTrue(v.matches("0\\.\\d+\\.\\d+"), "a 0.x.y release version, not " + v);
        for (String module : new String[] {"emulator/pom.xml", "functions/pom.xml"}) {
            String pom = Files.readString(RepoPaths.repoRoot().resolve(module));
            assertTrue(pom.contains("<version>" + v + "</version>"), module + " is at " + v);
            assertFalse(pom.contains("SNAPSHOT"), module);
        }
        String changelog = Files.readString(RepoPaths.repoRoot().resolve("CHANGELOG.md"));
        assertTrue(changelog.contains("## [" + v + "]"), "CHANGELOG.md has an entry for " + v);
        assertTrue(Files.readString(RepoPaths.repoRoot().resolve("pom.xml")).contains("<project.build.outputTimestamp>"),
                "jars are reproducible (project.build.outputTimestamp)");
    }

    @Test
    void theBuiltAppReportsItsVersionInTheOpenApiDocument() throws Exception {
        String v = pomVersion();
        assertEquals(v, AppVersion.get(), "the filtered version resource");
        assertEquals(v, new ObjectMapper().readTree(OpenApiEndpoint.document()).path("info").path("version").asText());
    }

    @Test
    void thePackageNeverCarriesTheSampleLocalSettings() throws Exception {
        String pom = Files.readString(RepoPaths.repoRoot().resolve("functions/pom.xml"));
        assertFalse(pom.contains("local.settings.sample.json"), "the staged app must not get the sample (emulator endpoints)");
        assertTrue(pom.contains("<localSettingsJson>${mde.localSettingsJson}</localSettingsJson>"));
        String pkg = Files.readString(RepoPaths.repoRoot().resolve("bin/package"));
        assertTrue(pkg.contains("-Dmde.localSettingsJson=") && pkg.contains("local.settings.json") && pkg.contains("refusing"),
                "bin/package builds without local settings and refuses a staged local.settings.json");
    }
}
