package com.mdeonboarding.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.HttpLoggingPolicy;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.config.SettingsException;
import java.time.Duration;

/**
 * The Defender for Endpoint API's pipeline, in the Resource Manager pipeline's style (user agent, request IDs, the Azure
 * SDK's retry honouring Retry-After, bearer token, header-only logging) plus the rate budget, with its own call counter
 * and the token audience of the configured API host ({@link Settings#defenderApiTokenScope()}).
 */
final class DefenderApiPipeline {
    private DefenderApiPipeline() {
    }

    /**
     * The development token only for the local emulator; otherwise the real credential, the one Resource Manager uses
     * when it is real too (never the development token for a real Defender endpoint, even when Resource Manager is local).
     */
    static TokenCredential credential(Settings settings, TokenCredential resourceManagerCredential) {
        if (settings.usesLocalDefenderEmulator()) {
            return new DevelopmentCredential();
        }
        return resourceManagerCredential instanceof DevelopmentCredential ? ArmPipelineFactory.entraCredential(settings)
                : resourceManagerCredential;
    }

    static HttpPipeline build(Settings settings, TokenCredential credential, CallCounter counter, DefenderApiBudget budget) {
        if (credential instanceof DevelopmentCredential && !settings.usesLocalDefenderEmulator()) {
            throw new SettingsException(Settings.DEFENDER_API_ENDPOINT, "the development token is only used with the local emulator"
                    + " (a loopback endpoint).");
        }
        return new HttpPipelineBuilder()
                .httpClient(ArmPipelineFactory.httpClient(settings.armCaCert()))
                .policies(
                        new UserAgentPolicy("mde-onboarding/0.1"),
                        new RequestIdPolicy(),
                        // 429 answers carry Retry-After (common-errors.md, "Throttling"); the policy waits it out.
                        new RetryPolicy(new RetryOptions(new ExponentialBackoffOptions()
                                .setMaxRetries(4)
                                .setBaseDelay(Duration.ofMillis(500))
                                .setMaxDelay(Duration.ofSeconds(60)))),
                        budget,
                        counter,
                        new BearerTokenAuthenticationPolicy(credential, settings.defenderApiTokenScope()),
                        new HttpLoggingPolicy(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.BASIC)))
                .build();
    }
}
