package com.mdeonboarding.emulator.kql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The app's own Resource Graph queries (functions/src/main/resources/kql/*.kql, read from the checkout) over small
 * hand-built tables: every row the query must keep, drop, join or order is here, with the exact result.
 */
public class ShippedQueriesTest {
    private static final String S1 = "3f2b8c1e-6d4a-4f7e-9b21-5c8e0a7d4f10";
    private static final String S2 = "7a9e2d4c-1b3f-4c8a-8e6d-2f0b9c5a7e21";

    public static String query(String name) throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("functions/src/main/resources/kql").resolve(name + ".kql");
            if (Files.isRegularFile(file)) {
                return Files.readString(file);
            }
        }
        throw new IllegalStateException("functions/src/main/resources/kql/" + name + ".kql not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void machinesV2() throws IOException {
        String vm = "/subscriptions/" + S1 + "/resourceGroups/rg-a/providers/Microsoft.Compute/virtualMachines/";
        String arc = "/subscriptions/" + S2 + "/resourceGroups/rg-arc/providers/Microsoft.HybridCompute/machines/";
        TableProvider tables = Rows.tables(Map.of("resources", Rows.of("""
                [
                 {"id": "%1$svm-win", "name": "vm-win", "type": "microsoft.compute/virtualmachines", "subscriptionId": "%3$s",
                  "resourceGroup": "rg-a", "location": "westeurope", "tags": {"Env": "prod"},
                  "properties": {"storageProfile": {"osDisk": {"osType": "Windows"}}}},
                 {"id": "%5$svm-win/extensions/MDE.Windows", "name": "MDE.Windows", "type": "microsoft.compute/virtualmachines/extensions",
                  "subscriptionId": "%3$s", "properties": {"type": "MDE.Windows", "provisioningState": "Succeeded"}},
                 {"id": "%1$svm-linux", "name": "vm-linux", "type": "microsoft.compute/virtualmachines", "subscriptionId": "%3$s",
                  "resourceGroup": "rg-a", "location": "westeurope", "tags": {},
                  "properties": {"storageProfile": {"osDisk": {"osType": "Linux"}}}},
                 {"id": "%1$svm-linux/extensions/AzureMonitorLinuxAgent", "name": "AzureMonitorLinuxAgent",
                  "type": "microsoft.compute/virtualmachines/extensions", "subscriptionId": "%3$s",
                  "properties": {"type": "AzureMonitorLinuxAgent", "provisioningState": "Succeeded"}},
                 {"id": "%1$svm-capital-segment", "name": "vm-capital-segment", "type": "Microsoft.Compute/virtualMachines",
                  "subscriptionId": "%3$s", "resourceGroup": "rg-a", "location": "westeurope"},
                 {"id": "%1$svm-capital-segment/Extensions/MDE.Windows", "name": "MDE.Windows",
                  "type": "microsoft.compute/virtualmachines/extensions", "subscriptionId": "%3$s",
                  "properties": {"type": "MDE.Windows", "provisioningState": "Failed"}},
                 {"id": "%2$sarc-1", "name": "arc-1", "type": "microsoft.hybridcompute/machines", "subscriptionId": "%4$s",
                  "resourceGroup": "rg-arc", "location": "northeurope", "tags": {"MdeOnboardingExclude": "true"},
                  "properties": {"osType": "linux"}},
                 {"id": "%2$sarc-1/extensions/MDE.Linux", "name": "MDE.Linux", "type": "microsoft.hybridcompute/machines/extensions",
                  "subscriptionId": "%4$s", "properties": {"type": "mde.linux", "provisioningState": "Creating"}},
                 {"id": "/subscriptions/%3$s/resourceGroups/rg-a/providers/Microsoft.Storage/storageAccounts/st1",
                  "name": "st1", "type": "microsoft.storage/storageaccounts", "subscriptionId": "%3$s"}
                ]""".formatted(vm, arc, S1, S2, vm.replace("/resourceGroups/rg-a/", "/resourcegroups/RG-A/")))));

        KqlResult r = KqlQuery.evaluate(query("machines-v2"), tables);

        assertEquals(List.of("id", "name", "type", "subscriptionId", "resourceGroup", "location", "tags", "osType",
                "mdeExtensionName", "mdeExtensionState"), r.columns().stream().map(KqlResult.Column::name).toList());
        assertEquals(List.of(
                // ordered by id (ordinal: the subscription IDs decide first)
                row(vm + "vm-capital-segment", "vm-capital-segment", "Microsoft.Compute/virtualMachines", S1, "rg-a", "westeurope",
                        "null", "", "MDE.Windows", "Failed"), // '/Extensions/' (HybridCompute's spelling) is cut in any case
                row(vm + "vm-linux", "vm-linux", "microsoft.compute/virtualmachines", S1, "rg-a", "westeurope", "{}", "Linux",
                        "", ""), // not MDE: dropped by the extension filter; leftouter leaves "" (strings have no null)
                row(vm + "vm-win", "vm-win", "microsoft.compute/virtualmachines", S1, "rg-a", "westeurope",
                        "{\"Env\":\"prod\"}", "Windows", "MDE.Windows", "Succeeded"), // the extension ID's other case still joins
                row(arc + "arc-1", "arc-1", "microsoft.hybridcompute/machines", S2, "rg-arc", "northeurope",
                        "{\"MdeOnboardingExclude\":\"true\"}", "linux", "MDE.Linux", "Creating")), // in~ matches mde.linux
                Rows.json(r));
    }

    private static String row(String id, String name, String type, String sub, String rg, String location, String tagsJson,
            String osType, String extName, String extState) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"subscriptionId\":\"" + sub
                + "\",\"resourceGroup\":\"" + rg + "\",\"location\":\"" + location + "\",\"tags\":" + tagsJson
                + ",\"osType\":\"" + osType + "\",\"mdeExtensionName\":\"" + extName + "\",\"mdeExtensionState\":\"" + extState + "\"}";
    }

    @Test
    void pricingsV2() throws IOException {
        TableProvider tables = Rows.tables(Map.of("securityresources", Rows.of("""
                [
                 {"id": "/subscriptions/%2$s/providers/Microsoft.Security/pricings/VirtualMachines", "name": "VirtualMachines",
                  "type": "microsoft.security/pricings", "subscriptionId": "%2$s",
                  "properties": {"pricingTier": "Standard", "subPlan": "P2", "enforce": "False",
                                 "extensions": [{"name": "MdeDesignatedSubscription", "isEnabled": "False"}]}},
                 {"id": "/subscriptions/%1$s/providers/Microsoft.Security/pricings/virtualMachines", "name": "virtualMachines",
                  "type": "Microsoft.Security/pricings", "subscriptionId": "%1$s", "properties": {"pricingTier": "Free"}},
                 {"id": "/subscriptions/%1$s/providers/Microsoft.Security/pricings/StorageAccounts", "name": "StorageAccounts",
                  "type": "microsoft.security/pricings", "subscriptionId": "%1$s", "properties": {"pricingTier": "Standard"}},
                 {"id": "/subscriptions/%1$s/providers/Microsoft.Security/assessments/VirtualMachines", "name": "VirtualMachines",
                  "type": "microsoft.security/assessments", "subscriptionId": "%1$s", "properties": {}},
                 {"id": "/subscriptions/%2$s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/providers/Microsoft.Security/pricings/VirtualMachines",
                  "name": "VirtualMachines", "type": "microsoft.security/pricings", "subscriptionId": "%2$s", "resourceGroup": "rg",
                  "properties": {"pricingTier": "Free"}}
                ]""".formatted(S1, S2))));

        KqlResult r = KqlQuery.evaluate(query("pricings-v2"), tables);

        assertEquals(List.of(
                "{\"subscriptionId\":\"" + S1 + "\",\"pricingTier\":\"Free\",\"subPlan\":\"\",\"enforce\":\"\",\"extensions\":null}",
                "{\"subscriptionId\":\"" + S2 + "\",\"pricingTier\":\"Standard\",\"subPlan\":\"P2\",\"enforce\":\"False\","
                        + "\"extensions\":[{\"name\":\"MdeDesignatedSubscription\",\"isEnabled\":\"False\"}]}"),
                Rows.json(r));
        assertEquals("dynamic", r.columns().get(4).type());
        // Kusto's case rules decide the answer: with == for =~, S1's pricing (written Microsoft.Security/pricings,
        // virtualMachines) is no longer its plan.
        String caseSensitive = query("pricings-v2").replace("type =~ 'microsoft.security/pricings' and name =~ 'VirtualMachines'",
                "type == 'microsoft.security/pricings' and name == 'VirtualMachines'");
        assertEquals(1, KqlQuery.evaluate(caseSensitive, tables).rows().size());
    }

    @Test
    void subscriptionsV1() throws IOException {
        TableProvider tables = Rows.tables(Map.of("resourcecontainers", Rows.of("""
                [
                 {"id": "/subscriptions/%2$s", "name": "Dev", "type": "microsoft.resources/subscriptions", "subscriptionId": "%2$s",
                  "properties": {"state": "Disabled"}},
                 {"id": "/subscriptions/%1$s", "name": "Production", "type": "microsoft.resources/subscriptions", "subscriptionId": "%1$s",
                  "properties": {"state": "Enabled"}},
                 {"id": "/subscriptions/%1$s/resourceGroups/rg-a", "name": "rg-a", "type": "microsoft.resources/subscriptions/resourcegroups",
                  "subscriptionId": "%1$s"},
                 {"id": "/providers/Microsoft.Management/managementGroups/mg", "name": "mg", "type": "microsoft.management/managementgroups"}
                ]""".formatted(S1, S2))));

        KqlResult r = KqlQuery.evaluate(query("subscriptions-v1"), tables);

        assertEquals(List.of("{\"subscriptionId\":\"" + S1 + "\",\"name\":\"Production\",\"state\":\"Enabled\"}",
                "{\"subscriptionId\":\"" + S2 + "\",\"name\":\"Dev\",\"state\":\"Disabled\"}"), Rows.json(r));
    }
}
