package com.mdeonboarding.emulator;

import com.mdeonboarding.emulator.events.EventBus;
import com.mdeonboarding.emulator.events.EventSchema;
import com.mdeonboarding.emulator.events.EventVariant;
import com.mdeonboarding.emulator.faults.Faults;
import com.mdeonboarding.emulator.operations.Delays;
import com.mdeonboarding.emulator.providers.EventGridWritesProvider;
import com.mdeonboarding.emulator.providers.ComputeProvider;
import com.mdeonboarding.emulator.providers.DefenderApiQuota;
import com.mdeonboarding.emulator.providers.DefenderApiRateLimit;
import com.mdeonboarding.emulator.providers.DefenderEndpointProvider;
import com.mdeonboarding.emulator.providers.EventGridProvider;
import com.mdeonboarding.emulator.providers.HybridComputeProvider;
import com.mdeonboarding.emulator.providers.PermissionsProvider;
import com.mdeonboarding.emulator.providers.ResourceGraphProvider;
import com.mdeonboarding.emulator.providers.ResourceGraphQuota;
import com.mdeonboarding.emulator.providers.ResourcesProvider;
import com.mdeonboarding.emulator.providers.SecurityProvider;
import com.mdeonboarding.emulator.server.AdminApi;
import com.mdeonboarding.emulator.server.ArmServer;
import com.mdeonboarding.emulator.server.EmulatorContext;
import com.mdeonboarding.emulator.server.RequestLog;
import com.mdeonboarding.emulator.server.Router;
import com.mdeonboarding.emulator.state.EmulatorClock;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tls.DevCertificates;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * A local stand-in for Azure Resource Manager, and for the Defender for Endpoint API's machine list, that serves
 * exactly the operations mde-onboarding uses, over HTTPS, from an in-memory tenant. See emulator/README.md.
 *
 * <pre>{@code
 * try (ArmEmulator arm = ArmEmulator.builder().tenant(Tenant.sample()).port(0)
 *         .extensionProvisioningDelay(Duration.ofMillis(200)).build().start()) {
 *     // point the app at arm.baseUrl(), trust arm.caCertificatePemPath(), send "Bearer " + ArmEmulator.DEV_TOKEN
 * }
 * }</pre>
 */
public final class ArmEmulator implements AutoCloseable {
    /** The only bearer token the emulator accepts. */
    public static final String DEV_TOKEN = "mde-onboarding-local-development-token";

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
        // and delayed ACKs add ~40 ms to many keep-alive responses. Read once when the server class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Builder config;
    private final TenantState state;
    private final EventBus events;
    private final EmulatorContext ctx;
    private HttpsServer server;
    private ExecutorService executor;
    private DevCertificates certificates;
    private Path pemPath;
    private boolean pemIsTemporary;
    private String baseUrl;
    private boolean closed;

