package com.mdeonboarding.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.mdeonboarding.model.Text;
import java.util.Optional;

/**
 * One read of the Defender for Endpoint API, {@code GET {api}/api/machines?$top=1}, to learn whether this identity may
 * read machines (the Machine.Read.All app role the sensor check needs): the doctor's one call, through the sensor
 * check's pipeline.
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

    private final HttpPipeline pipeline;
    private final String baseUrl;
    private final boolean localRun;

    /** {@code pipeline}: the sensor check's own (same credential, token audience, retries and rate budget). */
    DefenderApiProbe(HttpPipeline pipeline, String baseUrl, boolean localRun) {
        this.pipeline = pipeline;
        this.baseUrl = baseUrl;
        this.localRun = localRun;
    }

    /** The URL probed. */
    public String url() {
        return baseUrl + "/api/machines?$top=1";
    }

    public Outcome probe() {
        if (localRun) {
            // The emulator's development token must never travel to a real endpoint.
            return new Outcome(0, Optional.of(NOT_PROBED));
        }
        HttpRequest req = new HttpRequest(HttpMethod.GET, url());
        req.setHeader(HttpHeaderName.ACCEPT, "application/json");
        try (HttpResponse r = pipeline.sendSync(req, Context.NONE)) {
            return new Outcome(r.getStatusCode(), Optional.empty());
        } catch (RuntimeException e) {
            if (SignInAwareRetry.signInFailure(e)) {
                throw new SignInException("the Defender for Endpoint API (" + baseUrl + ")", e);
            }
            String why = e.getCause() != null ? String.valueOf(e.getCause().getMessage()) : String.valueOf(e.getMessage());
            return new Outcome(0, Optional.of(Text.printable(why, 200)));
        }
    }
}
