package com.mdeonboarding.host;

import com.mdeonboarding.host.http.OnboardingEndpoint;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** POST /api/onboarding -> one manual onboarding job per machine named. */
public class HttpOnboarding extends HostFunction {
    public static final String NAME = "HttpOnboarding";

    public HttpOnboarding() {
        super(Services::shared);
    }

    public HttpOnboarding(Services services) {
        super(() -> services);
    }

    @FunctionName(NAME)
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION, route = "onboarding")
            HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return HttpAdapter.response(request, OnboardingEndpoint.from(services()).handle(HttpAdapter.request(request), context.getLogger()));
    }
}
