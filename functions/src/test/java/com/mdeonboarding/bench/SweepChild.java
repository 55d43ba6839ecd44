package com.mdeonboarding.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepRequest;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Scenario 2's measuring JVM (launched with -Xmx256m by {@link SweepScale}): the app's real Services against an
 * emulator running in another process (its heap is not ours), one sweep, its figures as one JSON line on stdout
 * ({@code RESULT {...}}). Resource Manager calls come from the emulator's request log (admin API), heap from the
 * memory pools, time from the wall clock.
 *
 * <p>Modes: {@code explicit} (MDE_SCOPE_SUBSCRIPTIONS lists every subscription), {@code discover} (no scope: the sweep
 * lists the subscriptions the identity sees), {@code naive} (the scripted tools' loop instead of the sweep, with the
 * fluent azure-resourcemanager API: {@link FluentScript#statusSweep}), {@code dashboard} (scenario 6,
 * {@link DashboardScale}: state rows for every machine, a sweep, then the dashboard timed).
 */
public final class SweepChild {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepChild() {
    }

    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        Path ca = Path.of(args[1]);
        String storage = args[2];
        String mode = args[3];
        Logger log = Logger.getLogger("bench.sweep");
        log.setUseParentHandlers(false);
        log.setLevel(Level.WARNING);
        Admin admin = new Admin(baseUrl, ca);

        List<String> scope = List.of();
        if (mode.equals("explicit") || mode.equals("dashboard")) {
            Services lister = Bench.services(Bench.settings(baseUrl, ca, storage, Bench.suffix(), List.of()));
            scope = lister.azure.subscriptions().enabledSubscriptions();
        }
        Services services = Bench.services(Bench.settings(baseUrl, ca, storage, Bench.suffix(), scope));
        services.reports.knownSettings(); // creates the reports table outside the measured window
        admin.clear();
        ObjectNode out = JSON.createObjectNode();
        out.put("mode", mode);
        long gc0 = gcMillis();
        Bench.resetPeakHeap();
        long t0 = System.nanoTime();
        if (mode.equals("naive")) {
            out.put("machines", new FluentScript(baseUrl, ca).statusSweep(8));
        } else if (mode.equals("dashboard")) {
            DashboardScale.run(services, DashboardScale.stateTable(storage, services.settings.stateTable()), scope, log, out);
            out.put("subscriptions", scope.size());
            out.put("machines", services.reports.latest().map(SweepReport::machines).orElse(0L));
        } else {
            AtomicLong jobs = new AtomicLong();
            SweepReport r = services.sweeps.run(SweepRequest.scheduled(), job -> jobs.incrementAndGet(), log);
            out.put("subscriptions", r.totals().subscriptionsInScope());
            out.put("machines", r.machines());
            out.put("jobs", jobs.get());
            out.put("reportCalls", r.calls().total());
            out.put("resourceGraphRequests", r.calls().resourceGraphRequests());
            out.put("settingsReads", r.calls().settingsReads());
            out.put("errors", r.errors().size());
            // The Defender for Endpoint device list: read once, ceil(devices / 10,000) calls.
            out.put("defenderApiCalls", r.sensor().devices().defenderApiCalls());
            out.put("devices", r.sensor().devices().records());
            out.put("extensionSucceeded", r.sensor().extensionSucceeded());
            out.put("protected", r.sensor().protectedMachines());
        }
        long wallMillis = (System.nanoTime() - t0) / 1_000_000;
        out.put("wallMillis", wallMillis);
        out.put("peakHeapBytes", Bench.peakHeapBytes());
        out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        out.put("gcMillis", gcMillis() - gc0);
        JsonNode requests = admin.requests();
        out.put("calls", requests.path("total").asLong());
        out.put("reads", requests.path("reads").asLong());
        out.put("writes", requests.path("writes").asLong());
        out.set("byOperation", requests.path("counts"));
        long throttled = 0;
        for (JsonNode e : requests.path("requests")) {
            if (e.path("status").asInt() == 429) {
                throttled++;
            }
        }
        out.put("throttled", throttled);
        System.out.println("RESULT " + out);
        System.out.flush();
        System.exit(0);
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, g.getCollectionTime());
        }
        return t;
    }

    /** The emulator's admin API (loopback, no token), over its HTTPS with its CA trusted. */
    static final class Admin {
        private final String baseUrl;
        private final HttpClient http;

        Admin(String baseUrl, Path caPem) throws Exception {
            this.baseUrl = baseUrl;
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(caPem)) {
                ks.setCertificateEntry("emulator-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
        }

        void clear() throws IOException, InterruptedException {
            http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/requests")).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }

        JsonNode requests() throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/requests?limit=200000")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        }
    }
}
