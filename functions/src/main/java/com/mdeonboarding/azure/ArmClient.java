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
        return document(HttpMethod.GET, url(path, apiVersion));
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
        return document(HttpMethod.GET, url);
    }

    /**
     * A GET whose answer is a document: only a 2xx with a JSON object is one (issue #23 item 6: a 307 with an empty body
     * was read as a VM without properties, {@code BLOCKED OS_UNKNOWN}). Anything else is an {@link ArmException} that says
     * what came back.
     */
    private JsonNode document(HttpMethod method, String url) {
        Reply r = send(method, url, null);
        if (!r.body().isObject()) {
            throw new ArmException(r.status(), "NoDocument", method + " " + pathOf(url) + " answered " + r.status() + " without a JSON"
                    + " document (" + (r.body().isMissingNode() ? "an empty or unreadable body" : "a JSON " + r.body().getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT)) + "); nothing was read from it. Try again; if it persists, something"
                    + " between the app and Resource Manager (a proxy?) answers in its place.");
        }
        return r.body();
    }

    /** The URL's path, without the host and query (for error messages). */
    private String pathOf(String url) {
        String p = url.startsWith(baseUrl) ? url.substring(baseUrl.length()) : url;
        int q = p.indexOf('?');
        return q < 0 ? p : p.substring(0, q);
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
                // An error may quote the request (issue #23 item 5): the request's secrets are taken out before the text
                // is cut or goes anywhere, so no caller can log or store them.
                Redaction secrets = Redaction.of(body);
                String message = err.path("message").isTextual() ? err.path("message").asText() : text;
                message = secrets.apply(message);
                throw new ArmException(status, secrets.apply(err.path("code").asText("")),
                        err.path("message").isTextual() ? message : message.length() > 300 ? message.substring(0, 300) : message);
            }
            if (status < 200 || status > 299) {
                // Resource Manager answers 2xx or an error; a redirect (or 1xx) is not followed and not a result.
                throw new ArmException(status, "UnexpectedStatus", method + " " + pathOf(url) + " answered " + status
                        + (status >= 300 && status < 400 ? " (a redirect" + (resp.getHeaderValue(HttpHeaderName.LOCATION) == null ? ""
                        : " elsewhere") + ", which Resource Manager does not send and the app does not follow)" : "")
                        + "; nothing was read from it. If it persists, something between the app and Resource Manager (a proxy?)"
                        + " answers in its place.");
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
