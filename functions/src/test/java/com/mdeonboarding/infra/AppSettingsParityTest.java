package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.config.AzureCloud;
import com.mdeonboarding.config.DesiredPlan;
import com.mdeonboarding.config.Mode;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.testing.RepoPaths;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The app settings the Java code reads, infra/main.json and local.settings.sample.json agree key
 * for key. The code's list is read from {@link Settings} by reflection, so a new setting that is not
 * added to main.json and the sample fails the build. The few documented exceptions are below, each
 * with its reason, and each must still be needed (a stale exception fails too).
 */
class AppSettingsParityTest {

    enum Where { MAIN_JSON, SAMPLE }

    record DocumentedException(String key, Where absentFrom, String reason) { }

    static final List<DocumentedException> EXCEPTIONS = List.of(
            new DocumentedException(Settings.STORAGE, Where.MAIN_JSON,
                    "a connection string carries the account key; in Azure the host and the code use the identity-based "
                            + "AzureWebJobsStorage__* settings instead (the storage account has shared keys disabled)"),
            new DocumentedException("FUNCTIONS_WORKER_RUNTIME", Where.MAIN_JSON,
                    "Flex Consumption takes the runtime from functionAppConfig.runtime (java 17) and deprecates this setting"),
            new DocumentedException(Settings.STORAGE_QUEUE_URI, Where.SAMPLE,
                    "identity-based alternative to AzureWebJobsStorage; locally the Azurite connection string is used"),
            new DocumentedException(Settings.STORAGE_TABLE_URI, Where.SAMPLE,
                    "identity-based alternative to AzureWebJobsStorage; locally the Azurite connection string is used"),
            new DocumentedException("AzureWebJobsStorage__blobServiceUri", Where.SAMPLE,
                    "runtime-owned, Azure only: the host's identity-based blob endpoint (leases, timer schedules)"),
            new DocumentedException("AzureWebJobsStorage__credential", Where.SAMPLE,
                    "runtime-owned, Azure only: selects managed identity for host storage"),
            new DocumentedException("AzureWebJobsStorage__clientId", Where.SAMPLE,
                    "runtime-owned, Azure only: which user-assigned identity the host uses for storage"),
            new DocumentedException("APPLICATIONINSIGHTS_CONNECTION_STRING", Where.SAMPLE,
                    "runtime-owned, Azure only: where telemetry goes (a locator, not a credential)"),
            new DocumentedException(Settings.REMEDIATION_MODE, Where.MAIN_JSON,
                    "deprecated (issue 24): read for one release when MDE_MODE is not set, so existing deployments keep working;"
                            + " a fresh deployment sets MDE_MODE"),
            new DocumentedException(Settings.REMEDIATION_MODE, Where.SAMPLE,
                    "deprecated (issue 24): the sample sets MDE_MODE"),
            new DocumentedException("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", Where.SAMPLE,
                    "runtime-owned, Azure only: telemetry is sent with the managed identity (local auth disabled)"),
            new DocumentedException("APPLICATIONINSIGHTS_ENABLE_AGENT", Where.SAMPLE,
                    "runtime-owned, Azure only: the Functions Java worker loads the Application Insights Java agent, which sends "
                            + "the telemetry records' customDimensions (README, \"Telemetry\")"),
            new DocumentedException("APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE", Where.SAMPLE,
                    "runtime-owned, Azure only: the agent samples nothing, so no decision record or error is dropped"));

    /** Settings the Functions runtime reads (not the Java code); allowed in main.json / the sample without a Settings constant. */
    static final Set<String> RUNTIME_OWNED = Set.of(
            "FUNCTIONS_WORKER_RUNTIME",
            "AzureWebJobsStorage__blobServiceUri",
            "AzureWebJobsStorage__credential",
            "AzureWebJobsStorage__clientId",
            "APPLICATIONINSIGHTS_CONNECTION_STRING",
            "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
            "APPLICATIONINSIGHTS_ENABLE_AGENT",
            "APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE");

