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
import com.mdeonboarding.emulator.state.EmulatedRunCommand;
import com.mdeonboarding.emulator.state.EmulatedSubscription;
import com.mdeonboarding.emulator.state.Json;
import com.mdeonboarding.emulator.state.ResourceIds;
import com.mdeonboarding.emulator.state.ResourceStore;
import com.mdeonboarding.emulator.state.RunCommands;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** Microsoft.HybridCompute: Arc machines, their extensions and run commands, and operation polling. */
public final class HybridComputeProvider {
    private static final EmulatedApiVersions VERSIONS = EmulatedApiVersions.of("machines", "2022-12-27", "2023-06-20-preview",
            "2023-10-03-preview", "2024-03-31-preview", "2024-05-20-preview", "2024-07-10", "2024-07-31-preview",
            "2024-09-10-preview", "2024-11-10-preview", "2025-01-13", "2025-02-19-preview");
    private static final String MACHINE = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.HybridCompute/machines/{machineName}";
    private final EmulatorContext ctx;

    public HybridComputeProvider(EmulatorContext ctx, Router router) {
        this.ctx = ctx;
        router.add("GET", MACHINE, "Machines_Get", false, VERSIONS, this::getMachine);
        router.add("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.HybridCompute/machines",
                "Machines_ListBySubscription", false, VERSIONS, this::list);
        router.add("PUT", MACHINE + "/extensions/{extensionName}", "MachineExtensions_CreateOrUpdate", true, VERSIONS,
                this::putExtension);
        router.add("GET", MACHINE + "/extensions/{extensionName}", "MachineExtensions_Get", false, VERSIONS,
                this::getExtension);
        router.add("GET", MACHINE + "/extensions", "MachineExtensions_List", false, VERSIONS, this::listExtensions);
        router.add("DELETE", MACHINE + "/extensions/{extensionName}", "MachineExtensions_Delete", true, VERSIONS,
                this::deleteExtension);
        router.add("PUT", MACHINE + "/runCommands/{runCommandName}", "MachineRunCommands_CreateOrUpdate", true,
                VERSIONS, this::putRunCommand);
        router.add("GET", MACHINE + "/runCommands/{runCommandName}", "MachineRunCommands_Get", false, VERSIONS,
                this::getRunCommand);
        router.add("GET", MACHINE + "/runCommands", "MachineRunCommands_List", false, VERSIONS, this::listRunCommands);
        router.add("DELETE", MACHINE + "/runCommands/{runCommandName}", "MachineRunCommands_Delete", true, VERSIONS,
                this::deleteRunCommand);
        String loc = "/subscriptions/{subscriptionId}/providers/Microsoft.HybridCompute/locations/{location}";
        router.add("GET", loc + "/operationStatus/{operationId}", "LongRunningOperation_Status", false, VERSIONS,
                req -> OperationResults.status(req, operation(req), ctx));
        router.add("GET", loc + "/operationResults/{operationId}", "LongRunningOperation_Result", false, VERSIONS,
                req -> OperationResults.result(req, operation(req), ctx));
    }

    // ------------------------------------------------------------------ machines

    private ArmResponse getMachine(ArmRequest req) {
        return ctx.store.read(v -> ArmResponse.ok(machineJson(machine(v, req))));
    }

    private ArmResponse list(ArmRequest req) {
        return ctx.store.read(v -> {
            Paging.Page<EmulatedMachine> page = Paging.page(v.machines(v.subscription(req.param("subscriptionId")),
                    EmulatedMachine.Kind.ARC), req.query.get("$skiptoken"), ctx.pageSize);
            ObjectNode body = Json.obj();
            ArrayNode value = body.putArray("value");
            page.items().forEach(m -> value.add(machineJson(m)));
            if (page.nextToken() != null) {
                body.put("nextLink", Paging.nextLink(req, page.nextToken()));
            }
            return ArmResponse.ok(body);
        });
    }

