package com.mdeonboarding.host;

import com.mdeonboarding.api.ApiRequest;
import com.mdeonboarding.api.ApiResponse;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import java.util.Optional;

/** Maps the Functions HTTP types to the plain request and response the route handlers use. */
final class HttpAdapter {
    private HttpAdapter() {
    }

    static ApiRequest request(HttpRequestMessage<Optional<String>> request) {
        Optional<String> body = request.getBody() == null ? Optional.empty() : request.getBody();
        return new ApiRequest(request.getHttpMethod() == null ? "" : request.getHttpMethod().name(),
                request.getQueryParameters(), request.getHeaders(), body);
    }

    static HttpResponseMessage response(HttpRequestMessage<?> request, ApiResponse response) {
        HttpResponseMessage.Builder b = request.createResponseBuilder(HttpStatusType.custom(response.status()));
        response.headers().forEach(b::header);
        return b.body(response.body()).build();
    }
}
