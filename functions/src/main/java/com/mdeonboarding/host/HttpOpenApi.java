package com.mdeonboarding.host;

import com.mdeonboarding.api.OpenApiEndpoint;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** GET /api/openapi.json -> the OpenAPI document of the HTTP API. */
public class HttpOpenApi {
    public static final String NAME = "HttpOpenApi";

    @FunctionName(NAME)
    public HttpResponseMessage run(
            // Every method: the route answers a wrong one 405 with Allow (the host would answer 404).
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
                    HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS}, authLevel = AuthorizationLevel.FUNCTION, route = "openapi.json")
            HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return HttpAdapter.response(request, new OpenApiEndpoint().handle(HttpAdapter.request(request), context.getLogger()));
    }
}
