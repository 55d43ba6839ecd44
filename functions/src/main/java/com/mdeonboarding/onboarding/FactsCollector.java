package com.mdeonboarding.onboarding;

import com.azure.resourcemanager.compute.fluent.models.VirtualMachineExtensionInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.InstanceViewStatus;
import com.azure.resourcemanager.compute.models.VirtualMachineExtensionInstanceView;
import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.azure.ComputeApi;
import com.mdeonboarding.azure.HybridComputeApi;
import com.mdeonboarding.azure.SecurityApi;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what Azure says about one machine now and turns it into {@link MachineFacts}. A VM costs one
 * read (the VM with its instance view carries the extensions); an Arc machine two (machine, extension).
 * The resource-level pricing is read only when the subscription's plan does not cover every machine.
 */
public final class FactsCollector {
    private final ComputeApi compute;
    private final HybridComputeApi hybrid;
    private final SecurityApi security;

    public FactsCollector(ComputeApi compute, HybridComputeApi hybrid, SecurityApi security) {
        this.compute = compute;
        this.hybrid = hybrid;
        this.security = security;
    }

    /** Empty when the machine does not exist (or this identity cannot see it). */
    public Optional<MachineFacts> collect(MachineId id, boolean readResourcePricing) {
        Optional<MachineFacts> facts = id.kind() == MachineKind.VM
                ? compute.vmWithInstanceView(id).map(vm -> fromVm(id, vm))
                : hybrid.machine(id).map(m -> withArcExtension(fromArc(id, m)));
        if (facts.isEmpty() || !readResourcePricing) {
            return facts;
        }
        MachineFacts f = facts.get();
        Optional<ResourcePricing> pricing = security.resourcePricing(id);
        return Optional.of(new MachineFacts(f.resourceId(), f.kind(), f.subscriptionId(), f.location(), f.osType(), f.osName(),
                f.osSku(), f.osVersion(), f.imagePublisher(), f.imageOffer(), f.imageSku(), f.powerState(), f.vmAgentReady(),
                f.arcStatus(), f.tags(), f.mdeExtension(), pricing, f.guestCheck(), f.extensionFailures()));
    }

    /** Guest check and failure count are not Azure's to say: the reconciler adds them from its state. */
    static MachineFacts fromVm(MachineId id, VirtualMachineInner vm) {
        OsType os = OsType.UNKNOWN;
        Optional<String> publisher = Optional.empty();
        Optional<String> offer = Optional.empty();
        Optional<String> sku = Optional.empty();
        if (vm.storageProfile() != null) {
            if (vm.storageProfile().osDisk() != null && vm.storageProfile().osDisk().osType() != null) {
                os = osType(vm.storageProfile().osDisk().osType().toString());
            }
            if (vm.storageProfile().imageReference() != null) {
                publisher = Optional.ofNullable(vm.storageProfile().imageReference().publisher());
                offer = Optional.ofNullable(vm.storageProfile().imageReference().offer());
                sku = Optional.ofNullable(vm.storageProfile().imageReference().sku());
            }
        }
        var view = vm.instanceView();
        Optional<String> osName = Optional.empty();
        Optional<String> osVersion = Optional.empty();
        Optional<String> power = Optional.empty();
        Optional<Boolean> agentReady = Optional.empty();
        List<VirtualMachineExtensionInstanceView> extensionViews = List.of();
        if (view != null) {
            osName = Optional.ofNullable(view.osName()).filter(s -> !s.isBlank());
            osVersion = Optional.ofNullable(view.osVersion()).filter(s -> !s.isBlank());
            power = statusSuffix(view.statuses(), "PowerState/");
            if (view.vmAgent() != null && view.vmAgent().statuses() != null && !view.vmAgent().statuses().isEmpty()) {
                InstanceViewStatus s = view.vmAgent().statuses().get(0);
                agentReady = Optional.of("Ready".equalsIgnoreCase(s.displayStatus())
                        || (s.code() != null && s.code().equalsIgnoreCase("ProvisioningState/succeeded")));
            }
            if (view.extensions() != null) {
                extensionViews = view.extensions();
            }
        }
        Optional<ExtensionState> ext = Optional.empty();
        if (vm.resources() != null) {
            for (VirtualMachineExtensionInner e : vm.resources()) {
                if (isMde(e.typePropertiesType(), e.name())) {
                    ext = Optional.of(vmExtension(e, extensionViews));
                    break;
                }
            }
        }
        return new MachineFacts(vm.id() == null ? id.id() : vm.id(), MachineKind.VM, id.subscriptionId(), vm.location(), os,
                osName, Optional.empty(), osVersion, publisher, offer, sku, power, agentReady, Optional.empty(),
                vm.tags() == null ? Map.of() : Map.copyOf(vm.tags()), ext, Optional.empty(), Optional.empty(), 0);
    }

