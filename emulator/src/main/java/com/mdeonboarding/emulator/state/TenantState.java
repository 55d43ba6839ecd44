package com.mdeonboarding.emulator.state;

import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.server.EmulatorContext;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import com.mdeonboarding.emulator.tenant.ExtensionSpec;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.tenant.SensorSpec;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.TenantSeeder;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The live emulated tenant as tests and operators see it ({@link ArmEmulator#state()}): read-only
 * views of subscriptions, machines, extensions, plans and settings, and the writes a test makes.
 * Thread-safe. A facade: the resources are held by {@link ResourceStore}, which owns the lock;
 * {@link AdminWrites} changes them as Resource Manager writes would (publishing the same event),
 * {@link AgentFacts} changes what agents report (silently, as in Azure); {@link EmulatedOnboardingPackages}
 * and {@link RunCommands} keep the fake onboarding packages and the run commands received.
 */
public final class TenantState {
    private final ResourceStore store;
    private final AdminWrites admin;
    private final AgentFacts agents;
    private final EmulatedOnboardingPackages packages;
    private final RunCommands runCommands = new RunCommands();
    private final EmulatedRoleGrants roleGrants = new EmulatedRoleGrants();
    private final EmulatedEventWiring eventWiring;
    /** The Defender for Endpoint API's switches; set by the emulator that serves this state. */
    private volatile EmulatorContext defenderApi;

    public TenantState(Tenant tenant) {
        this(tenant, new EmulatorClock());
    }

    public TenantState(Tenant tenant, EmulatorClock clock) {
        this.store = TenantSeeder.seed(tenant, clock);
        this.admin = new AdminWrites(store);
        this.agents = new AgentFacts(store);
        this.packages = new EmulatedOnboardingPackages(tenant.tenantId());
        this.eventWiring = new EmulatedEventWiring(subscriptionIds());
    }

    public EmulatedRoleGrants roleGrants() {
        return roleGrants;
    }

    public EmulatedEventWiring eventWiring() {
        return eventWiring;
    }

    public ResourceStore store() {
        return store;
    }

    /** The emulated tenant's clock (real time until a test advances it through {@link ArmEmulator#advanceTime}). */
    public EmulatorClock clock() {
        return store.clock();
    }

    public void defenderApi(EmulatorContext ctx) {
        this.defenderApi = ctx;
    }

    public RunCommands runCommands() {
        return runCommands;
    }

    public EmulatedOnboardingPackages packages() {
        return packages;
    }

    // ------------------------------------------------------------------ read-only views

    /** The record of one Run Command the emulator received (so tests can assert what ran on a machine). */
    public record RunCommandRecord(Instant time, String machineId, String operationId, String commandId,
            String runCommandName, String script) {
    }

    /** A read-only view of a machine. {@code kind} is {@code virtualMachine} or {@code arcMachine}. */
    public record MachineInfo(String id, String kind, String subscriptionId, String resourceGroup, String name,
            String location, String osType, String osName, String osSku, String osVersion, String powerState,
            Boolean vmAgentReady, String status, Map<String, String> tags, List<ExtensionInfo> extensions) {
    }

    /** A read-only view of an extension; protected settings are reachable only through {@link #protectedSettingsOf}. */
    public record ExtensionInfo(String id, String machineId, String name, String publisher, String type,
            String typeHandlerVersion, String provisioningState, String statusCode, String statusMessage,
            Map<String, Object> settings, boolean hasProtectedSettings) {
    }

    /** A plan as Pricings_Get would report it for a scope. */
    public record PricingInfo(String scopeId, String name, String pricingTier, String subPlan, String enforce,
            List<Map<String, Object>> extensions, boolean inherited, String inheritedFrom) {
    }

    // ------------------------------------------------------------------ reads

    public String tenantId() {
        return store.tenantId();
    }

    public List<String> subscriptionIds() {
        return store.read(v -> v.subscriptions().values().stream().map(s -> s.id).toList());
    }

    public int subscriptionCount() {
        return store.read(v -> v.subscriptions().size());
    }

    public int virtualMachineCount() {
        return store.read(v -> (int) v.allMachines().stream().filter(EmulatedMachine::isVm).count());
    }

    public int arcMachineCount() {
        return store.read(v -> (int) v.allMachines().stream().filter(m -> !m.isVm()).count());
    }

    public int machineCount() {
        return store.read(v -> v.allMachines().size());
    }

    public Optional<MachineInfo> machine(String machineId) {
        return store.read(v -> Optional.ofNullable(v.machine(machineId)).map(this::info));
    }

    /** All machines of a subscription, VMs first, each group sorted by ID. */
    public List<MachineInfo> machines(String subscriptionId) {
        return store.read(v -> {
            EmulatedSubscription s = v.subscription(subscriptionId);
            if (s == null) {
                return List.of();
            }
            List<MachineInfo> out = new ArrayList<>();
            v.machines(s, EmulatedMachine.Kind.VM).values().forEach(m -> out.add(info(m)));
            v.machines(s, EmulatedMachine.Kind.ARC).values().forEach(m -> out.add(info(m)));
            return out;
        });
    }

    public Optional<ExtensionInfo> extension(String extensionId) {
        return store.read(v -> {
            String[] parts = ResourceIds.splitChild(extensionId, "extensions");
            EmulatedMachine m = parts == null ? null : v.machine(parts[0]);
            EmulatedExtension e = m == null ? null : m.extension(parts[1]);
            return Optional.ofNullable(e).map(x -> info(m, x));
        });
    }

    public List<ExtensionInfo> extensionsOf(String machineId) {
        return store.read(v -> {
            EmulatedMachine m = v.machine(machineId);
            return m == null ? List.<ExtensionInfo>of() : m.extensions().stream().map(e -> info(m, e)).toList();
        });
    }

    /**
     * The protected settings last written to an extension. Resource Manager never returns them; the
     * emulator keeps them so tests can assert what the app sent (e.g. the onboarding package).
     */
    public Optional<Map<String, Object>> protectedSettingsOf(String extensionId) {
        return store.read(v -> {
            String[] parts = ResourceIds.splitChild(extensionId, "extensions");
            EmulatedMachine m = parts == null ? null : v.machine(parts[0]);
            EmulatedExtension e = m == null ? null : m.extension(parts[1]);
            return e == null || !e.hasProtectedSettings()
                    ? Optional.<Map<String, Object>>empty()
                    : Optional.of(Json.toMap(e.protectedSettings));
        });
    }

    /** The subscription's VirtualMachines (Defender for Servers) plan. */
    public PricingInfo pricing(String subscriptionId) {
        return pricing(subscriptionId, "VirtualMachines").orElseThrow();
    }

    public Optional<PricingInfo> pricing(String subscriptionId, String planName) {
        return store.read(v -> {
            EmulatedSubscription s = v.subscription(subscriptionId);
            EmulatedPricing p = s == null ? null : s.pricing(planName);
            return Optional.ofNullable(p).map(x -> new PricingInfo("/subscriptions/" + s.id, x.name, x.pricingTier,
                    x.subPlan, x.enforce, Json.toListOfMaps(x.extensions), false, null));
        });
    }

    /** The VirtualMachines plan as Pricings_Get at the machine's scope reports it (own or inherited). */
    public PricingInfo resourcePricing(String machineId) {
        return store.read(v -> {
            EmulatedMachine m = v.machine(machineId);
            if (m == null) {
                throw new IllegalArgumentException("No machine " + machineId);
            }
            ResourceStore.EffectivePricing e = v.effectivePricing(m);
            return new PricingInfo(m.id, "VirtualMachines", e.pricing().pricingTier, e.pricing().subPlan, null,
                    Json.toListOfMaps(e.pricing().extensions), e.inherited(),
                    e.inherited() ? "/subscriptions/" + m.subscriptionId : null);
        });
    }

    public boolean setting(String subscriptionId, String settingName) {
        return store.read(v -> {
            EmulatedSubscription s = v.subscription(subscriptionId);
            if (s == null) {
                throw new IllegalArgumentException("No subscription " + subscriptionId);
            }
            String name = SecuritySettings.canonical(settingName);
            return name != null && s.setting(name);
        });
    }

    /** Every Run Command received, in order. */
    public List<RunCommandRecord> runCommandsReceived() {
        return runCommands.received();
    }

    public List<RunCommandRecord> runCommandsReceived(String machineId) {
        String key = ResourceIds.key(machineId);
        return runCommands.received().stream().filter(r -> ResourceIds.key(r.machineId()).equals(key)).toList();
    }

    /** The fake Windows onboarding package (decoded) that mdeOnboardings returns for this tenant. */
    public byte[] onboardingPackageWindows() {
        return packages.windows();
    }

    public byte[] onboardingPackageLinux() {
        return packages.linux();
    }

    public String onboardingPackageWindowsBase64() {
        return packages.windowsBase64();
    }

    public String onboardingPackageLinuxBase64() {
        return packages.linuxBase64();
    }

    /** A random marker embedded in both packages: scan logs and stores for it to detect a leaked package. */
    public String onboardingPackageMarker() {
        return packages.marker();
    }

    /** Counts for {@code GET /admin/state}. */
    public Map<String, Object> summary() {
        int runs = runCommands.count();
        return store.read(v -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tenantId", store.tenantId());
            out.put("subscriptions", v.subscriptions().size());
            int vms = 0;
            int arcs = 0;
            int exts = 0;
            for (EmulatedMachine m : v.allMachines()) {
                if (m.isVm()) {
                    vms++;
                } else {
                    arcs++;
                }
                exts += m.extensions().size();
            }
            out.put("virtualMachines", vms);
            out.put("arcMachines", arcs);
            out.put("extensions", exts);
            out.put("runCommandsReceived", runs);
            if (v.subscriptions().size() <= 100) {
                List<Map<String, Object>> subs = new ArrayList<>();
                for (EmulatedSubscription s : v.subscriptions().values()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("subscriptionId", s.id);
                    e.put("displayName", s.displayName);
                    e.put("state", s.state);
                    EmulatedPricing p = s.pricing("VirtualMachines");
                    e.put("pricingTier", p.pricingTier);
                    e.put("subPlan", p.subPlan);
                    e.put("settings", new LinkedHashMap<>(s.settings()));
                    e.put("virtualMachines", v.machines(s, EmulatedMachine.Kind.VM).size());
                    e.put("arcMachines", v.machines(s, EmulatedMachine.Kind.ARC).size());
                    subs.add(e);
                }
                out.put("subscriptionDetails", subs);
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ writes that publish the event ARM would

    /** Creates (or replaces) a VM; {@code spec.subscriptionId()} must be set. Publishes its write event. */
    public String createVirtualMachine(VirtualMachineSpec spec) {
        if (spec.subscriptionId() == null) {
            throw new IllegalArgumentException("VirtualMachineSpec.subscriptionId is required to create a VM at run time");
        }
        return createVirtualMachine(spec.subscriptionId(), spec);
    }

    public String createVirtualMachine(String subscriptionId, VirtualMachineSpec spec) {
        return admin.createVirtualMachine(subscriptionId, spec);
    }

    /** Creates (or replaces) an Arc machine; {@code spec.subscriptionId()} must be set. Publishes its write event. */
    public String createArcMachine(ArcMachineSpec spec) {
        if (spec.subscriptionId() == null) {
            throw new IllegalArgumentException("ArcMachineSpec.subscriptionId is required to create a machine at run time");
        }
        return createArcMachine(spec.subscriptionId(), spec);
    }

    public String createArcMachine(String subscriptionId, ArcMachineSpec spec) {
        return admin.createArcMachine(subscriptionId, spec);
    }

    /** Deletes a machine and its extensions; publishes ResourceDeleteSuccess. */
    public void deleteMachine(String machineId) {
        admin.deleteMachine(machineId);
    }

    /**
     * Removes an extension at once, as someone deleting it through Resource Manager (portal, CLI) would; publishes
     * ResourceDeleteSuccess for {@code <machine>/extensions/<name>} (operation {@code .../extensions/delete}).
     */
    public void deleteExtension(String machineId, String extensionName) {
        admin.deleteExtension(machineId, extensionName);
    }

    /** Replaces a machine's tags; publishes the machine's write event (as a tag update through ARM would). */
    public void setTags(String machineId, Map<String, String> tags) {
        admin.setTags(machineId, tags);
    }

    /**
     * Changes a VM's power state ({@code running}, {@code deallocated}, {@code stopped}); publishes the
     * ResourceActionSuccess event of the matching action (start, deallocate, powerOff).
     */
    public void setPowerState(String vmId, String powerState) {
        admin.setPowerState(vmId, powerState);
    }

    /** Seeds an extension directly (no long-running operation); publishes its write event. */
    public void putExtension(String machineId, ExtensionSpec spec) {
        admin.putExtension(machineId, spec);
    }

    /** Sets a Defender for Cloud setting; publishes {@code Microsoft.Security/settings/write}. */
    public void setSetting(String subscriptionId, String settingName, boolean enabled) {
        admin.setSetting(subscriptionId, settingName, enabled);
    }

    /** Replaces the subscription's VirtualMachines plan; publishes {@code Microsoft.Security/pricings/write}. */
    public void setPricing(String subscriptionId, PricingSpec pricing) {
        admin.setPricing(subscriptionId, pricing);
    }

    /** Sets (or, with null, removes) a machine's own VirtualMachines plan. */
    public void setResourcePricing(String machineId, PricingSpec pricing) {
        admin.setResourcePricing(machineId, pricing);
    }

    /**
     * Whether Settings_List shows a setting; Settings_Get returns it either way, and a PUT lists it again. Microsoft's
     * own Settings_List example (Security 2022-05-01, GetSettings_example.json) has no WDATP_UNIFIED_SOLUTION. Silent.
     */
    public void setSettingListed(String subscriptionId, String settingName, boolean listed) {
        String name = SecuritySettings.canonical(settingName);
        if (name == null) {
            throw new IllegalArgumentException("Unknown setting " + settingName + "; known settings are " + SecuritySettings.names());
        }
        store.write(w -> {
            w.existingSubscription(subscriptionId).setListed(name, listed);
            return null;
        });
    }

    // ------------------------------------------------------------------ the Defender for Endpoint API

    /** The device records {@code GET /api/machines} would list now, ordered by device ID (each as the API renders it). */
    public List<Map<String, Object>> devices() {
        java.time.Instant now = store.now();
        return store.read(v -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (EmulatedMachine m : v.allMachines()) {
                EmulatedDevices.of(m, now).forEach(d -> out.add(Json.toMap(d)));
            }
            out.sort(java.util.Comparator.comparing(d -> String.valueOf(d.get("id"))));
            return out;
        });
    }

    /** How many device records the API would list now. */
    public int deviceCount() {
        java.time.Instant now = store.now();
        return store.read(v -> v.allMachines().stream().mapToInt(m -> EmulatedDevices.of(m, now).size()).sum());
    }

    /** Changes how the machine's sensor behaves (what its agent does: no ARM event); takes effect on the next listing. */
    public void setSensor(String machineId, SensorSpec sensor) {
        store.write(w -> {
            w.existingMachine(machineId).sensor = sensor;
            return null;
        });
    }

    /** Grants or revokes the app's Machine.Read.All: without it, {@code /api/machines} answers 403 Forbidden. */
    public void setDefenderApiPermission(boolean granted) {
        if (defenderApi == null) {
            throw new IllegalStateException("no emulator serves this state");
        }
        defenderApi.defenderPermission = granted;
    }

    // ------------------------------------------------------------------ agent-side facts (no event)

    /** Changes whether the VM agent reports Ready (guest state: no ARM event). */
    public void setVmAgentReady(String vmId, boolean ready) {
        agents.setVmAgentReady(vmId, ready);
    }

    /**
     * The VM is still being created: {@code provisioningState} Creating and its agent not Ready for {@code after}, then
     * Succeeded and Ready, as a new VM whose write event arrives before its agent reports (silent, no event).
     */
    public void provisionVmAfter(String vmId, Duration after) {
        agents.provisionVmAfter(vmId, after);
    }

    /** Changes an Arc machine's connection status (agent heartbeat state: no ARM event). */
    public void setArcStatus(String machineId, String status) {
        agents.setArcStatus(machineId, status);
    }

    /**
     * The next MDE extension PUT on this machine meets another writer's deployment (Defender for Cloud's own
     * provisioning, a policy remediation): it answers 409 Conflict, and that writer's MDE extension appears, Creating,
     * then Succeeded after the extension delay.
     */
    public void foreignMdeDeploymentOnNextPut(String machineId) {
        agents.foreignMdeDeploymentOnNextPut(machineId);
    }

    /** Decides how the next extension PUTs on this machine end. */
    public void setExtensionOutcome(String machineId, ExtensionOutcome outcome) {
        agents.setExtensionOutcome(machineId, outcome);
    }

    /** Sets what Run Command prints on this machine (see {@link VirtualMachineSpec#runCommandOutput()}). */
    public void setRunCommandOutput(String machineId, Object output) {
        agents.setRunCommandOutput(machineId, output);
    }

    // ------------------------------------------------------------------ projections (under the lock)

    private MachineInfo info(EmulatedMachine m) {
        List<ExtensionInfo> exts = m.extensions().stream().map(e -> info(m, e)).toList();
        return new MachineInfo(m.id, m.isVm() ? "virtualMachine" : "arcMachine", m.subscriptionId, m.resourceGroup,
                m.name, m.location, m.osType, m.osName, m.osSku, m.osVersion, m.isVm() ? m.powerState : null,
                m.isVm() ? m.agentReady(store.now()) : null, m.isVm() ? null : m.status, m.tags, exts);
    }

    private static ExtensionInfo info(EmulatedMachine m, EmulatedExtension e) {
        return new ExtensionInfo(m.id + "/extensions/" + e.name, m.id, e.name, e.publisher(), e.type(),
                e.typeHandlerVersion(), e.provisioningState, e.statusCode, e.statusMessage,
                Json.toMap(e.properties.get("settings")), e.hasProtectedSettings());
    }

    // ------------------------------------------------------------------ access and event wiring (doctor)

    /**
     * What the permissions API reports for the caller in this subscription: one role's actions and notActions (the
     * default is Owner's {@code *}). Reported only, not enforced.
     */
    public void setRolePermissions(String subscriptionId, List<String> actions, List<String> notActions) {
        roleGrants.set(subscriptionId, List.of(new EmulatedRoleGrants.Grant(actions, notActions)));
    }

    /** The subscription has no Event Grid system topic any more (and so no event subscription). */
    public void removeEventGridSystemTopic(String subscriptionId) {
        eventWiring.removeTopics(subscriptionId);
    }

    /** The system topic stays; its event subscriptions are gone. */
    public void removeEventSubscriptions(String subscriptionId) {
        eventWiring.setSubscriptions(subscriptionId, List.of());
    }

    /** Our event subscription with other filters (e.g. Arc machine writes missing), to the same function. */
    public void setEventSubscriptionFilter(String subscriptionId, List<String> includedEventTypes, List<String> operationNames) {
        List<EmulatedEventWiring.Subscription> changed = new ArrayList<>();
        for (EmulatedEventWiring.Topic t : eventWiring.topics(subscriptionId)) {
            for (EmulatedEventWiring.Subscription es : t.subscriptions()) {
                changed.add(new EmulatedEventWiring.Subscription(es.name(), es.endpointType(), es.destinationResourceId(),
                        includedEventTypes, operationNames));
            }
        }
        eventWiring.setSubscriptions(subscriptionId, changed);
    }

    // ------------------------------------------------------------------ Event Grid wiring (the app's wiring step)

    /** A system topic as a test sees it: its identity as JSON text ("" when none) and its event subscriptions' names. */
    public record SystemTopicInfo(String id, String topicType, String source, String identity, List<String> eventSubscriptions,
            String provisioningState) {
    }

    /** No subscription has an Event Grid system topic (a tenant before anything was wired). */
    public void removeAllEventWiring() {
        subscriptionIds().forEach(eventWiring::removeTopics);
    }

    /**
     * Someone else's subscription system topic ({@code Microsoft.Resources.Subscriptions}), with a user-assigned identity
     * and event subscriptions of their own (WebHook destinations), as many estates have for other automation.
     */
    public void addForeignSubscriptionTopic(String subscriptionId, String resourceGroup, String name, String userAssignedIdentityId,
            List<String> eventSubscriptionNames) {
        com.fasterxml.jackson.databind.node.ObjectNode identity = Json.obj().put("type", "UserAssigned");
        identity.putObject("userAssignedIdentities").putObject(userAssignedIdentityId);
        List<EmulatedEventWiring.Subscription> subs = new ArrayList<>();
        for (String es : eventSubscriptionNames) {
            com.fasterxml.jackson.databind.node.ObjectNode props = Json.obj();
            props.putObject("destination").put("endpointType", "WebHook").putObject("properties")
                    .put("endpointUrl", "https://automation.example.com/api/" + es);
            props.putObject("filter").putArray("includedEventTypes").add("Microsoft.Resources.ResourceWriteSuccess");
            subs.add(new EmulatedEventWiring.Subscription(es, "WebHook", "https://automation.example.com/api/" + es,
                    List.of("Microsoft.Resources.ResourceWriteSuccess"), List.of(), props, "Succeeded"));
        }
        eventWiring.putTopic(subscriptionId, new EmulatedEventWiring.Topic(resourceGroup, name, EmulatedEventWiring.SUBSCRIPTIONS_TOPIC_TYPE,
                "/subscriptions/" + subscriptionId, subs, "global", identity, Json.obj().put("owner", "platform-team"), "Succeeded"));
    }

    /** The subscription's system topics now. */
    public List<SystemTopicInfo> systemTopics(String subscriptionId) {
        List<SystemTopicInfo> out = new ArrayList<>();
        for (EmulatedEventWiring.Topic t : eventWiring.topics(subscriptionId)) {
            out.add(new SystemTopicInfo(t.id(subscriptionId), t.topicType(), t.source(),
                    t.identity() == null ? "" : Json.write(t.identity()),
                    t.subscriptions().stream().map(EmulatedEventWiring.Subscription::name).sorted().toList(), t.provisioningState()));
        }
        return out;
    }

    /** A new subscription (no Event Grid wiring, as a new one has none) placed under a management group. */
    public void addSubscription(SubscriptionSpec spec, String managementGroup) {
        store.write(w -> {
            TenantSeeder.addSubscription(w, spec);
            return null;
        });
        eventWiring.removeTopics(spec.subscriptionId());
        if (managementGroup != null) {
            store.addToManagementGroup(managementGroup, spec.subscriptionId());
        }
    }
}
