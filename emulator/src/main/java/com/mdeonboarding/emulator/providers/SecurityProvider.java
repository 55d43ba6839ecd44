package com.mdeonboarding.emulator.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.server.ArmError;
import com.mdeonboarding.emulator.server.ArmRequest;
import com.mdeonboarding.emulator.server.ArmResponse;
import com.mdeonboarding.emulator.server.ArmServer;
import com.mdeonboarding.emulator.server.EmulatedApiVersions;
import com.mdeonboarding.emulator.server.EmulatorContext;
import com.mdeonboarding.emulator.server.Router;
import com.mdeonboarding.emulator.state.EmulatedMachine;
import com.mdeonboarding.emulator.state.EmulatedPricing;
import com.mdeonboarding.emulator.state.EmulatedSubscription;
import com.mdeonboarding.emulator.state.Json;
import com.mdeonboarding.emulator.state.ResourceIds;
import com.mdeonboarding.emulator.state.ResourceStore;
import com.mdeonboarding.emulator.state.SecuritySettings;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Microsoft.Security: pricings (subscription and resource scope), settings, mdeOnboardings. */
public final class SecurityProvider {
    private static final EmulatedApiVersions PRICING_VERSIONS = EmulatedApiVersions.of("pricings", "2017-08-01-preview",
            "2018-06-01", "2022-03-01", "2023-01-01", "2024-01-01");
    private static final EmulatedApiVersions SETTINGS_VERSIONS = EmulatedApiVersions.of("settings", "2017-08-01-preview",
            "2019-01-01", "2021-06-01", "2021-07-01", "2022-05-01");
    private static final EmulatedApiVersions MDE_VERSIONS = EmulatedApiVersions.of("mdeOnboardings", "2021-10-01-preview");
    private static final String SUB = "/subscriptions/{subscriptionId}/providers/Microsoft.Security";
    private static final String VM_SCOPE = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines/{machineName}/providers/Microsoft.Security";
    private static final String ARC_SCOPE = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.HybridCompute/machines/{machineName}/providers/Microsoft.Security";
    private static final Pattern NAME_FILTER = Pattern.compile("name\\s+in\\s*\\(([^)]*)\\)", Pattern.CASE_INSENSITIVE);
    private final EmulatorContext ctx;

    public SecurityProvider(EmulatorContext ctx, Router router) {
        this.ctx = ctx;
        router.add("GET", SUB + "/pricings", "Pricings_List", false, PRICING_VERSIONS, this::listSubscriptionPricings);
        router.add("GET", SUB + "/pricings/{pricingName}", "Pricings_Get", false, PRICING_VERSIONS, this::getSubscriptionPricing);
        router.add("PUT", SUB + "/pricings/{pricingName}", "Pricings_Update", true, PRICING_VERSIONS, this::putSubscriptionPricing);
        router.add("DELETE", SUB + "/pricings/{pricingName}", "Pricings_Delete", true, PRICING_VERSIONS, req -> {
            throw ArmError.badRequest("InvalidInputJson", "Deleting a pricing is supported only at resource scope "
                    + "(VirtualMachines, VMSS and ARC Machines); set pricingTier to Free to disable a subscription plan.");
        });
        for (String scope : List.of(VM_SCOPE, ARC_SCOPE)) {
            EmulatedMachine.Kind kind = scope == VM_SCOPE ? EmulatedMachine.Kind.VM : EmulatedMachine.Kind.ARC;
            router.add("GET", scope + "/pricings", "Pricings_List", false, PRICING_VERSIONS,
                    req -> listResourcePricings(req, kind));
            router.add("GET", scope + "/pricings/{pricingName}", "Pricings_Get", false, PRICING_VERSIONS,
                    req -> getResourcePricing(req, kind));
            router.add("PUT", scope + "/pricings/{pricingName}", "Pricings_Update", true, PRICING_VERSIONS,
                    req -> putResourcePricing(req, kind));
            router.add("DELETE", scope + "/pricings/{pricingName}", "Pricings_Delete", true, PRICING_VERSIONS,
                    req -> deleteResourcePricing(req, kind));
        }
        router.add("GET", SUB + "/settings", "Settings_List", false, SETTINGS_VERSIONS, this::listSettings);
        router.add("GET", SUB + "/settings/{settingName}", "Settings_Get", false, SETTINGS_VERSIONS, this::getSetting);
        router.add("PUT", SUB + "/settings/{settingName}", "Settings_Update", true, SETTINGS_VERSIONS, this::putSetting);
        router.add("GET", SUB + "/mdeOnboardings", "MdeOnboardings_List", false, MDE_VERSIONS, this::listMde);
        router.add("GET", SUB + "/mdeOnboardings/{name}", "MdeOnboardings_Get", false, MDE_VERSIONS, this::getMde);
    }

