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
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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
        assertEquals(Mode.OBSERVE, s.mode(), "a fresh deployment writes nothing to Azure until moved up");
        assertEquals(com.mdeonboarding.config.PlanEnablement.NEVER, s.planEnablement(), "no billed plan unless asked for");
        assertFalse(s.reinstallRemoved());
        assertFalse(s.canary().narrows());
        assertTrue(s.warnings().isEmpty());
        assertEquals(AzureCloud.AzureCloud, s.azureCloud());
        assertEquals("0 0 */6 * * *", s.sweepSchedule());
        assertEquals(Duration.ofSeconds(30), s.verifyDelay());
        assertEquals("https://management.azure.com", s.resourceManagerUrl());
        assertFalse(s.usesLocalEmulator());
        assertTrue(s.scopeSubscriptions().isEmpty());
        assertTrue(s.sensorCheckEnabled(), "the sensor is checked unless switched off");
        assertTrue(s.guestChecksEnabled());
        assertEquals(Duration.ofMinutes(60), s.sensorGracePeriod());
        assertEquals("https://api.security.microsoft.com", s.defenderApiUrl());
        assertEquals("https://api.securitycenter.microsoft.com/.default", s.defenderApiTokenScope());
        assertEquals("https://management.azure.com/.default", s.resourceManagerTokenScope());
        assertFalse(s.usesLocalDefenderEmulator());
    }

    @Test
    void readsEveryValue() {
        Settings s = Settings.from(env(
                Settings.SCOPE_SUBSCRIPTIONS, " 20FF7FC3-E762-44DD-BD96-B71116DCDC23 , 0b1f6471-1bf0-4dda-aec3-111122223333,",
                Settings.SCOPE_EXCLUDE_SUBSCRIPTIONS, "0b1f6471-1bf0-4dda-aec3-111122223333",
                Settings.SCOPE_MANAGEMENT_GROUP, "contoso-prod",
                Settings.DESIRED_PLAN, "p2",
                Settings.MODE, "Enforce",
                Settings.AZURE_CLOUD, "AzureUSGovernment",
                Settings.EXCLUSION_TAG, "skip-mde",
                Settings.SWEEP_SCHEDULE, "0 */30 * * * *"));
        assertEquals(List.of("20ff7fc3-e762-44dd-bd96-b71116dcdc23", "0b1f6471-1bf0-4dda-aec3-111122223333"), s.scopeSubscriptions());
        assertEquals(List.of("0b1f6471-1bf0-4dda-aec3-111122223333"), s.excludedSubscriptions());
        assertEquals("contoso-prod", s.scopeManagementGroup().orElseThrow());
        assertEquals(DesiredPlan.P2, s.desiredPlan());
        assertEquals(Mode.ENFORCE, s.mode());
        assertEquals("https://management.usgovcloudapi.net", s.resourceManagerUrl());
        assertEquals("skip-mde", s.exclusionTag());
    }

    /** Issue 24: MDE_REMEDIATION_MODE's old values keep working for a release, each with a deprecation line. */
    @ParameterizedTest(name = "MDE_REMEDIATION_MODE={0} is MDE_MODE={1}")
    @CsvSource({"audit,ONBOARD", "Enforce,ENFORCE"})
    void theDeprecatedRemediationModeStillWorksWithAWarning(String legacy, Mode expected) {
        Settings s = Settings.from(env(Settings.REMEDIATION_MODE, legacy));
        assertEquals(expected, s.mode());
        assertEquals(1, s.warnings().size(), s.warnings().toString());
        assertTrue(s.warnings().get(0).contains("MDE_REMEDIATION_MODE is deprecated") && s.warnings().get(0).contains("set MDE_MODE="
                + expected.settingValue()), s.warnings().get(0));

        Settings both = Settings.from(env(Settings.REMEDIATION_MODE, legacy, Settings.MODE, "observe"));
        assertEquals(Mode.OBSERVE, both.mode(), "MDE_MODE wins");
        assertTrue(both.warnings().get(0).contains("ignored because MDE_MODE is set"), both.warnings().toString());
    }

    @Test
    void modesSayWhatTheyMayWrite() {
        assertFalse(Mode.OBSERVE.writesMachines());
        assertFalse(Mode.OBSERVE.writesPosture());
        assertTrue(Mode.ONBOARD.writesMachines());
        assertFalse(Mode.ONBOARD.writesPosture());
        assertTrue(Mode.ENFORCE.writesMachines());
        assertTrue(Mode.ENFORCE.writesPosture());
    }

    @Test
    void readsTheRolloutSettings() {
        Settings s = Settings.from(env(Settings.SCOPE_INCLUDE_TAG, " MdeCanary ", Settings.SCOPE_RESOURCE_GROUPS, "RG-Web, rg-db,",
                Settings.SCOPE_EXCLUDE_RESOURCE_GROUPS, "rg-prod", Settings.SCOPE_MACHINES,
                "/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/resourceGroups/RG-Web/providers/Microsoft.Compute/virtualMachines/Web1",
                Settings.PLAN_ENABLEMENT, "p2", Settings.PLAN_PRICE_P1, "4.60", Settings.REINSTALL_REMOVED, "on"));
        assertEquals(new Canary.IncludeTag("MdeCanary", "true"), s.canary().includeTag().orElseThrow(), "a bare name means Name=true");
        assertEquals(java.util.Set.of("rg-web", "rg-db"), s.canary().resourceGroups());
        assertEquals(java.util.Set.of("rg-prod"), s.canary().excludedResourceGroups());
        assertEquals(java.util.Set.of("/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/resourcegroups/rg-web/providers/microsoft.compute/virtualmachines/web1"),
                s.canary().machines());
        assertEquals(PlanEnablement.P2, s.planEnablement());
        assertEquals(new java.math.BigDecimal("4.60"), s.planPrices().p1());
        assertEquals(new java.math.BigDecimal("15"), s.planPrices().p2());
        assertTrue(s.reinstallRemoved());
        assertEquals(new Canary.IncludeTag("Ring", "canary"),
                Settings.from(env(Settings.SCOPE_INCLUDE_TAG, "Ring = canary")).canary().includeTag().orElseThrow());
    }

    @Test
    void planEnablementCapsTheDesiredPlanAndNeverMeansNone() {
        assertTrue(PlanEnablement.NEVER.cap(DesiredPlan.P2).isEmpty());
        assertEquals(DesiredPlan.P1, PlanEnablement.P1.cap(DesiredPlan.P2).orElseThrow(), "P1 allows P1 only");
        assertEquals(DesiredPlan.P1, PlanEnablement.P2.cap(DesiredPlan.P1).orElseThrow(), "P2 allows up to P2, never more than desired");
        assertEquals(DesiredPlan.P2, PlanEnablement.P2.cap(DesiredPlan.P2).orElseThrow());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "MDE_DESIRED_PLAN|P3|accepted values: P1, P2",
            "MDE_REMEDIATION_MODE|fix|accepted values: audit, enforce. It is deprecated",
            "MDE_MODE|audit|accepted values: observe, onboard, enforce",
            "MDE_PLAN_ENABLEMENT|P3|accepted values: never, P1, P2",
            "MDE_PLAN_PRICE_P1|-1|a number from 0 to 10000",
            "MDE_SCOPE_MACHINES|/subscriptions/x/vm1|expected comma-separated machine resource IDs",
            "MDE_SCOPE_RESOURCE_GROUPS|rg/a|comma-separated resource group names",
            "MDE_REINSTALL_REMOVED|yes|accepted values: on, off",
            "MDE_AZURE_CLOUD|AzureGermanCloud|accepted values: AzureCloud, AzureUSGovernment.",
            "MDE_AZURE_CLOUD|AzureChinaCloud|Defender for Endpoint integration of Defender for Servers is not available in Microsoft Azure operated by 21Vianet",
            "MDE_AZURE_CLOUD|azurechinacloud|support-matrix-defender-for-servers",
            "MDE_SENSOR_CHECK|yes|accepted values: on, off.",
            "MDE_SENSOR_CHECK|true|accepted values: on, off.",
            "MDE_GUEST_CHECKS|enabled|accepted values: on, off.",
            "MDE_GUEST_CHECKS|0|accepted values: on, off.",
            "MDE_SENSOR_GRACE_MINUTES|14|from 15 to 1440",
            "MDE_SENSOR_GRACE_MINUTES|1441|from 15 to 1440",
            "MDE_SENSOR_GRACE_MINUTES|1h|from 15 to 1440",
            "MDE_DEFENDER_API_ENDPOINT|http://api.security.microsoft.com|only https://",
            "MDE_SCOPE_SUBSCRIPTIONS|not-a-guid|subscription IDs (GUIDs)",
            "MDE_JOBS_QUEUE|Onboarding_Jobs|a queue name",
            // 58 characters: a valid queue name (3-63), but its "-poison" and "-sweeps" queues would have 65, which Storage refuses
            "MDE_JOBS_QUEUE|onboarding-jobs-for-the-contoso-production-estate-tenant-a|3-56 lower-case",
            "MDE_STATE_TABLE|1table|a table name",
            "MDE_SWEEP_SCHEDULE|every 6 hours|NCRONTAB",
            "MDE_VERIFY_DELAY_SECONDS|0|from 1 to 3600",
            "MDE_MAX_EXTENSION_FAILURES|many|whole number",
            "MDE_ARM_ENDPOINT|http://127.0.0.1:8443|only https://",
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
    void newSettingsAreRead() {
        Settings s = Settings.from(env(Settings.SENSOR_CHECK, "OFF", Settings.GUEST_CHECKS, "off", Settings.SENSOR_GRACE_MINUTES, "15"));
        assertFalse(s.sensorCheckEnabled());
        assertFalse(s.guestChecksEnabled());
        assertEquals(Duration.ofMinutes(15), s.sensorGracePeriod());
        assertEquals(Duration.ofMinutes(1440), Settings.from(env(Settings.SENSOR_GRACE_MINUTES, "1440")).sensorGracePeriod());
    }

    @Test
    void azureChinaIsRefusedWithTheReasonAndTheSource() {
        SettingsException e = assertThrows(SettingsException.class, () -> Settings.from(env(Settings.AZURE_CLOUD, "AzureChinaCloud")));
        assertEquals(Settings.AZURE_CLOUD, e.settingName());
        assertTrue(e.getMessage().contains("21Vianet") && e.getMessage().contains("support matrix")
                && e.getMessage().contains("Accepted values: AzureCloud, AzureUSGovernment."), e.getMessage());
    }

    /**
     * Tricks against the endpoint rule, each refused for both endpoint settings with a message naming what is
     * wrong. "before" says how the old MDE_ARM_ENDPOINT check (any https URL with a host) treated the value.
     */
    @ParameterizedTest(name = "{0}: {1} (before: {3})")
    @MethodSource("endpointTricks")
    void endpointTricksAreRefused(String setting, String value, String expected, String before) {
        Map<String, String> e = env(setting, value);
        if (setting.equals(Settings.DEFENDER_API_ENDPOINT)) {
            e.put(Settings.ARM_ENDPOINT, "https://127.0.0.1:8443"); // so that only the rule under test can refuse
        }
        SettingsException ex = assertThrows(SettingsException.class, () -> Settings.from(e));
        assertEquals(setting, ex.settingName());
        assertTrue(ex.getMessage().startsWith(setting + ": '" + value + "' is not accepted: "), ex.getMessage());
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
        assertTrue(ex.getMessage().contains("or a loopback address (https://127.0.0.1, [::1] or localhost"),
                "every refusal says what is accepted: " + ex.getMessage());
    }

    static Stream<Arguments> endpointTricks() {
        String notLoopback = "is not one of the loopback addresses 127.0.0.1, [::1] or localhost written exactly so";
        String neither = "is neither AzureCloud's";
        String[][] rows = {
                // value, expected message part, old behaviour of MDE_ARM_ENDPOINT
                {"http://127.0.0.1:8443", "only https:// URLs are accepted", "refused"},
                {"ftp://127.0.0.1", "only https:// URLs are accepted", "refused"},
                {"127.0.0.1:8443", "it is not a URL", "refused"},
                {"https://0177.0.0.1:8443", notLoopback, "accepted, real token sent to 0177.0.0.1"},
                {"https://0177.0.0.1", notLoopback, "accepted, real token sent to 0177.0.0.1"},
                {"https://0x7f.1:8443", notLoopback, "refused"},
                {"https://0x7f000001", notLoopback, "accepted, real token sent"},
                {"https://2130706433:8443", notLoopback, "accepted as loopback"},
                {"https://127.1:8443", notLoopback, "refused"},
                {"https://127.0.0.2:8443", notLoopback, "accepted as loopback"},
                {"https://127.0.0.1.:8443", notLoopback, "refused"},
                {"https://10.0.0.4:8443", notLoopback, "accepted, real token sent"},
                {"https://[0:0:0:0:0:0:0:1]:8443", notLoopback, "accepted as loopback"},
                {"https://[::ffff:127.0.0.1]:8443", notLoopback, "accepted as loopback"},
                {"https://[::1%25lo]:8443", "percent-encoded characters", "accepted, real token sent"},
                {"https://127.0.0.1\\@evil.example", "user info", "refused"},
                {"https://127%2e0.0.1:8443", "percent-encoded characters", "refused"},
                {"https://evil.example@127.0.0.1:8443", "user info (the part before '@') is refused", "accepted as loopback"},
                {"https://127.0.0.1:8443@evil.example", "user info (the part before '@') is refused", "accepted, real token sent"},
                {"https://127.0.0.1:8443/api", "a path (/api) is refused", "accepted as loopback"},
                {"https://127.0.0.1:8443//", "a path (//) is refused", "accepted as loopback"},
                {"https://127.0.0.1:8443?x=1", "a query (?...) is refused", "accepted as loopback"},
                {"https://127.0.0.1:8443/?x=1", "a query (?...) is refused", "accepted as loopback"},
                {"https://127.0.0.1:8443#frag", "a fragment (#...) is refused", "accepted as loopback"},
                {"https://127.0.0.1:0", "the port '0' is not a decimal number from 1 to 65535", "accepted as loopback"},
                {"https://127.0.0.1:08443", "the port '08443'", "accepted as loopback"},
                {"https://127.0.0.1:65536", "the port '65536'", "accepted as loopback"},
                {"https://127.0.0.1:", "the port ''", "accepted as loopback"},
                {"https://127.0.0.1:+8443", "the port '+8443'", "refused"},
                {"https://:8443", "there is no host", "refused"},
                {"https://[::1", "no closing ']'", "refused"},
                {"https://[::1]x", "unexpected text after the IPv6 address", "refused"},
                {"https://a:b:c", "more than one ':'", "refused"},
                {"https://127.0.0.1 :8443", "spaces or control characters", "refused"},
                {"https://127.0.0.1:\t8443", "spaces or control characters", "refused"},
                {"https://localhost.:8443", neither, "accepted, real token sent"},
                {"https://localhost.evil.example:8443", neither, "accepted, real token sent"},
                {"https://127.0.0.1.nip.io:8443", neither, "accepted, real token sent"},
                {"https://management.example.com", neither, "accepted, real token sent"},
                {"https://api.security.microsoft.com.evil.example", neither, "accepted, real token sent"},
        };
        Stream.Builder<Arguments> out = Stream.builder();
        for (String setting : List.of(Settings.ARM_ENDPOINT, Settings.DEFENDER_API_ENDPOINT)) {
            for (String[] row : rows) {
                out.add(Arguments.of(setting, row[0], row[1], setting.equals(Settings.ARM_ENDPOINT) ? row[2] : "(new setting)"));
            }
        }
        return out.build();
    }

    @ParameterizedTest(name = "{0}={2} in {1}")
    @CsvSource(delimiter = '|', value = {
            // setting | cloud | value | expected message part | before (MDE_ARM_ENDPOINT)
            "MDE_ARM_ENDPOINT|AzureCloud|https://management.azure.com:8443|endpoint takes no port but 443|accepted",
            "MDE_ARM_ENDPOINT|AzureCloud|https://management.usgovcloudapi.net|is neither AzureCloud's Resource Manager endpoint|accepted",
            "MDE_ARM_ENDPOINT|AzureUSGovernment|https://management.azure.com|is neither AzureUSGovernment's Resource Manager endpoint|accepted",
            "MDE_DEFENDER_API_ENDPOINT|AzureUSGovernment|https://api.security.microsoft.com|is neither AzureUSGovernment's Defender for Endpoint API endpoint|new",
            "MDE_DEFENDER_API_ENDPOINT|AzureUSGovernment|https://api-gcc.securitycenter.microsoft.us|is neither AzureUSGovernment's Defender for Endpoint API endpoint|new",
            "MDE_DEFENDER_API_ENDPOINT|AzureCloud|https://api-gov.securitycenter.microsoft.us|is neither AzureCloud's Defender for Endpoint API endpoint|new",
            "MDE_DEFENDER_API_ENDPOINT|AzureCloud|https://api.security.microsoft.com:8443|endpoint takes no port but 443|new",
            "MDE_DEFENDER_API_ENDPOINT|AzureCloud|https://api-us.securitycenter.microsoft.com|is neither AzureCloud's Defender for Endpoint API endpoint|new",
    })
    void anotherCloudsEndpointIsRefused(String setting, AzureCloud cloud, String value, String expected, String before) {
        SettingsException e = assertThrows(SettingsException.class, () -> Settings.from(env(Settings.AZURE_CLOUD, cloud.name(), setting, value)));
        assertEquals(setting, e.settingName());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest(name = "{0}={2} in {1}")
    @CsvSource(delimiter = '|', value = {
            // setting | cloud | value | base URL used | local emulator
            "MDE_ARM_ENDPOINT|AzureCloud|https://127.0.0.1:8443|https://127.0.0.1:8443|true",
            "MDE_ARM_ENDPOINT|AzureCloud|https://127.0.0.1:8443/|https://127.0.0.1:8443|true",
            "MDE_ARM_ENDPOINT|AzureCloud|https://127.0.0.1|https://127.0.0.1|true",
            "MDE_ARM_ENDPOINT|AzureCloud|https://localhost:8443|https://localhost:8443|true",
            "MDE_ARM_ENDPOINT|AzureCloud|HTTPS://LocalHost:8443|https://localhost:8443|true",
            "MDE_ARM_ENDPOINT|AzureCloud|https://[::1]:8443|https://[::1]:8443|true",
            "MDE_ARM_ENDPOINT|AzureCloud|' https://127.0.0.1:65535 '|https://127.0.0.1:65535|true",
            "MDE_ARM_ENDPOINT|AzureCloud|https://management.azure.com|https://management.azure.com|false",
            "MDE_ARM_ENDPOINT|AzureCloud|https://Management.Azure.com:443/|https://management.azure.com|false",
            "MDE_ARM_ENDPOINT|AzureUSGovernment|https://management.usgovcloudapi.net/|https://management.usgovcloudapi.net|false",
            "MDE_DEFENDER_API_ENDPOINT|AzureCloud|https://127.0.0.1:8443|https://127.0.0.1:8443|true",
            "MDE_DEFENDER_API_ENDPOINT|AzureCloud|https://[::1]:9443/|https://[::1]:9443|true",
            "MDE_DEFENDER_API_ENDPOINT|AzureCloud|https://eu.api.security.microsoft.com/|https://eu.api.security.microsoft.com|false",
            "MDE_DEFENDER_API_ENDPOINT|AzureCloud|https://api-gcc.securitycenter.microsoft.us|https://api-gcc.securitycenter.microsoft.us|false",
            "MDE_DEFENDER_API_ENDPOINT|AzureUSGovernment|https://api-gov.securitycenter.microsoft.us:443|https://api-gov.securitycenter.microsoft.us|false",
    })
    void acceptedEndpoints(String setting, AzureCloud cloud, String value, String baseUrl, boolean local) {
        Map<String, String> e = env(Settings.AZURE_CLOUD, cloud.name(), setting, value);
        if (setting.equals(Settings.DEFENDER_API_ENDPOINT) && local) {
            e.put(Settings.ARM_ENDPOINT, "https://127.0.0.1:8443");
        }
        Settings s = Settings.from(e);
        if (setting.equals(Settings.ARM_ENDPOINT)) {
            assertEquals(baseUrl, s.resourceManagerUrl());
            assertEquals(local, s.usesLocalEmulator());
            assertEquals(baseUrl + "/.default", s.resourceManagerTokenScope());
        } else {
            assertEquals(baseUrl, s.defenderApiUrl());
            assertEquals(local, s.usesLocalDefenderEmulator());
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            // cloud | MDE_DEFENDER_API_ENDPOINT | base URL | token scope
            "AzureCloud||https://api.security.microsoft.com|https://api.securitycenter.microsoft.com/.default",
            "AzureCloud|https://api.securitycenter.microsoft.com|https://api.securitycenter.microsoft.com|https://api.securitycenter.microsoft.com/.default",
            "AzureCloud|https://us.api.security.microsoft.com|https://us.api.security.microsoft.com|https://api.securitycenter.microsoft.com/.default",
            "AzureCloud|https://eu.api.security.microsoft.com|https://eu.api.security.microsoft.com|https://api.securitycenter.microsoft.com/.default",
            "AzureCloud|https://uk.api.security.microsoft.com|https://uk.api.security.microsoft.com|https://api.securitycenter.microsoft.com/.default",
            "AzureCloud|https://au.api.security.microsoft.com|https://au.api.security.microsoft.com|https://api.securitycenter.microsoft.com/.default",
            "AzureCloud|https://swa.api.security.microsoft.com|https://swa.api.security.microsoft.com|https://api.securitycenter.microsoft.com/.default",
            "AzureCloud|https://ina.api.security.microsoft.com|https://ina.api.security.microsoft.com|https://api.securitycenter.microsoft.com/.default",
            "AzureCloud|https://aea.api.security.microsoft.com|https://aea.api.security.microsoft.com|https://api.securitycenter.microsoft.com/.default",
            "AzureCloud|https://api-gcc.securitycenter.microsoft.us|https://api-gcc.securitycenter.microsoft.us|https://api-gcc.securitycenter.microsoft.us/.default",
            "AzureUSGovernment||https://api-gov.securitycenter.microsoft.us|https://api-gov.securitycenter.microsoft.us/.default",
            "AzureUSGovernment|https://api-gov.securitycenter.microsoft.us|https://api-gov.securitycenter.microsoft.us|https://api-gov.securitycenter.microsoft.us/.default",
    })
    void defenderApiUrlAndTokenScopePerCloud(AzureCloud cloud, String endpoint, String baseUrl, String scope) {
        Map<String, String> e = env(Settings.AZURE_CLOUD, cloud.name());
        if (endpoint != null) {
            e.put(Settings.DEFENDER_API_ENDPOINT, endpoint);
        }
        Settings s = Settings.from(e);
        assertEquals(baseUrl, s.defenderApiUrl());
        assertEquals(scope, s.defenderApiTokenScope());
        assertFalse(s.usesLocalDefenderEmulator());
    }

    @Test
    void everyDocumentedDefenderHostIsCoveredByTheTableAbove() {
        // A host added to AzureCloud without a row above (and a source) fails here.
        assertEquals(List.of("aea.api.security.microsoft.com", "api-gcc.securitycenter.microsoft.us", "api.security.microsoft.com",
                "api.securitycenter.microsoft.com", "au.api.security.microsoft.com", "eu.api.security.microsoft.com",
                "ina.api.security.microsoft.com", "swa.api.security.microsoft.com", "uk.api.security.microsoft.com",
                "us.api.security.microsoft.com"), AzureCloud.AzureCloud.defenderApiHosts());
        assertEquals(List.of("api-gov.securitycenter.microsoft.us"), AzureCloud.AzureUSGovernment.defenderApiHosts());
    }

    @Test
    void theDefenderEmulatorNeedsTheResourceManagerEmulator() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> Settings.from(env(Settings.DEFENDER_API_ENDPOINT, "https://127.0.0.1:8443")));
        assertEquals(Settings.DEFENDER_API_ENDPOINT, e.settingName());
        assertTrue(e.getMessage().contains("only accepted together with the local Resource Manager emulator"), e.getMessage());
        Settings both = Settings.from(env(Settings.DEFENDER_API_ENDPOINT, "https://127.0.0.1:8443", Settings.ARM_ENDPOINT, "https://localhost:9443"));
        assertTrue(both.usesLocalDefenderEmulator() && both.usesLocalEmulator());
        assertEquals("https://127.0.0.1:8443/.default", both.defenderApiTokenScope());
        Settings armOnly = Settings.from(env(Settings.ARM_ENDPOINT, "https://127.0.0.1:8443"));
        assertTrue(armOnly.usesLocalEmulator());
        assertFalse(armOnly.usesLocalDefenderEmulator(), "the Defender API is local only when asked for");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "https://127.0.0.1:8443|true",
            "https://localhost|true",
            "https://[::1]:1|true",
            "https://evil.example@127.0.0.1:8443|false",
            "https://127.0.0.1:8443/api|false",
            "https://127.0.0.2:8443|false",
            "https://2130706433:8443|false",
            "https://[0:0:0:0:0:0:0:1]:8443|false",
            "http://127.0.0.1:8443|false",
            "https://localhost.evil.example:8443|false",
            "https://127.0.0.1.nip.io:8443|false",
    })
    void isLoopbackDecidesOnTheWholeUrl(String url, boolean loopback) {
        // The guard for the development token, for URLs that did not come through Settings.from.
        assertEquals(loopback, Endpoints.isLoopback(URI.create(url)));
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
        assertTrue(s.usesLocalDefenderEmulator(), "locally the Defender for Endpoint API is the emulator too");
    }
}
