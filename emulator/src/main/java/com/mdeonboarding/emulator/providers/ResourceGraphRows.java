package com.mdeonboarding.emulator.providers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.kql.TableProvider;
import com.mdeonboarding.emulator.state.EmulatedEventWiring;
import com.mdeonboarding.emulator.state.EmulatedExtension;
import com.mdeonboarding.emulator.state.EmulatedMachine;
import com.mdeonboarding.emulator.state.EmulatedPricing;
import com.mdeonboarding.emulator.state.EmulatedSubscription;
import com.mdeonboarding.emulator.state.Json;
import com.mdeonboarding.emulator.state.ResourceIds;
import com.mdeonboarding.emulator.state.ResourceStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Resource Graph tables of the subscriptions in a query's scope, built from the resource model: the evaluator
 * does not filter by scope, so only rows of those subscriptions are here. Rows have the Resource Graph columns only
 * ({@link com.mdeonboarding.emulator.kql.ResourceGraphTables}), with the casings Resource Graph returns:
 * <ul>
 * <li>{@code type} in lower case ({@code microsoft.compute/virtualmachines}), as every Resource Graph example shows
 * (ResourcesBasicQuery, ResourcesFacetQuery);</li>
 * <li>{@code id} and {@code resourceGroup} as the resource provider spells them, not lower-cased (ResourcesFacetQuery:
 * {@code "resourceGroup": "B-TEST-RG"} beside {@code /resourceGroups/B-TEST-RG/} in the id; Azure/azure-rest-api-specs
 * #31379 and Azure/azure-sdk-for-go #23446: ids keep the provider's casing, which is not always the ARM path's);</li>
 * <li>HybridCompute extension ids as HybridCompute writes them,
 * {@code .../Microsoft.HybridCompute/Machines/{m}/Extensions/{name}} (Extension_Get, Extension_List examples);</li>
 * <li>{@code location} normalised ({@code westeurope}).</li>
 * </ul>
 * Tables: {@code resources} (VMs, Arc machines and their extensions), {@code securityresources} (every plan of each
 * subscription, and the machines' own VirtualMachines pricings), {@code resourcecontainers} (the subscriptions). Built
 * once per query under the read lock; the rows are never changed afterwards.
 */
final class ResourceGraphRows implements TableProvider {
    private final Map<String, List<ObjectNode>> tables = new HashMap<>();

    private ResourceGraphRows() {
        for (String t : List.of("resources", "securityresources", "resourcecontainers")) {
            tables.put(t, new ArrayList<>());
        }
    }

    /** The rows of these subscriptions (IDs as the store knows them). Call under the store's read lock. */
    static ResourceGraphRows of(ResourceStore.View v, String tenantId, List<String> subscriptionIds) {
        return of(v, tenantId, subscriptionIds, null);
    }

    /** The same, with each subscription's Event Grid system topics in {@code resources} ({@link EventGridRows}). */
    static ResourceGraphRows of(ResourceStore.View v, String tenantId, List<String> subscriptionIds, EmulatedEventWiring wiring) {
        ResourceGraphRows rows = new ResourceGraphRows();
        for (String sub : subscriptionIds) {
            EmulatedSubscription s = v.subscription(sub);
            if (s != null) {
                rows.add(v, tenantId, s);
                if (wiring != null) {
                    rows.tables.get("resources").addAll(EventGridRows.of(wiring, tenantId, s.id));
                }
            }
        }
        return rows;
    }

    /** The Resource Graph envelope of a resource (package-private for {@link EventGridRows}). */
    static ObjectNode envelope(String id, String name, String type, String tenantId, String subscriptionId, String resourceGroup,
            String location) {
        return row(id, name, type, tenantId, subscriptionId, resourceGroup, location);
    }

    @Override
    public List<ObjectNode> rows(String table) {
        return tables.getOrDefault(table, List.of());
    }

    private void add(ResourceStore.View v, String tenantId, EmulatedSubscription s) {
        List<ObjectNode> resources = tables.get("resources");
        List<ObjectNode> security = tables.get("securityresources");
        ObjectNode sub = row("/subscriptions/" + s.id, s.displayName, "microsoft.resources/subscriptions", tenantId, s.id, "", "");
        sub.set("tags", Json.stringMap(s.tags));
        sub.putObject("properties").put("state", s.state);
        tables.get("resourcecontainers").add(sub);
        for (EmulatedPricing p : s.pricings()) {
            security.add(pricing("/subscriptions/" + s.id, p, tenantId, s.id, ""));
        }
        for (EmulatedMachine.Kind kind : EmulatedMachine.Kind.values()) {
            for (EmulatedMachine m : v.machines(s, kind).values()) {
                resources.add(machine(m, tenantId, v.now()));
                for (EmulatedExtension e : m.extensions()) {
                    resources.add(extension(m, e, tenantId));
                }
                if (m.resourcePricing != null) {
                    security.add(pricing(m.id, m.resourcePricing, tenantId, s.id, m.resourceGroup));
                }
            }
        }
    }

    private static ObjectNode row(String id, String name, String type, String tenantId, String subscriptionId,
            String resourceGroup, String location) {
        ObjectNode o = Json.obj();
        o.put("id", id);
        o.put("name", name);
        o.put("type", type);
        o.put("tenantId", tenantId);
        o.put("kind", "");
        o.put("location", ResourceIds.normalizeLocation(location));
        o.put("resourceGroup", resourceGroup);
        o.put("subscriptionId", subscriptionId);
        o.put("managedBy", "");
        o.putNull("sku");
        o.putNull("plan");
        o.putNull("identity");
        o.putNull("zones");
        o.putNull("extendedLocation");
        return o;
    }

    /** The machine's envelope and the properties its provider returns (without the VM's instance view, as Resource Graph). */
    private static ObjectNode machine(EmulatedMachine m, String tenantId, java.time.Instant now) {
        ObjectNode o = row(m.id, m.name, m.type().toLowerCase(Locale.ROOT), tenantId, m.subscriptionId, m.resourceGroup, m.location);
        o.set("tags", Json.stringMap(m.tags));
        ObjectNode p = o.putObject("properties");
        p.put("vmId", m.vmId);
        p.put("provisioningState", m.isVm() ? m.vmProvisioningState(now) : "Succeeded");
        if (m.isVm()) {
            p.putObject("hardwareProfile").put("vmSize", m.vmSize);
            ObjectNode storage = p.putObject("storageProfile");
            if (m.image != null) {
                storage.putObject("imageReference").put("publisher", m.image.publisher()).put("offer", m.image.offer())
                        .put("sku", m.image.sku()).put("version", m.image.version());
            }
            storage.putObject("osDisk").put("osType", m.osType).put("createOption", "FromImage");
            p.putObject("osProfile").put("computerName", m.computerName);
            p.put("timeCreated", m.timeCreated.toString());
        } else {
            p.put("status", m.status);
            p.put("agentVersion", m.agentVersion);
            p.put("lastStatusChange", m.lastStatusChange);
            p.put("osName", m.osName);
            p.put("osType", m.osType);
            p.put("osSku", m.osSku);
            p.put("osVersion", m.osVersion);
        }
        return o;
    }

    private static ObjectNode extension(EmulatedMachine m, EmulatedExtension e, String tenantId) {
        ObjectNode resource = ExtensionJson.resource(m, e, false);
        ObjectNode o = row(ExtensionJson.id(m, e), e.name, (m.type() + "/extensions").toLowerCase(Locale.ROOT), tenantId,
                m.subscriptionId, m.resourceGroup, e.location == null ? m.location : e.location);
        o.set("tags", e.tags == null ? Json.obj() : e.tags.deepCopy());
        o.set("properties", resource.path("properties"));
        return o;
    }

    private static ObjectNode pricing(String scope, EmulatedPricing p, String tenantId, String subscriptionId, String resourceGroup) {
        ObjectNode o = row(scope + "/providers/Microsoft.Security/pricings/" + p.name, p.name, "microsoft.security/pricings",
                tenantId, subscriptionId, resourceGroup, "");
        o.set("tags", Json.obj());
        ObjectNode props = o.putObject("properties");
        props.put("pricingTier", p.pricingTier);
        if (p.subPlan != null) {
            props.put("subPlan", p.subPlan);
        }
        props.put("freeTrialRemainingTime", p.freeTrialRemainingTime);
        if (p.enforce != null && resourceGroup.isEmpty()) {
            props.put("enforce", p.enforce);
        }
        if (p.extensions != null) {
            props.set("extensions", p.extensions.deepCopy());
        }
        return o;
    }
}
