package com.mdeonboarding.testing;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Functions host's side of an HTTP trigger call: a request message and a response builder (Mockito
 * stand-ins for the host's adapter types), so the real trigger methods run unchanged.
 */
public final class FunctionsHttp {
    private FunctionsHttp() {
    }

    /** What the builder built: status, headers (case-insensitive) and body. */
    public record Response(HttpStatusType getStatus, Map<String, String> headers, Object getBody) implements HttpResponseMessage {
        @Override
        public String getHeader(String key) {
            return headers.get(key);
        }
    }

    @SuppressWarnings("unchecked")
    public static HttpRequestMessage<Optional<String>> request(HttpMethod method, String route, Map<String, String> headers,
                                                               Map<String, String> query, Optional<String> body) {
        HttpRequestMessage<Optional<String>> req = mock(HttpRequestMessage.class);
        when(req.getHttpMethod()).thenReturn(method);
        when(req.getUri()).thenReturn(URI.create("https://app.example/api/" + route));
        when(req.getHeaders()).thenReturn(headers);
        when(req.getQueryParameters()).thenReturn(query);
        when(req.getBody()).thenReturn(body);
        when(req.createResponseBuilder(any(HttpStatusType.class))).thenAnswer(inv -> builder(inv.getArgument(0)));
        when(req.createResponseBuilder(any(HttpStatus.class))).thenAnswer(inv -> builder(inv.getArgument(0)));
        return req;
    }

    private static HttpResponseMessage.Builder builder(HttpStatusType initial) {
        HttpResponseMessage.Builder b = mock(HttpResponseMessage.Builder.class);
        HttpStatusType[] status = {initial};
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Object[] body = {null};
        when(b.status(any())).thenAnswer(inv -> {
            status[0] = inv.getArgument(0);
            return b;
        });
        when(b.header(anyString(), anyString())).thenAnswer(inv -> {
            headers.put(inv.getArgument(0), inv.getArgument(1));
            return b;
        });
        when(b.body(any())).thenAnswer(inv -> {
            body[0] = inv.getArgument(0);
            return b;
        });
        when(b.build()).thenAnswer(inv -> new Response(status[0], headers, body[0]));
        return b;
    }
}