    static Set<String> settingsTheCodeReads() {
        Set<String> names = new TreeSet<>();
        for (Field f : Settings.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == String.class) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return names;
    }

    static Set<String> sampleKeys() {
        JsonNode sample = ArmTemplate.readJson(RepoPaths.repoRoot().resolve("local.settings.sample.json"));
        Set<String> keys = new TreeSet<>();
        sample.path("Values").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    static boolean excepted(String key, Where absentFrom) {
        return EXCEPTIONS.stream().anyMatch(e -> e.key().equals(key) && e.absentFrom() == absentFrom);
    }

    @Test
    void theCodeReadsAtLeastTheSettingsThisTestWasWrittenFor() {
        Set<String> read = settingsTheCodeReads();
        assertTrue(read.contains(Settings.JOBS_QUEUE) && read.contains(Settings.MANAGED_IDENTITY_CLIENT_ID) && read.size() >= 20,
                "reflection over Settings found too little: " + read);
    }

    @Test
    void everySettingTheCodeReadsIsSetInMainJson() {
        Set<String> main = ArmTemplate.load("main.json").appSettings().keySet();
        List<String> missing = new ArrayList<>();
        for (String key : settingsTheCodeReads()) {
            if (!main.contains(key) && !excepted(key, Where.MAIN_JSON)) {
                missing.add(key);
            }
        }
        assertTrue(missing.isEmpty(), "set these in infra/main.json (Microsoft.Web/sites siteConfig.appSettings): " + missing);
    }

    @Test
    void everySettingTheCodeReadsIsInTheSample() {
        Set<String> sample = sampleKeys();
        List<String> missing = new ArrayList<>();
        for (String key : settingsTheCodeReads()) {
            if (!sample.contains(key) && !excepted(key, Where.SAMPLE)) {
                missing.add(key);
            }
        }
        assertTrue(missing.isEmpty(), "add these to local.settings.sample.json: " + missing);
    }

    @Test
    void mainJsonAndTheSampleHaveTheSameKeysExceptTheDocumentedOnes() {
        Set<String> main = ArmTemplate.load("main.json").appSettings().keySet();
        Set<String> sample = sampleKeys();
        List<String> problems = new ArrayList<>();
        for (String key : main) {
            if (!sample.contains(key) && !excepted(key, Where.SAMPLE)) {
                problems.add(key + " is in main.json but not in local.settings.sample.json");
            }
        }
        for (String key : sample) {
            if (!main.contains(key) && !excepted(key, Where.MAIN_JSON)) {
                problems.add(key + " is in local.settings.sample.json but not in main.json");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyKeyInMainJsonAndTheSampleIsReadByTheCodeOrTheRuntime() {
        Set<String> known = new LinkedHashSet<>(settingsTheCodeReads());
        known.addAll(RUNTIME_OWNED);
        Set<String> all = new TreeSet<>(ArmTemplate.load("main.json").appSettings().keySet());
        all.addAll(sampleKeys());
        all.removeAll(known);
        assertTrue(all.isEmpty(), "settings nobody reads (stale, or a Settings constant is missing): " + all);
    }

    @Test
    void everyDocumentedExceptionIsStillNeeded() {
        Set<String> main = ArmTemplate.load("main.json").appSettings().keySet();
        Set<String> sample = sampleKeys();
        Set<String> known = new LinkedHashSet<>(settingsTheCodeReads());
        known.addAll(RUNTIME_OWNED);
        for (DocumentedException e : EXCEPTIONS) {
            assertFalse(e.reason().isBlank(), e.key() + ": an exception needs a reason");
            assertTrue(known.contains(e.key()), e.key() + ": exception for a setting nobody reads");
            Set<String> absentFrom = e.absentFrom() == Where.MAIN_JSON ? main : sample;
            assertFalse(absentFrom.contains(e.key()), e.key() + " is in " + e.absentFrom() + " now; remove its exception");
        }
    }

    @Test
    void mainJsonDefaultsAreTheCodesDefaults() {
        ArmTemplate main = ArmTemplate.load("main.json");
        Map<String, String> settings = main.appSettings();
        List<String> problems = new ArrayList<>();
        Settings.DEFAULTS.forEach((key, expected) -> {
            if (key.equals(Settings.MANAGED_IDENTITY_CLIENT_ID) || BOUND_TO_RESOURCES.contains(key) || !settings.containsKey(key)) {
                return; // bound to the identity or the deployment's resources (checked below); missing keys are reported by another test
            }
            String actual = main.scope().eval(settings.get(key)).asText();
            if (!expected.equals(actual)) {
                problems.add(key + ": main.json deploys '" + actual + "', the code's default is '" + expected + "'");
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The event wiring's destination, region, dead-letter container and identity: the deployment's own resources. */
    static final Set<String> BOUND_TO_RESOURCES = Set.of(Settings.WIRING_FUNCTION_APP_ID, Settings.WIRING_LOCATION,
            Settings.WIRING_DEAD_LETTER_STORAGE_ID, Settings.WIRING_IDENTITY_ID);

    @Test
    void theEventWiringPointsAtThisDeploymentsOwnResources() {
        Map<String, String> s = ArmTemplate.load("main.json").appSettings();
        assertEquals("[resourceId('Microsoft.Web/sites', parameters('functionAppName'))]", s.get(Settings.WIRING_FUNCTION_APP_ID));
        assertEquals("[parameters('location')]", s.get(Settings.WIRING_LOCATION));
        assertEquals("[variables('storageAccountId')]", s.get(Settings.WIRING_DEAD_LETTER_STORAGE_ID));
        assertEquals("[variables('eventGridIdentityId')]", s.get(Settings.WIRING_IDENTITY_ID),
                "the storage-only identity that may write dead letters, not the app's");
    }

    @Test
    void theAppUsesItsUserAssignedIdentityForResourceManagerStorageAndTelemetry() {
        ArmTemplate main = ArmTemplate.load("main.json");
        Map<String, String> s = main.appSettings();
        String clientId = "[reference(variables('appIdentityId'), '2023-01-31').clientId]";
        assertEquals(clientId, s.get(Settings.MANAGED_IDENTITY_CLIENT_ID), "MDE_MANAGED_IDENTITY_CLIENT_ID is the app identity's clientId");
        assertEquals(clientId, s.get("AzureWebJobsStorage__clientId"));
        assertEquals("managedidentity", s.get("AzureWebJobsStorage__credential"));
        assertEquals("[format('ClientId={0};Authorization=AAD', reference(variables('appIdentityId'), '2023-01-31').clientId)]",
                s.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"));
        for (String svc : List.of("blob", "queue", "table")) {
            assertEquals("[reference(variables('storageAccountId'), '2024-01-01').primaryEndpoints." + svc + "]",
                    s.get("AzureWebJobsStorage__" + svc + "ServiceUri"));
        }
        assertFalse(s.containsKey(Settings.STORAGE), "no AzureWebJobsStorage connection string (account key) in Azure");
    }

    @Test
    void theLocalEmulatorSettingsAreEmptyInAzure() {
        ArmTemplate main = ArmTemplate.load("main.json");
        Map<String, String> s = main.appSettings();
        assertEquals("", main.scope().eval(s.get(Settings.ARM_ENDPOINT)).asText(), "MDE_ARM_ENDPOINT must be empty in Azure");
        assertEquals("", main.scope().eval(s.get(Settings.ARM_CA_CERT)).asText(), "MDE_ARM_CA_CERT must be empty in Azure");
        assertEquals("", main.scope().eval(s.get(Settings.DEFENDER_API_ENDPOINT)).asText(), "MDE_DEFENDER_API_ENDPOINT defaults to the cloud's API");
    }

    @Test
    void theResourceManagerEndpointIsNotADeployParameter() {
        // Only the local emulator overrides it; in Azure the cloud decides (MDE_AZURE_CLOUD).
        ArmTemplate main = ArmTemplate.load("main.json");
        assertEquals("", main.appSettings().get(Settings.ARM_ENDPOINT), "a literal empty value, not a parameter");
        assertFalse(main.root.path("parameters").has("armEndpoint"));
        for (String s : ArmTemplate.allStrings(main.root)) {
            assertFalse(s.contains("armEndpoint"), "no armEndpoint parameter any more: " + s);
        }
    }

    @Test
    void theDefenderApiEndpointParameterAllowsExactlyTheCloudsDocumentedHosts() {
        ArmTemplate main = ArmTemplate.load("main.json");
        assertEquals("[parameters('defenderApiEndpoint')]", main.appSettings().get(Settings.DEFENDER_API_ENDPOINT));
        Set<String> expected = new TreeSet<>(Set.of(""));
        for (AzureCloud cloud : AzureCloud.values()) {
            cloud.defenderApiHosts().forEach(h -> expected.add("https://" + h));
        }
        List<String> allowed = texts(main.root.path("parameters").path("defenderApiEndpoint").path("allowedValues"));
        assertEquals(expected, new TreeSet<>(allowed), "no loopback address, nothing the app would refuse in every cloud");
        for (String url : allowed) {
            if (url.isEmpty()) {
                continue;
            }
            boolean acceptedSomewhere = Arrays.stream(AzureCloud.values()).anyMatch(c -> {
                try {
                    return Settings.from(Map.of(Settings.STORAGE, "UseDevelopmentStorage=true", Settings.AZURE_CLOUD, c.name(),
                            Settings.DEFENDER_API_ENDPOINT, url)).defenderApiUrl().equals(url);
                } catch (com.mdeonboarding.config.SettingsException e) {
                    return false;
                }
            });
            assertTrue(acceptedSomewhere, url + " is accepted by Settings for one of the clouds");
        }
    }

    @Test
    void onOffSettingsAllowExactlyOnAndOff() {
        JsonNode params = ArmTemplate.load("main.json").root.path("parameters");
        for (String p : List.of("sensorCheck", "guestChecks", "reinstallRemoved")) {
            assertEquals(List.of("on", "off"), texts(params.path(p).path("allowedValues")), p);
        }
    }

    /** The README's configuration table names every setting with the code's default ("(empty)" for none). */
    @Test
    void theReadmeConfigurationTableListsEverySettingWithItsDefault() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(RepoPaths.repoRoot().resolve("README.md"));
        int start = readme.indexOf("## Configuration");
        int end = readme.indexOf("\n## ", start + 1);
        assertTrue(start >= 0 && end > start, "README.md has a Configuration section");
        List<String> rows = readme.substring(start, end).lines().filter(l -> l.startsWith("| `")).toList();
        List<String> problems = new ArrayList<>();
        Settings.DEFAULTS.forEach((key, value) -> {
            List<String> row = rows.stream().filter(r -> r.split("\\|")[1].contains("`" + key + "`")).toList();
            if (row.size() != 1) {
                problems.add(key + ": " + row.size() + " rows in the README configuration table");
                return;
            }
            String defaults = row.get(0).split("\\|")[2];
            String expected = value.isEmpty() ? "(empty)" : "`" + value + "`";
            if (!defaults.contains(expected)) {
                problems.add(key + ": README says" + defaults + "but the code's default is " + expected);
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void enumSettingsAllowExactlyTheValuesTheCodeAccepts() {
        JsonNode params = ArmTemplate.load("main.json").root.path("parameters");
        assertEquals(Arrays.stream(DesiredPlan.values()).map(Enum::name).toList(), texts(params.path("desiredPlan").path("allowedValues")));
        assertEquals(Arrays.stream(Mode.values()).map(Mode::settingValue).toList(),
                texts(params.path("mode").path("allowedValues")));
        assertEquals(Arrays.stream(com.mdeonboarding.config.PlanEnablement.values()).map(com.mdeonboarding.config.PlanEnablement::settingValue)
                .toList(), texts(params.path("planEnablement").path("allowedValues")));
        assertEquals(Arrays.stream(AzureCloud.values()).map(Enum::name).toList(), texts(params.path("azureCloud").path("allowedValues")));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
