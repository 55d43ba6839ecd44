package com.mdeonboarding.reliability;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.mdeonboarding.testing.FunctionsHttp;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The Functions host's side of an HTTP trigger call: a request message and a response builder (Mockito
 * stand-ins for the host's adapter types, as the API tests use), so the real trigger methods run unchanged.
 */
final class HttpCalls {
    private HttpCalls() {
    }

    /** What the trigger answered. */
    record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }


    static HttpRequestMessage<Optional<String>> request(HttpMethod method, String route, Map<String, String> headers,
                                                        Map<String, String> query, Optional<String> body) {
        return FunctionsHttp.request(method, route, headers, query, body);
    }

    static ExecutionContext context(String functionName, Logger logger) {
        ExecutionContext ctx = mock(ExecutionContext.class);
        when(ctx.getLogger()).thenReturn(logger);
        when(ctx.getFunctionName()).thenReturn(functionName);
        when(ctx.getInvocationId()).thenReturn(UUID.randomUUID().toString());
        return ctx;
    }

    static Reply reply(HttpResponseMessage r) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(((FunctionsHttp.Response) r).headers());
        return new Reply(r.getStatusCode(), headers, r.getBody() == null ? null : String.valueOf(r.getBody()));
    }
}
