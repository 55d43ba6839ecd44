package com.mdeonboarding.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * A credential that answers within a time limit. DefaultAzureCredential tries environment, workload identity, managed
 * identity (an IMDS probe), then developer tools (az, pwsh, azd) one after the other; where none works it can take long
 * to say so, and every caller would wait. Past the limit the request fails as a sign-in failure, which is not retried.
 */
final class BoundedCredential implements TokenCredential {
    /** Time for one token request, every way of signing in included. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private final TokenCredential delegate;
    private final Duration limit;

    BoundedCredential(TokenCredential delegate, Duration limit) {
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return delegate.getToken(request)
                .timeout(limit, Mono.error(() -> new ClientAuthenticationException("no token within " + limit.toSeconds()
                        + " s (every way DefaultAzureCredential knows was tried or is still waiting)", null)))
                // One failure without a cause chain: the retry policy looks at each cause on its own and would retry the
                // inner ones (they are I/O and parse errors); the message keeps what they said.
                .onErrorMap(e -> new ClientAuthenticationException(SignInException.causes(e), null));
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
        return getToken(request).block();
    }
}
