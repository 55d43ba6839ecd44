package com.mdeonboarding.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The emulated tenant: subscriptions, VMs, Arc machines, extensions, plans and settings, held in
 * memory and shared by every request. Thread-safe: one read/write lock guards the model, and
 * events are published after the lock is released, so listeners may call back into the state.
 *
 * <p>Changes made through this class behave like writes through Resource Manager: creating or
 * updating a machine, its tags, a plan or a setting publishes the same event ARM would.
 * Agent-side facts (VM agent readiness, Arc connection status) change silently, as in Azure.
 */
public final class TenantState {
    /** The settings a subscription has, in the order Settings_List returns them, with new-subscription defaults. */
    static final Map<String, Boolean> DEFAULT_SETTINGS;
    static final Map<String, String> SETTING_KINDS;
    /** Plans every subscription lists besides VirtualMachines (Free unless the tenant says otherwise). */
    static final List<String> OTHER_PLANS = List.of("SqlServers", "AppServices", "StorageAccounts",
            "SqlServerVirtualMachines", "KeyVaults", "Arm", "OpenSourceRelationalDatabases", "CosmosDbs",
            "Containers", "CloudPosture", "Api", "AI");
    static final List<String> DEPRECATED_PLANS = List.of("KubernetesService", "ContainerRegistry");
    static final String DEFAULT_ENABLEMENT_TIME = "2024-05-01T08:00:00.0000000Z";
    private static final Instant CREATED = Instant.parse("2024-06-01T10:00:00Z");
    private static final Instant EXTENSION_TIME = Instant.parse("2024-06-01T10:05:00Z");

