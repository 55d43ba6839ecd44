package com.mdeonboarding.emulator;

import com.mdeonboarding.emulator.events.EventSchema;
import com.mdeonboarding.emulator.operations.Delays;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.TenantGenerator;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar mde-onboarding-emulator.jar --tenant <file> [--port 8443] [--host 127.0.0.1]
 * [--cert-out <pem>] [--event-endpoint <url>] [--event-schema eventgrid|cloudevents]
 * [--extension-delay-ms N] [--azure-delays SCALE] [--page-size N]}, or {@code --generate SUBS,MACHINES[,SEED]} instead of
 * {@code --tenant}. Prints the base URL and the CA file, then serves until killed.
 */
final class Cli {
    static final String USAGE = String.join("\n",
            "Usage: java -jar mde-onboarding-emulator.jar [options]",
            "  --tenant <file>               tenant JSON (default: the bundled sample tenant)",
            "  --generate SUBS,MACHINES[,SEED]  generate a large tenant in memory instead",
            "  --port <n>                    HTTPS port (default 8443; 0 = any free port)",
            "  --host <addr>                 bind address (default 127.0.0.1)",
            "  --cert-out <file>             where to write the CA certificate PEM (default: a temp file)",
            "  --event-endpoint <url>        POST resource events (JSON arrays) to this URL",
            "  --event-schema <s>            eventgrid (default) or cloudevents",
            "  --extension-delay-ms <n>      how long extension/run command operations run (default 2000)",
            "  --azure-delays <scale>        Run Commands 30-90 s and extension provisioning 2-6 min, as in Azure,",
            "                                spread per call and multiplied by <scale> (e.g. 0.0333: a minute takes 2 s)",
            "  --page-size <n>               list page size before nextLink (default 100)",
            "  --help                        this text");

    private Cli() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        ArmEmulator.Builder b = ArmEmulator.builder().port(8443);
        String source = "sample tenant";
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--tenant" -> {
                        Path p = Path.of(value(args, ++i, a));
                        b.tenant(Tenant.load(p));
                        source = p.toString();
                    }
                    case "--generate" -> {
                        String[] parts = value(args, ++i, a).split(",");
                        if (parts.length < 2 || parts.length > 3) {
                            throw new IllegalArgumentException("--generate needs SUBS,MACHINES[,SEED]");
                        }
                        int subs = Integer.parseInt(parts[0].trim());
                        int machines = Integer.parseInt(parts[1].trim());
                        long seed = parts.length == 3 ? Long.parseLong(parts[2].trim()) : 1L;
                        b.tenant(TenantGenerator.generate(subs, machines, seed));
                        source = "generated: " + subs + " subscriptions, " + machines + " machines, seed " + seed;
                    }
                    case "--port" -> b.port(Integer.parseInt(value(args, ++i, a)));
                    case "--host" -> b.host(value(args, ++i, a));
                    case "--cert-out" -> b.certificatePemPath(Path.of(value(args, ++i, a)));
                    case "--event-endpoint" -> b.eventWebhook(URI.create(value(args, ++i, a)));
                    case "--event-schema" -> b.eventSchema(EventSchema.parse(value(args, ++i, a)));
                    case "--extension-delay-ms" -> b.extensionProvisioningDelay(
                            Duration.ofMillis(Long.parseLong(value(args, ++i, a))));
                    case "--azure-delays" -> b.delays(Delays.azureLike().timeScale(Double.parseDouble(value(args, ++i, a))));
                    case "--page-size" -> b.pageSize(Integer.parseInt(value(args, ++i, a)));
                    default -> throw new IllegalArgumentException("Unknown option " + a);
                }
            }
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        ArmEmulator emulator;
        try {
            emulator = b.build().start();
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        TenantState s = emulator.state();
        out.println("mde-onboarding ARM emulator");
        out.println("  base URL:       " + emulator.baseUrl());
        out.println("  CA certificate: " + emulator.caCertificatePemPath());
        out.println("  bearer token:   " + ArmEmulator.DEV_TOKEN);
        out.println("  tenant:         " + s.tenantId() + " (" + source + "): " + s.subscriptionCount()
                + " subscriptions, " + s.virtualMachineCount() + " VMs, " + s.arcMachineCount() + " Arc machines");
        out.println("  admin API:      " + emulator.baseUrl() + "/admin/state");
        out.println("  Defender API:   " + emulator.baseUrl() + "/api/machines (MDE_DEFENDER_API_ENDPOINT=" + emulator.baseUrl() + ")");
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stop.countDown();
        }, "arm-emulator-shutdown"));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
