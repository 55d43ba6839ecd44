package com.mdeonboarding.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.testing.RepoPaths;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put(Settings.STORAGE, "UseDevelopmentStorage=true");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAreSafe() {
        Settings s = Settings.from(env());
        assertEquals("onboarding-jobs", s.jobsQueue());
        assertEquals(DesiredPlan.P1, s.desiredPlan());
        assertEquals(RemediationMode.AUDIT, s.remediationMode(), "never write posture unless asked to");
        assertEquals(AzureCloud.AzureCloud, s.azureCloud());
        assertEquals("0 0 */6 * * *", s.sweepSchedule());
        assertEquals(Duration.ofSeconds(30), s.verifyDelay());
        assertEquals("https://management.azure.com", s.resourceManagerUrl());
        assertFalse(s.usesLocalEmulator());
        assertTrue(s.scopeSubscriptions().isEmpty());
    }

    @Test
    void readsEveryValue() {
        Settings s = Settings.from(env(
                Settings.SCOPE_SUBSCRIPTIONS, " 20FF7FC3-E762-44DD-BD96-B71116DCDC23 , 0b1f6471-1bf0-4dda-aec3-111122223333,",
                Settings.SCOPE_EXCLUDE_SUBSCRIPTIONS, "0b1f6471-1bf0-4dda-aec3-111122223333",
                Settings.SCOPE_MANAGEMENT_GROUP, "contoso-prod",
                Settings.DESIRED_PLAN, "p2",
                Settings.REMEDIATION_MODE, "Enforce",
                Settings.AZURE_CLOUD, "AzureUSGovernment",
                Settings.EXCLUSION_TAG, "skip-mde",
                Settings.SWEEP_SCHEDULE, "0 */30 * * * *"));
        assertEquals(List.of("20ff7fc3-e762-44dd-bd96-b71116dcdc23", "0b1f6471-1bf0-4dda-aec3-111122223333"), s.scopeSubscriptions());
        assertEquals(List.of("0b1f6471-1bf0-4dda-aec3-111122223333"), s.excludedSubscriptions());
        assertEquals("contoso-prod", s.scopeManagementGroup().orElseThrow());
        assertEquals(DesiredPlan.P2, s.desiredPlan());
        assertEquals(RemediationMode.ENFORCE, s.remediationMode());
        assertEquals("https://management.usgovcloudapi.net", s.resourceManagerUrl());
        assertEquals("skip-mde", s.exclusionTag());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "MDE_DESIRED_PLAN|P3|accepted values: P1, P2",
            "MDE_REMEDIATION_MODE|fix|accepted values: audit, enforce",
            "MDE_AZURE_CLOUD|AzureGermanCloud|AzureCloud, AzureUSGovernment, AzureChinaCloud",
            "MDE_SCOPE_SUBSCRIPTIONS|not-a-guid|subscription IDs (GUIDs)",
            "MDE_JOBS_QUEUE|Onboarding_Jobs|a queue name",
            "MDE_STATE_TABLE|1table|a table name",
            "MDE_SWEEP_SCHEDULE|every 6 hours|NCRONTAB",
            "MDE_VERIFY_DELAY_SECONDS|0|from 1 to 3600",
            "MDE_MAX_EXTENSION_FAILURES|many|whole number",
            "MDE_ARM_ENDPOINT|http://127.0.0.1:8443|https:// URL",
            "MDE_ARM_CA_CERT|/no/such/file.pem|readable file",
            "MDE_MANAGED_IDENTITY_CLIENT_ID|abc|client ID (GUID)",
            "AzureWebJobsStorage|hello|not a Storage connection string",
    })
    void badValueFailsWithTheSettingNameAndAcceptedValues(String name, String value, String expected) {
        SettingsException e = assertThrows(SettingsException.class, () -> Settings.from(env(name, value)));
        assertEquals(name, e.settingName());
        assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        if (!name.equals(Settings.STORAGE)) {
            assertTrue(e.getMessage().contains(value), "the message quotes the bad value: " + e.getMessage());
        }
    }

    @Test
    void storageIsRequired() {
        SettingsException e = assertThrows(SettingsException.class, () -> Settings.from(Map.of()));
        assertEquals(Settings.STORAGE, e.settingName());
    }

    @Test
    void identityBasedStorageNeedsNoConnectionString() {
        Settings s = Settings.from(Map.of(
                Settings.STORAGE_QUEUE_URI, "https://st.queue.core.windows.net",
                Settings.STORAGE_TABLE_URI, "https://st.table.core.windows.net"));
        assertTrue(s.storage().connectionString().isEmpty());
        assertFalse(s.storage().toString().contains("AccountKey"));
    }

    @Test
    void connectionStringNeverPrinted() {
        Settings s = Settings.from(Map.of(Settings.STORAGE, "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=SECRETKEY=="));
        assertFalse(s.toString().contains("SECRETKEY"));
    }

    @Test
    void localEmulatorModeOnlyForLoopbackAddresses() throws Exception {
        Path pem = Files.createTempFile("ca", ".pem");
        assertTrue(Settings.from(env(Settings.ARM_ENDPOINT, "https://127.0.0.1:8443", Settings.ARM_CA_CERT, pem.toString())).usesLocalEmulator());
        assertTrue(Settings.from(env(Settings.ARM_ENDPOINT, "https://localhost:8443")).usesLocalEmulator());
        assertTrue(Settings.from(env(Settings.ARM_ENDPOINT, "https://[::1]:8443")).usesLocalEmulator());
        assertFalse(Settings.from(env(Settings.ARM_ENDPOINT, "https://management.azure.com")).usesLocalEmulator());
        assertFalse(Settings.from(env(Settings.ARM_ENDPOINT, "https://10.0.0.4:8443")).usesLocalEmulator());
        // A DNS name is never resolved to decide: it could point anywhere.
        assertFalse(Settings.isLoopback(URI.create("https://localhost.evil.example:8443")));
        assertFalse(Settings.isLoopback(URI.create("https://127.0.0.1.nip.io:8443")));
    }

    @Test
    void sampleSettingsFileListsEveryDefault() throws Exception {
        String sample = Files.readString(com.mdeonboarding.testing.RepoPaths.repoRoot().resolve("local.settings.sample.json"));
        for (String name : Settings.DEFAULTS.keySet()) {
            assertTrue(sample.contains("\"" + name + "\""), name + " missing from local.settings.sample.json");
        }
        // The sample must itself be a valid configuration (with the emulator's CA path ignored here).
        Map<String, String> values = new HashMap<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(sample).path("Values").fields()
                .forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        values.remove(Settings.ARM_CA_CERT);
        Settings s = Settings.from(values);
        assertTrue(s.usesLocalEmulator());
    }
}
