package com.mdeonboarding.cli;

import static com.mdeonboarding.testing.OperatorWorld.SUB_IN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.testing.OperatorWorld;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code serve} over real sockets: slow and broken clients, routing on the raw path, and what every answer carries. */
class LocalHttpApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OperatorWorld world;
    private static LocalHttpApi api;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        world = new OperatorWorld();
        Logger log = Logger.getAnonymousLogger();
        log.setUseParentHandlers(false);
        api = new LocalHttpApi(world.services, 0, log);
        api.start();
    }

    @AfterAll
    static void stop() {
        api.close();
        world.close();
    }

    @BeforeEach
    void fresh() {
        world.clearQueue();
    }

    private static String base() {
        return "http://127.0.0.1:" + api.port();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What a raw socket got back (status line, headers and body) until the server closed it or {@code wait} passed. */
    static String readAll(Socket s, Duration wait) throws IOException {
        s.setSoTimeout((int) wait.toMillis());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return got.toString(StandardCharsets.UTF_8) + "<still open after " + wait.toSeconds() + " s>";
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static Socket raw(String bytes) throws IOException {
        Socket s = new Socket("127.0.0.1", api.port());
        OutputStream out = s.getOutputStream();
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return s;
    }

    @Test
    void slowAndBrokenClientsDoNotDenyServiceAndAreClosed() throws Exception {
        List<Socket> slow = new ArrayList<>();
        // More than the JDK server's four threads, each stuck in a different way.
        slow.add(raw("GET /api/posture HTTP/1.1\r\nHost: x\r\nX-Half: "));
        slow.add(raw("GET /api/openapi.json HTTP/1.1\r\n"));
        slow.add(raw("POST /api/onboarding HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"resourceIds\":"));
        slow.add(raw("POST /api/onboarding HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"));
        slow.add(raw("POST /api/onboarding HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
        try {
            // Meanwhile an ordinary request is answered at once.
            HttpResponse<String> ok = send(HttpRequest.newBuilder(URI.create(base() + "/api/openapi.json")));
            assertEquals(200, ok.statusCode());

            // Each slow client is closed within the request time limit; the one with a body cut short is told why.
            Duration wait = LocalHttpApi.Limits.DEFAULT.requestTime().plusSeconds(10);
            List<String> answers = new ArrayList<>();
            for (Socket s : slow) {
                answers.add(readAll(s, wait));
            }
            for (String a : answers) {
                assertFalse(a.contains("<still open"), "closed by the server: " + a);
            }
            assertTrue(answers.get(2).startsWith("HTTP/1.1 408"), answers.get(2));
            assertTrue(answers.get(2).contains("urn:mde-onboarding:problem:request-timeout"), answers.get(2));
            assertTrue(answers.get(4).startsWith("HTTP/1.1 400"), "a bad chunk size is refused: " + answers.get(4));
            for (String a : answers) {
                if (a.startsWith("HTTP/")) {
                    assertTrue(a.toLowerCase(java.util.Locale.ROOT).contains("x-correlation-id: "), "every answer carries one: " + a);
                    assertFalse(a.contains("Exception") || a.contains("<html"), a);
                }
            }
            assertEquals(0, world.queuedJobs(), "nothing was queued");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void routesOnTheRawPathAndEveryAnswerCarriesACorrelationId() throws Exception {
        String vm = world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg-serve")
                .name("serve-raw").build());
        String body = "{\"resourceIds\":[\"" + vm + "\"]}";
        HttpResponse<String> encoded = send(HttpRequest.newBuilder(URI.create(base() + "/api%2fonboarding"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(404, encoded.statusCode(), "/api%2fonboarding is not a route: " + encoded.body());
        assertProblem(encoded, "not-found");
        assertEquals(0, world.queuedJobs());

        HttpResponse<String> unknown = send(HttpRequest.newBuilder(URI.create(base() + "/api/nothing")));
        assertProblem(unknown, "not-found");

        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(URI.create(base() + "/api/onboarding")));
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElse(""));
        assertProblem(wrongMethod, "method-not-allowed");

        HttpResponse<String> accepted = send(HttpRequest.newBuilder(URI.create(base() + "/api/onboarding"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertTrue(accepted.headers().firstValue("X-Correlation-Id").isPresent());
        assertEquals(1, world.queuedJobs());
    }

    @Test
    void malformedEscapesRepeatedParametersAndControlCharactersAreRefusedInOurWords() throws Exception {
        // The JDK server answered %zz with its own HTML page naming URISyntaxException.
        for (String target : List.of("/api/machines/state?resourceId=%zz", "/api/%zz")) {
            try (Socket s = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
                String a = readAll(s, Duration.ofSeconds(10));
                assertTrue(a.startsWith("HTTP/1.1 400") || a.startsWith("HTTP/1.1 404"), a);
                assertTrue(a.contains("application/problem+json") && a.toLowerCase(java.util.Locale.ROOT).contains("x-correlation-id"), a);
                assertFalse(a.contains("Exception") || a.contains("<html") || a.contains("<h1>"), a);
            }
        }
        String id = URLEncoder.encode("/subscriptions/" + SUB_IN + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/a",
                StandardCharsets.UTF_8);
        HttpResponse<String> twice = send(HttpRequest.newBuilder(URI.create(base() + "/api/machines/state?resourceId=" + id
                + "&history=1&resourceId=" + id)));
        assertEquals(400, twice.statusCode(), "a repeated parameter is refused, not last-wins: " + twice.body());
        assertTrue(JSON.readTree(twice.body()).path("detail").asText().contains("more than once"), twice.body());

        try (Socket s = raw("POST /api/onboarding HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json;\u0001charset=utf-8"
                + "\r\nContent-Length: 2\r\n\r\n{}")) {
            String a = readAll(s, Duration.ofSeconds(10));
            assertTrue(a.startsWith("HTTP/1.1 400"), "a Content-Type with a control character is refused: " + a);
            assertTrue(a.toLowerCase(java.util.Locale.ROOT).contains("x-correlation-id"), a);
        }
        assertEquals(0, world.queuedJobs());
    }

    @Test
    void aSweepAskedForOverServeIsRunByServe() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/api/sweeps")).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(202, r.statusCode(), r.body());
        String location = r.headers().firstValue("Location").orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> posture;
        do {
            Thread.sleep(500);
            posture = send(HttpRequest.newBuilder(URI.create(base() + location)));
        } while (posture.statusCode() == 202 && System.nanoTime() < deadline);
        assertEquals(200, posture.statusCode(), posture.body());
        assertEquals(JSON.readTree(r.body()).path("sweepId").asText(), JSON.readTree(posture.body()).path("sweepId").asText());
    }

    private static void assertProblem(HttpResponse<String> r, String type) throws IOException {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        assertTrue(r.headers().firstValue("X-Correlation-Id").isPresent(), "every answer carries X-Correlation-Id: " + r.headers());
        JsonNode p = JSON.readTree(r.body());
        assertEquals("urn:mde-onboarding:problem:" + type, p.path("type").asText(), r.body());
        assertEquals(r.headers().firstValue("X-Correlation-Id").get(), p.path("correlationId").asText());
    }
}
