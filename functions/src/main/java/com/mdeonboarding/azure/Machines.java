package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.decide.GuestRunRules;
import com.mdeonboarding.decide.MdeExtensionSpec;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.GuestScript;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.OsFacts.MarketplaceImage;
import com.mdeonboarding.model.OsFacts;
import com.mdeonboarding.model.OsType;
import com.mdeonboarding.model.Reach;
import com.mdeonboarding.model.RunHandle;
import com.mdeonboarding.model.RunStatus;
import com.mdeonboarding.model.SensorKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Azure VMs ({@code Microsoft.Compute/virtualMachines}) and Arc machines ({@code Microsoft.HybridCompute/machines}):
 * what a machine is now, its MDE extension, and Run Command. A VM costs one read (the VM with its instance view
 * carries the extensions); an Arc machine two (machine, extension).
 */
public final class Machines {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ArmClient arm;

    Machines(ArmClient arm) {
        this.arm = arm;
    }

    /** What Azure says about the machine now; empty when it does not exist (or this identity cannot see it). */
    public Optional<MachineFacts> read(MachineId id) {
        if (id.kind() == MachineKind.VM) {
            return arm.find(id.id() + "?$expand=instanceView", ApiVersions.COMPUTE).map(vm -> fromVm(id, vm));
        }
        return arm.find(id.id(), ApiVersions.HYBRID_COMPUTE).map(m -> fromArc(id, m));
    }

    /**
     * Sends the extension PUT once and returns its status code; provisioning continues in Azure. The onboarding
     * package goes into the protected settings only, and no body is ever logged.
     */
    public int putMdeExtension(MachineFacts facts, MdeExtensionSpec spec, OnboardingPackage pkg) {
        ObjectNode body = JSON.createObjectNode();
        body.put("location", facts.location());
        ObjectNode p = body.putObject("properties");
        p.put("publisher", spec.publisher());
        p.put("type", spec.type());
        p.put("typeHandlerVersion", spec.typeHandlerVersion());
        p.put("autoUpgradeMinorVersion", spec.autoUpgradeMinorVersion());
        p.set("settings", JSON.valueToTree(spec.settings()));
        p.putObject("protectedSettings").put(MdeExtensionSpec.PROTECTED_SETTING, pkg.reveal());
        String version = facts.kind() == MachineKind.VM ? ApiVersions.COMPUTE : ApiVersions.HYBRID_COMPUTE;
        return arm.put(facts.id().id() + "/extensions/" + spec.name(), version, body).status();
    }

    /**
     * Starts a script through Run Command and returns at once, with Azure's name for the run ({@link RunHandle}) for
     * {@link #runStatus} to read later: one call. No worker waits on a Run Command (in Azure it takes 20 to 90 s).
     */
    public StartedRun startScript(MachineId id, String location, GuestScript script) {
        return id.kind() == MachineKind.VM ? startVmRunCommand(id, script) : startArcRunCommand(id, location, script);
    }

    /**
     * What a Run Command started by {@link #startScript} is doing now: one read (a VM whose status document carries no
     * output costs one more, its result). A 404 is {@link RunStatus.Gone}; a refusal a retry will not change is
     * {@link RunStatus.Failed}; throttling and server errors are thrown (the job is retried).
     */
    public RunStatus runStatus(MachineId id, RunHandle handle) {
        try {
            if (handle instanceof RunHandle.VmOperation op) {
                return vmRunStatus(op);
            }
            return arcRunStatus(id, (RunHandle.ArcRunCommand) handle);
        } catch (ArmException e) {
            if (e.notFound()) {
                return new RunStatus.Gone(e.getMessage()); // ArmException messages are escaped and bounded
            }
            if (e.transientFailure()) {
                throw e;
            }
            return new RunStatus.Failed(e.getMessage());
        }
    }

    /**
     * A Run Command Azure accepted.
     *
     * @param handle     how to read it later
     * @param retryAfter the start's Retry-After: when a read can tell more
     */
    public record StartedRun(RunHandle handle, Optional<Duration> retryAfter) {
    }

    private StartedRun startVmRunCommand(MachineId id, GuestScript script) {
        ObjectNode body = JSON.createObjectNode();
        body.put("commandId", script.commandId());
        ArrayNode lines = body.putArray("script");
        script.lines().forEach(lines::add);
        ArmClient.Reply started = arm.post(id.id() + "/runCommand", ApiVersions.COMPUTE, body);
        // Compute answers 202 with Azure-AsyncOperation and Location (VirtualMachines_RunCommand is a long-running action).
        LongRunningOperation.Urls urls = LongRunningOperation.of(started).orElseThrow(() -> new ArmException(started.status(),
                "RunCommandNotFollowable", "Run Command answered " + started.status() + " without an operation to follow"));
        return new StartedRun(new RunHandle.VmOperation(urls.statusUrl(), urls.resultUrl()), LongRunningOperation.retryAfter(started));
    }

