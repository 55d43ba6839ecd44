package com.mdeonboarding.emulator.tls;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and a server certificate it signed, generated in memory at
 * start-up. Clients trust the emulator by trusting {@link #caCertificatePem()} explicitly; nothing
 * ever disables certificate or host-name checks.
 *
 * <p>Why a CA plus a leaf rather than one self-signed leaf: strict verifiers (OpenSSL with
 * X509_STRICT, as Python 3.13 enables by default) refuse a self-signed end-entity certificate as a
 * trust anchor, while every client accepts a CA anchor with a proper leaf. Keys are EC P-256:
 * generated in milliseconds and accepted by the JDK, Netty/OpenSSL, curl and browsers.
 */
public final class DevCertificates {
    private static final String EC_PUBLIC_KEY_SIGNATURE = "SHA256withECDSA";
    private static final String OID_ECDSA_SHA256 = "1.2.840.10045.4.3.2";
    private static final String OID_CN = "2.5.4.3";
    private static final String OID_O = "2.5.4.10";
    private static final String OID_SUBJECT_KEY_ID = "2.5.29.14";
    private static final String OID_KEY_USAGE = "2.5.29.15";
    private static final String OID_SAN = "2.5.29.17";
    private static final String OID_BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String OID_AUTHORITY_KEY_ID = "2.5.29.35";
    private static final String OID_EXT_KEY_USAGE = "2.5.29.37";
    private static final String OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final char[] KEYSTORE_PASSWORD = "emulator".toCharArray();

    private final X509Certificate caCertificate;
    private final X509Certificate serverCertificate;
    private final PrivateKey serverKey;

    private DevCertificates(X509Certificate ca, X509Certificate server, PrivateKey serverKey) {
        this.caCertificate = ca;
        this.serverCertificate = server;
        this.serverKey = serverKey;
    }

    /**
     * Generates a CA and a server certificate for the given DNS names and IP addresses.
     *
     * @param dnsNames    subject alternative DNS names (e.g. "localhost")
     * @param ipAddresses subject alternative IP addresses (e.g. "127.0.0.1")
     */
    public static DevCertificates generate(List<String> dnsNames, List<String> ipAddresses) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair caKeys = gen.generateKeyPair();
            KeyPair serverKeys = gen.generateKeyPair();
            ZonedDateTime now = ZonedDateTime.now();
            ZonedDateTime notBefore = now.minusHours(1);
            ZonedDateTime notAfter = now.plusDays(365);

            byte[] caName = name("mde-onboarding emulator local CA " + Long.toHexString(random.nextLong()));
            byte[] caKeyId = keyIdentifier(caKeys.getPublic());
            byte[] caExtensions = Der.sequence(
                    extension(OID_BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true), Der.integer(BigInteger.ZERO))),
                    extension(OID_KEY_USAGE, true, Der.namedBits(0x06)), // keyCertSign | cRLSign
                    extension(OID_SUBJECT_KEY_ID, false, Der.octetString(caKeyId)));
            X509Certificate ca = sign(caName, caName, caKeys.getPublic(), caExtensions, notBefore, notAfter,
                    caKeys.getPrivate(), random);

            byte[] serverName = name("localhost");
            byte[][] altNames = new byte[dnsNames.size() + ipAddresses.size()][];
            int i = 0;
            for (String dns : dnsNames) {
                altNames[i++] = Der.implicitPrimitive(2, dns.getBytes(StandardCharsets.US_ASCII));
            }
            for (String ip : ipAddresses) {
                altNames[i++] = Der.implicitPrimitive(7, InetAddress.getByName(ip).getAddress());
            }
            byte[] serverExtensions = Der.sequence(
                    extension(OID_BASIC_CONSTRAINTS, true, Der.sequence()),
                    extension(OID_KEY_USAGE, true, Der.namedBits(0x80)), // digitalSignature
                    extension(OID_EXT_KEY_USAGE, false, Der.sequence(Der.oid(OID_SERVER_AUTH))),
                    extension(OID_SAN, false, Der.sequence(altNames)),
                    extension(OID_SUBJECT_KEY_ID, false, Der.octetString(keyIdentifier(serverKeys.getPublic()))),
                    extension(OID_AUTHORITY_KEY_ID, false, Der.sequence(Der.implicitPrimitive(0, caKeyId))));
            X509Certificate server = sign(caName, serverName, serverKeys.getPublic(), serverExtensions, notBefore,
                    notAfter, caKeys.getPrivate(), random);
            server.verify(ca.getPublicKey());
            return new DevCertificates(ca, server, serverKeys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException("Could not generate the emulator's TLS certificate: " + e, e);
        }
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    public X509Certificate serverCertificate() {
        return serverCertificate;
    }

    /** The CA certificate in PEM form: what a client adds to its trust store. */
    public String caCertificatePem() {
        try {
            String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(caCertificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server side: presents the server certificate and the CA as its chain. */
    public SSLContext serverSslContext() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", serverKey, KEYSTORE_PASSWORD,
                    new Certificate[] {serverCertificate, caCertificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, KEYSTORE_PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("Could not build the emulator's TLS context: " + e, e);
        }
    }

    /** A trust store holding only the CA certificate. */
    public KeyStore trustStore() {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("mde-onboarding-emulator-ca", caCertificate);
            return ts;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context that trusts the emulator's CA and nothing else (host names are still verified). */
    public SSLContext clientSslContext() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(byte[] issuer, byte[] subject, PublicKey subjectKey, byte[] extensions,
            ZonedDateTime notBefore, ZonedDateTime notAfter, PrivateKey issuerKey, SecureRandom random)
            throws Exception {
        byte[] algorithm = Der.sequence(Der.oid(OID_ECDSA_SHA256));
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
                Der.integer(new BigInteger(127, random).add(BigInteger.ONE)),
                algorithm,
                issuer,
                Der.sequence(Der.utcTime(notBefore), Der.utcTime(notAfter)),
                subject,
                subjectKey.getEncoded(), // already a DER SubjectPublicKeyInfo
                Der.explicit(3, extensions));
        Signature signer = Signature.getInstance(EC_PUBLIC_KEY_SIGNATURE);
        signer.initSign(issuerKey, random);
        signer.update(tbs);
        byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(certificate));
    }

    private static byte[] name(String commonName) {
        return Der.sequence(
                Der.set(Der.sequence(Der.oid(OID_O), Der.utf8("mde-onboarding local development"))),
                Der.set(Der.sequence(Der.oid(OID_CN), Der.utf8(commonName))));
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** RFC 5280 method 1: SHA-1 over the subjectPublicKey BIT STRING contents. */
    private static byte[] keyIdentifier(PublicKey key) throws Exception {
        byte[] spki = key.getEncoded();
        // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }; the key bits
        // are the tail of the encoding after the BIT STRING's unused-bits byte.
        int bitStringStart = findLastBitString(spki);
        byte[] keyBits = Arrays.copyOfRange(spki, bitStringStart, spki.length);
        return MessageDigest.getInstance("SHA-1").digest(keyBits);
    }

    private static int findLastBitString(byte[] spki) {
        // Walk the outer SEQUENCE: skip its header, skip the algorithm SEQUENCE, then parse the BIT STRING header.
        int pos = headerLength(spki, 0);
        pos += headerLength(spki, pos) + contentLength(spki, pos);
        return pos + headerLength(spki, pos) + 1; // +1: unused-bits byte
    }

    private static int headerLength(byte[] der, int pos) {
        int first = der[pos + 1] & 0xFF;
        return first < 0x80 ? 2 : 2 + (first & 0x7F);
    }

    private static int contentLength(byte[] der, int pos) {
        int first = der[pos + 1] & 0xFF;
        if (first < 0x80) {
            return first;
        }
        int n = first & 0x7F;
        int len = 0;
        for (int i = 0; i < n; i++) {
            len = (len << 8) | (der[pos + 2 + i] & 0xFF);
        }
        return len;
    }
}
