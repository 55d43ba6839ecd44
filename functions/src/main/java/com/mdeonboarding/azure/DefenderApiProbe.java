package com.mdeonboarding.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.util.Context;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.model.Text;
import java.util.Optional;

/**
 * One read of the Defender for Endpoint API, {@code GET {api}/api/machines?$top=1}, to learn whether this identity may
 * read machines (the Machine.Read.All app role the sensor check needs). A minimal call for the doctor only: the sensor
 * check has its own client.
 */
public final class DefenderApiProbe {
    /** What the probe saw: the HTTP status, or why there was none. */
    public record Outcome(int status, Optional<String> failure) {
        public boolean answered() {
            return failure.isEmpty();
        }
    }

    /** Why an emulator run does not call a real Defender for Endpoint API. */
    public static final String NOT_PROBED = "not checked: Resource Manager is the local emulator and the Defender for Endpoint API is"
            + " not (its development token never leaves this machine)";

    private final Settings settings;
    private final TokenCredential credential;

    DefenderApiProbe(Settings settings, TokenCredential credential) {
        this.settings = settings;
        this.credential = credential;
    }

    /** The URL probed. */
    public String url() {
        return settings.defenderApiUrl() + "/api/machines?$top=1";
    }

    public Outcome probe() {
        if (settings.usesLocalEmulator() && !settings.usesLocalDefenderEmulator()) {
            // The emulator's development token must never travel to a real endpoint.
            return new Outcome(0, Optional.of(NOT_PROBED));
        }
        HttpPipeline pipeline = new HttpPipelineBuilder().httpClient(ArmPipelineFactory.httpClient(settings.armCaCert()))
                .policies(new BearerTokenAuthenticationPolicy(credential, settings.defenderApiTokenScope())).build();
        HttpRequest req = new HttpRequest(HttpMethod.GET, url());
        req.setHeader(HttpHeaderName.ACCEPT, "application/json");
        try (HttpResponse r = pipeline.sendSync(req, Context.NONE)) {
            return new Outcome(r.getStatusCode(), Optional.empty());
        } catch (RuntimeException e) {
            if (SignInAwareRetry.signInFailure(e)) {
                throw new SignInException("the Defender for Endpoint API (" + settings.defenderApiUrl() + ")", e);
            }
            String why = e.getCause() != null ? String.valueOf(e.getCause().getMessage()) : String.valueOf(e.getMessage());
            return new Outcome(0, Optional.of(Text.printable(why, 200)));
        }
    }
}
