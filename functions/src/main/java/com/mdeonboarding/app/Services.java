package com.mdeonboarding.app;

import com.mdeonboarding.azure.AzureClients;
import com.mdeonboarding.config.Scope;
import com.mdeonboarding.control.Controller;
import com.mdeonboarding.decide.LookAgain;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.decide.RulesConfig;
import com.mdeonboarding.events.EventIntake;
import com.mdeonboarding.storage.JobQueue;
import com.mdeonboarding.storage.MachineStateStore;
import com.mdeonboarding.storage.StorageClients;
import com.mdeonboarding.reconcile.Actions;
import com.mdeonboarding.reconcile.DeployExtension;
import com.mdeonboarding.reconcile.EnableIntegrationSetting;
import com.mdeonboarding.reconcile.FactsCollector;
import com.mdeonboarding.reconcile.PostureCache;
import com.mdeonboarding.reconcile.Reconciler;
import com.mdeonboarding.reconcile.RunGuestCheck;
import com.mdeonboarding.reconcile.SensorLookup;
import com.mdeonboarding.reconcile.SetPassiveMode;
import com.mdeonboarding.sweep.EventWiring;
import com.mdeonboarding.sweep.SweepConfig;
import com.mdeonboarding.sweep.SweepReportStore;
import com.mdeonboarding.sweep.SweepRequestQueue;
import com.mdeonboarding.sweep.SweepService;
import java.time.Clock;
import java.util.List;

/**
 * The object graph, built once from validated settings: one Resource Manager pipeline, one set of clients and stores,
 * shared by every function invocation of a process (and by the command line, which builds its own). Tests build one per
 * world and hand it to the trigger classes, so nothing static ties test classes together.
 */
public final class Services {
    private static volatile Services shared;

    public final Settings settings;
    public final Clock clock;
    public final AzureClients azure;
    public final StorageClients storage;
    public final JobQueue jobQueue;
    public final MachineStateStore stateStore;
    public final PostureCache postures;
    public final Scope scope;
    public final Reconciler reconciler;
    public final EventIntake eventIntake;
    public final SweepReportStore reports;
    public final SweepService sweeps;
    /** Every machine in scope now, as the dashboard, GET /api/machines and 'list' count them. */
    public final com.mdeonboarding.sweep.EstateNow estateNow;
    /** Sweeps asked for now (POST /api/sweeps), for the RunRequestedSweep function. */
    public final SweepRequestQueue sweepRequests;
    /** What is done with every message, whoever receives it (the Functions triggers, or an in-process QueueWorker). */
    public final Controller controller;

    public Services(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.azure = new AzureClients(settings, clock);
        this.storage = new StorageClients(settings.storage(), azure::credential);
        this.jobQueue = new JobQueue(storage.queue(settings.jobsQueue()));
        this.stateStore = new MachineStateStore(storage.table(settings.stateTable()), storage.table(settings.historyTable()));
        this.postures = new PostureCache(azure.defender(), settings.postureCacheTtl(), clock);
        VisibleSubscriptions visible = new VisibleSubscriptions(() -> azure.subscriptions().enabledSubscriptions(), clock);
        this.scope = Scope.from(settings, () -> azure.managementGroups().subscriptionsUnder(settings.scopeManagementGroup().orElseThrow()),
                visible);
        EnableIntegrationSetting settingWriter = new EnableIntegrationSetting(azure.defender(), postures);
        Actions actions = new Actions(new RunGuestCheck(azure.machines(), clock), settingWriter, new SetPassiveMode(azure.machines()),
                new DeployExtension(azure.machines(), postures));
        SensorLookup sensors = settings.sensorCheckEnabled() ? SensorLookup.on(azure.defenderEndpoint()) : SensorLookup.off();
        this.reconciler = new Reconciler(scope, stateStore, new FactsCollector(azure.machines(), azure.defender(), sensors), postures,
                actions, RulesConfig.from(settings), new Reconciler.Timing(settings.verifyDelay(), clock, azure.calls()::onThisThread));
        this.eventIntake = new EventIntake(scope);
        this.reports = new SweepReportStore(storage.table(settings.reportsTable()));
        SweepService sweepService = new SweepService(SweepConfig.from(settings), scope, () -> settings.scopeManagementGroup().isPresent()
                ? List.copyOf(azure.managementGroups().subscriptionsUnder(settings.scopeManagementGroup().get()))
                : visible.fresh(), azure, settingWriter, stateStore, reports, clock);
        this.sweeps = settings.eventWiring().enabled() ? sweepService.withEventWiring(new EventWiring(azure, settings.eventWiring()))
                : sweepService;
        this.estateNow = new com.mdeonboarding.sweep.EstateNow(stateStore, reports, clock);
        this.sweepRequests = new SweepRequestQueue(() -> storage.queue(settings.jobsQueue() + SweepRequestQueue.SUFFIX));
        this.controller = new Controller(reconciler, jobQueue, stateStore, sweeps, clock, LookAgain.RESYNC_GRACE);
    }

    /**
     * The Functions host's graph for this process, from the app settings, built on first use (the host creates the
     * trigger classes itself, so they cannot be handed one). Fails fast on a bad setting.
     */
    public static Services shared() {
        Services s = shared;
        if (s == null) {
            synchronized (Services.class) {
                s = shared;
                if (s == null) {
                    Settings settings = Settings.fromEnvironment();
                    // Deprecations (MDE_REMEDIATION_MODE) once per process, where the host's log shows them.
                    settings.warnings().forEach(w -> java.util.logging.Logger.getLogger(Services.class.getName()).warning(w));
                    s = new Services(settings, Clock.systemUTC());
                    shared = s;
                }
            }
        }
        return s;
    }
}
