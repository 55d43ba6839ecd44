package com.mdeonboarding.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpPipeline;
import com.mdeonboarding.config.Settings;
import java.time.Clock;

/**
 * The entry point of this package: every Azure client the app uses, built once from validated settings over one
 * Resource Manager pipeline (bearer token from the configured credential, retry honouring Retry-After, request IDs,
 * header-only logging, call counting), and the Defender for Endpoint API over its own pipeline of the same kind. Like an
 * Azure SDK client builder, but for exactly what we call.
 */
public final class AzureClients {
    /** How long a Defender for Endpoint call may wait for the rate budget before it is given up as "no call to spare". */
    static final java.time.Duration MAX_BUDGET_WAIT = java.time.Duration.ofSeconds(65);

    private final TokenCredential credential;
    private final CallCounter calls = new CallCounter();
    private final Machines machines;
    private final DefenderForCloud defender;
    private final ResourceGraph graph;
    private final Subscriptions subscriptions;
    private final ManagementGroups managementGroups;
    private final MachineListing listing;
    private final Authorization authorization;
    private final EventGridTopics eventGrid;
    private final DefenderApiProbe defenderApi;
    private final CallCounter defenderCalls = new CallCounter();
    private final DefenderEndpoint defenderEndpoint;

    public AzureClients(Settings settings, Clock clock) {
        this.credential = ArmPipelineFactory.credential(settings);
        HttpPipeline pipeline = ArmPipelineFactory.build(settings, credential, calls);
        ArmClient arm = new ArmClient(pipeline, settings.resourceManagerUrl());
        this.machines = new Machines(arm);
        this.defender = new DefenderForCloud(arm, clock);
        this.graph = new ResourceGraph(arm);
        this.subscriptions = new Subscriptions(arm);
        this.managementGroups = new ManagementGroups(graph, clock);
        this.listing = new MachineListing(arm);
        this.authorization = new Authorization(arm);
        this.eventGrid = new EventGridTopics(arm);
        TokenCredential defenderCredential = DefenderApiPipeline.credential(settings, credential);
        HttpPipeline defenderPipeline = DefenderApiPipeline.build(settings, defenderCredential, defenderCalls,
                new DefenderApiBudget(DefenderApiBudget.DOCUMENTED, MAX_BUDGET_WAIT));
        this.defenderEndpoint = new DefenderEndpoint(defenderPipeline, settings.defenderApiUrl(), clock);
        // Resource Manager's development token means a local run: a real Defender for Endpoint API is not asked.
        this.defenderApi = new DefenderApiProbe(defenderPipeline, settings.defenderApiUrl(),
                credential instanceof DevelopmentCredential && !settings.usesLocalDefenderEmulator());
    }

    /** The credential the pipeline uses (the Storage clients use it too, for key-less access). */
    public TokenCredential credential() {
        return credential;
    }

    /** Resource Manager requests made so far, every retry counted. */
    public CallCounter calls() {
        return calls;
    }

    public Machines machines() {
        return machines;
    }

    public DefenderForCloud defender() {
        return defender;
    }

    public ResourceGraph resourceGraph() {
        return graph;
    }

    public Subscriptions subscriptions() {
        return subscriptions;
    }

    public ManagementGroups managementGroups() {
        return managementGroups;
    }

    public MachineListing machineListing() {
        return listing;
    }

    /** What this identity may do (the doctor's check of the role actions). */
    public Authorization authorization() {
        return authorization;
    }

    /** The Event Grid wiring of a subscription (the doctor's check). */
    public EventGridTopics eventGrid() {
        return eventGrid;
    }

    /** One read of the Defender for Endpoint API (the doctor's check of the API permission). */
    public DefenderApiProbe defenderApi() {
        return defenderApi;
    }

    /** The Defender for Endpoint API (its own pipeline, token audience and rate budget). */
    public DefenderEndpoint defenderEndpoint() {
        return defenderEndpoint;
    }

    /** Defender for Endpoint API requests made so far, every retry counted (apart from {@link #calls()}). */
    public CallCounter defenderCalls() {
        return defenderCalls;
    }
}
