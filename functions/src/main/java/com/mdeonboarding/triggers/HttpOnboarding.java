package com.mdeonboarding.triggers;

import com.mdeonboarding.Services;
import com.mdeonboarding.api.OnboardingEndpoint;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** POST /api/onboarding -> one manual onboarding job per machine named. */
public class HttpOnboarding {
    public static final String NAME = "HttpOnboarding";

    @FunctionName(NAME)
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, authLevel = AuthorizationLevel.FUNCTION, route = "onboarding")
            HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return HttpAdapter.response(request, OnboardingEndpoint.from(Services.get()).handle(HttpAdapter.request(request), context.getLogger()));
    }
}
