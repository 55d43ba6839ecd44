package com.mdeonboarding.cli;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.control.Controller;
import com.mdeonboarding.control.QueueWorker;
import com.mdeonboarding.api.ApiRequest;
import com.mdeonboarding.api.ApiResponse;
import com.mdeonboarding.api.DashboardEndpoint;
import com.mdeonboarding.api.Endpoint;
import com.mdeonboarding.api.MachineStateEndpoint;
import com.mdeonboarding.api.MachinesEndpoint;
import com.mdeonboarding.api.OnboardingEndpoint;
import com.mdeonboarding.api.OpenApiEndpoint;
import com.mdeonboarding.api.PostureEndpoint;
import com.mdeonboarding.api.Problem;
import com.mdeonboarding.api.SweepsEndpoint;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.support.Parallel;
import com.mdeonboarding.sweep.SweepRequestQueue;
import java.io.ByteArrayOutputStream;
import java.net.BindException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Logger;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The HTTP API's route handlers on the loopback address only: the local stand-in for the Functions host (which cannot be
 * installed everywhere), as the emulator stands in for Resource Manager. No function key: nothing but this machine can
 * reach it. It also runs the sweeps POST /api/sweeps queues, as the Function App's RunRequestedSweep does.
 *
 * <p>Reactor Netty rather than the JDK's {@code HttpServer}: the JDK server reads each request on a pool thread with no
 * read timeout of its own (only the JVM-wide {@code sun.net.httpserver.maxReqTime} property), so four slow clients held
 * all four threads, and it answers a request line it cannot parse ({@code %zz}) with its own HTML page naming
 * {@code URISyntaxException}. Netty reads on an event loop (a slow client holds no thread), hands us the raw URI, and
 * {@link RequestGuard} bounds the time a request may take to arrive. Route handlers block (Storage, Resource Manager), so
 * they run on a bounded pool; when it is full the answer is 503.
 */
final class LocalHttpApi implements AutoCloseable {
    /** Bodies are read up to this; the onboarding route refuses anything over its own, smaller limit. */
    private static final int MAX_READ = OnboardingEndpoint.MAX_BODY_BYTES + 1;
    /** The longest request line and the most header bytes taken; more is 414 / 431 ({@link RequestGuard}). */
    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADERS = 16384;

