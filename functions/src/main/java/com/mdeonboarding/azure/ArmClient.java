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
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Typed-enough REST calls to Resource Manager over the shared pipeline, for the providers whose Java
 * SDKs are not available here (Security, HybridCompute, Resource Graph). Paths are ARM paths such as
 * {@code /subscriptions/{id}/providers/Microsoft.Security/pricings/VirtualMachines}.
 */
public final class ArmClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_POLL = Duration.ofMinutes(5);

    private final HttpPipeline pipeline;
    private final String baseUrl;

    public ArmClient(HttpPipeline pipeline, String baseUrl) {
        this.pipeline = pipeline;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public HttpPipeline pipeline() {
        return pipeline;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public JsonNode get(String path, String apiVersion) {
        return send(HttpMethod.GET, url(path, apiVersion), null).body();
    }

    /** GET that treats 404 as "does not exist". */
    public Optional<JsonNode> find(String path, String apiVersion) {
        try {
            return Optional.of(get(path, apiVersion));
        } catch (ArmException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Reply put(String path, String apiVersion, JsonNode body) {
        return send(HttpMethod.PUT, url(path, apiVersion), body);
    }

    public Reply post(String path, String apiVersion, JsonNode body) {
        return send(HttpMethod.POST, url(path, apiVersion), body);
    }

    /** GET of an absolute URL (a nextLink), which already carries its api-version. */
    public JsonNode getAbsolute(String url) {
        if (!url.startsWith(baseUrl + "/")) {
            // Never send our token to a host other than Resource Manager.
            throw new ArmException(0, "UnexpectedLink", "refusing to follow a link outside " + baseUrl);
        }
        return send(HttpMethod.GET, url, null).body();
    }

    /**
     * Waits for a long-running operation started by {@code started}: polls Azure-AsyncOperation (or
     * Location) honouring Retry-After (the first answer's too), up to five minutes. Returns the terminal status document.
     */
    public JsonNode awaitOperation(Reply started) {
        Optional<String> op = started.header("Azure-AsyncOperation").or(() -> started.header("Location"));
        if (op.isEmpty() || started.status() == 200) {
            return started.body();
        }
        Instant deadline = Instant.now().plus(MAX_POLL);
        // The first answer's Retry-After says when a poll can tell more; polling at once costs a call that only says InProgress.
        started.header("Retry-After").map(ArmClient::seconds).ifPresent(ArmClient::sleep);
        while (true) {
            Reply r = send(HttpMethod.GET, op.get(), null);
            String status = r.body().path("status").asText("");
            if (r.status() == 200 && !status.isEmpty() && !status.equalsIgnoreCase("InProgress")
                    && !status.equalsIgnoreCase("Running") && !status.equalsIgnoreCase("Accepted")) {
                return r.body();
            }
            if (r.status() == 200 && status.isEmpty()) {
                return r.body(); // a Location poll returns the final resource
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ArmException(408, "OperationTimedOut", "the operation did not finish within " + MAX_POLL);
            }
            sleep(r.header("Retry-After").map(ArmClient::seconds).orElse(Duration.ofSeconds(1)));
        }
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
        try (HttpResponse resp = pipeline.sendSync(req, Context.NONE)) {
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

    private static Duration seconds(String s) {
        try {
            return Duration.ofSeconds(Math.max(0, Math.min(60, Long.parseLong(s.trim()))));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArmException(0, "Interrupted", "interrupted while waiting for an operation");
        }
    }

    /** A response: status, JSON body (MissingNode when empty) and headers. */
    public record Reply(int status, JsonNode body, com.azure.core.http.HttpHeaders headers) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.getValue(HttpHeaderName.fromString(name)));
        }
    }
}
