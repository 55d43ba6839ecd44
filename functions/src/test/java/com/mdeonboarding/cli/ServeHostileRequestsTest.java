package com.mdeonboarding.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.testing.OperatorWorld;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #23 item 7, {@code serve}: a request line over the limit (414) or headers over it (431) is answered with our
 * problem document and logs nothing per request (Reactor Netty logged a warning for each one: an attacker's loop fills the
 * log), and a {@code Content-Length} above 2^31 is refused at once with 413 (it got 408 after the 10 s request limit: the
 * header was read as an int and ignored).
 */
class ServeHostileRequestsTest {
    private static OperatorWorld world;
    private static LocalHttpApi api;
    private static final List<String> NETTY_LOG = Collections.synchronizedList(new ArrayList<>());
    private static final Logger NETTY = Logger.getLogger("reactor.netty");
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                NETTY_LOG.add(r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        NETTY.addHandler(CAPTURE);
        world = new OperatorWorld();
        Logger log = Logger.getAnonymousLogger();
        log.setUseParentHandlers(false);
        api = new LocalHttpApi(world.services, 0, log);
        api.start();
    }

    @AfterAll
    static void stop() {
        NETTY.removeHandler(CAPTURE);
        api.close();
        world.close();
    }

    private static String exchange(String request, Duration wait) throws IOException {
        try (Socket s = new Socket("127.0.0.1", api.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return LocalHttpApiTest.readAll(s, wait);
        }
    }

    @Test
    void oversizedRequestLinesAndHeadersAreAnsweredWithoutALogLineEach() throws Exception {
        NETTY_LOG.clear();
        int tries = 20;
        for (int i = 0; i < tries; i++) {
            String longUri = exchange("GET /api/machines/state?resourceId=" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                    Duration.ofSeconds(5));
            assertTrue(longUri.startsWith("HTTP/1.1 414"), longUri);
            assertTrue(longUri.contains("application/problem+json") && longUri.contains("X-Correlation-Id"), longUri);
            String longHeader = exchange("GET /api/posture HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n",
                    Duration.ofSeconds(5));
            assertTrue(longHeader.startsWith("HTTP/1.1 431"), longHeader);
            assertTrue(longHeader.contains("application/problem+json"), longHeader);
        }
        assertEquals(List.of(), NETTY_LOG, "no log line per oversized request (" + tries * 2 + " sent)");
    }

    @Test
    void aContentLengthAboveTwoToTheThirtyFirstIsRefusedAtOnce() throws Exception {
        for (String length : List.of("2147483648", "9223372036854775807", "99999999999999999999999")) {
            long started = System.nanoTime();
            String got = exchange("POST /api/onboarding HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + length
                    + "\r\n\r\n{}", Duration.ofSeconds(15));
            long ms = (System.nanoTime() - started) / 1_000_000;
            String expected = length.length() > 19 ? "HTTP/1.1 400" : "HTTP/1.1 413";
            assertTrue(got.startsWith(expected), length + ": " + got);
            assertTrue(got.contains("application/problem+json"), got);
            assertTrue(ms < 3_000, length + " answered after " + ms + " ms");
        }
    }
}