    private RunStatus vmRunStatus(RunHandle.VmOperation op) {
        LongRunningOperation.Urls urls = new LongRunningOperation.Urls(op.statusUrl(), op.resultUrl());
        LongRunningOperation.Read read = LongRunningOperation.read(arm, urls);
        if (!read.done()) {
            return new RunStatus.Running(read.retryAfter());
        }
        boolean statusDocument = op.statusUrl().isPresent();
        if (!read.succeeded(statusDocument)) {
            JsonNode error = read.body().path("error");
            String code = error.path("code").asText("");
            return new RunStatus.Failed(AzureText.message((code.isEmpty() ? "" : code + ": ") + error.path("message").asText(
                    "the operation ended " + read.body().path("status").asText("without a status"))));
        }
        // Compute's operation status carries the result: "properties": {"output": [statuses]} (azure-powershell #6302 shows
        // the service's answer); the result URL ({"value": [statuses]}) is read only when the status has none.
        JsonNode output = statusDocument ? read.body().path("properties").path("output") : read.body();
        if (output.isMissingNode() && op.resultUrl().isPresent()) {
            output = arm.getAbsolute(op.resultUrl().get());
        }
        return new RunStatus.Succeeded(vmStdout(output.isArray() ? output : output.path("value")));
    }

    /**
     * Windows answers with a ComponentStatus/StdOut status; the Linux handler with one status whose message holds
     * "[stdout] ... [stderr] ..." (the parser finds its line in either).
     */
    static String vmStdout(JsonNode statuses) {
        boolean stdOutStatus = false;
        for (JsonNode s : statuses) {
            stdOutStatus |= s.path("code").asText("").contains("StdOut");
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode s : statuses) {
            boolean wanted = !stdOutStatus || s.path("code").asText("").contains("StdOut");
            if (wanted && s.path("message").isTextual()) {
                out.append(s.path("message").asText());
            }
        }
        return out.toString();
    }

    /**
     * The run command resource is named per purpose, so re-runs replace rather than pile up. With {@code asyncExecution}
     * false its provisioning ends when the script does, so its provisioningState says whether it still runs.
     */
    private StartedRun startArcRunCommand(MachineId id, String location, GuestScript script) {
        ObjectNode body = JSON.createObjectNode();
        body.put("location", location);
        ObjectNode props = body.putObject("properties");
        props.putObject("source").put("script", script.script());
        props.put("asyncExecution", false);
        props.put("timeoutInSeconds", GuestRunRules.ARC_SCRIPT_TIMEOUT.toSeconds());
        String name = "mde-onboarding-" + script.name().replaceAll("\\.[a-z0-9]+$", "").toLowerCase(Locale.ROOT);
        ArmClient.Reply started = arm.put(id.id() + "/runCommands/" + name, ApiVersions.HYBRID_COMPUTE, body);
        return new StartedRun(new RunHandle.ArcRunCommand(name), LongRunningOperation.retryAfter(started));
    }

    private RunStatus arcRunStatus(MachineId id, RunHandle.ArcRunCommand rc) {
        JsonNode p = arm.get(id.id() + "/runCommands/" + rc.name(), ApiVersions.HYBRID_COMPUTE).path("properties");
        String provisioning = p.path("provisioningState").asText("");
        JsonNode view = p.path("instanceView");
        String state = view.path("executionState").asText("");
        boolean ended = provisioning.isEmpty() ? ARC_ENDED.contains(state.toLowerCase(Locale.ROOT)) : LongRunningOperation.terminal(provisioning);
        if (!ended) {
            return new RunStatus.Running(Optional.empty());
        }
        if (!state.equalsIgnoreCase("Succeeded")) {
            return new RunStatus.Failed(AzureText.message("Arc run command ended " + (state.isEmpty() ? "without a state" : state)
                    + (view.path("error").asText("").isEmpty() ? "" : ": " + view.path("error").asText())));
        }
        return new RunStatus.Succeeded(view.path("output").asText(""));
    }

    /** An Arc run command's executionState once it ended (its others: Unknown, Pending, Running). */
    private static final java.util.Set<String> ARC_ENDED = java.util.Set.of("succeeded", "failed", "timedout", "canceled");

    // ---------------------------------------------------------------- reading

    static MachineFacts fromVm(MachineId requested, JsonNode vm) {
        JsonNode p = vm.path("properties");
        JsonNode storage = p.path("storageProfile");
        JsonNode image = storage.path("imageReference");
        JsonNode view = p.path("instanceView");
        Optional<MarketplaceImage> marketplace = image.isObject()
                ? Optional.of(new MarketplaceImage(text(image, "publisher"), text(image, "offer"), text(image, "sku")))
                : Optional.empty();
        OsFacts os = new OsFacts(osType(storage.path("osDisk").path("osType").asText("")), text(view, "osName"), Optional.empty(),
                text(view, "osVersion"), marketplace);
        Optional<Boolean> agentReady = Optional.empty();
        JsonNode agent = view.path("vmAgent").path("statuses");
        if (agent.isArray() && agent.size() > 0) {
            JsonNode s = agent.get(0);
            agentReady = Optional.of("Ready".equalsIgnoreCase(s.path("displayStatus").asText(""))
                    || s.path("code").asText("").equalsIgnoreCase("ProvisioningState/succeeded"));
        }
        Reach reach = new Reach.Vm(view.isObject() ? statusSuffix(view.path("statuses"), "PowerState/") : Optional.empty(), agentReady,
                text(p, "provisioningState"));
        Optional<ExtensionState> ext = Optional.empty();
        for (JsonNode e : vm.path("resources")) {
            JsonNode ep = e.path("properties");
            if (ExtensionState.isMde(ep.path("type").asText(null), e.path("name").asText(null))) {
                ext = Optional.of(vmExtension(e, view.path("extensions")));
                break;
            }
        }
        SensorKeys keys = new SensorKeys(text(p, "vmId"), text(view, "computerName").or(() -> text(p.path("osProfile"), "computerName")));
        return new MachineFacts(idAsReturned(requested, vm), vm.path("location").asText(""), os, reach, tags(vm), ext, Optional.empty(),
                keys);
    }

