package com.mdeonboarding;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpPipeline;
import com.mdeonboarding.azure.ArmClient;
import com.mdeonboarding.azure.ArmPipelineFactory;
import com.mdeonboarding.azure.CallCounter;
import com.mdeonboarding.azure.ComputeApi;
import com.mdeonboarding.azure.HybridComputeApi;
import com.mdeonboarding.azure.ManagementGroupsApi;
import com.mdeonboarding.azure.ResourceGraphApi;
import com.mdeonboarding.azure.SubscriptionsApi;
import com.mdeonboarding.azure.SecurityApi;
import com.mdeonboarding.config.Scope;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.events.EventIntake;
import com.mdeonboarding.jobs.JobQueue;
import com.mdeonboarding.jobs.MachineStateStore;
import com.mdeonboarding.jobs.StorageClients;
import com.mdeonboarding.onboarding.FactsCollector;
import com.mdeonboarding.onboarding.PostureCache;
import com.mdeonboarding.onboarding.Reconciler;
import com.mdeonboarding.onboarding.RulesConfig;
import com.mdeonboarding.posture.SweepReportStore;
import com.mdeonboarding.posture.SweepService;
import java.util.List;
import java.time.Clock;

/**
 * The object graph, built once per process from validated settings: one pipeline, one set of
 * clients, shared by every function invocation (and by the command line).
 */
public final class Services {
    private static Services instance;

    public final Settings settings;
    public final Clock clock;
    public final CallCounter calls = new CallCounter();
    public final ArmClient arm;
    public final ComputeApi compute;
    public final HybridComputeApi hybrid;
    public final SecurityApi security;
    public final StorageClients storage;
    public final JobQueue jobQueue;
    public final MachineStateStore stateStore;
    public final PostureCache postures;
    public final Scope scope;
    public final Reconciler reconciler;
    public final EventIntake eventIntake;
    public final ResourceGraphApi graph;
    public final SweepReportStore reports;
    public final SweepService sweeps;

    public Services(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        TokenCredential credential = ArmPipelineFactory.credential(settings);
        HttpPipeline pipeline = ArmPipelineFactory.build(settings, credential, calls);
        this.arm = new ArmClient(pipeline, settings.resourceManagerUrl());
        this.compute = new ComputeApi(pipeline, ComputeApi.environmentFor(settings.azureCloud().environment(), settings.resourceManagerUrl()));
        this.hybrid = new HybridComputeApi(arm);
        this.security = new SecurityApi(arm);
        this.storage = new StorageClients(settings.storage(), () -> credential);
        this.jobQueue = new JobQueue(storage.queue(settings.jobsQueue()));
        this.stateStore = new MachineStateStore(storage.table(settings.stateTable()), storage.table(settings.historyTable()));
        this.postures = new PostureCache(security, settings.postureCacheTtl(), clock);
        ResourceGraphApi graph = new ResourceGraphApi(arm);
        ManagementGroupsApi groups = new ManagementGroupsApi(graph, clock);
        this.scope = Scope.from(settings, () -> groups.subscriptionsUnder(settings.scopeManagementGroup().orElseThrow()));
        this.reconciler = new Reconciler(scope, stateStore, new FactsCollector(compute, hybrid, security), postures, security, compute,
                hybrid, jobQueue, RulesConfig.from(settings), settings.verifyDelay(), clock);
        this.eventIntake = new EventIntake(scope);
        this.graph = graph;
        this.reports = new SweepReportStore(storage.table(settings.reportsTable()));
        SubscriptionsApi subscriptions = new SubscriptionsApi(arm);
        this.sweeps = new SweepService(scope, () -> settings.scopeManagementGroup().isPresent()
                ? List.copyOf(groups.subscriptionsUnder(settings.scopeManagementGroup().get()))
                : subscriptions.enabledSubscriptions(), graph, security, stateStore, reports, jobQueue, calls,
                settings.desiredPlan(), settings.remediationMode(), settings.exclusionTag(), clock);
    }

    /** The process-wide instance for the Functions host, from the app settings. Fails fast on a bad setting. */
    public static synchronized Services get() {
        if (instance == null) {
            instance = new Services(Settings.fromEnvironment(), Clock.systemUTC());
        }
        return instance;
    }

    /** Tests and the command line install their own graph. */
    public static synchronized void set(Services services) {
        instance = services;
    }
}