    /**
     * How long a request may take to arrive, how many route handlers run at once, and how many may wait for one.
     */
    record Limits(Duration requestTime, int workers, int waiting) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(10), 16, 64);
    }

    private final Services services;
    private final Logger log;
    private final Map<String, Endpoint> routes = new LinkedHashMap<>();
    private final ExecutorService workers;
    private final Scheduler scheduler;
    /**
     * The controller, run in-process on the app's queues as the Functions host runs its triggers: requested sweeps (POST
     * /api/sweeps), poison jobs and the resync always; the jobs themselves with {@code serve --jobs} (bin/run-local), where no
     * Function App drains the queue.
     */
    private final QueueWorker queueWorker;
    private final int port;
    private final Limits limits;
    private DisposableServer server;

    LocalHttpApi(Services services, int port, Logger log) {
        this(services, port, log, Limits.DEFAULT, false);
    }

    LocalHttpApi(Services services, int port, Logger log, Limits limits) {
        this(services, port, log, limits, false);
    }

    LocalHttpApi(Services services, int port, Logger log, Limits limits, boolean receiveJobs) {
        this.services = services;
        this.log = log;
        this.port = port;
        this.limits = limits;
        for (Endpoint e : List.of(OnboardingEndpoint.from(services), MachineStateEndpoint.from(services), PostureEndpoint.from(services),
                SweepsEndpoint.from(services), new OpenApiEndpoint(), DashboardEndpoint.from(services), MachinesEndpoint.from(services))) {
            routes.put(e.path().toLowerCase(Locale.ROOT), e);
        }
        this.workers = Parallel.bounded("serve", limits.workers(), limits.waiting());
        this.scheduler = Schedulers.fromExecutorService(workers, "serve");
        QueueWorker.Options options = QueueWorker.Options.serial(5, Duration.ofSeconds(15)).withConcurrency(16, 8)
                .withMaxPollingInterval(Duration.ofSeconds(2)).withResyncEvery(Duration.ofMinutes(2));
        this.queueWorker = new QueueWorker(services.storage.queue(services.settings.jobsQueue()),
                services.storage.queue(services.settings.jobsQueue() + "-poison"),
                services.storage.queue(services.settings.jobsQueue() + SweepRequestQueue.SUFFIX), handlers(services, log),
                receiveJobs ? options : options.withoutJobs(), log);
    }

    void start() throws BindException {
        try {
            server = HttpServer.create().host("127.0.0.1").port(port)
                    // A connection that sends nothing, or a body that stops, is closed (RequestGuard bounds the whole request).
                    .idleTimeout(limits.requestTime()).readTimeout(limits.requestTime())
                    .httpRequestDecoder(spec -> spec.maxInitialLineLength(MAX_INITIAL_LINE).maxHeaderSize(MAX_HEADERS).validateHeaders(true))
                    .doOnChannelInit((observer, channel, remote) ->
                            channel.pipeline().addAfter(NettyPipeline.HttpCodec, "mde.requestGuard", new RequestGuard(limits.requestTime())))
                    .handle(this::serve)
                    .bindNow();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException b) {
                    throw b;
                }
            }
            if (String.valueOf(e.getMessage()).contains("Address already in use")) {
                throw new BindException(e.getMessage());
            }
            throw e;
        }
        queueWorker.start();
    }

    /** e.g. "POST /api/onboarding", in the order they are documented. */
    List<String> routes() {
        return routes.values().stream().map(Endpoint::route).toList();
    }

    int port() {
        return server.port();
    }

    private Mono<Void> serve(HttpServerRequest req, HttpServerResponse res) {
        String uri = req.uri();
        int q = uri.indexOf('?');
        // Routed on the raw path: '/api%2fonboarding' is not '/api/onboarding'.
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        Optional<String> rawQuery = q < 0 ? Optional.empty() : Optional.of(uri.substring(q + 1));
        String method = req.method().name();
        // Read as a long: read as an int, a Content-Length above 2^31 was ignored and the body waited for until the 10 s
        // request limit answered 408 (issue #23 item 7). Netty's codec already refused one that is not a number.
        long declared = declaredLength(req.requestHeaders().get("Content-Length"));
        if (declared > MAX_READ) {
            res.keepAlive(false);
            return send(res, Endpoint.problemFor(Problem.of(Problem.Type.TOO_LARGE, "the request body is larger than "
                    + OnboardingEndpoint.MAX_BODY_BYTES + " bytes")));
        }
        return body(req)
                .flatMap(bytes -> Mono.fromCallable(() -> answer(method, rawPath, rawQuery, req, bytes)).subscribeOn(scheduler))
                .onErrorResume(TooLarge.class, e -> Mono.just(Endpoint.problemFor(Problem.of(Problem.Type.TOO_LARGE,
                        "the request body is larger than " + OnboardingEndpoint.MAX_BODY_BYTES + " bytes"))))
                .onErrorResume(RejectedExecutionException.class, e -> Mono.just(Endpoint.problemFor(Problem.of(Problem.Type.UNAVAILABLE,
                        "the local API is busy (" + limits.workers() + " requests running, " + limits.waiting() + " waiting); try again"))
                        .withHeader("Retry-After", "1")))
                .flatMap(r -> send(res, r));
    }

    /** The declared body length; -1 when none; a number too large for a long counts as too large. */
    static long declaredLength(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return header.trim().chars().allMatch(Character::isDigit) ? Long.MAX_VALUE : -1;
        }
    }

        private ApiResponse answer(String method, String rawPath, Optional<String> rawQuery, HttpServerRequest req, byte[] body) {
        Endpoint endpoint = routes.get(rawPath.toLowerCase(Locale.ROOT));
        if (endpoint == null) {
            return Endpoint.problemFor(Problem.of(Problem.Type.NOT_FOUND, "no route " + Text.printable(method, 10) + " "
                    + Text.printable(rawPath, 120) + "; routes: " + String.join(", ", routes())));
        }
        Map<String, String> query;
        try {
            query = query(rawQuery);
        } catch (IllegalArgumentException e) {
            return Endpoint.problemFor(Problem.of(Problem.Type.INVALID_REQUEST, e.getMessage()));
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        req.requestHeaders().forEach(h -> headers.merge(h.getKey(), h.getValue(), (a, b) -> a + ", " + b));
        Optional<String> text = body.length == 0 && !method.equals("POST") ? Optional.empty()
                : Optional.of(new String(body, StandardCharsets.UTF_8));
        return endpoint.handle(new ApiRequest(method, query, headers, text), log);
    }

    /**
     * The query as the Functions host hands it over, decoded once; a parameter given twice is refused (the host would
     * keep one of them silently, and which one the caller meant cannot be known).
     */
    static Map<String, String> query(Optional<String> raw) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (raw.isEmpty() || raw.get().isEmpty()) {
            return out;
        }
        for (String pair : raw.get().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            String name = decode(kv[0]);
            String value = kv.length > 1 ? decode(kv[1]) : "";
            if (out.containsKey(name)) {
                throw new IllegalArgumentException("the query parameter '" + Text.printable(name, 60) + "' is given more than once;"
                        + " give it once");
            }
            out.put(name, value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the query '" + Text.printable(s, 80) + "' has a malformed percent-encoding (a '%' must"
                    + " be followed by two hexadecimal digits)");
        }
    }

    /** The body, up to {@link #MAX_READ} bytes; more is {@link TooLarge}. */
    private static Mono<byte[]> body(HttpServerRequest req) {
        return req.receive().asByteArray().reduce(new ByteArrayOutputStream(), (acc, chunk) -> {
            if (acc.size() + chunk.length > MAX_READ) {
                throw new TooLarge();
            }
            acc.write(chunk, 0, chunk.length);
            return acc;
        }).defaultIfEmpty(new ByteArrayOutputStream()).map(ByteArrayOutputStream::toByteArray);
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    private static Mono<Void> send(HttpServerResponse res, ApiResponse response) {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        res.status(response.status());
        response.headers().forEach(res::header);
        res.header("Content-Length", String.valueOf(body.length));
        return res.sendByteArray(Mono.just(body)).then();
    }

    /** The controller's methods, as host.json's queue settings would run the Function App's triggers. */
    static QueueWorker.Handlers handlers(Services services, Logger log) {
        Controller c = services.controller;
        return new QueueWorker.Handlers() {
            @Override
            public void job(String body, String messageId, int dequeueCount) {
                c.process(body, messageId, dequeueCount, log);
            }

            @Override
            public void poison(String body, String messageId) {
                c.poison(body, messageId, log);
            }

            @Override
            public void sweep(String body, String messageId) {
                c.sweepRequested(body, messageId, log);
            }

            @Override
            public void resync() {
                c.resync(log);
            }
        };
    }

    @Override
    public void close() {
        queueWorker.close();
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(5));
        }
        workers.shutdownNow();
    }
}