    private ArmEmulator(Builder b) {
        this.config = b;
        Tenant tenant = b.tenant != null ? b.tenant : Tenant.sample();
        this.state = new TenantState(tenant, new EmulatorClock());
        this.events = new EventBus(state.tenantId(), state.clock());
        events.schema(b.schema);
        b.listeners.forEach(events::addListener);
        if (b.webhook != null) {
            events.webhook(b.webhook);
        }
        state.store().attach(events);
        this.ctx = new EmulatorContext(state, events, new ResourceGraphQuota(b.graphQuota, b.graphWindow),
                b.delays, b.lroRetryAfterSeconds, b.pageSize);
        ctx.defenderQuota = new DefenderApiQuota(b.defenderLimits);
        state.defenderApi(ctx);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Generates the certificate, binds the port and starts serving. */
    public synchronized ArmEmulator start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        try {
            String advertisedHost = config.host.equals("0.0.0.0") || config.host.equals("::") ? "127.0.0.1" : config.host;
            List<String> dns = new ArrayList<>(List.of("localhost"));
            List<String> ips = new ArrayList<>(List.of("127.0.0.1", "::1"));
            for (String h : List.of(config.host, advertisedHost)) {
                if (h.matches("[0-9.]+") || h.contains(":")) {
                    if (!ips.contains(h) && !h.equals("0.0.0.0") && !h.equals("::")) {
                        ips.add(h);
                    }
                } else if (!dns.contains(h)) {
                    dns.add(h);
                }
            }
            certificates = DevCertificates.generate(dns, ips);
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName(config.host), config.port), 256);
            server.setHttpsConfigurator(new HttpsConfigurator(certificates.serverSslContext()));
            AtomicInteger n = new AtomicInteger();
            executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "arm-emulator-http-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            Router router = new Router();
            new ResourcesProvider(ctx, router);
            new ComputeProvider(ctx, router);
            new HybridComputeProvider(ctx, router);
            new SecurityProvider(ctx, router);
            new ResourceGraphProvider(ctx, router);
            new PermissionsProvider(ctx, router);
            new EventGridProvider(ctx, router);
            new EventGridWritesProvider(ctx, router);
            server.createContext("/", new ArmServer(ctx, router, new AdminApi(ctx)));
            // The Defender for Endpoint API on the same HTTPS server (local.settings.sample.json points both at one port).
            server.createContext("/api/", new DefenderEndpointProvider(ctx));
            server.start();
            String hostPart = advertisedHost.contains(":") ? "[" + advertisedHost + "]" : advertisedHost;
            baseUrl = "https://" + hostPart + ":" + server.getAddress().getPort();
            ctx.baseUrl = baseUrl;
            writePem();
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("The ARM emulator could not start on " + config.host + ":" + config.port
                    + ": " + e.getMessage(), e);
        }
    }

    private void writePem() throws IOException {
        if (config.pemPath != null) {
            pemPath = config.pemPath.toAbsolutePath();
            if (pemPath.getParent() != null) {
                Files.createDirectories(pemPath.getParent());
            }
        } else {
            pemPath = Files.createTempFile("mde-onboarding-emulator-ca-", ".pem");
            pemIsTemporary = true;
        }
        Files.writeString(pemPath, certificates.caCertificatePem());
    }

    /** e.g. {@code https://127.0.0.1:54321}, without a trailing slash. */
    public String baseUrl() {
        requireStarted();
        return baseUrl;
    }

    public int port() {
        requireStarted();
        return server.getAddress().getPort();
    }

    /** The PEM file of the CA that signed the server certificate; trust it explicitly in clients. */
    public Path caCertificatePemPath() {
        requireStarted();
        return pemPath;
    }

    public String caCertificatePem() {
        requireStarted();
        return certificates.caCertificatePem();
    }

    public X509Certificate caCertificate() {
        requireStarted();
        return certificates.caCertificate();
    }

    /** A PKCS12 trust store holding only the emulator's CA. */
    public KeyStore trustStore() {
        requireStarted();
        return certificates.trustStore();
    }

    /** An SSLContext that trusts the emulator's CA only (for java.net.http.HttpClient and the like). */
    public SSLContext clientSslContext() {
        requireStarted();
        return certificates.clientSslContext();
    }

    public RequestLog requestLog() {
        return ctx.requestLog;
    }

    public Faults faults() {
        return ctx.faults;
    }

    /** Every Defender for Endpoint API request ({@code /api/...}) the emulator received: operation {@code ListMachines}. */
    public RequestLog defenderRequestLog() {
        return ctx.defenderRequestLog;
    }

    /** Fault rules for the Defender for Endpoint API (apart from Resource Manager's); operation {@code ListMachines}. */
    public Faults defenderFaults() {
        return ctx.defenderFaults;
    }

    /** Every 429 the Defender for Endpoint API answered, with its time and Retry-After seconds, oldest first. */
    public List<java.util.Map.Entry<java.time.Instant, Integer>> defenderThrottles() {
        return ctx.defenderQuota.throttles().stream()
                .map(t -> java.util.Map.entry(t.at(), t.retryAfterSeconds())).toList();
    }

    public TenantState state() {
        return state;
    }

    /** Registers a listener that receives each event as a JSON array with one element, synchronously, in order. */
    public ArmEmulator onEvent(Consumer<String> listener) {
        events.addListener(listener);
        return this;
    }

    public ArmEmulator eventSchema(EventSchema schema) {
        events.schema(Objects.requireNonNull(schema));
        return this;
    }

    /** POSTs each event (a JSON array with one element) to this URL, asynchronously, with retries. */
    public ArmEmulator eventWebhook(URI url) {
        events.webhook(url);
        return this;
    }

    /** Every event emitted so far, one JSON object per element, in order. */
    public List<String> events() {
        return events.emitted();
    }

    /** The emulated tenant's clock: real time until {@link #advanceTime} moves it forward. */
    public EmulatorClock clock() {
        return ctx.clock;
    }

    /**
     * Moves the emulator's time forward by {@code d}, as if that much time had passed, instead of waiting for it:
     * long-running operations whose due time is passed complete now (their events published before this returns),
     * Retry-After and the Defender API's and Resource Graph's rate windows count from the new time, and sensors whose
     * report delay has passed appear. The same as {@code POST /admin/time {"advance": "PT30S"}}.
     *
     * @return the emulator's time after the move
     */
    public java.time.Instant advanceTime(Duration d) {
        return advance(ctx, d);
    }

    public static java.time.Instant advance(EmulatorContext ctx, Duration d) {
        ctx.clock.advance(d);
        ctx.operations.settleDue();
        return ctx.now();
    }

    /** Changes how long extension writes, deletes and run commands take from now on. */
    public ArmEmulator extensionProvisioningDelay(Duration delay) {
        ctx.delays = Delays.fixed(Objects.requireNonNull(delay));
        return this;
    }

    /** Changes how long Run Commands and extension operations take from now on (per call; see {@link Delays}). */
    public ArmEmulator delays(Delays delays) {
        ctx.delays = Objects.requireNonNull(delays);
        return this;
    }

    /** The durations in force. */
    public Delays delays() {
        return ctx.delays;
    }

    /**
     * The {@code status} operations report while they run (default {@code InProgress}); real providers also say
     * Running, Creating, Updating, Provisioning... Only Succeeded, Failed and Canceled are terminal (Azure/azure-resource-manager-rpc
     * async-api-reference.md, "provisioningState property").
     */
    public ArmEmulator runningOperationStatus(String status) {
        ctx.runningStatus = Objects.requireNonNull(status);
        return this;
    }

    /** Long-running operations answer 202 with {@code Location} only (no Azure-AsyncOperation), or, with false, both (default). */
    public ArmEmulator locationOnlyOperations(boolean locationOnly) {
        ctx.locationOnly = locationOnly;
        return this;
    }

    /** Renders the resource events published from now on with these variants of Azure's shape (none: the documented samples'). */
    public ArmEmulator eventVariants(EventVariant... variants) {
        events.variants(Set.of(variants));
        return this;
    }

    private void requireStarted() {
        if (server == null) {
            throw new IllegalStateException("The emulator is not started; call start() first.");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        ctx.operations.close();
        events.close();
        if (pemIsTemporary && pemPath != null) {
            try {
                Files.deleteIfExists(pemPath);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }

    /** Runs the emulator from the command line; see {@link Cli}. */
    public static void main(String[] args) {
        int code = Cli.run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Configures an emulator; every setting has a default suitable for tests. */
    public static final class Builder {
        private Tenant tenant;
        private int port = 0;
        private String host = "127.0.0.1";
        private Delays delays = Delays.fixed(Duration.ofSeconds(2));
        private EventSchema schema = EventSchema.EVENT_GRID;
        private URI webhook;
        private final List<Consumer<String>> listeners = new ArrayList<>();
        private Path pemPath;
        private int pageSize = 100;
        private int graphQuota = 15;
        private Duration graphWindow = Duration.ofSeconds(5);
        private Integer lroRetryAfterSeconds;
        private List<DefenderApiRateLimit> defenderLimits = DefenderApiRateLimit.DOCUMENTED;

        private Builder() {
        }

        /** The Defender for Endpoint API's rate limits (default: 100 per minute and 1,500 per hour, as documented). */
        public Builder defenderApiRateLimits(List<DefenderApiRateLimit> limits) {
            if (limits.isEmpty()) {
                throw new IllegalArgumentException("at least one rate limit");
            }
            this.defenderLimits = List.copyOf(limits);
            return this;
        }

        public Builder tenant(Tenant tenant) {
            this.tenant = Objects.requireNonNull(tenant);
            return this;
        }

        public Builder tenant(Path tenantFile) {
            return tenant(Tenant.load(tenantFile));
        }

        /** The bundled sample tenant (the default). */
        public Builder sampleTenant() {
            return tenant(Tenant.sample());
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** How long extension writes/deletes and run commands stay InProgress (default 2 s, the same for every call). */
        public Builder extensionProvisioningDelay(Duration delay) {
            this.delays = Delays.fixed(Objects.requireNonNull(delay));
            return this;
        }

        /** Durations per call, spread and time-scaled ({@link Delays#azureLike()}); replaces extensionProvisioningDelay. */
        public Builder delays(Delays delays) {
            this.delays = Objects.requireNonNull(delays);
            return this;
        }

        public Builder eventSchema(EventSchema schema) {
            this.schema = Objects.requireNonNull(schema);
            return this;
        }

        public Builder eventWebhook(URI url) {
            this.webhook = url;
            return this;
        }

        public Builder eventWebhook(String url) {
            return eventWebhook(url == null ? null : URI.create(url));
        }

        public Builder onEvent(Consumer<String> listener) {
            listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /** Where to write the CA PEM (kept after close); default: a temporary file deleted on close. */
        public Builder certificatePemPath(Path path) {
            this.pemPath = path;
            return this;
        }

        /** Items per page of subscription, VM and Arc machine lists before a nextLink (default 100). */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1) {
                throw new IllegalArgumentException("pageSize must be >= 1");
            }
            this.pageSize = pageSize;
            return this;
        }

        /** Resource Graph quota: queries per window (default 15 per 5 s, as Azure documents). */
        public Builder resourceGraphQuota(int queries, Duration window) {
            this.graphQuota = queries;
            this.graphWindow = window;
            return this;
        }

        /**
         * Retry-After seconds on long-running-operation responses. Default: the whole seconds left
         * until the operation completes (at least 1). A negative value omits the header, so clients
         * poll at their own interval.
         */
        public Builder lroRetryAfterSeconds(int seconds) {
            this.lroRetryAfterSeconds = seconds;
            return this;
        }

        public ArmEmulator build() {
            return new ArmEmulator(this);
        }
    }
}
