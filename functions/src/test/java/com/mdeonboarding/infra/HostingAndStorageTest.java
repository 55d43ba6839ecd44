package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** main.json: Flex Consumption on Linux with Java 17, storage without shared keys, the queues/tables/containers the app uses. */
class HostingAndStorageTest {
    private final ArmTemplate main = ArmTemplate.load("main.json");

    private static Set<String> names(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theFunctionAppRunsJava17OnALinuxFlexConsumptionPlan() {
        ArmTemplate.Resource plan = main.single("Microsoft.Web/serverfarms");
        assertEquals("FlexConsumption", plan.node().path("sku").path("tier").asText());
        assertEquals("FC1", plan.node().path("sku").path("name").asText());
        assertTrue(plan.properties().path("reserved").asBoolean(), "reserved: true is Linux");

        ArmTemplate.Resource site = main.single("Microsoft.Web/sites");
        assertEquals("functionapp,linux", site.node().path("kind").asText());
        JsonNode runtime = site.properties().path("functionAppConfig").path("runtime");
        assertEquals("java", runtime.path("name").asText());
        assertEquals("17", runtime.path("version").asText());
        assertTrue(site.properties().path("httpsOnly").asBoolean(), "httpsOnly");
        assertEquals("1.2", site.properties().path("siteConfig").path("minTlsVersion").asText());
    }

    @Test
    void flexDeprecatedSettingsAreNotUsed() {
        Set<String> deprecated = Set.of("FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME_VERSION",
                "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
                "SCM_DO_BUILD_DURING_DEPLOYMENT", "ENABLE_ORYX_BUILD", "AzureWebJobsStorage");
        Set<String> used = new TreeSet<>(main.appSettings().keySet());
        used.retainAll(deprecated);
        assertTrue(used.isEmpty(), "not on Flex Consumption / not with shared keys disabled: " + used);
        JsonNode siteConfig = main.single("Microsoft.Web/sites").properties().path("siteConfig");
        for (String p : List.of("linuxFxVersion", "javaVersion", "alwaysOn", "use32BitWorkerProcess")) {
            assertFalse(siteConfig.has(p), "siteConfig." + p + " is not used on Flex Consumption");
        }
    }

    @Test
    void deploymentStorageUsesTheAppIdentityNotAKey() {
        JsonNode storage = main.single("Microsoft.Web/sites").properties().path("functionAppConfig").path("deployment").path("storage");
        assertEquals("blobContainer", storage.path("type").asText());
        assertEquals("UserAssignedIdentity", storage.path("authentication").path("type").asText());
        assertEquals("[variables('appIdentityId')]", storage.path("authentication").path("userAssignedIdentityResourceId").asText());
        assertTrue(storage.path("value").asText().contains("variables('deploymentContainerName')"));
        assertTrue(main.scope().evalDeep(main.root.path("variables").path("blobContainerNames")).toString().contains("app-package"));
    }

    @Test
    void theAppRunsOnlyAsItsUserAssignedIdentity() {
        JsonNode identity = main.single("Microsoft.Web/sites").node().path("identity");
        assertEquals("UserAssigned", identity.path("type").asText(), "no system-assigned identity with unmanaged rights");
        assertEquals(Set.of("[variables('appIdentityId')]"), iterableToSet(identity.path("userAssignedIdentities").fieldNames()));
    }

    private static Set<String> iterableToSet(java.util.Iterator<String> it) {
        Set<String> out = new TreeSet<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void storageHasNoSharedKeysNoPublicBlobsAndTls12() {
        JsonNode p = main.single("Microsoft.Storage/storageAccounts").properties();
        assertFalse(p.path("allowSharedKeyAccess").asBoolean(true), "allowSharedKeyAccess: false");
        assertFalse(p.path("allowBlobPublicAccess").asBoolean(true), "allowBlobPublicAccess: false");
        assertEquals("TLS1_2", p.path("minimumTlsVersion").asText());
        assertTrue(p.path("supportsHttpsTrafficOnly").asBoolean(), "HTTPS only");
        assertTrue(p.path("defaultToOAuthAuthentication").asBoolean(), "portal uses Entra ID, not keys");
        for (ArmTemplate.Resource c : main.resourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers")) {
            assertEquals("None", c.properties().path("publicAccess").asText(), c.where());
        }
    }

    @Test
    void noTemplateReadsAccountKeysOrSecrets() {
        for (String file : ArmTemplate.TEMPLATES.keySet()) {
            for (String s : ArmTemplate.allStrings(ArmTemplate.load(file).root)) {
                assertFalse(s.matches("(?is).*\\blist(keys|secrets|accountsas|servicesas|credentials|callbackurl)\\s*\\(.*"),
                        file + " reads a secret: " + s);
                assertFalse(s.contains("AccountKey="), file + " builds a connection string with a key: " + s);
            }
        }
    }

    @Test
    void theQueuesAreTheJobsQueueItsPoisonQueueAndTheRequestedSweeps() {
        ArmTemplate.Resource queues = main.single("Microsoft.Storage/storageAccounts/queueServices/queues");
        assertTrue(queues.name().contains("variables('queueNames')[copyIndex()]"), "queues are created from variables('queueNames')");
        Set<String> created = names(main.scope().eval("[variables('queueNames')]"));
        String jobs = Settings.DEFAULTS.get(Settings.JOBS_QUEUE);
        assertEquals(Set.of(jobs, jobs + "-poison", jobs + com.mdeonboarding.sweep.SweepRequestQueue.SUFFIX), created);
        assertEquals("[parameters('jobsQueueName')]", main.appSettings().get(Settings.JOBS_QUEUE),
                "the app setting and the created queue come from the same parameter");
    }

    @Test
    void theTablesAreTheOnesTheCodeUses() {
        ArmTemplate.Resource tables = main.single("Microsoft.Storage/storageAccounts/tableServices/tables");
        assertTrue(tables.name().contains("variables('tableNames')[copyIndex()]"));
        Set<String> expected = Set.of(Settings.DEFAULTS.get(Settings.STATE_TABLE), Settings.DEFAULTS.get(Settings.HISTORY_TABLE),
                Settings.DEFAULTS.get(Settings.REPORTS_TABLE));
        assertEquals(expected, names(main.scope().eval("[variables('tableNames')]")));
        var settings = main.appSettings();
        assertEquals("[parameters('stateTableName')]", settings.get(Settings.STATE_TABLE));
        assertEquals("[parameters('historyTableName')]", settings.get(Settings.HISTORY_TABLE));
        assertEquals("[parameters('reportsTableName')]", settings.get(Settings.REPORTS_TABLE));
    }

    @Test
    void theContainersAreTheDeploymentPackageAndTheEventGridDeadLetter() {
        ArmTemplate.Resource containers = main.single("Microsoft.Storage/storageAccounts/blobServices/containers");
        assertTrue(containers.name().contains("variables('blobContainerNames')[copyIndex()]"));
        assertEquals(Set.of("app-package", "eventgrid-deadletter"), names(main.scope().eval("[variables('blobContainerNames')]")));
    }

    @Test
    void applicationInsightsIsWorkspaceBasedAndTakesOnlyEntraIdTelemetry() {
        JsonNode ai = main.single("Microsoft.Insights/components").properties();
        assertEquals("[resourceId('Microsoft.OperationalInsights/workspaces', variables('workspaceName'))]", ai.path("WorkspaceResourceId").asText());
        assertTrue(main.scope().eval(ai.path("DisableLocalAuth").asText()).asBoolean(), "local (key) ingestion disabled by default");
        main.single("Microsoft.OperationalInsights/workspaces");
    }

    @Test
    void outputsGiveWhatTheNextDeploymentsNeed() {
        Set<String> outputs = iterableToSet(main.root.path("outputs").fieldNames());
        assertTrue(outputs.containsAll(Set.of("functionAppName", "functionAppResourceId", "identityPrincipalId", "identityClientId",
                "storageAccountId", "deadLetterContainerName", "eventGridIdentityResourceId")), "outputs: " + outputs);
        List<String> ids = new ArrayList<>();
        main.resourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities").forEach(r -> ids.add(r.name()));
        assertEquals(2, ids.size(), "one identity for the app, one (storage-only) for Event Grid dead-lettering");
    }
}
