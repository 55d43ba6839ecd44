package com.mdeonboarding.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * REST calls to Resource Manager over the shared pipeline (bearer token, retry honouring Retry-After, request IDs,
 * call counting), for every provider we use. Paths are ARM paths such as
 * {@code /subscriptions/{id}/providers/Microsoft.Security/pricings/VirtualMachines}. Internal to this package: the
 * clients around it speak domain types.
 */
final class ArmClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpPipeline pipeline;
    private final String baseUrl;

    ArmClient(HttpPipeline pipeline, String baseUrl) {
        this.pipeline = pipeline;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    HttpPipeline pipeline() {
        return pipeline;
    }

    String baseUrl() {
        return baseUrl;
    }

    JsonNode get(String path, String apiVersion) {
        return send(HttpMethod.GET, url(path, apiVersion), null).body();
    }

    /** GET that treats 404 as "does not exist". */
    Optional<JsonNode> find(String path, String apiVersion) {
        try {
            return Optional.of(get(path, apiVersion));
        } catch (ArmException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    Reply put(String path, String apiVersion, JsonNode body) {
        return send(HttpMethod.PUT, url(path, apiVersion), body);
    }

    Reply delete(String path, String apiVersion) {
        return send(HttpMethod.DELETE, url(path, apiVersion), null);
    }

    Reply post(String path, String apiVersion, JsonNode body) {
        return send(HttpMethod.POST, url(path, apiVersion), body);
    }

    /** GET of an absolute URL (a nextLink), which already carries its api-version. */
    JsonNode getAbsolute(String url) {
        if (!url.startsWith(baseUrl + "/")) {
            // Never send our token to a host other than Resource Manager.
            throw new ArmException(0, "UnexpectedLink", "refusing to follow a link outside " + baseUrl);
        }
        return send(HttpMethod.GET, url, null).body();
    }

    /** GET of an absolute URL that must point at Resource Manager (an operation's status or result URL). */
    Reply getReply(String url) {
        return send(HttpMethod.GET, url, null);
    }

    private String url(String path, String apiVersion) {
        String sep = path.contains("?") ? "&" : "?";
        return baseUrl + path + sep + "api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
    }

    private Reply send(HttpMethod method, String url, JsonNode body) {
        if (!url.startsWith(baseUrl + "/")) {
            throw new ArmException(0, "UnexpectedLink", "refusing to call a URL outside " + baseUrl);
        }
        HttpRequest req = new HttpRequest(method, url);
        req.setHeader(HttpHeaderName.ACCEPT, "application/json");
        if (body != null) {
            req.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json");
            req.setBody(body.toString());
        }
        try (HttpResponse resp = sendSync(req)) {
            String text = resp.getBodyAsBinaryData() == null ? "" : resp.getBodyAsBinaryData().toString();
            JsonNode json = parse(text);
            int status = resp.getStatusCode();
            if (status >= 400) {
                JsonNode err = json.path("error");
                throw new ArmException(status, err.path("code").asText(""),
                        err.path("message").asText(text.length() > 300 ? text.substring(0, 300) : text));
            }
            return new Reply(status, json, resp.getHeaders());
        }
    }

    /** A failed sign-in becomes a {@link SignInException} naming the API; every other failure passes unchanged. */
    private HttpResponse sendSync(HttpRequest req) {
        try {
            return pipeline.sendSync(req, Context.NONE);
        } catch (RuntimeException e) {
            if (SignInAwareRetry.signInFailure(e)) {
                throw new SignInException("Azure Resource Manager (" + baseUrl + ")", e);
            }
            throw e;
        }
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return MissingNode.getInstance();
        }
    }

    /** A response: status, JSON body (MissingNode when empty) and headers. */
    record Reply(int status, JsonNode body, com.azure.core.http.HttpHeaders headers) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.getValue(HttpHeaderName.fromString(name)));
        }
    }
}
