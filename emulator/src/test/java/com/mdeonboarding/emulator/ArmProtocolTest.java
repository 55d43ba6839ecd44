package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.server.RequestLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Authentication, ARM headers, errors for unknown routes, and TLS. */
class ArmProtocolTest {
    /** One emulator for the class: these tests only read, or write what no other test reads. */
    @RegisterExtension
    static final EmulatorExtension EMULATOR = EmulatorExtension.sampleTenant();

    @Test
    void requestsWithoutTheDevelopmentTokenGet401LikeArm() {
        TestClient.Resp none = EMULATOR.client().send("GET", "/subscriptions?api-version=2022-12-01", null, Map.of(), false);
        assertEquals(401, none.status());
        assertEquals("AuthenticationFailed", none.json().at("/error/code").asText());
        assertEquals("Authentication failed. The 'Authorization' header is missing.", none.json().at("/error/message").asText());
        assertTrue(none.header("WWW-Authenticate").orElseThrow().startsWith("Bearer authorization_uri=\"https://login.microsoftonline.com/"));
        TestClient.Resp wrong = EMULATOR.client().send("GET", "/subscriptions?api-version=2022-12-01", null,
                Map.of("Authorization", "Bearer not-the-token"), false);
        assertEquals(401, wrong.status());
        assertEquals("InvalidAuthenticationToken", wrong.json().at("/error/code").asText());
        assertEquals(401, EMULATOR.client().send("GET", "/subscriptions?api-version=2022-12-01", null,
                Map.of("Authorization", "Basic Zm9vOmJhcg=="), false).status());
        // Admin routes need no token.
        assertEquals(200, EMULATOR.client().send("GET", "/admin/state", null, Map.of(), false).status());
    }

    @Test
    void responsesCarryArmHeadersAndEchoCorrelation() {
        TestClient.Resp r = EMULATOR.client().send("GET", "/subscriptions/" + Sample.PROD + "?api-version=2022-12-01", null,
                Map.of("x-ms-client-request-id", "client-1", "x-ms-correlation-request-id", "corr-1"), true);
        assertEquals(200, r.status());
        assertTrue(r.header("x-ms-request-id").isPresent());
        assertEquals("corr-1", r.header("x-ms-correlation-request-id").orElseThrow());
        assertEquals("client-1", r.header("x-ms-client-request-id").orElseThrow());
        assertTrue(Integer.parseInt(r.header("x-ms-ratelimit-remaining-subscription-reads").orElseThrow()) > 0);
        TestClient.Resp w = EMULATOR.client().put("/subscriptions/" + Sample.PROD + "/providers/Microsoft.Security/settings/MCAS?api-version=2022-05-01",
                Map.of("kind", "DataExportSettings", "properties", Map.of("enabled", true)));
        assertTrue(w.header("x-ms-ratelimit-remaining-subscription-writes").isPresent());
        assertTrue(EMULATOR.client().get("/subscriptions?api-version=2022-12-01").header("x-ms-ratelimit-remaining-tenant-reads").isPresent());
    }

    @Test
    void missingApiVersionUnknownRoutesAndMissingSubscriptions() {
        TestClient.Resp noVersion = EMULATOR.client().get("/subscriptions/" + Sample.PROD);
        assertEquals(400, noVersion.status());
        assertEquals("MissingApiVersionParameter", noVersion.json().at("/error/code").asText());
        assertEquals("The api-version query parameter (?api-version=) is required for all requests.",
                noVersion.json().at("/error/message").asText());
        TestClient.Resp type = EMULATOR.client().get("/subscriptions/" + Sample.PROD
                + "/resourceGroups/rg/providers/Microsoft.Compute/disks/d1?api-version=2024-03-02");
        assertEquals(404, type.status());
        assertEquals("InvalidResourceType", type.json().at("/error/code").asText());
        assertTrue(type.json().at("/error/message").asText().startsWith(
                "The resource type 'disks' could not be found in the namespace 'Microsoft.Compute' for api version '2024-03-02'."));
        assertEquals("InvalidResourceNamespace", EMULATOR.client().get("/subscriptions/" + Sample.PROD
                + "/providers/Microsoft.Nope/things?api-version=2024-01-01").json().at("/error/code").asText());
        TestClient.Resp method = EMULATOR.client().send("PATCH", Sample.vm("rg-prod-web", "vm-prod-win2022-new") + Sample.COMPUTE_API,
                Map.of(), Map.of(), true);
        assertEquals(405, method.status());
        TestClient.Resp sub = EMULATOR.client().get("/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Compute/virtualMachines"
                + Sample.COMPUTE_API);
        assertEquals(404, sub.status());
        assertEquals("SubscriptionNotFound", sub.json().at("/error/code").asText());
        TestClient.Resp json = EMULATOR.client().send("PUT", Sample.vm("rg-prod-web", "vm-prod-win2022-new") + "/extensions/x"
                + Sample.COMPUTE_API, "{not json", Map.of(), true);
        assertEquals(400, json.status());
        assertEquals("InvalidRequestContent", json.json().at("/error/code").asText());
    }

    @Test
    void theRequestLogCountsReadsAndWritesPerOperation() {
        try (TestEmulator emu = TestEmulator.start()) {
            ArmEmulator fresh = emu.arm();
            TestClient c = emu.client();
            c.get("/subscriptions?api-version=2022-12-01");
            c.get("/subscriptions/" + Sample.PROD + "?api-version=2022-12-01");
            c.put("/subscriptions/" + Sample.PROD + "/providers/Microsoft.Security/settings/MCAS?api-version=2022-05-01",
                    Map.of("kind", "DataExportSettings", "properties", Map.of("enabled", false)));
            c.send("GET", "/subscriptions?api-version=2022-12-01", null, Map.of(), false);
            c.get("/admin/state");
            RequestLog log = fresh.requestLog();
            assertEquals(2, log.count("Subscriptions_List"));
            assertEquals(1, log.count("Subscriptions_List", 401));
            assertEquals(1, log.count("Settings_Update"));
            assertEquals(3, log.countReads());
            assertEquals(1, log.countWrites());
            assertEquals(4, log.total(), "admin requests are not logged");
            RequestLog.Entry e = log.snapshot().get(2);
            assertEquals("PUT", e.method());
            assertEquals("api-version=2022-05-01", e.query());
            log.clear();
            assertEquals(0, log.total());
        }
    }

    @Test
    void tlsCertificateCoversLoopbackNamesAndIsVerified() throws Exception {
        X509Certificate ca = EMULATOR.arm().caCertificate();
        assertTrue(Files.readString(EMULATOR.arm().caCertificatePemPath()).startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        HttpClient trusting = HttpClient.newBuilder().sslContext(TestClient.trusting(EMULATOR.arm())).build();
        for (String host : List.of("127.0.0.1", "localhost")) {
            HttpResponse<String> r = trusting.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + EMULATOR.arm().port()
                    + "/subscriptions?api-version=2022-12-01")).header("Authorization", "Bearer " + ArmEmulator.DEV_TOKEN)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), host);
        }
        HttpClient defaultTrust = HttpClient.newHttpClient();
        assertThrows(SSLHandshakeException.class, () -> defaultTrust.send(HttpRequest.newBuilder(URI.create(EMULATOR.arm().baseUrl()
                + "/subscriptions?api-version=2022-12-01")).build(), HttpResponse.BodyHandlers.ofString()),
                "a client that does not trust the emulator's CA must refuse it");
    }
}
