package com.mdeonboarding.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Azurite for tests, through {@code bin/azurite} (which pins it and the Node.js it runs on, and installs both
 * into {@code .tools/} on first use): started on free ports with in-memory persistence and Azurite's API version
 * check on, stopped when the JVM ends. One per test JVM.
 */
public final class Azurite {
    /** Azurite's well-known development account; public, documented, not a secret. */
    private static final String ACCOUNT = "devstoreaccount1";
    private static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final String KEEP_ALIVE_SECONDS = "120";

    private static Azurite instance;

    private final Process process;
    private final int blobPort;
    private final int queuePort;
    private final int tablePort;

    private Azurite(Process process, int blobPort, int queuePort, int tablePort) {
        this.process = process;
        this.blobPort = blobPort;
        this.queuePort = queuePort;
        this.tablePort = tablePort;
    }

    /** The shared instance, started on first call. */
    public static synchronized Azurite get() {
        if (instance == null) {
            instance = start();
            Azurite started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
        }
        return instance;
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";BlobEndpoint=http://127.0.0.1:" + blobPort + "/" + ACCOUNT
                + ";QueueEndpoint=http://127.0.0.1:" + queuePort + "/" + ACCOUNT
                + ";TableEndpoint=http://127.0.0.1:" + tablePort + "/" + ACCOUNT + ";";
    }

    private static Azurite start() {
        Path bin = install();
        int blob = freePort();
        int queue = freePort();
        int table = freePort();
        try {
            Path location = Files.createTempDirectory("azurite");
            ProcessBuilder pb = new ProcessBuilder(List.of(bin.toString(),
                    "--inMemoryPersistence", "--silent", "--disableProductStyleUrl",
                    "--blobHost", "127.0.0.1", "--blobPort", String.valueOf(blob),
                    "--queueHost", "127.0.0.1", "--queuePort", String.valueOf(queue),
                    "--tableHost", "127.0.0.1", "--tablePort", String.valueOf(table),
                    // Azurite closes a connection idle for 5 s (Node's keep-alive default); the SDK keeps idle ones 60 s
                    // (HttpClientOptions' connection idle timeout), so a request written as Azurite closed its connection
                    // was reset and could not be retried. Longer here than the SDK's: the client retires them first.
                    "--blobKeepAliveTimeout", KEEP_ALIVE_SECONDS, "--queueKeepAliveTimeout", KEEP_ALIVE_SECONDS,
                    "--tableKeepAliveTimeout", KEEP_ALIVE_SECONDS));
            pb.redirectErrorStream(true);
            pb.redirectOutput(location.resolve("azurite.log").toFile());
            Process p = pb.start();
            Azurite a = new Azurite(p, blob, queue, table);
            a.awaitPorts(Duration.ofSeconds(60), location.resolve("azurite.log"));
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Azurite", e);
        }
    }

    /** {@code bin/azurite}, after its install step (a no-op once .tools/ has the pinned versions; .ci/run runs it first). */
    static Path install() {
        Path bin = RepoPaths.repoRoot().resolve("bin").resolve("azurite");
        Path tools = RepoPaths.repoRoot().resolve(".tools");
        try {
            Files.createDirectories(tools);
            // Output to a file: the test JVM's stdout is Surefire's channel and must stay clean.
            Path log = tools.resolve("azurite-setup.log");
            Process p = new ProcessBuilder(bin.toString(), "--install-only").redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("bin/azurite --install-only failed: " + Files.readString(log)
                        + " (it needs npm, any version, and the npm registry)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run bin/azurite to install Azurite; is npm installed?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return bin;
    }

    private void awaitPorts(Duration timeout, Path log) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        for (int port : new int[] {blobPort, queuePort, tablePort}) {
            while (!accepts(port)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Azurite exited: " + Files.readString(log));
                }
                if (Instant.now().isAfter(deadline)) {
                    stop();
                    throw new IllegalStateException("Azurite did not open port " + port + " within " + timeout);
                }
                sleep(100);
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
