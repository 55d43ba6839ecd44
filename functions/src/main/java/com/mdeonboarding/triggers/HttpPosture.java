package com.mdeonboarding.triggers;

import com.mdeonboarding.Services;
import com.mdeonboarding.api.PostureEndpoint;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** GET /api/posture -> the latest sweep report. */
public class HttpPosture {
    public static final String NAME = "HttpPosture";

    @FunctionName(NAME)
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.GET}, authLevel = AuthorizationLevel.FUNCTION, route = "posture")
            HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return HttpAdapter.response(request, PostureEndpoint.from(Services.get()).handle(HttpAdapter.request(request), context.getLogger()));
    }
}