    /** The Arc machine of the request path; ARM's errors for a missing group or machine. */
    private static EmulatedMachine machine(ResourceStore.View v, ArmRequest req) {
        EmulatedSubscription s = v.subscription(req.param("subscriptionId"));
        String rg = req.param("resourceGroupName");
        if (!v.hasResourceGroup(s, rg)) {
            throw ArmError.notFound("ResourceGroupNotFound", "Resource group '" + rg + "' could not be found.");
        }
        EmulatedMachine m = v.machines(s, EmulatedMachine.Kind.ARC).get(ResourceIds.key(
                ResourceIds.machineId(EmulatedMachine.Kind.ARC, s.id, rg, req.param("machineName"))));
        if (m == null) {
            throw ArmError.notFound("ResourceNotFound", "The Resource 'Microsoft.HybridCompute/machines/"
                    + req.param("machineName") + "' under resource group '" + rg
                    + "' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
        }
        return m;
    }

    ObjectNode machineJson(EmulatedMachine m) {
        ObjectNode o = Json.obj();
        o.put("id", m.id);
        o.put("name", m.name);
        o.put("location", m.location);
        o.set("tags", Json.stringMap(m.tags));
        ObjectNode identity = o.putObject("identity");
        identity.put("type", "SystemAssigned");
        identity.put("principalId", UUID.nameUUIDFromBytes(("principal" + m.key).getBytes(StandardCharsets.UTF_8)).toString());
        identity.put("tenantId", ctx.store.tenantId());
        o.put("type", "Microsoft.HybridCompute/machines");
        o.put("kind", (String) null);
        ObjectNode p = o.putObject("properties");
        p.put("provisioningState", "Succeeded");
        p.put("agentVersion", m.agentVersion);
        p.put("status", m.status);
        p.put("lastStatusChange", m.lastStatusChange);
        ArrayNode errors = p.putArray("errorDetails");
        if ("Error".equalsIgnoreCase(m.status)) {
            errors.addObject().put("code", "AgentError").put("message",
                    "The Azure Connected Machine agent reported an error; run 'azcmagent show' on the machine.");
        }
        p.put("displayName", m.name);
        p.put("machineFqdn", m.name + ".contoso.local");
        p.put("vmUuid", m.vmId.toUpperCase(Locale.ROOT));
        p.put("osName", m.osName);
        p.put("osSku", m.osSku);
        if (m.windows() && m.osSku != null) {
            p.put("osEdition", m.osSku.toLowerCase(Locale.ROOT).contains("datacenter") ? "Datacenter" : "Standard");
        }
        p.put("domainName", "contoso.local");
        p.put("adFqdn", m.name + ".contoso.local");
        p.put("dnsFqdn", m.name + ".contoso.local");
        p.put("osVersion", m.osVersion);
        p.put("osType", m.osType);
        ObjectNode osProfile = p.putObject("osProfile");
        osProfile.put("computerName", m.name);
        osProfile.putObject("windowsConfiguration").putObject("patchSettings")
                .put("assessmentMode", "ImageDefault").put("patchMode", "Manual");
        osProfile.putObject("linuxConfiguration").putObject("patchSettings")
                .put("assessmentMode", "ImageDefault").put("patchMode", "Manual");
        p.put("vmId", m.vmId);
        p.put("mssqlDiscovered", "false");
        ObjectNode detected = p.putObject("detectedProperties");
        detected.put("cloudprovider", "N/A");
        detected.put("manufacturer", "Microsoft Corporation");
        detected.put("model", "Virtual Machine");
        ObjectNode agent = p.putObject("agentConfiguration");
        agent.put("proxyUrl", "");
        agent.putArray("incomingConnectionsPorts");
        agent.putArray("extensionsAllowList");
        agent.putArray("extensionsBlockList");
        agent.putArray("proxyBypass");
        agent.put("extensionsEnabled", "true");
        agent.put("guestConfigurationEnabled", "true");
        agent.put("configMode", "full");
        ObjectNode services = p.putObject("serviceStatuses");
        String running = "Connected".equalsIgnoreCase(m.status) ? "Running" : "Stopped";
        services.putObject("extensionService").put("status", running).put("startupType", "Automatic");
        services.putObject("guestConfigurationService").put("status", running).put("startupType", "Automatic");
        ArrayNode resources = o.putArray("resources");
        m.extensions().forEach(e -> resources.add(ExtensionJson.resource(m, e, false)));
        return o;
    }

    // ------------------------------------------------------------------ extensions

    private ArmResponse putExtension(ArmRequest req) {
        JsonNode body = req.json();
        if (!body.isObject()) {
            throw ArmError.badRequest("InvalidRequestContent", "The request content must be a JSON object.");
        }
        return ctx.store.write(ResourceStore.Changes.of(req), w -> {
            EmulatedMachine m = machine(w, req);
            ExtensionWrites.Started started = ExtensionWrites.put(ctx, req, m, req.param("extensionName"), body,
                    e -> failure(m));
            return Lro.withHeaders(ArmResponse.empty(202), req, started.operation(), ctx);
        });
    }

    /** How this attempt ends: the agent's connection first, then the tenant's scripted outcome; null: it succeeds. */
    private static ExtensionWrites.Failure failure(EmulatedMachine m) {
        if (!"Connected".equalsIgnoreCase(m.status)) {
            String msg = "The machine '" + m.name + "' is " + m.status + ": extension operations need the Azure "
                    + "Connected Machine agent to be connected. (emulator wording)";
            return new ExtensionWrites.Failure("HCRP409", msg, "HCRP409", msg);
        }
        ExtensionOutcome o = m.takeScriptedFailure();
        if (o == null) {
            return null;
        }
        String code = o.code() != null ? o.code() : "1";
        String message = o.message() != null ? o.message() : "Enable failed";
        // HybridCompute has one status; the installer's log follows the message (an MDE.Windows Arc failure shows
        // "Extension Message: ..., executionlog: [...]").
        String status = o.log() == null ? message : "Extension Message: " + message + ", executionlog: " + o.log();
        return new ExtensionWrites.Failure(code, status, "HCRP500", "Extension operation failed. Extension Message: " + message);
    }

    private ArmResponse getExtension(ArmRequest req) {
        return ctx.store.read(v -> {
            EmulatedMachine m = machine(v, req);
            EmulatedExtension e = m.extension(req.param("extensionName"));
            if (e == null) {
                throw ArmError.notFound("ResourceNotFound", "The Resource 'Microsoft.HybridCompute/machines/"
                        + m.name + "/extensions/" + req.param("extensionName") + "' under resource group '"
                        + m.resourceGroup + "' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
            }
            return ArmResponse.ok(ExtensionJson.resource(m, e, false));
        });
    }

    private ArmResponse listExtensions(ArmRequest req) {
        return ctx.store.read(v -> {
            EmulatedMachine m = machine(v, req);
            ObjectNode body = Json.obj();
            ArrayNode value = body.putArray("value");
            m.extensions().forEach(e -> value.add(ExtensionJson.resource(m, e, false)));
            return ArmResponse.ok(body);
        });
    }

    private ArmResponse deleteExtension(ArmRequest req) {
        return ctx.store.write(ResourceStore.Changes.of(req), w -> {
            EmulatedMachine m = machine(w, req);
            EmulatedExtension e = m.extension(req.param("extensionName"));
            if (e == null) {
                return ArmResponse.empty(204);
            }
            return Lro.withHeaders(ArmResponse.empty(202), req, ExtensionWrites.delete(ctx, req, m, e), ctx);
        });
    }

    // ------------------------------------------------------------------ run commands

    private ArmResponse putRunCommand(ArmRequest req) {
        JsonNode body = req.json();
        if (!body.isObject()) {
            throw ArmError.badRequest("InvalidRequestContent", "The request content must be a JSON object.");
        }
        String name = req.param("runCommandName");
        JsonNode props = body.get("properties");
        JsonNode source = props == null ? null : props.get("source");
        String script = Json.text(source, "script");
        String commandId = Json.text(source, "commandId");
        if (script == null && commandId == null) {
            throw ArmError.badRequest("InvalidParameter",
                    "properties.source must contain 'script' or 'commandId' (the emulator does not fetch scriptUri).");
        }
        return ctx.store.write(ResourceStore.Changes.of(req), w -> {
            EmulatedMachine m = machine(w, req);
            EmulatedRunCommand existing = m.runCommand(name);
            EmulatedRunCommand rc = existing != null ? existing : new EmulatedRunCommand(name);
            ctx.operations.preempt(rc.operationId);
            rc.location = Json.text(body, "location") != null ? Json.text(body, "location") : m.location;
            JsonNode tags = body.get("tags");
            rc.tags = tags != null && tags.isObject() ? (ObjectNode) tags.deepCopy() : null;
            ObjectNode p = props != null && props.isObject() ? ((ObjectNode) props).deepCopy() : Json.obj();
            // Write-only, as in Azure: never echoed.
            p.remove("runAsPassword");
            p.remove("protectedParameters");
            p.remove("provisioningState");
            p.remove("instanceView");
            rc.properties = p;
            rc.provisioningState = existing == null ? "Creating" : "Updating";
            rc.executionState = "Pending";
            rc.exitCode = null;
            rc.output = null;
            rc.error = null;
            rc.startTime = ctx.now();
            rc.endTime = null;
            if (existing == null) {
                m.putRunCommand(rc);
            }
            String text = script != null ? script : commandId;
            RunCommands.ScriptOutput output = RunCommands.output(m, text);
            boolean connected = "Connected".equalsIgnoreCase(m.status);
            boolean agentSupportsRunCommands = atLeast(m.agentVersion, 1, 33);
            boolean failDeployment = props != null && props.path("treatFailureAsDeploymentFailure").asBoolean(false);
            String correlation = req.correlationId;
            Operation op = ctx.operations.start("Microsoft.HybridCompute", m.subscriptionId, m.location,
                    req.apiVersion(), ctx.delays.nextRunCommand(), (self, done) -> {
                        done.changes().correlate(correlation, null);
                        finishRunCommand(m, rc, self, connected && agentSupportsRunCommands, output, failDeployment, done);
                    });
            rc.operationId = op.id;
            ctx.runCommands.record(new TenantState.RunCommandRecord(ctx.now(), m.id,
                    "MachineRunCommands_CreateOrUpdate", commandId, name, text));
            return Lro.withHeaders(ArmResponse.status(existing == null ? 201 : 200, runCommandJson(m, rc)), req, op, ctx);
        });
    }

    private void finishRunCommand(EmulatedMachine m, EmulatedRunCommand rc, Operation op, boolean connected,
            RunCommands.ScriptOutput output, boolean failDeployment, ResourceStore.Writes done) {
        Instant now = ctx.now();
        rc.operationId = null;
        String id = m.id + "/runCommands/" + rc.name;
        if (!connected) {
            boolean old = "Connected".equalsIgnoreCase(m.status);
            rc.provisioningState = "Failed";
            rc.executionState = "Failed";
            rc.executionMessage = old ? "The Azure Connected Machine agent " + m.agentVersion + " does not run run commands."
                    : "The machine is " + m.status + "; the run command could not be delivered.";
            rc.endTime = now;
            op.fail("HCRP409", old
                    ? "Run commands need the Azure Connected Machine agent 1.33 or later; '" + m.name + "' runs "
                            + m.agentVersion + ". (emulator wording)"
                    : "The machine '" + m.name + "' is " + m.status + ": run commands need the Azure Connected "
                            + "Machine agent to be connected. (emulator wording)", now);
            done.event("Microsoft.Resources.ResourceWriteFailure", id, "Microsoft.HybridCompute/machines/runCommands/write", null);
            return;
        }
        int exit = output.exitCode();
        rc.exitCode = exit;
        rc.output = output.stdout();
        rc.error = output.stderr();
        rc.endTime = now;
        rc.executionState = exit == 0 ? "Succeeded" : "Failed";
        rc.executionMessage = exit == 0 ? "RunCommand script execution completed"
                : "RunCommand script execution failed with exit code " + exit;
        if (exit != 0 && failDeployment) {
            rc.provisioningState = "Failed";
            op.fail("HCRP500", rc.executionMessage, now);
            done.event("Microsoft.Resources.ResourceWriteFailure", id, "Microsoft.HybridCompute/machines/runCommands/write", null);
            return;
        }
        rc.provisioningState = "Succeeded";
        op.succeed(runCommandJson(m, rc), now);
        done.event("Microsoft.Resources.ResourceWriteSuccess", id, "Microsoft.HybridCompute/machines/runCommands/write", null);
    }

    /**
     * Whether an agent version ("1.40.02664.1629") is at least major.minor. Run commands need 1.33 or later
     * (learn.microsoft.com, "REST API requests for Run command on Azure Arc-enabled servers", Prerequisites).
     */
    public static boolean atLeast(String version, int major, int minor) {
        if (version == null) {
            return true;
        }
        String[] parts = version.trim().split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private ArmResponse getRunCommand(ArmRequest req) {
        return ctx.store.read(v -> {
            EmulatedMachine m = machine(v, req);
            EmulatedRunCommand rc = m.runCommand(req.param("runCommandName"));
            if (rc == null) {
                throw ArmError.notFound("ResourceNotFound", "The Resource 'Microsoft.HybridCompute/machines/"
                        + m.name + "/runCommands/" + req.param("runCommandName") + "' under resource group '"
                        + m.resourceGroup + "' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
            }
            return ArmResponse.ok(runCommandJson(m, rc));
        });
    }

    private ArmResponse listRunCommands(ArmRequest req) {
        return ctx.store.read(v -> {
            EmulatedMachine m = machine(v, req);
            ObjectNode body = Json.obj();
            ArrayNode value = body.putArray("value");
            m.runCommands().forEach(rc -> value.add(runCommandJson(m, rc)));
            return ArmResponse.ok(body);
        });
    }

    /** Deleting a run command is immediate here (Azure runs it as a short LRO; clients accept 200). */
    private ArmResponse deleteRunCommand(ArmRequest req) {
        return ctx.store.write(ResourceStore.Changes.of(req), w -> {
            EmulatedMachine m = machine(w, req);
            EmulatedRunCommand rc = m.removeRunCommand(req.param("runCommandName"));
            if (rc == null) {
                return ArmResponse.empty(204);
            }
            ctx.operations.preempt(rc.operationId);
            w.event("Microsoft.Resources.ResourceDeleteSuccess", m.id + "/runCommands/" + rc.name,
                    "Microsoft.HybridCompute/machines/runCommands/delete", "DELETE");
            return ArmResponse.empty(200);
        });
    }

    private ObjectNode runCommandJson(EmulatedMachine m, EmulatedRunCommand rc) {
        ObjectNode o = Json.obj();
        o.put("id", m.id + "/runCommands/" + rc.name);
        o.put("name", rc.name);
        o.put("type", "Microsoft.HybridCompute/machines/runCommands");
        o.put("location", rc.location);
        if (rc.tags != null) {
            o.set("tags", rc.tags);
        }
        ObjectNode p = o.putObject("properties");
        p.setAll(rc.properties);
        p.put("provisioningState", rc.provisioningState);
        ObjectNode iv = p.putObject("instanceView");
        iv.put("executionState", rc.executionState);
        iv.put("executionMessage", rc.executionMessage == null ? "" : rc.executionMessage);
        if (rc.exitCode != null) {
            iv.put("exitCode", rc.exitCode);
        }
        iv.put("output", rc.output == null ? "" : rc.output);
        iv.put("error", rc.error == null ? "" : rc.error);
        iv.put("startTime", rc.startTime == null ? null : rc.startTime.toString());
        iv.put("endTime", rc.endTime == null ? null : rc.endTime.toString());
        iv.putArray("statuses");
        return o;
    }

    private Operation operation(ArmRequest req) {
        Operation op = ctx.operations.get(req.param("operationId"));
        if (op == null || op.compute() || !op.subscriptionId.equalsIgnoreCase(req.param("subscriptionId"))) {
            throw ArmError.notFound("ResourceNotFound", "The operation '" + req.param("operationId")
                    + "' was not found.");
        }
        return op;
    }
}
