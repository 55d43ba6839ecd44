package com.mdeonboarding.emulator.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.operations.Lro;
import com.mdeonboarding.emulator.operations.Operation;
import com.mdeonboarding.emulator.operations.OperationResults;
import com.mdeonboarding.emulator.server.ArmError;
import com.mdeonboarding.emulator.server.ArmRequest;
import com.mdeonboarding.emulator.server.ArmResponse;
import com.mdeonboarding.emulator.server.EmulatedApiVersions;
import com.mdeonboarding.emulator.server.EmulatorContext;
import com.mdeonboarding.emulator.server.Router;
import com.mdeonboarding.emulator.state.EmulatedExtension;
import com.mdeonboarding.emulator.state.EmulatedMachine;
import com.mdeonboarding.emulator.state.EmulatedSubscription;
import com.mdeonboarding.emulator.state.Json;
import com.mdeonboarding.emulator.state.ResourceIds;
import com.mdeonboarding.emulator.state.ResourceStore;
import com.mdeonboarding.emulator.state.RunCommands;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/** Microsoft.Compute: virtual machines, their extensions, Run Command, and operation polling. */
public final class ComputeProvider {
    private static final EmulatedApiVersions VERSIONS = EmulatedApiVersions.anyDated("virtualMachines");
    private static final String VM = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines/{vmName}";
    private final EmulatorContext ctx;

    public ComputeProvider(EmulatorContext ctx, Router router) {
        this.ctx = ctx;
        router.add("GET", VM, "VirtualMachines_Get", false, VERSIONS, this::getVm);
        router.add("GET", VM + "/instanceView", "VirtualMachines_InstanceView", false, VERSIONS, this::instanceView);
        router.add("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/virtualMachines",
                "VirtualMachines_ListAll", false, VERSIONS, this::listAll);
        router.add("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/virtualMachines",
                "VirtualMachines_ListByLocation", false, VERSIONS, this::listAll);
        router.add("POST", VM + "/runCommand", "VirtualMachines_RunCommand", true, VERSIONS, this::runCommand);
        router.add("PUT", VM + "/extensions/{vmExtensionName}", "VirtualMachineExtensions_CreateOrUpdate", true,
                VERSIONS, this::putExtension);
        router.add("GET", VM + "/extensions/{vmExtensionName}", "VirtualMachineExtensions_Get", false, VERSIONS,
                this::getExtension);
        router.add("GET", VM + "/extensions", "VirtualMachineExtensions_List", false, VERSIONS, this::listExtensions);
        router.add("DELETE", VM + "/extensions/{vmExtensionName}", "VirtualMachineExtensions_Delete", true, VERSIONS,
                this::deleteExtension);
        router.add("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}/operations/{operationId}",
                "LongRunningOperation_Status", false, VERSIONS, this::operation);
    }

    // ------------------------------------------------------------------ virtual machines

    private ArmResponse getVm(ArmRequest req) {
        boolean expand = "instanceView".equalsIgnoreCase(req.query.get("$expand"));
        return ctx.store.read(v -> ArmResponse.ok(vmJson(vm(v, req), expand)));
    }

    private ArmResponse instanceView(ArmRequest req) {
        return ctx.store.read(v -> ArmResponse.ok(instanceViewJson(vm(v, req))));
    }

    private ArmResponse listAll(ArmRequest req) {
        boolean statusOnly = "true".equalsIgnoreCase(req.query.get("statusOnly"));
        String location = req.param("location");
        return ctx.store.read(v -> {
            NavigableMap<String, EmulatedMachine> source = v.machines(v.subscription(req.param("subscriptionId")),
                    EmulatedMachine.Kind.VM);
            if (location != null) {
                TreeMap<String, EmulatedMachine> filtered = new TreeMap<>();
                source.forEach((k, m) -> {
                    if (ResourceIds.normalizeLocation(m.location).equals(ResourceIds.normalizeLocation(location))) {
                        filtered.put(k, m);
                    }
                });
                source = filtered;
            }
            Paging.Page<EmulatedMachine> page = Paging.page(source, req.query.get("$skiptoken"), ctx.pageSize);
            ObjectNode body = Json.obj();
            ArrayNode value = body.putArray("value");
            page.items().forEach(m -> value.add(listed(vmJson(m, statusOnly))));
            if (page.nextToken() != null) {
                body.put("nextLink", Paging.nextLink(req, page.nextToken()));
            }
            return ArmResponse.ok(body);
        });
    }

