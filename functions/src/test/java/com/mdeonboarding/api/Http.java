package com.mdeonboarding.api;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.host.HttpDashboard;
import com.mdeonboarding.host.HttpMachineState;
import com.mdeonboarding.host.HttpOnboarding;
import com.mdeonboarding.host.HttpOpenApi;
import com.mdeonboarding.host.HttpPosture;
import com.mdeonboarding.host.HttpSweeps;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.testing.CapturingLogger;
import com.mdeonboarding.testing.FunctionsHttp;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Calls the real HTTP trigger methods as the Functions host would. Only the host's adapters are
 * Mockito mocks (HttpRequestMessage, its response builder, ExecutionContext); the response itself is
 * a plain record, and everything behind the trigger is real.
 */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Every log line the triggers wrote, across calls. */
    static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());
    private static final Logger LOGGER = logger();

    private Http() {
    }

    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.get(name);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /** The plain response the mocked builder builds. */

    static Reply postOnboarding(Services services, String contentType, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("content-type", contentType); // the host hands headers over in lower case
        }
        return postOnboarding(services, headers, Map.of(), body);
    }

    static Reply postOnboarding(Services services, Map<String, String> headers, Map<String, String> query, String body) {
        HttpRequestMessage<Optional<String>> req = request(HttpMethod.POST, "onboarding", headers, query, Optional.ofNullable(body));
        return reply(new HttpOnboarding(services).run(req, context(HttpOnboarding.NAME)));
    }

    static Reply getState(Services services, Map<String, String> query) {
        HttpRequestMessage<Optional<String>> req = request(HttpMethod.GET, "machines/state", Map.of(), query, Optional.empty());
        return reply(new HttpMachineState(services).run(req, context(HttpMachineState.NAME)));
    }

    static Reply getPosture(Services services, Map<String, String> query) {
        HttpRequestMessage<Optional<String>> req = request(HttpMethod.GET, "posture", Map.of(), query, Optional.empty());
        return reply(new HttpPosture(services).run(req, context(HttpPosture.NAME)));
    }

    static Reply postSweeps(Services services, String contentType, String body) {
        Map<String, String> headers = contentType == null ? Map.of() : Map.of("content-type", contentType);
        HttpRequestMessage<Optional<String>> req = request(HttpMethod.POST, "sweeps", headers, Map.of(), Optional.ofNullable(body));
        return reply(new HttpSweeps(services).run(req, context(HttpSweeps.NAME)));
    }

    /** Any method on any route, through its real trigger. */
    static Reply call(Services services, HttpMethod method, String route, Map<String, String> query) {
        HttpRequestMessage<Optional<String>> req = request(method, route, Map.of(), query, Optional.empty());
        return reply(switch (route) {
            case "onboarding" -> new HttpOnboarding(services).run(req, context(HttpOnboarding.NAME));
            case "machines/state" -> new HttpMachineState(services).run(req, context(HttpMachineState.NAME));
            case "posture" -> new HttpPosture(services).run(req, context(HttpPosture.NAME));
            case "sweeps" -> new HttpSweeps(services).run(req, context(HttpSweeps.NAME));
            case "openapi.json" -> new HttpOpenApi().run(req, context(HttpOpenApi.NAME));
            case "dashboard" -> new HttpDashboard(services).run(req, context(HttpDashboard.NAME));
            default -> throw new IllegalArgumentException(route);
        });
    }

    static Reply getDashboard(Services services, Map<String, String> query) {
        HttpRequestMessage<Optional<String>> req = request(HttpMethod.GET, "dashboard", Map.of(), query, Optional.empty());
        return reply(new HttpDashboard(services).run(req, context(HttpDashboard.NAME)));
    }

    static Reply getOpenApi(Map<String, String> query) {
        HttpRequestMessage<Optional<String>> req = request(HttpMethod.GET, "openapi.json", Map.of(), query, Optional.empty());
        return reply(new HttpOpenApi().run(req, context(HttpOpenApi.NAME)));
    }

    static HttpRequestMessage<Optional<String>> request(HttpMethod method, String route, Map<String, String> headers,
                                                        Map<String, String> query, Optional<String> body) {
        return FunctionsHttp.request(method, route, headers, query, body);
    }

    static ExecutionContext context(String functionName) {
        ExecutionContext ctx = mock(ExecutionContext.class);
        when(ctx.getLogger()).thenReturn(LOGGER);
        when(ctx.getFunctionName()).thenReturn(functionName);
        when(ctx.getInvocationId()).thenReturn(UUID.randomUUID().toString());
        return ctx;
    }

    private static Reply reply(HttpResponseMessage r) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(((FunctionsHttp.Response) r).headers());
        return new Reply(r.getStatusCode(), headers, String.valueOf(r.getBody()));
    }

    private static Logger logger() {
        return CapturingLogger.into(LOG, "http-test");
    }
}
