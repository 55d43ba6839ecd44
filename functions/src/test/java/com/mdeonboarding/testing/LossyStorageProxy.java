package com.mdeonboarding.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP proxy in front of one Azurite service (Table or Queue) that loses answers: a chosen share of write requests
 * is forwarded and stored, and then the client is answered {@code 503 ServerBusy} instead of what Azurite said, as when a
 * write succeeds in Azure and its answer is lost (a timeout, a dropped connection, a 503 from a front end after the
 * partition server stored it). The Storage SDK retries such a write; the retry meets the write it already made: 409 for
 * an insert, 412 for an update with If-Match, a second copy of a queue message. Seeded, so a failure can be replayed.
 */
public final class LossyStorageProxy implements AutoCloseable {
    /** Writes of entities and messages: not the creation of tables or queues, which happens once at start. */
    public static final Predicate<HttpExchange> DATA_WRITES = x -> {
        String method = x.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = x.getRequestURI().getPath();
        if (!Set.of("POST", "PUT", "MERGE", "PATCH").contains(method)) {
            return false;
        }
        return path.endsWith("/messages") || path.contains("(PartitionKey=") || (method.equals("POST") && !path.endsWith("/Tables"));
    };
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final int targetPort;
    private final double share;
    private final Random random;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();

    private LossyStorageProxy(int targetPort, double share, long seed) throws IOException {
        this.targetPort = targetPort;
        this.share = share;
        this.random = new Random(seed);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    /** Loses the answers of {@code share} (0..1) of the data writes to 127.0.0.1:{@code targetPort}. */
    public static LossyStorageProxy to(int targetPort, double share, long seed) {
        try {
            return new LossyStorageProxy(targetPort, share, seed);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Data writes forwarded so far. */
    public int writes() {
        return writes.get();
    }

    /** Data writes stored whose answer was replaced by a 503. */
    public int lost() {
        return lost.get();
    }

    private void forward(HttpExchange x) throws IOException {
        try (x) {
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + targetPort + x.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(30))
                    .method(x.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            x.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> req.header(name, v));
                }
            });
            HttpResponse<byte[]> res;
            try {
                res = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            boolean write = DATA_WRITES.test(x);
            boolean lose = false;
            if (write) {
                writes.incrementAndGet();
                synchronized (random) {
                    lose = res.statusCode() < 300 && random.nextDouble() < share;
                }
            }
            if (lose) {
                lost.incrementAndGet();
                byte[] busy = ("{\"odata.error\":{\"code\":\"ServerBusy\",\"message\":{\"lang\":\"en-US\",\"value\":\"The server is busy"
                        + " (the write was stored; this answer is the one that got lost).\"}}}").getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().set("Content-Type", "application/json");
                x.getResponseHeaders().set("x-ms-error-code", "ServerBusy");
                x.sendResponseHeaders(503, busy.length);
                try (OutputStream out = x.getResponseBody()) {
                    out.write(busy);
                }
                return;
            }
            res.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    x.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            byte[] out = res.body();
            boolean noBody = out.length == 0 || res.statusCode() == 204 || x.getRequestMethod().equalsIgnoreCase("HEAD");
            x.sendResponseHeaders(res.statusCode(), noBody ? -1 : out.length);
            if (!noBody) {
                try (OutputStream o = x.getResponseBody()) {
                    o.write(out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
