package com.mdeonboarding.host;

import com.mdeonboarding.app.Services;
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
public class HttpPosture extends HostFunction {
    public static final String NAME = "HttpPosture";

    public HttpPosture() {
        super(Services::shared);
    }

    public HttpPosture(Services services) {
        super(() -> services);
    }

    @FunctionName(NAME)
    public HttpResponseMessage run(
            // Every method: the route answers a wrong one 405 with Allow (the host would answer 404).
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
                    HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS}, authLevel = AuthorizationLevel.FUNCTION, route = "posture")
            HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return HttpAdapter.response(request, PostureEndpoint.from(services()).handle(HttpAdapter.request(request), context.getLogger()));
    }
}
