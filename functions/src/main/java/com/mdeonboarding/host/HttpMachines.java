package com.mdeonboarding.host;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.api.MachinesEndpoint;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;

/** GET /api/machines -> the machines in scope now, filtered, paged, as JSON or CSV. */
public class HttpMachines extends HostFunction {
    public static final String NAME = "HttpMachines";

    public HttpMachines() {
        super(Services::shared);
    }

    public HttpMachines(Services services) {
        super(() -> services);
    }

    @FunctionName(NAME)
    public HttpResponseMessage run(
            // Every method: the route answers a wrong one 405 with Allow (the host would answer 404).
            @HttpTrigger(name = "req", methods = {HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
                    HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS}, authLevel = AuthorizationLevel.FUNCTION, route = "machines")
            HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return HttpAdapter.response(request, MachinesEndpoint.from(services()).handle(HttpAdapter.request(request), context.getLogger()));
    }
}
