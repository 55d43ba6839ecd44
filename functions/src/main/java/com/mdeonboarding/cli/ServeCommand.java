package com.mdeonboarding.cli;

import com.mdeonboarding.app.Services;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The HTTP API's routes on http://127.0.0.1:PORT/api without the Functions host: loopback only, no function"
            + " key; for local trials. Ctrl-C stops it."},
        exitCodeListHeading = HelpTexts.EXIT_HEADING,
        exitCodeList = {"0:stopped", "2:bad usage or configuration, or the port cannot be used"},
        footer = HelpTexts.SETTINGS_FOOTER)
final class ServeCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + OptionValues.DEFAULT_PORT, converter = OptionValues.Port.class,
            description = "The port on 127.0.0.1 (default ${DEFAULT-VALUE}, the Functions host's local port; 0 picks a free one).")
    int port;

    @Option(names = "--jobs", description = "Also work the onboarding jobs queue (as the Function App's ReconcileMachine does) where no"
            + " Function App drains it, e.g. with the local emulator. Without it, serve runs requested sweeps, poison jobs and the"
            + " resync only.")
    boolean jobs;

    ServeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Services s = ctx.services();
        try (LocalHttpApi api = new LocalHttpApi(s, port, ctx.log, LocalHttpApi.Limits.DEFAULT, jobs)) {
            api.start();
            ctx.err.println("mde-onboarding: HTTP API on http://127.0.0.1:" + api.port() + "/api (loopback only, no function key);"
                    + " routes: " + String.join(", ", api.routes()) + (jobs ? "; working the jobs queue" : "") + ". Ctrl-C stops it.");
            Thread.currentThread().join();
            return Main.OK;
        } catch (java.net.BindException e) {
            throw new UsageException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage() + " (choose another --port)");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.OK;
        }
    }
}
