package com.mdeonboarding.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.OffsetDateTime;
import reactor.core.publisher.Mono;

/**
 * The fixed bearer token the local Resource Manager emulator accepts, like Azurite's well-known
 * development account. {@link ArmPipelineFactory} uses it only for loopback endpoints.
 */
public final class DevelopmentCredential implements TokenCredential {
    /** Public and documented: it grants nothing outside the local emulator. */
    public static final String TOKEN = "mde-onboarding-local-development-token";

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
    }
}