    private static ExtensionState vmExtension(JsonNode e, JsonNode views) {
        String name = lastSegment(e.path("name").asText(""));
        JsonNode p = e.path("properties");
        Optional<String> code = Optional.empty();
        Optional<String> message = Optional.empty();
        List<String> substatuses = new ArrayList<>();
        for (JsonNode v : views) {
            if (name.equalsIgnoreCase(v.path("name").asText(""))) {
                for (JsonNode s : v.path("statuses")) {
                    code = code.or(() -> text(s, "code"));
                    message = message.or(() -> text(s, "message"));
                }
                // A failed MDE.Windows reports the installer's log here (Azure/azure-cli #23663).
                for (JsonNode s : v.path("substatuses")) {
                    raw(s, "message").map(AzureText::logTail).ifPresent(substatuses::add);
                }
            }
        }
        return new ExtensionState(AzureText.name(name), AzureText.name(p.path("type").asText(null)),
                AzureText.name(p.path("publisher").asText(null)), AzureText.name(p.path("provisioningState").asText(null)), code, message,
                substatuses);
    }

    private MachineFacts fromArc(MachineId requested, JsonNode m) {
        JsonNode p = m.path("properties");
        OsType type = osType(p.path("osType").asText(p.path("osName").asText("")));
        OsFacts os = new OsFacts(type, text(p, "osName"), text(p, "osSku"), text(p, "osVersion"), Optional.empty());
        Reach reach = new Reach.Arc(text(p, "status"), text(p, "agentVersion"));
        MachineId id = idAsReturned(requested, m);
        // Arc machines list extensions separately: read the one MDE extension this OS would have.
        Optional<ExtensionState> ext = Optional.empty();
        if (type != OsType.UNKNOWN) {
            String name = ExtensionState.nameFor(type);
            ext = arm.find(id.id() + "/extensions/" + name, ApiVersions.HYBRID_COMPUTE).map(e -> {
                JsonNode ep = e.path("properties");
                JsonNode status = ep.path("instanceView").path("status");
                // HybridCompute appends the installer's log to the status message (", executionlog: ..."): its start and end are kept.
                return new ExtensionState(AzureText.name(e.path("name").asText(name)), AzureText.name(ep.path("type").asText("")),
                        AzureText.name(ep.path("publisher").asText("")), AzureText.name(ep.path("provisioningState").asText("")),
                        text(status, "code"), raw(status, "message").map(AzureText::messageAndLog));
            });
        }
        // The Arc vmId is Hybrid Compute's own identifier, not known to be what Defender reports: not a sensor key (SensorMatch).
        SensorKeys keys = new SensorKeys(Optional.empty(), text(p.path("osProfile"), "computerName").or(() -> text(p, "displayName"))
                .or(() -> text(p, "dnsFqdn")));
        return new MachineFacts(id, m.path("location").asText(""), os, reach, tags(m), ext, Optional.empty(), keys);
    }

    /** The ID as Azure returns it (its casing of names), when it is the machine we asked for. */
    private static MachineId idAsReturned(MachineId requested, JsonNode resource) {
        return MachineId.tryParse(resource.path("id").asText("")).filter(requested::equals).orElse(requested);
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

    private static Map<String, String> tags(JsonNode resource) {
        Map<String, String> tags = new HashMap<>();
        resource.path("tags").fields().forEachRemaining(e -> tags.put(AzureText.name(e.getKey()), AzureText.name(e.getValue().asText(""))));
        return tags;
    }

    private static Optional<String> statusSuffix(JsonNode statuses, String prefix) {
        for (JsonNode s : statuses) {
            String code = s.path("code").asText("");
            if (code.startsWith(prefix)) {
                return Optional.of(AzureText.name(code.substring(prefix.length())));
            }
        }
        return Optional.empty();
    }

    /** A string field of Azure's answer, escaped and bounded ({@link AzureText}): names, states, codes, messages. */
    private static Optional<String> text(JsonNode n, String field) {
        return raw(n, field).map(AzureText::message);
    }

    private static Optional<String> raw(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static String lastSegment(String name) {
        int i = name.lastIndexOf('/');
        return i < 0 ? name : name.substring(i + 1);
    }
}