    private static ExtensionState vmExtension(VirtualMachineExtensionInner e, List<VirtualMachineExtensionInstanceView> views) {
        String name = lastSegment(e.name());
        Optional<String> code = Optional.empty();
        Optional<String> message = Optional.empty();
        for (VirtualMachineExtensionInstanceView v : views) {
            if (name.equalsIgnoreCase(v.name()) && v.statuses() != null) {
                for (InstanceViewStatus s : v.statuses()) {
                    code = code.or(() -> Optional.ofNullable(s.code()));
                    message = message.or(() -> Optional.ofNullable(s.message()).filter(m -> !m.isBlank()));
                }
            }
        }
        return new ExtensionState(name, e.typePropertiesType(), e.publisher(), e.provisioningState(), code, message);
    }

    static MachineFacts fromArc(MachineId id, JsonNode m) {
        JsonNode p = m.path("properties");
        OsType os = osType(p.path("osType").asText(p.path("osName").asText("")));
        Map<String, String> tags = new HashMap<>();
        m.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText("")));
        MachineFacts facts = new MachineFacts(m.path("id").asText(id.id()), MachineKind.ARC, id.subscriptionId(),
                m.path("location").asText(""), os, text(p, "osName"), text(p, "osSku"), text(p, "osVersion"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), text(p, "status"),
                Map.copyOf(tags), Optional.empty(), Optional.empty(), Optional.empty(), 0);
        return facts;
    }

    /** Arc machines list extensions separately: read the one MDE extension this OS would have. */
    public MachineFacts withArcExtension(MachineFacts facts) {
        if (facts.kind() != MachineKind.ARC || facts.osType() == OsType.UNKNOWN) {
            return facts;
        }
        MachineId id = MachineId.parse(facts.resourceId());
        Optional<ExtensionState> ext = hybrid.extension(id, facts.mdeExtensionName()).map(e -> {
            JsonNode p = e.path("properties");
            JsonNode status = p.path("instanceView").path("status");
            return new ExtensionState(e.path("name").asText(facts.mdeExtensionName()), p.path("type").asText(""),
                    p.path("publisher").asText(""), p.path("provisioningState").asText(""), text(status, "code"), text(status, "message"));
        });
        return new MachineFacts(facts.resourceId(), facts.kind(), facts.subscriptionId(), facts.location(), facts.osType(),
                facts.osName(), facts.osSku(), facts.osVersion(), facts.imagePublisher(), facts.imageOffer(), facts.imageSku(),
                facts.powerState(), facts.vmAgentReady(), facts.arcStatus(), facts.tags(), ext, facts.resourcePricing(),
                facts.guestCheck(), facts.extensionFailures());
    }

    static boolean isMde(String type, String name) {
        String t = type == null ? lastSegment(name) : type;
        return t.equalsIgnoreCase("MDE.Windows") || t.equalsIgnoreCase("MDE.Linux");
    }

    static OsType osType(String s) {
        String v = s == null ? "" : s.toLowerCase(Locale.ROOT);
        if (v.startsWith("windows")) {
            return OsType.WINDOWS;
        }
        if (v.startsWith("linux")) {
            return OsType.LINUX;
        }
        return OsType.UNKNOWN;
    }

    private static Optional<String> statusSuffix(List<InstanceViewStatus> statuses, String prefix) {
        if (statuses == null) {
            return Optional.empty();
        }
        return statuses.stream().map(InstanceViewStatus::code).filter(c -> c != null && c.startsWith(prefix))
                .map(c -> c.substring(prefix.length())).findFirst();
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static String lastSegment(String name) {
        if (name == null) {
            return "";
        }
        int i = name.lastIndexOf('/');
        return i < 0 ? name : name.substring(i + 1);
    }
}