    static {
        Map<String, Boolean> s = new LinkedHashMap<>();
        s.put("MCAS", true);
        s.put("WDATP", true);
        s.put("WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false);
        s.put("WDATP_UNIFIED_SOLUTION", true);
        s.put("Sentinel", false);
        DEFAULT_SETTINGS = Collections.unmodifiableMap(s);
        Map<String, String> k = new LinkedHashMap<>();
        s.keySet().forEach(n -> k.put(n, "DataExportSettings"));
        k.put("Sentinel", "AlertSyncSettings");
        SETTING_KINDS = Collections.unmodifiableMap(k);
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final String tenantId;
    /** Lower-case subscription ID to subscription, sorted for stable paging. */
    final TreeMap<String, EmulatedSubscription> subscriptions = new TreeMap<>();
    /** Lower-case machine ID to machine (VMs and Arc machines). */
    final Map<String, EmulatedMachine> machines = new HashMap<>();
    final Map<String, List<String>> managementGroups;
    private final List<RunCommandRecord> runCommandsReceived = new ArrayList<>();
    private final String packageMarker;
    private final byte[] packageWindows;
    private final byte[] packageLinux;
    private EventBus events;

    TenantState(Tenant tenant) {
        this.tenantId = tenant.tenantId();
        Map<String, List<String>> mgs = new LinkedHashMap<>();
        tenant.managementGroups().forEach((k, v) -> mgs.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        this.managementGroups = mgs;
        for (SubscriptionSpec spec : tenant.subscriptions()) {
            addSubscription(spec);
        }
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.packageMarker = "MDE-EMULATOR-PACKAGE-" + HexFormat.of().formatHex(random);
        this.packageWindows = windowsPackage(packageMarker, tenantId).getBytes(StandardCharsets.UTF_8);
        this.packageLinux = linuxPackage(packageMarker, tenantId).getBytes(StandardCharsets.UTF_8);
    }

    void attach(EventBus bus) {
        this.events = bus;
    }

    // ------------------------------------------------------------------ public read API

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

    public String tenantId() {
        return tenantId;
    }

    public List<String> subscriptionIds() {
        return read(() -> subscriptions.values().stream().map(s -> s.id).toList());
    }

    public int subscriptionCount() {
        return read(subscriptions::size);
    }

    public int virtualMachineCount() {
        return read(() -> (int) machines.values().stream().filter(EmulatedMachine::isVm).count());
    }

    public int arcMachineCount() {
        return read(() -> (int) machines.values().stream().filter(m -> !m.isVm()).count());
    }

    public int machineCount() {
        return read(machines::size);
    }

    public Optional<MachineInfo> machine(String machineId) {
        return read(() -> Optional.ofNullable(machines.get(ResourceIds.key(machineId))).map(this::info));
    }

    /** All machines of a subscription, VMs first, each group sorted by ID. */
    public List<MachineInfo> machines(String subscriptionId) {
        return read(() -> {
            EmulatedSubscription s = subscriptions.get(subscriptionId.toLowerCase(Locale.ROOT));
            if (s == null) {
                return List.of();
            }
            List<MachineInfo> out = new ArrayList<>();
            s.vms.values().forEach(m -> out.add(info(m)));
            s.arcMachines.values().forEach(m -> out.add(info(m)));
            return out;
        });
    }

    public Optional<ExtensionInfo> extension(String extensionId) {
        return read(() -> {
            String[] parts = ResourceIds.splitChild(extensionId, "extensions");
            EmulatedMachine m = parts == null ? null : machines.get(parts[0]);
            EmulatedExtension e = m == null ? null : m.extension(parts[1]);
            return Optional.ofNullable(e).map(x -> info(m, x));
        });
    }

    public List<ExtensionInfo> extensionsOf(String machineId) {
        return read(() -> {
            EmulatedMachine m = machines.get(ResourceIds.key(machineId));
            if (m == null) {
                return List.<ExtensionInfo>of();
            }
            List<ExtensionInfo> out = new ArrayList<>();
            m.extensionList().forEach(e -> out.add(info(m, e)));
            return out;
        });
    }

    /**
     * The protected settings last written to an extension. Resource Manager never returns them; the
     * emulator keeps them so tests can assert what the app sent (e.g. the onboarding package).
     */
    public Optional<Map<String, Object>> protectedSettingsOf(String extensionId) {
        return read(() -> {
            String[] parts = ResourceIds.splitChild(extensionId, "extensions");
            EmulatedMachine m = parts == null ? null : machines.get(parts[0]);
            EmulatedExtension e = m == null ? null : m.extension(parts[1]);
            return e == null || e.protectedSettings == null || e.protectedSettings.isNull()
                    ? Optional.<Map<String, Object>>empty()
                    : Optional.of(Json.toMap(e.protectedSettings));
        });
    }

    /** The subscription's VirtualMachines (Defender for Servers) plan. */
    public PricingInfo pricing(String subscriptionId) {
        return pricing(subscriptionId, "VirtualMachines").orElseThrow();
    }

    public Optional<PricingInfo> pricing(String subscriptionId, String planName) {
        return read(() -> {
            EmulatedSubscription s = subscriptions.get(subscriptionId.toLowerCase(Locale.ROOT));
            EmulatedPricing p = s == null ? null : s.pricing(planName);
            return Optional.ofNullable(p).map(x -> new PricingInfo("/subscriptions/" + s.id, x.name, x.pricingTier,
                    x.subPlan, x.enforce, Json.toListOfMaps(x.extensions), false, null));
        });
    }

    /** The VirtualMachines plan as Pricings_Get at the machine's scope reports it (own or inherited). */
    public PricingInfo resourcePricing(String machineId) {
        return read(() -> {
            EmulatedMachine m = machines.get(ResourceIds.key(machineId));
            if (m == null) {
                throw new IllegalArgumentException("No machine " + machineId);
            }
            Effective e = effectivePricing(m);
            return new PricingInfo(m.id, "VirtualMachines", e.pricing.pricingTier, e.pricing.subPlan, null,
                    Json.toListOfMaps(e.pricing.extensions), e.inherited, e.inherited ? "/subscriptions/" + m.subscriptionId : null);
        });
    }

    public boolean setting(String subscriptionId, String settingName) {
        return read(() -> {
            EmulatedSubscription s = subscriptions.get(subscriptionId.toLowerCase(Locale.ROOT));
            if (s == null) {
                throw new IllegalArgumentException("No subscription " + subscriptionId);
            }
            Boolean v = s.settings.get(canonicalSetting(settingName));
            return v != null && v;
        });
    }

    /** Every Run Command received, in order. */
    public List<RunCommandRecord> runCommandsReceived() {
        synchronized (runCommandsReceived) {
            return List.copyOf(runCommandsReceived);
        }
    }

    public List<RunCommandRecord> runCommandsReceived(String machineId) {
        String key = ResourceIds.key(machineId);
        return runCommandsReceived().stream().filter(r -> ResourceIds.key(r.machineId()).equals(key)).toList();
    }

    /** The fake Windows onboarding package (decoded) that mdeOnboardings returns for this tenant. */
    public byte[] onboardingPackageWindows() {
        return packageWindows.clone();
    }

    public byte[] onboardingPackageLinux() {
        return packageLinux.clone();
    }

    public String onboardingPackageWindowsBase64() {
        return Base64.getEncoder().encodeToString(packageWindows);
    }

    public String onboardingPackageLinuxBase64() {
        return Base64.getEncoder().encodeToString(packageLinux);
    }

    /** A random marker embedded in both packages: scan logs and stores for it to detect a leaked package. */
    public String onboardingPackageMarker() {
        return packageMarker;
    }

    /** Counts for {@code GET /admin/state}. */
    public Map<String, Object> summary() {
        return read(() -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tenantId", tenantId);
            out.put("subscriptions", subscriptions.size());
            int vms = 0;
            int arcs = 0;
            int exts = 0;
            for (EmulatedMachine m : machines.values()) {
                if (m.isVm()) {
                    vms++;
                } else {
                    arcs++;
                }
                exts += m.extensions == null ? 0 : m.extensions.size();
            }
            out.put("virtualMachines", vms);
            out.put("arcMachines", arcs);
            out.put("extensions", exts);
            out.put("runCommandsReceived", runCommandsReceived().size());
            if (subscriptions.size() <= 100) {
                List<Map<String, Object>> subs = new ArrayList<>();
                for (EmulatedSubscription s : subscriptions.values()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("subscriptionId", s.id);
                    e.put("displayName", s.displayName);
                    e.put("state", s.state);
                    EmulatedPricing p = s.pricing("VirtualMachines");
                    e.put("pricingTier", p.pricingTier);
                    e.put("subPlan", p.subPlan);
                    e.put("settings", new LinkedHashMap<>(s.settings));
                    e.put("virtualMachines", s.vms.size());
                    e.put("arcMachines", s.arcMachines.size());
                    subs.add(e);
                }
                out.put("subscriptionDetails", subs);
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ public write API

    /** Creates (or replaces) a VM; {@code spec.subscriptionId()} must be set. Publishes its write event. */
    public String createVirtualMachine(VirtualMachineSpec spec) {
        if (spec.subscriptionId() == null) {
            throw new IllegalArgumentException("VirtualMachineSpec.subscriptionId is required to create a VM at run time");
        }
        return createVirtualMachine(spec.subscriptionId(), spec);
    }

    public String createVirtualMachine(String subscriptionId, VirtualMachineSpec spec) {
        return mutate(c -> {
            EmulatedSubscription s = existingSubscription(subscriptionId);
            EmulatedMachine existing = machines.get(ResourceIds.key(
                    ResourceIds.machineId(EmulatedMachine.Kind.VM, s.id, spec.resourceGroup(), spec.name())));
            if (existing != null) {
                removeMachine(existing);
            }
            EmulatedMachine m = addVm(s, spec);
            c.event("Microsoft.Resources.ResourceWriteSuccess", m.id, "Microsoft.Compute/virtualMachines/write",
                    existing == null ? null : "PUT");
            return m.id;
        });
    }

    /** Creates (or replaces) an Arc machine; {@code spec.subscriptionId()} must be set. Publishes its write event. */
    public String createArcMachine(ArcMachineSpec spec) {
        if (spec.subscriptionId() == null) {
            throw new IllegalArgumentException("ArcMachineSpec.subscriptionId is required to create a machine at run time");
        }
        return createArcMachine(spec.subscriptionId(), spec);
    }

    public String createArcMachine(String subscriptionId, ArcMachineSpec spec) {
        return mutate(c -> {
            EmulatedSubscription s = existingSubscription(subscriptionId);
            EmulatedMachine existing = machines.get(ResourceIds.key(
                    ResourceIds.machineId(EmulatedMachine.Kind.ARC, s.id, spec.resourceGroup(), spec.name())));
            if (existing != null) {
                removeMachine(existing);
            }
            EmulatedMachine m = addArc(s, spec);
            c.event("Microsoft.Resources.ResourceWriteSuccess", m.id, "Microsoft.HybridCompute/machines/write",
                    existing == null ? null : "PUT");
            return m.id;
        });
    }

    /** Deletes a machine and its extensions; publishes ResourceDeleteSuccess. */
    public void deleteMachine(String machineId) {
        mutate(c -> {
            EmulatedMachine m = existingMachine(machineId);
            removeMachine(m);
            c.event("Microsoft.Resources.ResourceDeleteSuccess", m.id, m.type() + "/delete", "DELETE");
            return null;
        });
    }

    /** Replaces a machine's tags; publishes the machine's write event (as a tag update through ARM would). */
    public void setTags(String machineId, Map<String, String> tags) {
        mutate(c -> {
            EmulatedMachine m = existingMachine(machineId);
            m.tags = Map.copyOf(tags);
            m.version++;
            c.event("Microsoft.Resources.ResourceWriteSuccess", m.id, m.type() + "/write", "PATCH");
            return null;
        });
    }

    /**
     * Changes a VM's power state ({@code running}, {@code deallocated}, {@code stopped}); publishes the
     * ResourceActionSuccess event of the matching action (start, deallocate, powerOff).
     */
    public void setPowerState(String vmId, String powerState) {
        mutate(c -> {
            EmulatedMachine m = existingMachine(vmId);
            requireVm(m);
            String ps = powerState.toLowerCase(Locale.ROOT);
            m.powerState = ps;
            String action = switch (ps) {
                case "running" -> "start";
                case "deallocated" -> "deallocate";
                case "stopped" -> "powerOff";
                default -> null;
            };
            if (action != null) {
                c.event("Microsoft.Resources.ResourceActionSuccess", m.id,
                        "Microsoft.Compute/virtualMachines/" + action + "/action", "POST");
            }
            return null;
        });
    }

    /** Changes whether the VM agent reports Ready (guest state: no ARM event). */
    public void setVmAgentReady(String vmId, boolean ready) {
        mutate(c -> {
            EmulatedMachine m = existingMachine(vmId);
            requireVm(m);
            m.vmAgentReady = ready;
            return null;
        });
    }

    /** Changes an Arc machine's connection status (agent heartbeat state: no ARM event). */
    public void setArcStatus(String machineId, String status) {
        mutate(c -> {
            EmulatedMachine m = existingMachine(machineId);
            if (m.isVm()) {
                throw new IllegalArgumentException(machineId + " is not an Arc machine");
            }
            m.status = status;
            m.lastStatusChange = Instant.now().toString();
            return null;
        });
    }

    /** Decides how the next extension PUTs on this machine end. */
    public void setExtensionOutcome(String machineId, ExtensionOutcome outcome) {
        mutate(c -> {
            EmulatedMachine m = existingMachine(machineId);
            m.extensionOutcome = outcome;
            m.failedAttempts = 0;
            return null;
        });
    }

    /** Sets what Run Command prints on this machine (see {@link VirtualMachineSpec#runCommandOutput()}). */
    public void setRunCommandOutput(String machineId, Object output) {
        mutate(c -> {
            existingMachine(machineId).runCommandOutput = output;
            return null;
        });
    }

    /** Seeds an extension directly (no long-running operation); publishes its write event. */
    public void putExtension(String machineId, ExtensionSpec spec) {
        mutate(c -> {
            EmulatedMachine m = existingMachine(machineId);
            m.extensions().put(spec.name().toLowerCase(Locale.ROOT), extensionFrom(m, spec));
            c.event("Microsoft.Resources.ResourceWriteSuccess", m.id + "/extensions/" + spec.name(),
                    m.type() + "/extensions/write", null);
            return null;
        });
    }

    /** Sets a Defender for Cloud setting; publishes {@code Microsoft.Security/settings/write}. */
    public void setSetting(String subscriptionId, String settingName, boolean enabled) {
        mutate(c -> {
            EmulatedSubscription s = existingSubscription(subscriptionId);
            String name = canonicalSetting(settingName);
            if (name == null) {
                throw new IllegalArgumentException("Unknown setting " + settingName);
            }
            s.settings.put(name, enabled);
            c.event("Microsoft.Resources.ResourceWriteSuccess",
                    "/subscriptions/" + s.id + "/providers/Microsoft.Security/settings/" + name,
                    "Microsoft.Security/settings/write", "PUT");
            return null;
        });
    }

    /** Replaces the subscription's VirtualMachines plan; publishes {@code Microsoft.Security/pricings/write}. */
    public void setPricing(String subscriptionId, PricingSpec pricing) {
        mutate(c -> {
            EmulatedSubscription s = existingSubscription(subscriptionId);
            s.pricings.put("virtualmachines", pricingFrom("VirtualMachines", pricing));
            c.event("Microsoft.Resources.ResourceWriteSuccess",
                    "/subscriptions/" + s.id + "/providers/Microsoft.Security/pricings/VirtualMachines",
                    "Microsoft.Security/pricings/write", "PUT");
            return null;
        });
    }

    /** Sets (or, with null, removes) a machine's own VirtualMachines plan. */
    public void setResourcePricing(String machineId, PricingSpec pricing) {
        mutate(c -> {
            EmulatedMachine m = existingMachine(machineId);
            m.resourcePricing = pricing == null ? null : pricingFrom("VirtualMachines", pricing);
            c.event(pricing == null ? "Microsoft.Resources.ResourceDeleteSuccess" : "Microsoft.Resources.ResourceWriteSuccess",
                    m.id + "/providers/Microsoft.Security/pricings/VirtualMachines",
                    "Microsoft.Security/pricings/" + (pricing == null ? "delete" : "write"), pricing == null ? "DELETE" : "PUT");
            return null;
        });
    }

    // ------------------------------------------------------------------ locking

    /** Collects the events a change produces; published after the write lock is released. */
    static final class Changes {
        final List<EventBus.ResourceEvent> events = new ArrayList<>();
        String correlationId = UUID.randomUUID().toString();
        String clientRequestId;
        String url;

        /** The changes a Resource Manager request makes: events carry its correlation ID and URL. */
        static Changes of(ArmRequest req) {
            Changes c = new Changes();
            c.correlationId = req.correlationId;
            c.clientRequestId = req.clientRequestId;
            c.url = req.url();
            return c;
        }

        /** @param httpMethod set for updates and deletes (Azure includes data.httpRequest only then) */
        void event(String eventType, String resourceUri, String operationName, String httpMethod) {
            events.add(new EventBus.ResourceEvent(eventType, resourceUri, operationName, correlationId,
                    httpMethod, httpMethod == null ? null : (url != null ? url
                            : "https://management.azure.com" + resourceUri), clientRequestId));
        }
    }

    <T> T read(Supplier<T> fn) {
        lock.readLock().lock();
        try {
            return fn.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    <T> T mutate(Function<Changes, T> fn) {
        return mutate(new Changes(), fn);
    }

    <T> T mutate(Changes changes, Function<Changes, T> fn) {
        T result;
        lock.writeLock().lock();
        try {
            result = fn.apply(changes);
        } finally {
            lock.writeLock().unlock();
        }
        if (!changes.events.isEmpty() && events != null) {
            events.publish(changes.events);
        }
        return result;
    }

    void recordRunCommand(RunCommandRecord r) {
        synchronized (runCommandsReceived) {
            runCommandsReceived.add(r);
        }
    }

    // ------------------------------------------------------------------ model helpers (call under the lock)

    EmulatedSubscription existingSubscription(String subscriptionId) {
        EmulatedSubscription s = subscriptions.get(subscriptionId.toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("The tenant has no subscription " + subscriptionId);
        }
        return s;
    }

    EmulatedMachine existingMachine(String machineId) {
        EmulatedMachine m = machines.get(ResourceIds.key(machineId));
        if (m == null) {
            throw new IllegalArgumentException("The tenant has no machine " + machineId);
        }
        return m;
    }

    private static void requireVm(EmulatedMachine m) {
        if (!m.isVm()) {
            throw new IllegalArgumentException(m.id + " is not a VM");
        }
    }

    static String canonicalSetting(String name) {
        for (String known : SETTING_KINDS.keySet()) {
            if (known.equalsIgnoreCase(name)) {
                return known;
            }
        }
        return null;
    }

    record Effective(EmulatedPricing pricing, boolean inherited) {
    }

    /** The VirtualMachines plan that applies to a machine: the subscription's when enforced or not overridden. */
    Effective effectivePricing(EmulatedMachine m) {
        EmulatedPricing sub = subscriptions.get(m.subscriptionId.toLowerCase(Locale.ROOT)).pricing("VirtualMachines");
        if (m.resourcePricing != null && !"True".equalsIgnoreCase(sub.enforce)) {
            return new Effective(m.resourcePricing, false);
        }
        return new Effective(sub, true);
    }

    private void addSubscription(SubscriptionSpec spec) {
        String key = spec.subscriptionId().toLowerCase(Locale.ROOT);
        if (subscriptions.containsKey(key)) {
            throw new IllegalArgumentException("Subscription " + spec.subscriptionId() + " appears twice");
        }
        EmulatedSubscription s = new EmulatedSubscription(spec.subscriptionId());
        s.displayName = spec.displayName();
        s.state = spec.state();
        s.tags = spec.tags();
        s.pricings.put("virtualmachines", spec.pricing() == null
                ? pricingFrom("VirtualMachines", PricingSpec.free()) : pricingFrom("VirtualMachines", spec.pricing()));
        for (String plan : OTHER_PLANS) {
            s.pricings.put(plan.toLowerCase(Locale.ROOT), pricingFrom(plan, PricingSpec.free()));
        }
        for (String plan : DEPRECATED_PLANS) {
            EmulatedPricing p = pricingFrom(plan, PricingSpec.free());
            p.deprecated = true;
            p.replacedBy = List.of("Containers");
            s.pricings.put(plan.toLowerCase(Locale.ROOT), p);
        }
        spec.pricings().forEach((name, p) -> {
            String canonical = canonicalPlan(s, name);
            s.pricings.put(canonical.toLowerCase(Locale.ROOT), pricingFrom(canonical, p));
        });
        s.settings.putAll(DEFAULT_SETTINGS);
        spec.settings().forEach((name, enabled) -> {
            String canonical = canonicalSetting(name);
            if (canonical == null) {
                throw new IllegalArgumentException("Subscription " + spec.subscriptionId() + ": unknown setting '" + name
                        + "' (known: " + SETTING_KINDS.keySet() + ")");
            }
            s.settings.put(canonical, enabled);
        });
        subscriptions.put(key, s);
        for (VirtualMachineSpec vm : spec.virtualMachines()) {
            checkUnique(s, EmulatedMachine.Kind.VM, vm.resourceGroup(), vm.name());
            addVm(s, vm);
        }
        for (ArcMachineSpec arc : spec.arcMachines()) {
            checkUnique(s, EmulatedMachine.Kind.ARC, arc.resourceGroup(), arc.name());
            addArc(s, arc);
        }
    }

    private static String canonicalPlan(EmulatedSubscription s, String name) {
        EmulatedPricing existing = s.pricing(name);
        return existing != null ? existing.name : name;
    }

    private void checkUnique(EmulatedSubscription s, EmulatedMachine.Kind kind, String rg, String name) {
        if (machines.containsKey(ResourceIds.key(ResourceIds.machineId(kind, s.id, rg, name)))) {
            throw new IllegalArgumentException("Machine " + ResourceIds.machineId(kind, s.id, rg, name) + " appears twice");
        }
    }

    EmulatedMachine addVm(EmulatedSubscription s, VirtualMachineSpec spec) {
        EmulatedMachine m = new EmulatedMachine(EmulatedMachine.Kind.VM, s.id, spec.resourceGroup(), spec.name());
        m.location = spec.location();
        m.tags = spec.tags();
        m.osType = spec.osType();
        m.osName = spec.osName();
        m.osVersion = spec.osVersion();
        m.image = spec.image();
        m.vmSize = spec.vmSize();
        m.powerState = spec.powerState().toLowerCase(Locale.ROOT);
        m.vmAgentReady = spec.vmAgentReady();
        m.vmAgentVersion = spec.vmAgentVersion() == null
                ? (m.windows() ? "2.7.41491.1102" : "2.10.0.8") : spec.vmAgentVersion();
        m.computerName = spec.computerName() == null ? spec.name() : spec.computerName();
        m.vmId = spec.vmId() == null ? stableId(m.key) : spec.vmId();
        m.timeCreated = CREATED;
        m.resourcePricing = spec.pricing() == null ? null : pricingFrom("VirtualMachines", spec.pricing());
        m.extensionOutcome = spec.extensionOutcome();
        m.runCommandOutput = checkOutput(m, spec.runCommandOutput());
        for (ExtensionSpec e : spec.extensions()) {
            m.extensions().put(e.name().toLowerCase(Locale.ROOT), extensionFrom(m, e));
        }
        register(s, m);
        return m;
    }

    EmulatedMachine addArc(EmulatedSubscription s, ArcMachineSpec spec) {
        EmulatedMachine m = new EmulatedMachine(EmulatedMachine.Kind.ARC, s.id, spec.resourceGroup(), spec.name());
        m.location = spec.location();
        m.tags = spec.tags();
        m.status = spec.status();
        m.osName = spec.osName();
        m.osType = spec.osType();
        m.osSku = spec.osSku();
        m.osVersion = spec.osVersion();
        m.agentVersion = spec.agentVersion();
        m.lastStatusChange = spec.lastStatusChange() == null ? "2024-06-01T10:00:00.0000000Z" : spec.lastStatusChange();
        m.vmId = spec.vmId() == null ? stableId(m.key) : spec.vmId();
        m.timeCreated = CREATED;
        m.resourcePricing = spec.pricing() == null ? null : pricingFrom("VirtualMachines", spec.pricing());
        m.extensionOutcome = spec.extensionOutcome();
        m.runCommandOutput = checkOutput(m, spec.runCommandOutput());
        for (ExtensionSpec e : spec.extensions()) {
            m.extensions().put(e.name().toLowerCase(Locale.ROOT), extensionFrom(m, e));
        }
        register(s, m);
        return m;
    }

    /** A UUID derived from the resource ID, stable across runs (cheaper than a name-based MD5 UUID for 100k machines). */
    static String stableId(String key) {
        long h1 = 0xcbf29ce484222325L;
        long h2 = 0x84222325cbf29ce4L;
        for (int i = 0; i < key.length(); i++) {
            h1 = (h1 ^ key.charAt(i)) * 0x100000001b3L;
            h2 = (h2 ^ key.charAt(key.length() - 1 - i)) * 0x100000001b3L;
        }
        return new UUID((h1 & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L, (h2 & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L)
                .toString();
    }

    private static Object checkOutput(EmulatedMachine m, Object output) {
        if (output != null && !(output instanceof String) && !(output instanceof Map)) {
            throw new IllegalArgumentException(m.id + ": runCommandOutput must be a string or an object keyed by script marker");
        }
        return output;
    }

    private void register(EmulatedSubscription s, EmulatedMachine m) {
        s.machines(m.kind).put(m.key, m);
        s.resourceGroups.add(m.resourceGroup.toLowerCase(Locale.ROOT));
        machines.put(m.key, m);
    }

    void removeMachine(EmulatedMachine m) {
        EmulatedSubscription s = subscriptions.get(m.subscriptionId.toLowerCase(Locale.ROOT));
        s.machines(m.kind).remove(m.key);
        machines.remove(m.key);
    }

    static EmulatedExtension extensionFrom(EmulatedMachine m, ExtensionSpec spec) {
        EmulatedExtension e = new EmulatedExtension(spec.name());
        e.location = m.location;
        ObjectNode p = Json.obj();
        if (spec.publisher() != null) {
            p.put("publisher", spec.publisher());
        }
        if (spec.type() != null) {
            p.put("type", spec.type());
        }
        p.put("typeHandlerVersion", spec.typeHandlerVersion());
        p.put("autoUpgradeMinorVersion", spec.autoUpgradeMinorVersion() == null || spec.autoUpgradeMinorVersion());
        if (spec.enableAutomaticUpgrade() != null) {
            p.put("enableAutomaticUpgrade", spec.enableAutomaticUpgrade());
        }
        if (spec.suppressFailures() != null) {
            p.put("suppressFailures", spec.suppressFailures());
        }
        if (spec.forceUpdateTag() != null) {
            p.put("forceUpdateTag", spec.forceUpdateTag());
        }
        p.set("settings", spec.settings().isEmpty() ? Json.obj() : Json.toTree(spec.settings()));
        e.properties = p;
        e.provisioningState = spec.provisioningState();
        applyStatus(m, e, spec.provisioningState(), spec.statusCode(), spec.statusMessage(), EXTENSION_TIME);
        return e;
    }

    /** Sets an extension's instance-view status from its provisioning state, in the machine kind's vocabulary. */
    static void applyStatus(EmulatedMachine m, EmulatedExtension e, String provisioningState, String code, String message,
            Instant time) {
        String ps = provisioningState.toLowerCase(Locale.ROOT);
        boolean vm = m.isVm();
        switch (ps) {
            case "succeeded" -> e.setStatus(code != null ? code : (vm ? "ProvisioningState/succeeded" : "success"),
                    vm ? "Info" : "Information", "Provisioning succeeded",
                    message != null ? message : (vm ? "Enable succeeded"
                            : "Extension Message: ExtensionOperation:enable. Status:Success"), time);
            case "failed" -> e.setStatus(code != null ? code : (vm ? "ProvisioningState/failed" : "1"), "Error",
                    "Provisioning failed", message != null ? message : "Enable failed", time);
            default -> e.setStatus(vm ? "ProvisioningState/transitioning" : "transitioning", vm ? "Info" : "Information",
                    "Transitioning", message != null ? message : "", time);
        }
    }

    static EmulatedPricing pricingFrom(String name, PricingSpec spec) {
        EmulatedPricing p = new EmulatedPricing(name);
        p.pricingTier = spec.pricingTier().equalsIgnoreCase("Standard") ? "Standard"
                : spec.pricingTier().equalsIgnoreCase("Free") ? "Free" : spec.pricingTier();
        if (!p.pricingTier.equals("Standard") && !p.pricingTier.equals("Free")) {
            throw new IllegalArgumentException("pricingTier must be Free or Standard, not '" + spec.pricingTier() + "'");
        }
        p.subPlan = p.standard() ? spec.subPlan() : null;
        if (p.standard() && p.subPlan == null && name.equalsIgnoreCase("VirtualMachines")) {
            p.subPlan = "P2";
        }
        p.enforce = spec.enforce() == null ? "False" : (spec.enforce().equalsIgnoreCase("True") ? "True" : "False");
        if (spec.extensions() != null) {
            ArrayNode ext = Json.arr();
            for (Map<String, Object> x : spec.extensions()) {
                ext.add(Json.toTree(x));
            }
            p.extensions = ext;
        } else if (p.standard() && "P2".equalsIgnoreCase(p.subPlan)) {
            p.extensions = defaultP2Extensions();
        }
        p.freeTrialRemainingTime = spec.freeTrialRemainingTime() == null ? "PT0S" : spec.freeTrialRemainingTime();
        p.enablementTime = p.standard()
                ? (spec.enablementTime() == null ? DEFAULT_ENABLEMENT_TIME : spec.enablementTime()) : null;
        return p;
    }

    static ArrayNode defaultP2Extensions() {
        ArrayNode ext = Json.arr();
        ext.addObject().put("name", "MdeDesignatedSubscription").put("isEnabled", "False");
        ext.addObject().put("name", "AgentlessVmScanning").put("isEnabled", "True");
        return ext;
    }

    MachineInfo info(EmulatedMachine m) {
        List<ExtensionInfo> exts = new ArrayList<>();
        m.extensionList().forEach(e -> exts.add(info(m, e)));
        return new MachineInfo(m.id, m.isVm() ? "virtualMachine" : "arcMachine", m.subscriptionId, m.resourceGroup,
                m.name, m.location, m.osType, m.osName, m.osSku, m.osVersion, m.isVm() ? m.powerState : null,
                m.isVm() ? m.vmAgentReady : null, m.isVm() ? null : m.status, m.tags, List.copyOf(exts));
    }

    static ExtensionInfo info(EmulatedMachine m, EmulatedExtension e) {
        return new ExtensionInfo(m.id + "/extensions/" + e.name, m.id, e.name, e.publisher(), e.type(),
                e.typeHandlerVersion(), e.provisioningState, e.statusCode, e.statusMessage,
                Json.toMap(e.properties.get("settings")), e.protectedSettings != null && !e.protectedSettings.isNull());
    }

    /**
     * Chooses what Run Command prints for a script: the machine's {@code runCommandOutput} when it is
     * a string, else the entry whose key occurs in the script (then {@code default}), else empty.
     */
    static String[] runCommandOutput(EmulatedMachine m, String script) {
        Object out = m.runCommandOutput;
        if (out instanceof Map<?, ?> byMarker && !isDetailedOutput(byMarker)) {
            Object chosen = null;
            for (Map.Entry<?, ?> e : byMarker.entrySet()) {
                if (!"default".equals(e.getKey()) && script.contains(String.valueOf(e.getKey()))) {
                    chosen = e.getValue();
                    break;
                }
            }
            out = chosen != null ? chosen : byMarker.get("default");
        }
        if (out == null) {
            return new String[] {"", "", "0"};
        }
        if (out instanceof Map<?, ?> detailed) {
            Object stdout = detailed.get("stdout");
            Object stderr = detailed.get("stderr");
            Object exit = detailed.get("exitCode");
            return new String[] {stdout == null ? "" : stdout.toString(), stderr == null ? "" : stderr.toString(),
                    exit == null ? "0" : exit.toString()};
        }
        if (out instanceof JsonNode node) {
            return new String[] {node.isTextual() ? node.asText() : Json.write(node), "", "0"};
        }
        return new String[] {out.toString(), "", "0"};
    }

    /** {"stdout": .., "stderr": .., "exitCode": ..} is one output, not a map keyed by script marker. */
    private static boolean isDetailedOutput(Map<?, ?> map) {
        return !map.isEmpty() && List.of("stdout", "stderr", "exitCode").containsAll(map.keySet());
    }

    private static String windowsPackage(String marker, String tenantId) {
        return "@echo off\r\n"
                + "REM mde-onboarding emulator: FAKE Microsoft Defender for Endpoint onboarding package.\r\n"
                + "REM It onboards nothing; it only lets tests follow the package through the system.\r\n"
                + "REM Package marker: " + marker + "\r\n"
                + "echo Starting Windows Defender Advanced Threat Protection onboarding process...\r\n"
                + "set \"errorDescription=\"\r\n"
                + "REM OnboardingInfo {\"body\":\"{\\\"orgId\\\":\\\"" + tenantId + "\\\",\\\"marker\\\":\\\"" + marker
                + "\\\"}\"}\r\n"
                + "echo Emulated onboarding package; nothing was changed on this machine.\r\n"
                + "exit /b 0\r\n";
    }

    private static String linuxPackage(String marker, String tenantId) {
        return "#! /usr/bin/env python3\n"
                + "# mde-onboarding emulator: FAKE Microsoft Defender for Endpoint onboarding package for Linux.\n"
                + "# It onboards nothing; it only lets tests follow the package through the system.\n"
                + "# Package marker: " + marker + "\n"
                + "import sys\n"
                + "ONBOARDING_INFO = '{\"body\": \"{\\\\\"orgId\\\\\": \\\\\"" + tenantId + "\\\\\", \\\\\"marker\\\\\": \\\\\""
                + marker + "\\\\\"}\"}'\n"
                + "print('Emulated onboarding package; nothing was changed on this machine.')\n"
                + "sys.exit(0)\n";
    }
}
