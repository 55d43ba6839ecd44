package com.mdeonboarding.azure;

import com.azure.core.http.HttpPipeline;
import com.azure.core.http.rest.Response;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.compute.implementation.ComputeManagementClientBuilder;
import com.azure.resourcemanager.compute.fluent.models.RunCommandResultInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineExtensionInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.InstanceViewStatus;
import com.azure.resourcemanager.compute.models.InstanceViewTypes;
import com.azure.resourcemanager.compute.models.RunCommandInput;
import com.mdeonboarding.onboarding.MachineId;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;

/**
 * Azure VMs through the real azure-resourcemanager-compute client (its models, serialization and LRO
 * handling) on our shared pipeline. One inner client per subscription, created on first use.
 */
public final class ComputeApi {
    private final HttpPipeline pipeline;
    private final AzureEnvironment environment;
    private final Map<String, ComputeManagementClient> clients = new ConcurrentHashMap<>();

    public ComputeApi(HttpPipeline pipeline, AzureEnvironment environment) {
        this.pipeline = pipeline;
        this.environment = environment;
    }

    /** An environment whose Resource Manager endpoint is {@code baseUrl} (sovereign clouds, or the local emulator). */
    public static AzureEnvironment environmentFor(AzureEnvironment cloud, String baseUrl) {
        Map<String, String> endpoints = new java.util.HashMap<>(cloud.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        return new AzureEnvironment(endpoints);
    }

    /**
     * The compute service client alone: {@code ComputeManager.authenticate} would also build a storage, a network and an
     * authorization manager for every subscription (its fluent VM API uses them; we do not), which costs class loading
     * on the first reconcile and keeps those modules on the classpath (benchmark scenario 5).
     */
    private ComputeManagementClient client(String subscriptionId) {
        // Exactly the client ComputeManager builds for itself: same pipeline, endpoint and subscription.
        return clients.computeIfAbsent(subscriptionId, s -> new ComputeManagementClientBuilder().pipeline(pipeline)
                .endpoint(environment.getResourceManagerEndpoint()).subscriptionId(s).buildClient());
    }

    /** The VM with its instance view (power state, agent, OS, extension statuses) in one read. */
    public Optional<VirtualMachineInner> vmWithInstanceView(MachineId id) {
        try {
            Response<VirtualMachineInner> r = client(id.subscriptionId()).getVirtualMachines()
                    .getByResourceGroupWithResponse(id.resourceGroup(), id.name(), InstanceViewTypes.INSTANCE_VIEW, Context.NONE);
            return Optional.ofNullable(r.getValue());
        } catch (ManagementException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw toArm(e);
        }
    }

    /** Sends the extension PUT once and returns its status code; provisioning continues in Azure. */
    public int beginPutExtension(MachineId id, String name, VirtualMachineExtensionInner extension) {
        try {
            Response<Flux<ByteBuffer>> r = client(id.subscriptionId()).getVirtualMachineExtensions()
                    .createOrUpdateWithResponseAsync(id.resourceGroup(), id.name(), name, extension).block();
            if (r == null) {
                throw new ArmException(0, "NoResponse", "no response to the extension PUT");
            }
            r.getValue().blockLast(); // drain the body so the connection is released
            return r.getStatusCode();
        } catch (ManagementException e) {
            throw toArm(e);
        }
    }

    /** Runs a script through VM Run Command, waits, and returns standard output. */
    public String runCommand(MachineId id, String commandId, List<String> script) {
        try {
            var poller = client(id.subscriptionId()).getVirtualMachines()
                    .beginRunCommand(id.resourceGroup(), id.name(), new RunCommandInput().withCommandId(commandId).withScript(script), Context.NONE);
            // Without a Retry-After the SDK would wait its 30 s default between polls; a read-only check finishes sooner.
            poller.setPollInterval(java.time.Duration.ofSeconds(2));
            RunCommandResultInner result = poller.getFinalResult();
            StringBuilder out = new StringBuilder();
            if (result != null && result.value() != null) {
                // Windows answers with a ComponentStatus/StdOut status; the Linux handler with one status whose
                // message holds "[stdout] ... [stderr] ..." (the parser finds its line in either).
                boolean stdOutStatus = result.value().stream().anyMatch(s -> s.code() != null && s.code().contains("StdOut"));
                for (InstanceViewStatus s : result.value()) {
                    boolean wanted = stdOutStatus ? s.code() != null && s.code().contains("StdOut") : true;
                    if (wanted && s.message() != null) {
                        out.append(s.message());
                    }
                }
            }
            return out.toString();
        } catch (ManagementException e) {
            throw toArm(e);
        }
    }

    private static ArmException toArm(ManagementException e) {
        int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
        String code = e.getValue() == null || e.getValue().getCode() == null ? "" : e.getValue().getCode();
        String message = e.getValue() == null || e.getValue().getMessage() == null ? "request failed" : e.getValue().getMessage();
        return new ArmException(status, code, message);
    }
}