    /**
     * A VM as list answers carry it: its extensions only by ID in {@code resources}; the single GET carries them whole
     * (Azure/azure-sdk-for-net #13378 "Inner.Resources only has partial data (only the extension ID)",
     * Azure/azure-sdk-for-python #2165).
     */
    private static ObjectNode listed(ObjectNode vm) {
        JsonNode resources = vm.get("resources");
        if (resources != null) {
            ArrayNode ids = Json.arr();
            resources.forEach(r -> ids.addObject().put("id", r.path("id").asText()));
            vm.set("resources", ids);
        }
        return vm;
    }

    /** The VM of the request path; ARM's errors for a missing group or VM. */
    private static EmulatedMachine vm(ResourceStore.View v, ArmRequest req) {
        EmulatedSubscription s = v.subscription(req.param("subscriptionId"));
        String rg = req.param("resourceGroupName");
        if (!v.hasResourceGroup(s, rg)) {
            throw ArmError.notFound("ResourceGroupNotFound", "Resource group '" + rg + "' could not be found.");
        }
        String id = ResourceIds.machineId(EmulatedMachine.Kind.VM, s.id, rg, req.param("vmName"));
        EmulatedMachine m = v.machines(s, EmulatedMachine.Kind.VM).get(ResourceIds.key(id));
        if (m == null) {
            throw ArmError.notFound("ResourceNotFound", "The Resource 'Microsoft.Compute/virtualMachines/"
                    + req.param("vmName") + "' under resource group '" + rg
                    + "' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
        }
        return m;
    }

    ObjectNode vmJson(EmulatedMachine m, boolean withInstanceView) {
        ObjectNode o = Json.obj();
        o.put("name", m.name);
        o.put("id", m.id);
        o.put("type", "Microsoft.Compute/virtualMachines");
        o.put("location", m.location);
        o.set("tags", Json.stringMap(m.tags));
        o.put("etag", "\"" + m.version + "\"");
        ObjectNode p = o.putObject("properties");
        p.put("vmId", m.vmId);
        p.putObject("hardwareProfile").put("vmSize", m.vmSize);
        ObjectNode storage = p.putObject("storageProfile");
        if (m.image != null) {
            ObjectNode img = storage.putObject("imageReference");
            img.put("publisher", m.image.publisher());
            img.put("offer", m.image.offer());
            img.put("sku", m.image.sku());
            img.put("version", m.image.version());
        }
        ObjectNode osDisk = storage.putObject("osDisk");
        osDisk.put("osType", m.osType);
        osDisk.put("name", osDiskName(m));
        osDisk.put("createOption", "FromImage");
        osDisk.put("caching", "ReadWrite");
        ObjectNode md = osDisk.putObject("managedDisk");
        md.put("storageAccountType", "Premium_LRS");
        md.put("id", "/subscriptions/" + m.subscriptionId + "/resourceGroups/" + m.resourceGroup
                + "/providers/Microsoft.Compute/disks/" + osDiskName(m));
        osDisk.put("deleteOption", "Delete");
        osDisk.put("diskSizeGB", m.windows() ? 127 : 30);
        storage.putArray("dataDisks");
        ObjectNode os = p.putObject("osProfile");
        os.put("computerName", m.computerName);
        os.put("adminUsername", "azureuser");
        if (m.windows()) {
            ObjectNode w = os.putObject("windowsConfiguration");
            w.put("provisionVMAgent", true);
            w.put("enableAutomaticUpdates", true);
            w.putObject("patchSettings").put("patchMode", "AutomaticByOS").put("assessmentMode", "ImageDefault");
        } else {
            ObjectNode l = os.putObject("linuxConfiguration");
            l.put("disablePasswordAuthentication", true);
            l.put("provisionVMAgent", true);
            l.putObject("patchSettings").put("patchMode", "ImageDefault").put("assessmentMode", "ImageDefault");
        }
        os.putArray("secrets");
        os.put("allowExtensionOperations", true);
        os.put("requireGuestProvisionSignal", true);
        p.putObject("networkProfile").putArray("networkInterfaces").addObject().put("id",
                "/subscriptions/" + m.subscriptionId + "/resourceGroups/" + m.resourceGroup
                        + "/providers/Microsoft.Network/networkInterfaces/" + m.name + "-nic");
        p.putObject("diagnosticsProfile").putObject("bootDiagnostics").put("enabled", true);
        p.put("extensionsTimeBudget", "PT1H30M");
        p.put("provisioningState", m.vmProvisioningState(ctx.now()));
        if (withInstanceView) {
            p.set("instanceView", instanceViewJson(m));
        }
        p.put("timeCreated", m.timeCreated.toString());
        if (m.hasExtensions()) {
            ArrayNode resources = o.putArray("resources");
            m.extensions().forEach(e -> resources.add(ExtensionJson.resource(m, e, false)));
        }
        return o;
    }

    private static String osDiskName(EmulatedMachine m) {
        return m.name + "_OsDisk_1_" + m.vmId.replace("-", "").substring(0, 20);
    }

    ObjectNode instanceViewJson(EmulatedMachine m) {
        ObjectNode iv = Json.obj();
        boolean running = "running".equals(m.powerState);
        iv.put("platformUpdateDomain", 0);
        iv.put("platformFaultDomain", 0);
        if (running) {
            iv.put("computerName", m.computerName);
            if (m.osName != null) {
                iv.put("osName", m.osName);
            }
            if (m.osVersion != null) {
                iv.put("osVersion", m.osVersion);
            }
            ObjectNode agent = iv.putObject("vmAgent");
            if (m.agentReady(ctx.now())) {
                agent.put("vmAgentVersion", m.vmAgentVersion);
                agent.putArray("statuses").addObject()
                        .put("code", "ProvisioningState/succeeded").put("level", "Info").put("displayStatus", "Ready")
                        .put("message", "GuestAgent is running and processing the extensions.")
                        .put("time", ctx.now().toString());
                ArrayNode handlers = agent.putArray("extensionHandlers");
                for (EmulatedExtension e : m.extensions()) {
                    ObjectNode h = handlers.addObject();
                    h.put("type", handlerType(e));
                    h.put("typeHandlerVersion", e.typeHandlerVersion());
                    h.putObject("status").put("code", "ProvisioningState/succeeded").put("level", "Info")
                            .put("displayStatus", "Ready");
                }
            } else {
                agent.put("vmAgentVersion", "Unknown");
                agent.putArray("statuses").addObject()
                        .put("code", "ProvisioningState/Unavailable").put("level", "Warning")
                        .put("displayStatus", "Not Ready")
                        .put("message", "VM status blob is found but not yet populated.")
                        .put("time", ctx.now().toString());
            }
        }
        ObjectNode disk = iv.putArray("disks").addObject();
        disk.put("name", osDiskName(m));
        disk.putArray("statuses").addObject().put("code", "ProvisioningState/succeeded").put("level", "Info")
                .put("displayStatus", "Provisioning succeeded").put("time", m.timeCreated.toString());
        if (running && m.hasExtensions()) {
            ArrayNode exts = iv.putArray("extensions");
            for (EmulatedExtension e : m.extensions()) {
                ObjectNode x = exts.addObject();
                x.put("name", e.name);
                x.put("type", handlerType(e));
                x.put("typeHandlerVersion", e.typeHandlerVersion());
                x.set("statuses", ExtensionJson.statuses(e));
                if (e.substatusMessage != null) {
                    x.set("substatuses", ExtensionJson.substatuses(e));
                }
            }
        }
        iv.put("hyperVGeneration", "V2");
        iv.put("isVMInStandbyPool", false);
        ArrayNode statuses = iv.putArray("statuses");
        if (m.vmProvisioningState(ctx.now()).equals("Creating")) {
            statuses.addObject().put("code", "ProvisioningState/creating").put("level", "Info").put("displayStatus", "Creating");
        } else {
            statuses.addObject().put("code", "ProvisioningState/succeeded").put("level", "Info")
                    .put("displayStatus", "Provisioning succeeded").put("time", m.timeCreated.toString());
        }
        statuses.addObject().put("code", "PowerState/" + m.powerState).put("level", "Info")
                .put("displayStatus", "VM " + m.powerState);
        return iv;
    }

    private static String handlerType(EmulatedExtension e) {
        String pub = e.publisher();
        String type = e.type();
        return pub == null ? String.valueOf(type) : pub + "." + type;
    }

    // ------------------------------------------------------------------ extensions

    private ArmResponse putExtension(ArmRequest req) {
        JsonNode body = req.json();
        if (!body.isObject()) {
            throw ArmError.badRequest("InvalidRequestContent", "The request content must be a JSON object.");
        }
        return ctx.store.write(ResourceStore.Changes.of(req), w -> {
            EmulatedMachine m = vm(w, req);
            requireRunning(m);
            ExtensionWrites.Started started = ExtensionWrites.put(ctx, req, m, req.param("vmExtensionName"), body,
                    e -> failure(m, e));
            ObjectNode json = ExtensionJson.resource(m, started.extension(), false);
            return Lro.withHeaders(ArmResponse.status(started.created() ? 201 : 200, json), req, started.operation(), ctx);
        });
    }

    private static void requireRunning(EmulatedMachine m) {
        if (!"running".equals(m.powerState)) {
            throw ArmError.conflict("OperationNotAllowed", "Cannot modify extensions in the VM when the VM is not running.");
        }
    }

    /** How this attempt ends: agent readiness first, then the tenant's scripted outcome; null: it succeeds. */
    private ExtensionWrites.Failure failure(EmulatedMachine m, EmulatedExtension e) {
        if (!m.agentReady(ctx.now())) {
            String msg = "VM '" + m.name + "' has not reported status for VM agent or extensions. Verify that the OS is "
                    + "up and healthy, the VM has a running VM agent, and that it can establish outbound connections to "
                    + "Azure storage. Please refer to https://aka.ms/vmextensionwindowstroubleshoot for additional VM "
                    + "agent troubleshooting information.";
            return new ExtensionWrites.Failure("ProvisioningState/failed/VMAgentStatusCommunicationError", msg,
                    "VMAgentStatusCommunicationError", msg);
        }
        ExtensionOutcome o = m.takeScriptedFailure();
        if (o == null) {
            return null;
        }
        String code = o.code() != null ? o.code() : "ProvisioningState/failed";
        String message = o.message() != null ? o.message() : "Enable failed";
        String opMessage = "VM has reported a failure when processing extension '" + e.name + "' (publisher '"
                + e.publisher() + "' and type '" + e.type() + "'). Error message: '" + message
                + "'. More information on troubleshooting is available at https://aka.ms/VMExtension"
                + (e.type() == null ? "" : e.type().replace(".", "")) + "Troubleshoot ";
        return new ExtensionWrites.Failure(code, message, "VMExtensionProvisioningError", opMessage, o.log());
    }

    private ArmResponse getExtension(ArmRequest req) {
        boolean expand = "instanceView".equalsIgnoreCase(req.query.get("$expand"));
        return ctx.store.read(v -> {
            EmulatedMachine m = vm(v, req);
            EmulatedExtension e = m.extension(req.param("vmExtensionName"));
            if (e == null) {
                throw ArmError.notFound("NotFound", "The entity was not found in this Azure location.");
            }
            return ArmResponse.ok(ExtensionJson.resource(m, e, expand));
        });
    }

    private ArmResponse listExtensions(ArmRequest req) {
        boolean expand = "instanceView".equalsIgnoreCase(req.query.get("$expand"));
        return ctx.store.read(v -> {
            EmulatedMachine m = vm(v, req);
            ObjectNode body = Json.obj();
            ArrayNode value = body.putArray("value");
            m.extensions().forEach(e -> value.add(ExtensionJson.resource(m, e, expand)));
            return ArmResponse.ok(body);
        });
    }

    private ArmResponse deleteExtension(ArmRequest req) {
        return ctx.store.write(ResourceStore.Changes.of(req), w -> {
            EmulatedMachine m = vm(w, req);
            EmulatedExtension e = m.extension(req.param("vmExtensionName"));
            if (e == null) {
                return ArmResponse.empty(204);
            }
            requireRunning(m);
            return Lro.withHeaders(ArmResponse.empty(202), req, ExtensionWrites.delete(ctx, req, m, e), ctx);
        });
    }

    // ------------------------------------------------------------------ run command

    private ArmResponse runCommand(ArmRequest req) {
        JsonNode body = req.json();
        String commandId = Json.text(body, "commandId");
        if (commandId == null) {
            throw ArmError.badRequest("InvalidParameter", "Required parameter 'commandId' is missing (null).");
        }
        List<String> lines = new ArrayList<>();
        JsonNode script = body.get("script");
        if (script != null && script.isArray()) {
            script.forEach(l -> lines.add(l.asText()));
        }
        String scriptText = String.join("\n", lines);
        return ctx.store.write(ResourceStore.Changes.of(req), w -> {
            EmulatedMachine m = vm(w, req);
            boolean windowsCommand = commandId.equalsIgnoreCase("RunPowerShellScript");
            if (!windowsCommand && !commandId.equalsIgnoreCase("RunShellScript")) {
                throw ArmError.badRequest("InvalidParameter", "The run command '" + commandId
                        + "' is not supported by the emulator (use RunPowerShellScript or RunShellScript).");
            }
            if (windowsCommand != m.windows()) {
                throw ArmError.badRequest("InvalidParameter", "Run command '" + commandId + "' is not available for "
                        + m.osType + " virtual machines.");
            }
            if (!"running".equals(m.powerState)) {
                throw ArmError.conflict("OperationNotAllowed", "The operation requires the VM to be running (or set to run).");
            }
            EmulatedExtension runner = m.extension(m.windows() ? "RunCommandWindows" : "RunCommandLinux");
            if (runner != null && runner.operationId != null) {
                throw ArmError.conflict("Conflict", "Run command extension execution is in progress. Please wait "
                        + "for completion before invoking a run command.");
            }
            String correlation = req.correlationId;
            RunCommands.ScriptOutput output = RunCommands.output(m, scriptText);
            boolean agentReady = m.agentReady(ctx.now());
            Operation op = ctx.operations.start("Microsoft.Compute", m.subscriptionId, m.location, req.apiVersion(),
                    ctx.delays.nextRunCommand(), (self, done) -> {
                        done.changes().correlate(correlation, null);
                        finishRunCommand(m, self, agentReady, output, done);
                    });
            EmulatedExtension handler = runner != null ? runner : runCommandHandler(m);
            handler.operationId = op.id;
            ctx.runCommands.record(new TenantState.RunCommandRecord(ctx.now(), m.id, "VirtualMachines_RunCommand",
                    commandId, null, scriptText));
            return Lro.withHeaders(ArmResponse.empty(202), req, op, ctx);
        });
    }

    /** Run Command is carried by a hidden handler extension on the VM; the emulator tracks the running operation on it. */
    private EmulatedExtension runCommandHandler(EmulatedMachine m) {
        String name = m.windows() ? "RunCommandWindows" : "RunCommandLinux";
        EmulatedExtension e = new EmulatedExtension(name);
        e.location = m.location;
        e.properties = Json.obj().put("publisher", "Microsoft.CPlat.Core").put("type", name)
                .put("typeHandlerVersion", m.windows() ? "1.1" : "1.0").put("autoUpgradeMinorVersion", true);
        e.properties.putObject("settings");
        e.setState(m.kind, "Succeeded", null, null, ctx.now());
        m.putExtension(e);
        return e;
    }

    private void finishRunCommand(EmulatedMachine m, Operation op, boolean agentReady, RunCommands.ScriptOutput output,
            ResourceStore.Writes done) {
        Instant now = ctx.now();
        EmulatedExtension handler = m.extension(m.windows() ? "RunCommandWindows" : "RunCommandLinux");
        if (handler != null && op.id.equals(handler.operationId)) {
            handler.operationId = null;
        }
        if (!agentReady) {
            op.fail("VMAgentStatusCommunicationError", "VM '" + m.name + "' has not reported status for VM agent or "
                    + "extensions. Verify that the OS is up and healthy, the VM has a running VM agent, and that it can "
                    + "establish outbound connections to Azure storage.", now);
            done.event("Microsoft.Resources.ResourceActionFailure", m.id, "Microsoft.Compute/virtualMachines/runCommand/action", "POST");
            return;
        }
        ObjectNode result = Json.obj();
        ArrayNode value = result.putArray("value");
        if (m.windows()) {
            value.addObject().put("code", "ComponentStatus/StdOut/succeeded").put("level", "Info")
                    .put("displayStatus", "Provisioning succeeded").put("message", output.stdout());
            value.addObject().put("code", "ComponentStatus/StdErr/succeeded").put("level", "Info")
                    .put("displayStatus", "Provisioning succeeded").put("message", output.stderr());
        } else {
            // The Linux handler reports one status with both streams in its message.
            value.addObject().put("code", "ProvisioningState/succeeded").put("level", "Info")
                    .put("displayStatus", "Provisioning succeeded")
                    .put("message", "Enable succeeded: \n[stdout]\n" + output.stdout() + "\n[stderr]\n" + output.stderr());
        }
        op.succeed(result, now);
        // The operation status carries the statuses as "properties": {"output": [...]} (the service's answer shown in
        // Azure/azure-powershell #6302); the Location result wraps them as {"value": [...]}.
        op.statusProperties = Json.obj();
        op.statusProperties.set("output", value.deepCopy());
        done.event("Microsoft.Resources.ResourceActionSuccess", m.id, "Microsoft.Compute/virtualMachines/runCommand/action", "POST");
    }

    // ------------------------------------------------------------------ operation polling

    private ArmResponse operation(ArmRequest req) {
        Operation op = ctx.operations.get(req.param("operationId"));
        if (op == null || !op.compute() || !op.subscriptionId.equalsIgnoreCase(req.param("subscriptionId"))) {
            throw ArmError.notFound("NotFound", "The entity was not found in this Azure location.");
        }
        if ("true".equalsIgnoreCase(req.query.get("monitor"))) {
            return OperationResults.result(req, op, ctx);
        }
        return OperationResults.status(req, op, ctx);
    }
}
