package com.mdeonboarding.emulator.tls;

import com.mdeonboarding.emulator.state.EmulatorClock;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and a server certificate it signed, generated in memory at
 * start-up. Clients trust the emulator by trusting {@link #caCertificatePem()} explicitly; nothing
 * ever disables certificate or host-name checks.
 *
 * <p>Why a CA plus a leaf rather than one self-signed leaf: strict verifiers (OpenSSL with
 * X509_STRICT, as Python 3.13 enables by default) refuse a self-signed end-entity certificate as a
 * trust anchor, while every client accepts a CA anchor with a proper leaf. Keys are EC P-256:
 * generated in milliseconds and accepted by the JDK, Netty/OpenSSL, curl and browsers.
 *
 * <p>The certificates are built with BouncyCastle's {@code X509v3CertificateBuilder} and signed through the JDK's own
 * provider ({@code JcaContentSignerBuilder} without {@code setProvider}); BouncyCastle's provider is never registered.
 * Their validity runs on the real clock, not the emulator's ({@code EmulatorClock}): TLS clients check it against theirs.
 */
public final class DevCertificates {
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
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
            Instant now = Instant.now();
            Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
            Date notAfter = Date.from(now.plus(Duration.ofDays(365)));
            JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();

            X500Name caName = name("mde-onboarding emulator local CA " + Long.toHexString(random.nextLong()));
            X509v3CertificateBuilder caBuilder = builder(caName, caName, caKeys.getPublic(), notBefore, notAfter, random)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate ca = sign(caBuilder, caKeys.getPrivate(), random);

            List<GeneralName> altNames = new ArrayList<>();
            for (String dns : dnsNames) {
                altNames.add(new GeneralName(GeneralName.dNSName, dns));
            }
            for (String ip : ipAddresses) {
                altNames.add(new GeneralName(GeneralName.iPAddress, ip));
            }
            X509v3CertificateBuilder serverBuilder = builder(caName, name("localhost"), serverKeys.getPublic(), notBefore, notAfter, random)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames.toArray(new GeneralName[0])))
                    .addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(serverKeys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(caKeys.getPublic()));
            X509Certificate server = sign(serverBuilder, caKeys.getPrivate(), random);
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

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey subjectKey, Date notBefore,
            Date notAfter, SecureRandom random) {
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, random).add(BigInteger.ONE), notBefore, notAfter,
                subject, subjectKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey, SecureRandom random)
            throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).setSecureRandom(random).build(issuerKey)));
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "mde-onboarding local development")
                .addRDN(BCStyle.CN, commonName).build();
    }
}