    // ------------------------------------------------------------------ subscription pricings

    /** The request's subscription (ArmServer has checked that it exists). */
    private static EmulatedSubscription subscription(ResourceStore.View v, ArmRequest req) {
        return v.subscription(req.param("subscriptionId"));
    }

    private ArmResponse listSubscriptionPricings(ArmRequest req) {
        Set<String> filter = nameFilter(req.query.get("$filter"));
        return ctx.store.read(v -> {
            EmulatedSubscription s = subscription(v, req);
            ObjectNode body = Json.obj();
            ArrayNode value = body.putArray("value");
            for (EmulatedPricing p : s.pricings()) {
                if (filter == null || filter.contains(p.name.toLowerCase(Locale.ROOT))) {
                    value.add(subscriptionPricingJson(v, s, p, false));
                }
            }
            return ArmResponse.ok(body);
        });
    }

    private static Set<String> nameFilter(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        Matcher m = NAME_FILTER.matcher(filter);
        if (!m.find()) {
            throw ArmError.badRequest("InvalidInputJson", "The $filter '" + filter
                    + "' is not supported; use \"name in (planName1,planName2)\".");
        }
        Set<String> names = new LinkedHashSet<>();
        for (String n : m.group(1).split(",")) {
            names.add(n.trim().replace("'", "").toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private ArmResponse getSubscriptionPricing(ArmRequest req) {
        return ctx.store.read(v -> {
            EmulatedSubscription s = subscription(v, req);
            EmulatedPricing p = s.pricing(req.param("pricingName"));
            if (p == null) {
                throw ArmError.notFound("ResourceNotFound", "The pricing '" + req.param("pricingName")
                        + "' was not found for subscription '" + s.id + "'.");
            }
            return ArmResponse.ok(subscriptionPricingJson(v, s, p, false));
        });
    }

    private ArmResponse putSubscriptionPricing(ArmRequest req) {
        JsonNode props = properties(req);
        return ctx.store.write(ResourceStore.Changes.of(req), w -> {
            EmulatedSubscription s = subscription(w, req);
            EmulatedPricing p = s.pricing(req.param("pricingName"));
            if (p == null) {
                throw ArmError.badRequest("InvalidInputJson", "The pricing name '" + req.param("pricingName")
                        + "' is not supported.");
            }
            String tier = tier(props);
            boolean vms = p.name.equals("VirtualMachines");
            boolean wasStandard = p.standard();
            String subPlan = Json.text(props, "subPlan");
            ArrayNode extensions = extensions(props);
            if (tier.equals("Standard") && vms) {
                subPlan = subPlan == null ? (wasStandard && p.subPlan != null ? p.subPlan : "P2") : subPlan.toUpperCase(Locale.ROOT);
                if (!subPlan.equals("P1") && !subPlan.equals("P2")) {
                    throw ArmError.badRequest("InvalidInputJson", "Sub plan '" + subPlan
                            + "' is not supported for 'VirtualMachines' plan; available sub plans are 'P1' and 'P2'.");
                }
                checkAgentless(extensions, subPlan);
            }
            String enforce = Json.text(props, "enforce");
            p.pricingTier = tier;
            p.subPlan = tier.equals("Standard") ? subPlan : null;
            if (enforce != null) {
                p.enforce = enforce.equalsIgnoreCase("True") ? "True" : "False";
            }
            if (tier.equals("Free")) {
                p.extensions = null;
                p.enablementTime = null;
            } else {
                if (!wasStandard) {
                    p.enablementTime = ctx.now().toString();
                }
                if (extensions != null) {
                    p.extensions = extensions;
                } else if (vms) {
                    p.extensions = retainedExtensions(p.extensions, subPlan);
                }
            }
            w.event("Microsoft.Resources.ResourceWriteSuccess", "/subscriptions/" + s.id
                    + "/providers/Microsoft.Security/pricings/" + p.name, "Microsoft.Security/pricings/write", "PUT");
            return ArmResponse.ok(subscriptionPricingJson(w, s, p, true));
        });
    }

    private static String tier(JsonNode props) {
        String tier = Json.text(props, "pricingTier");
        if (tier == null) {
            throw ArmError.badRequest("InvalidInputJson", "The property 'pricingTier' is required (Free or Standard).");
        }
        if (tier.equalsIgnoreCase("Standard")) {
            return "Standard";
        }
        if (tier.equalsIgnoreCase("Free")) {
            return "Free";
        }
        throw ArmError.badRequest("InvalidInputJson", "The pricing tier '" + tier
                + "' is not valid; valid values are 'Free' and 'Standard'.");
    }

    private static JsonNode properties(ArmRequest req) {
        JsonNode props = req.json().get("properties");
        if (props == null || !props.isObject()) {
            throw ArmError.badRequest("InvalidInputJson", "The request body must contain 'properties'.");
        }
        return props;
    }

    private static ArrayNode extensions(JsonNode props) {
        JsonNode ext = props.get("extensions");
        if (ext == null || ext.isNull()) {
            return null;
        }
        if (!ext.isArray()) {
            throw ArmError.badRequest("InvalidInputJson", "The property 'extensions' must be an array.");
        }
        ArrayNode out = Json.arr();
        for (JsonNode e : ext) {
            String name = Json.text(e, "name");
            String enabled = Json.text(e, "isEnabled");
            if (name == null || enabled == null) {
                throw ArmError.badRequest("InvalidInputJson", "Each extension needs 'name' and 'isEnabled'.");
            }
            ObjectNode copy = ((ObjectNode) e).deepCopy();
            copy.put("isEnabled", enabled.equalsIgnoreCase("True") ? "True" : "False");
            copy.remove("operationStatus");
            out.add(copy);
        }
        return out;
    }

    /** The service's refusal, word for word as seen in Azure Landing Zones issue reports. */
    private static void checkAgentless(ArrayNode extensions, String subPlan) {
        if (extensions == null || !subPlan.equals("P1")) {
            return;
        }
        for (JsonNode e : extensions) {
            if ("AgentlessVmScanning".equalsIgnoreCase(Json.text(e, "name"))
                    && "True".equalsIgnoreCase(Json.text(e, "isEnabled"))) {
                throw ArmError.badRequest("InvalidInputJson",
                        "Extension with name 'AgentlessVmScanning' is not supported for 'VirtualMachines' plan and 'P1' SubPlan");
            }
        }
    }

    /** When a plan changes sub plan without naming extensions, P2-only extensions are dropped for P1. */
    private static ArrayNode retainedExtensions(ArrayNode current, String subPlan) {
        if (subPlan.equals("P2")) {
            return current != null && !current.isEmpty() ? current : EmulatedPricing.defaultP2Extensions();
        }
        ArrayNode out = Json.arr();
        if (current != null) {
            for (JsonNode e : current) {
                if (!"AgentlessVmScanning".equalsIgnoreCase(Json.text(e, "name"))) {
                    out.add(e);
                }
            }
        }
        if (out.isEmpty()) {
            out.addObject().put("name", "MdeDesignatedSubscription").put("isEnabled", "False");
        }
        return out;
    }

    private static ObjectNode subscriptionPricingJson(ResourceStore.View v, EmulatedSubscription s, EmulatedPricing p,
            boolean afterWrite) {
        ObjectNode o = Json.obj();
        o.put("id", "/subscriptions/" + s.id + "/providers/Microsoft.Security/pricings/" + p.name);
        o.put("name", p.name);
        o.put("type", "Microsoft.Security/pricings");
        ObjectNode props = o.putObject("properties");
        props.put("pricingTier", p.pricingTier);
        if (p.subPlan != null) {
            props.put("subPlan", p.subPlan);
        }
        props.put("freeTrialRemainingTime", p.freeTrialRemainingTime);
        if (p.enablementTime != null) {
            props.put("enablementTime", p.enablementTime);
        }
        props.put("enforce", p.enforce);
        props.put("resourcesCoverageStatus", coverage(v, s, p));
        if (p.extensions != null) {
            ArrayNode ext = p.extensions.deepCopy();
            if (afterWrite) {
                for (JsonNode e : ext) {
                    if ("True".equals(Json.text(e, "isEnabled"))) {
                        ((ObjectNode) e).putObject("operationStatus").put("code", "Succeeded")
                                .put("message", "Successfully enabled extension");
                    }
                }
            }
            props.set("extensions", ext);
        }
        if (p.deprecated) {
            props.put("deprecated", true);
            ArrayNode replaced = props.putArray("replacedBy");
            p.replacedBy.forEach(replaced::add);
        }
        return o;
    }

    /** Subscription-level coverage: partial when some machine overrides the plan the other way. */
    private static String coverage(ResourceStore.View v, EmulatedSubscription s, EmulatedPricing p) {
        if (p.name.equals("VirtualMachines") && !"True".equalsIgnoreCase(p.enforce)) {
            for (EmulatedMachine.Kind kind : EmulatedMachine.Kind.values()) {
                for (EmulatedMachine m : v.machines(s, kind).values()) {
                    if (m.resourcePricing != null && m.resourcePricing.standard() != p.standard()) {
                        return "PartiallyCovered";
                    }
                }
            }
        }
        return p.standard() ? "FullyCovered" : "NotCovered";
    }

    // ------------------------------------------------------------------ resource pricings

    /** The machine of a resource-scope path; ARM's errors for a missing group or machine. */
    private static EmulatedMachine machine(ResourceStore.View v, ArmRequest req, EmulatedMachine.Kind kind) {
        EmulatedSubscription s = subscription(v, req);
        String rg = req.param("resourceGroupName");
        if (!v.hasResourceGroup(s, rg)) {
            throw ArmError.notFound("ResourceGroupNotFound", "Resource group '" + rg + "' could not be found.");
        }
        EmulatedMachine m = v.machines(s, kind).get(ResourceIds.key(ResourceIds.machineId(kind, s.id, rg, req.param("machineName"))));
        if (m == null) {
            String type = kind == EmulatedMachine.Kind.VM ? "Microsoft.Compute/virtualMachines/" : "Microsoft.HybridCompute/machines/";
            throw ArmError.notFound("ResourceNotFound", "The Resource '" + type + req.param("machineName")
                    + "' under resource group '" + rg + "' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
        }
        return m;
    }

    private static void requireVirtualMachinesPlan(String pricingName) {
        if (!pricingName.equalsIgnoreCase("VirtualMachines")) {
            throw ArmError.badRequest("InvalidInputJson", "Pricing '" + pricingName + "' is not supported at "
                    + "resource level; only 'VirtualMachines' can be set on VirtualMachines, VMSS and ARC Machines.");
        }
    }

    private ArmResponse listResourcePricings(ArmRequest req, EmulatedMachine.Kind kind) {
        return ctx.store.read(v -> {
            EmulatedMachine m = machine(v, req, kind);
            ObjectNode body = Json.obj();
            body.putArray("value").add(resourcePricingJson(v, m, "VirtualMachines"));
            return ArmResponse.ok(body);
        });
    }

    private ArmResponse getResourcePricing(ArmRequest req, EmulatedMachine.Kind kind) {
        return ctx.store.read(v -> {
            EmulatedMachine m = machine(v, req, kind);
            requireVirtualMachinesPlan(req.param("pricingName"));
            return ArmResponse.ok(resourcePricingJson(v, m, req.param("pricingName")));
        });
    }

    private ArmResponse putResourcePricing(ArmRequest req, EmulatedMachine.Kind kind) {
        JsonNode props = properties(req);
        return ctx.store.write(ResourceStore.Changes.of(req), w -> {
            EmulatedMachine m = machine(w, req, kind);
            String name = req.param("pricingName");
            requireVirtualMachinesPlan(name);
            String tier = tier(props);
            EmulatedPricing sub = subscription(w, req).pricing("VirtualMachines");
            if ("True".equalsIgnoreCase(sub.enforce)) {
                throw ArmError.badRequest("InvalidInputJson", "The 'VirtualMachines' pricing of subscription '"
                        + m.subscriptionId + "' is enforced (enforce = True); resource level pricing cannot override it.");
            }
            String subPlan = Json.text(props, "subPlan");
            ArrayNode extensions = extensions(props);
            if (tier.equals("Standard")) {
                subPlan = subPlan == null ? "P1" : subPlan.toUpperCase(Locale.ROOT);
                if (!subPlan.equals("P1")) {
                    throw ArmError.badRequest("InvalidInputJson", "Sub plan '" + subPlan + "' is not supported at "
                            + "resource level; only 'P1' can be enabled on a resource (Plan 2 can be disabled per "
                            + "resource but not enabled). (emulator wording)");
                }
                checkAgentless(extensions, subPlan);
            }
            boolean existed = m.resourcePricing != null;
            EmulatedPricing p = new EmulatedPricing("VirtualMachines");
            p.pricingTier = tier;
            p.subPlan = tier.equals("Standard") ? subPlan : null;
            p.enablementTime = tier.equals("Standard") ? ctx.now().toString() : null;
            p.extensions = tier.equals("Standard")
                    ? (extensions != null ? extensions : retainedExtensions(null, "P1")) : null;
            m.resourcePricing = p;
            w.event("Microsoft.Resources.ResourceWriteSuccess", m.id + "/providers/Microsoft.Security/pricings/" + name,
                    "Microsoft.Security/pricings/write", existed ? "PUT" : null);
            return ArmResponse.status(existed ? 200 : 201, resourcePricingJson(w, m, name));
        });
    }

    private ArmResponse deleteResourcePricing(ArmRequest req, EmulatedMachine.Kind kind) {
        return ctx.store.write(ResourceStore.Changes.of(req), w -> {
            EmulatedMachine m = machine(w, req, kind);
            requireVirtualMachinesPlan(req.param("pricingName"));
            if (m.resourcePricing == null) {
                return ArmResponse.empty(204);
            }
            m.resourcePricing = null;
            w.event("Microsoft.Resources.ResourceDeleteSuccess", m.id + "/providers/Microsoft.Security/pricings/"
                    + req.param("pricingName"), "Microsoft.Security/pricings/delete", "DELETE");
            return ArmResponse.empty(200);
        });
    }

    private static ObjectNode resourcePricingJson(ResourceStore.View v, EmulatedMachine m, String requestedName) {
        ResourceStore.EffectivePricing e = v.effectivePricing(m);
        EmulatedPricing p = e.pricing();
        ObjectNode o = Json.obj();
        o.put("id", m.id + "/providers/Microsoft.Security/pricings/" + requestedName);
        o.put("name", requestedName);
        o.put("type", "Microsoft.Security/pricings");
        ObjectNode props = o.putObject("properties");
        props.put("pricingTier", p.pricingTier);
        if (p.subPlan != null) {
            props.put("subPlan", p.subPlan);
        }
        props.put("freeTrialRemainingTime", p.freeTrialRemainingTime);
        if (p.enablementTime != null) {
            props.put("enablementTime", p.enablementTime);
        }
        props.put("inherited", e.inherited() ? "True" : "False");
        props.put("inheritedFrom", e.inherited() ? "/subscriptions/" + m.subscriptionId : null);
        if (p.extensions != null) {
            props.set("extensions", p.extensions.deepCopy());
        }
        return o;
    }

    // ------------------------------------------------------------------ settings

    private ArmResponse listSettings(ArmRequest req) {
        return ctx.store.read(v -> {
            EmulatedSubscription s = subscription(v, req);
            ObjectNode body = Json.obj();
            ArrayNode value = body.putArray("value");
            s.settings().forEach((name, enabled) -> {
                if (s.listed(name)) {
                    value.add(settingJson(s, name, enabled));
                }
            });
            return ArmResponse.ok(body);
        });
    }

    private ArmResponse getSetting(ArmRequest req) {
        return ctx.store.read(v -> {
            EmulatedSubscription s = subscription(v, req);
            String name = SecuritySettings.canonical(req.param("settingName"));
            if (name == null) {
                throw ArmError.notFound("ResourceNotFound", "The setting '" + req.param("settingName")
                        + "' was not found; known settings are " + SecuritySettings.names() + ".");
            }
            return ArmResponse.ok(settingJson(s, name, s.setting(name)));
        });
    }

    private ArmResponse putSetting(ArmRequest req) {
        JsonNode body = req.json();
        return ctx.store.write(ResourceStore.Changes.of(req), w -> {
            EmulatedSubscription s = subscription(w, req);
            String name = SecuritySettings.canonical(req.param("settingName"));
            if (name == null) {
                throw ArmError.badRequest("InvalidInputJson", "The setting '" + req.param("settingName")
                        + "' is not supported; known settings are " + SecuritySettings.names() + ".");
            }
            String kind = Json.text(body, "kind");
            String expected = SecuritySettings.kindOf(name);
            if (kind == null || !kind.equalsIgnoreCase(expected)) {
                throw ArmError.badRequest("InvalidInputJson", "Setting '" + name + "' must have kind '" + expected
                        + "'" + (kind == null ? " (kind is missing)." : ", not '" + kind + "'."));
            }
            JsonNode enabled = body.path("properties").get("enabled");
            boolean value;
            if (enabled != null && enabled.isBoolean()) {
                value = enabled.asBoolean();
            } else if (enabled != null && enabled.isTextual()
                    && (enabled.asText().equalsIgnoreCase("true") || enabled.asText().equalsIgnoreCase("false"))) {
                value = enabled.asText().equalsIgnoreCase("true");
            } else {
                throw ArmError.badRequest("InvalidInputJson", "The property 'properties.enabled' is required and must be a boolean.");
            }
            s.setSetting(name, value);
            s.setListed(name, true); // a setting written is a setting listed
            w.event("Microsoft.Resources.ResourceWriteSuccess", "/subscriptions/" + s.id
                    + "/providers/Microsoft.Security/settings/" + name, "Microsoft.Security/settings/write", "PUT");
            return ArmResponse.ok(settingJson(s, name, value));
        });
    }

    private static ObjectNode settingJson(EmulatedSubscription s, String name, boolean enabled) {
        ObjectNode o = Json.obj();
        o.put("id", "/subscriptions/" + s.id + "/providers/Microsoft.Security/settings/" + name);
        o.put("name", name);
        o.put("kind", SecuritySettings.kindOf(name));
        o.put("type", "Microsoft.Security/settings");
        o.putObject("properties").put("enabled", enabled);
        return o;
    }

    // ------------------------------------------------------------------ mdeOnboardings

    private ArmResponse listMde(ArmRequest req) {
        ObjectNode body = Json.obj();
        body.putArray("value").add(mdeJson(req.param("subscriptionId"), "default"));
        return ArmResponse.ok(body);
    }

    private ArmResponse getMde(ArmRequest req) {
        String requested = req.param("name");
        String name = null;
        for (String known : List.of("default", "Windows", "Linux")) {
            if (known.equalsIgnoreCase(requested)) {
                name = known;
            }
        }
        if (name == null) {
            throw ArmError.notFound("ResourceNotFound", "The mdeOnboardings resource '" + requested
                    + "' was not found; use 'default' (or 'Windows' / 'Linux').");
        }
        return ArmResponse.ok(mdeJson(req.param("subscriptionId"), name));
    }

    private ObjectNode mdeJson(String subscriptionId, String name) {
        String sub = ctx.store.read(v -> v.subscription(subscriptionId).id);
        ObjectNode o = Json.obj();
        o.put("id", "/subscriptions/" + sub + "/providers/Microsoft.Security/mdeOnboardings/" + name);
        o.put("name", name);
        o.put("type", "Microsoft.Security/mdeOnboardings");
        ObjectNode p = o.putObject("properties");
        p.put("onboardingPackageWindows", ctx.packages.windowsBase64());
        p.put("onboardingPackageLinux", ctx.packages.linuxBase64());
        return o;
    }
}
