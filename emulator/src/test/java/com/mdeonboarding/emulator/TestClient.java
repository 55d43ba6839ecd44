package com.mdeonboarding.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A plain java.net.http client that trusts the emulator through its PEM file only (the way the
 * app is configured), sending the development token unless told not to. Made by {@link TestEmulator}.
 */
final class TestClient {
    static final ObjectMapper MAPPER = new ObjectMapper();
    final HttpClient http;
    final String base;
    private final ArmEmulator emulator;

    record Resp(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return body == null || body.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    TestClient(ArmEmulator emulator) {
        this.base = emulator.baseUrl();
        this.emulator = emulator;
        this.http = HttpClient.newBuilder().sslContext(trusting(emulator)).connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    static SSLContext trusting(ArmEmulator emulator) {
        try (InputStream in = Files.newInputStream(emulator.caCertificatePemPath())) {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("emulator", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Resp get(String pathOrUrl) {
        return send("GET", pathOrUrl, null, Map.of(), true);
    }

    Resp put(String pathOrUrl, Object body) {
        return send("PUT", pathOrUrl, body, Map.of(), true);
    }

    Resp post(String pathOrUrl, Object body) {
        return send("POST", pathOrUrl, body, Map.of(), true);
    }

    Resp delete(String pathOrUrl) {
        return send("DELETE", pathOrUrl, null, Map.of(), true);
    }

    Resp send(String method, String pathOrUrl, Object body, Map<String, String> headers, boolean auth) {
        try {
            String url = pathOrUrl.startsWith("https://") ? pathOrUrl : base + pathOrUrl;
            String json = body == null ? null : body instanceof String s ? s : MAPPER.writeValueAsString(body);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            if (auth) {
                b.header("Authorization", "Bearer " + ArmEmulator.DEV_TOKEN);
            }
            headers.forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.headers(), r.body());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + pathOrUrl + " failed: " + e, e);
        }
    }

    /**
     * Polls an Azure-AsyncOperation URL until the operation is Succeeded, Failed or Canceled; returns the last status body.
     * Between polls it moves the emulator's clock forward by the Retry-After (100 ms without one) instead of sleeping.
     */
    JsonNode awaitOperation(Resp lroStart) {
        String url = lroStart.header("Azure-AsyncOperation")
                .orElseThrow(() -> new AssertionError("no Azure-AsyncOperation header: " + lroStart.headers().map()));
        Duration waited = Duration.ZERO;
        while (waited.compareTo(Duration.ofHours(1)) < 0) {
            Resp r = get(url);
            if (r.status() != 200) {
                throw new AssertionError("operation poll got " + r.status() + ": " + r.body());
            }
            JsonNode status = r.json();
            if (java.util.Set.of("Succeeded", "Failed", "Canceled").contains(status.path("status").asText())) {
                return status;
            }
            Duration step = r.header("Retry-After").map(s -> Duration.ofSeconds(Long.parseLong(s))).orElse(Duration.ofMillis(100));
            emulator.advanceTime(step);
            waited = waited.plus(step);
        }
        throw new AssertionError("operation did not finish within an emulated hour: " + url);
    }
}
