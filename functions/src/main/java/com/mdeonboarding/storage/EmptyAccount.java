package com.mdeonboarding.storage;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Storage a preview runs against when there is none ({@code AzureWebJobsStorage} unset, {@code mde-onboarding plan}
 * with only {@code az login}): an account that answers in-process, holds no queue message and no table row, and refuses
 * every write. So the app's stores read "nothing remembered yet" (a machine is decided as on its first look) and the
 * real SDK clients, their parsing and their error handling stay the ones every other command uses.
 *
 * <p>Answers: creating a queue or table, 201/204 (it "exists"); a table query, an empty page; reading a row or a
 * message, 404 / empty; any other write, 403 with a message that says why.
 */
final class EmptyAccount implements HttpClient {
    static final String ENDPOINT = "https://no-storage.invalid/preview";

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return Mono.fromSupplier(() -> answer(request));
    }

    private static HttpResponse answer(HttpRequest r) {
        String path = r.getUrl().getPath();
        boolean tables = path.contains("/Tables") || path.contains("(") || r.getUrl().getQuery() != null && r.getUrl().getQuery().contains("$filter");
        HttpMethod m = r.getHttpMethod();
        if (path.endsWith("/Tables") && m == HttpMethod.POST) {
            return new Reply(r, 204, "");
        }
        if (m == HttpMethod.PUT && !path.contains("/messages") && !tables) {
            return new Reply(r, 201, ""); // create queue
        }
        if (m == HttpMethod.GET && path.contains("/messages")) {
            return new Reply(r, 200, "<?xml version=\"1.0\" encoding=\"utf-8\"?><QueueMessagesList></QueueMessagesList>", "application/xml");
        }
        if (m == HttpMethod.GET && path.endsWith(")") && path.contains("PartitionKey=")) {
            return new Reply(r, 404, "{\"odata.error\":{\"code\":\"ResourceNotFound\",\"message\":{\"lang\":\"en-US\",\"value\":"
                    + "\"No Storage in a preview: nothing is remembered.\"}}}");
        }
        if (m == HttpMethod.GET) {
            return new Reply(r, 200, "{\"value\":[]}");
        }
        return new Reply(r, 403, "{\"odata.error\":{\"code\":\"AuthorizationFailure\",\"message\":{\"lang\":\"en-US\",\"value\":"
                + "\"No Storage in a preview (AzureWebJobsStorage unset): nothing can be written.\"}}}");
    }

    /** One in-process answer. */
    private static final class Reply extends HttpResponse {
        private final int status;
        private final byte[] body;
        private final HttpHeaders headers = new HttpHeaders();

        Reply(HttpRequest request, int status, String body) {
            this(request, status, body, "application/json;odata=nometadata");
        }

        Reply(HttpRequest request, int status, String body, String contentType) {
            super(request);
            this.status = status;
            this.body = body.getBytes(StandardCharsets.UTF_8);
            headers.set(HttpHeaderName.CONTENT_TYPE, contentType);
            headers.set(HttpHeaderName.CONTENT_LENGTH, Integer.toString(this.body.length));
            headers.set(HttpHeaderName.fromString("x-ms-request-id"), "preview");
            if (status == 403) {
                headers.set(HttpHeaderName.fromString("x-ms-error-code"), "AuthorizationFailure");
            }
            if (status == 404) {
                headers.set(HttpHeaderName.fromString("x-ms-error-code"), "ResourceNotFound");
            }
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(HttpHeaderName.fromString(name));
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return body.length == 0 ? Flux.empty() : Flux.just(ByteBuffer.wrap(body));
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(body);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just(new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.just(new String(body, charset));
        }
    }
}
