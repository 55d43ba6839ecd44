package com.mdeonboarding.bench;

import com.mdeonboarding.config.Settings;
import com.mdeonboarding.host.ReconcileMachine;
import com.mdeonboarding.app.Services;
import com.microsoft.azure.functions.ExecutionContext;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Scenario 5's fresh JVM: runs on the staged Function App's classpath (its jar and lib/, plus the Functions worker's
 * ExecutionContext interface, which the worker provides) and nothing of the tests but this class. Builds the app's
 * Services from the environment as the host would, then hands two queue messages to the real ReconcileMachine
 * function, and prints how long each step took: {@code PROBE mainAt=.. servicesMs=.. firstMs=.. secondMs=.. uptimeMs=..}.
 */
public final class ColdStartProbe {
    private ColdStartProbe() {
    }

    public static void main(String[] args) {
        long mainAt = ManagementFactory.getRuntimeMXBean().getUptime();
        Logger log = Logger.getLogger("cold-start-probe");
        log.setUseParentHandlers(false);
        log.setLevel(Level.WARNING);
        ExecutionContext ctx = new ExecutionContext() {
            @Override
            public Logger getLogger() {
                return log;
            }

            @Override
            public String getInvocationId() {
                return UUID.randomUUID().toString();
            }

            @Override
            public String getFunctionName() {
                return ReconcileMachine.NAME;
            }
        };
        long t0 = System.nanoTime();
        // What the host's first invocation does: build the graph from the app settings, then reconcile.
        ReconcileMachine function = new ReconcileMachine(new Services(Settings.fromEnvironment(), Clock.systemUTC()));
        long t1 = System.nanoTime();
        function.run(args[0], "probe-1", 1, ctx);
        long t2 = System.nanoTime();
        // CPU time of this JVM so far (all threads, JIT and GC included): on a busy machine wall time waits for the CPU, this does not.
        long cpuMs = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
        System.out.println("FIRST-RECONCILE-DONE");
        System.out.flush();
        function.run(args[1], "probe-2", 1, ctx);
        long t3 = System.nanoTime();
        long uptimeAfterFirst = mainAt + (t2 - t0) / 1_000_000;
        System.out.println("PROBE mainAt=" + mainAt + " servicesMs=" + (t1 - t0) / 1_000_000 + " firstMs=" + (t2 - t1) / 1_000_000
                + " secondMs=" + (t3 - t2) / 1_000_000 + " uptimeMs=" + uptimeAfterFirst + " classes="
                + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount() + " cpuMs=" + cpuMs);
        System.out.flush();
        System.exit(0);
    }
}
