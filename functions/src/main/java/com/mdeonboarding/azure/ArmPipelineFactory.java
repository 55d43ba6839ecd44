package com.mdeonboarding.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.HttpLoggingPolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.config.SettingsException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the one Resource Manager {@link HttpPipeline} every call goes through: the Azure SDK's retry
 * (exponential back-off that honours Retry-After), bearer-token auth, request IDs, header-only
 * logging (never bodies: the onboarding package travels in one), and our call counter.
 */
final class ArmPipelineFactory {
    private ArmPipelineFactory() {
    }

    static TokenCredential credential(Settings settings) {
        if (settings.usesLocalEmulator()) {
            return new DevelopmentCredential();
        }
        return entraCredential(settings);
    }

    /** The identity's Entra ID credential (managed identity in Azure, the developer's sign-in elsewhere). */
    static TokenCredential entraCredential(Settings settings) {
        DefaultAzureCredentialBuilder b = new DefaultAzureCredentialBuilder()
                .authorityHost(settings.azureCloud().environment().getActiveDirectoryEndpoint());
        settings.managedIdentityClientId().ifPresent(b::managedIdentityClientId);
        return new BoundedCredential(b.build(), BoundedCredential.LIMIT);
    }

    static HttpPipeline build(Settings settings, TokenCredential credential, CallCounter counter) {
        if (credential instanceof DevelopmentCredential && !settings.usesLocalEmulator()) {
            // The development token must never travel to a real endpoint.
            throw new SettingsException(Settings.ARM_ENDPOINT, "the development token is only used with a loopback endpoint"
                    + " (https://127.0.0.1:PORT or https://localhost:PORT).");
        }
        String scope = settings.resourceManagerUrl() + "/.default";
        // Request lines only when an operator asks (AZURE_HTTP_LOG_DETAIL_LEVEL=basic|headers); never bodies: the onboarding
        // package travels in one. The default (none) keeps the host log to the app's own lines, one per decision.
        HttpLogOptions logOptions = new HttpLogOptions();
        if (logOptions.getLogLevel() == HttpLogDetailLevel.BODY || logOptions.getLogLevel() == HttpLogDetailLevel.BODY_AND_HEADERS) {
            logOptions.setLogLevel(HttpLogDetailLevel.HEADERS);
        }
        return new HttpPipelineBuilder()
                .httpClient(httpClient(settings.armCaCert()))
                .policies(
                        new UserAgentPolicy("mde-onboarding/0.1"),
                        new RequestIdPolicy(),
                        new RetryPolicy(new SignInAwareRetry(new ExponentialBackoff(new ExponentialBackoffOptions()
                                .setMaxRetries(4)
                                .setBaseDelay(Duration.ofMillis(500))
                                .setMaxDelay(Duration.ofSeconds(30))))),
                        counter,
                        new BearerTokenAuthenticationPolicy(credential, scope),
                        new HttpLoggingPolicy(logOptions))
                .build();
    }

    /** Netty, trusting the default CAs plus, when configured, the PEM in MDE_ARM_CA_CERT (the local emulator's). */
    static HttpClient httpClient(Optional<Path> extraCa) {
        if (extraCa.isEmpty()) {
            return new NettyAsyncHttpClientBuilder().build();
        }
        try {
            SslContext ssl = SslContextBuilder.forClient().trustManager(trustManager(extraCa.get())).build();
            reactor.netty.http.client.HttpClient netty = reactor.netty.http.client.HttpClient.create()
                    .secure(spec -> spec.sslContext(ssl));
            return new NettyAsyncHttpClientBuilder(netty).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new SettingsException(Settings.ARM_CA_CERT, "cannot use '" + extraCa.get() + "' as a CA certificate: " + e.getMessage());
        }
    }

    /** A trust manager that accepts what the JDK's default trust store accepts, or what the extra PEM signs. */
    static X509TrustManager trustManager(Path pem) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (X509Certificate c : readPem(pem)) {
            store.setCertificateEntry("extra-" + i++, c);
        }
        X509TrustManager extra = x509(store);
        X509TrustManager defaults = x509(null);
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                defaults.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    extra.checkServerTrusted(chain, authType);
                } catch (CertificateException notOurs) {
                    defaults.checkServerTrusted(chain, authType);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                List<X509Certificate> all = new ArrayList<>(List.of(defaults.getAcceptedIssuers()));
                all.addAll(List.of(extra.getAcceptedIssuers()));
                return all.toArray(new X509Certificate[0]);
            }
        };
    }

    private static X509TrustManager x509(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509TrustManager available");
    }

    private static List<X509Certificate> readPem(Path pem) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new CertificateException("no certificate in the file");
            }
            return certs.stream().map(c -> (X509Certificate) c).toList();
        }
    }
}
