package com.mdeonboarding.emulator.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA and server certificate the emulator makes: the extensions RFC 5280 asks of a CA and a TLS server certificate
 * (section 4.2.1), and OpenSSL's strict verification, which refuses what a lax client would accept.
 */
class DevCertificatesTest {
    private static final DevCertificates CERTS = DevCertificates.generate(List.of("localhost", "emulator.test"),
            List.of("127.0.0.1", "::1"));

    @Test
    void theCaIsACaAndTheServerCertificateIsAServerCertificateSignedByIt() throws Exception {
        X509Certificate ca = CERTS.caCertificate();
        X509Certificate server = CERTS.serverCertificate();
        assertEquals(3, ca.getVersion());
        assertEquals(0, ca.getBasicConstraints(), "a CA that signs end entities only (pathLen 0)");
        assertArrayEquals(new boolean[] {false, false, false, false, false, true, true, false, false}, ca.getKeyUsage(),
                "keyCertSign and cRLSign");
        assertTrue(ca.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")), "basicConstraints, keyUsage critical");
        ca.verify(ca.getPublicKey());
        assertEquals("SHA256withECDSA", ca.getSigAlgName());

        assertEquals(-1, server.getBasicConstraints(), "not a CA");
        assertTrue(server.getKeyUsage()[0], "digitalSignature");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.getExtendedKeyUsage(), "serverAuth");
        Set<String> names = new HashSet<>();
        server.getSubjectAlternativeNames().forEach(n -> names.add(n.get(0) + " " + n.get(1)));
        assertEquals(Set.of("2 localhost", "2 emulator.test", "7 127.0.0.1", "7 0:0:0:0:0:0:0:1"), names);
        assertEquals(ca.getSubjectX500Principal(), server.getIssuerX500Principal());
        server.verify(ca.getPublicKey());
        // The authority key identifier names the CA's subject key identifier (both OCTET STRINGs wrapped in DER).
        byte[] caKeyId = ca.getExtensionValue("2.5.29.14");
        byte[] authorityKeyId = server.getExtensionValue("2.5.29.35");
        byte[] id = java.util.Arrays.copyOfRange(caKeyId, caKeyId.length - 20, caKeyId.length);
        assertTrue(Base64.getEncoder().encodeToString(authorityKeyId).contains(Base64.getEncoder().encodeToString(id).substring(0, 24)),
                "AKI carries the CA's key ID");
        Date now = new Date();
        server.checkValidity(now);
        ca.checkValidity(now);
        assertTrue(CERTS.caCertificatePem().startsWith("-----BEGIN CERTIFICATE-----\n"));
    }

    /** Python 3.13's ssl module enables X509_STRICT by default; OpenSSL's own verify with -x509_strict is the same check. */
    @Test
    void openSslVerifiesTheChainStrictlyForATlsServer(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Path ca = Files.writeString(dir.resolve("ca.pem"), CERTS.caCertificatePem());
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(CERTS.serverCertificate().getEncoded()) + "\n-----END CERTIFICATE-----\n";
        Path server = Files.writeString(dir.resolve("server.pem"), pem);
        Process p = new ProcessBuilder("/usr/bin/openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname",
                "localhost", "-verify_ip", "127.0.0.1", "-CAfile", ca.toString(), server.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.trim().endsWith(": OK"), out);
    }
}
