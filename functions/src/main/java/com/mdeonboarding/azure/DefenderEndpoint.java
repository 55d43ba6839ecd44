package com.mdeonboarding.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.decide.SensorMatch;
import com.mdeonboarding.model.DeviceRecord;
import com.mdeonboarding.model.Text;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Defender for Endpoint API's machine list ({@code GET {endpoint}/api/machines}, MicrosoftDocs/defender-docs
 * {@code defender-endpoint/api/get-machines.md}), over its own pipeline: bearer token for the API's audience, retry
 * honouring Retry-After, request IDs, header-only logging, the process's rate budget ({@link DefenderApiBudget}) and a
 * call counter. Device records out, never JSON.
 *
 * <ul>
 *   <li>{@link #devicesNamed}: one call per machine. {@code vmMetadata} is not filterable ({@code $filter} works on
 *   computerDnsName, id, version, deviceValue, aadDeviceId, machineTags, lastSeen, exposureLevel, onboardingStatus,
 *   lastIpAddress, healthStatus, osPlatform, riskScore, rbacGroupId), so the look narrows by the documented
 *   {@code startswith(computerDnsName,'...')} (exposed-apis-odata-samples.md, example 8) and the caller joins what comes
 *   back by Azure resource ID ({@code SensorMatch}): the name only narrows, it never decides.</li>
 *   <li>{@link #forEachDevice}: the whole list in pages of {@value #PAGE_SIZE} (the documented maximum of {@code $top}),
 *   following {@code @odata.nextLink}: ceil(devices / 10,000) calls.</li>
 * </ul>
 * A 401 or 403 (no permission) is remembered for {@link #PERMISSION_RECHECK}: calls in that time fail at once with the same
 * error, so that a missing app role costs one call (and one report) per sweep, not one per machine.
 */
public final class DefenderEndpoint {
    public static final int PAGE_SIZE = 10_000;
    static final String MACHINES = "/api/machines";
    /** How long a permission error is believed before the API is asked again. */
    static final Duration PERMISSION_RECHECK = Duration.ofMinutes(10);
    /** A per-machine look waits at most this long for the rate budget: a worker is not held; the job looks again later. */
    static final Duration LOOKUP_MAX_WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpPipeline pipeline;
    private final String baseUrl;
    private final Clock clock;
    private volatile DefenderApiException denied;
    private volatile Instant deniedUntil = Instant.MIN;

    DefenderEndpoint(HttpPipeline pipeline, String baseUrl, Clock clock) {
        this.pipeline = pipeline;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.clock = clock;
    }

    /** The base URL requests go to ({@code <url>/api/machines}). */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * One call: the device records whose computerDnsName starts with {@code hostName}'s first label (lower case), at most
     * {@value #PAGE_SIZE} (a later page is not read: no host name prefix has that many devices).
     */
    public List<DeviceRecord> devicesNamed(String hostName) {
        String prefix = hostName == null ? "" : SensorMatch.shortName(hostName);
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("a host name is needed to look a device up");
        }
        String filter = "startswith(computerDnsName,'" + prefix.replace("'", "''") + "')";
        List<DeviceRecord> out = new ArrayList<>();
        page(baseUrl + MACHINES + "?$filter=" + encode(filter) + "&$top=" + PAGE_SIZE, out::add,
                new Context(DefenderApiBudget.MAX_WAIT, LOOKUP_MAX_WAIT));
        return out;
    }

    /** Every device record, page by page; returns the calls made. A tenant without recent devices (404) has none. */
    public int forEachDevice(Consumer<DeviceRecord> each) {
        String url = baseUrl + MACHINES + "?$top=" + PAGE_SIZE;
        int calls = 0;
        PageGuard guard = PageGuard.defender("Defender for Endpoint API machine list (GET " + MACHINES + ", @odata.nextLink)");
        while (url != null) {
            calls++;
            url = page(url, each, Context.NONE).map(link -> onOurHost(baseUrl, link)).orElse(null);
            if (url != null) {
                guard.next(url);
            }
        }
        return calls;
    }

    /** Reads one page into {@code each}; returns its {@code @odata.nextLink}. */
    private Optional<String> page(String url, Consumer<DeviceRecord> each, Context context) {
        Instant now = clock.instant();
        DefenderApiException known = denied;
        if (known != null && now.isBefore(deniedUntil)) {
            throw known;
        }
        HttpRequest req = new HttpRequest(HttpMethod.GET, url);
        req.setHeader(HttpHeaderName.ACCEPT, "application/json");
        try (HttpResponse resp = pipeline.sendSync(req, context)) {
            int status = resp.getStatusCode();
            if (status == 404) {
                return Optional.empty(); // "If there are no recent machines, you see 404 Not Found."
            }
            if (status >= 400) {
                DefenderApiException e = error(status, resp.getBodyAsBinaryData() == null ? new byte[0] : resp.getBodyAsBinaryData().toBytes());
                if (e.permissionDenied()) {
                    denied = e;
                    deniedUntil = now.plus(PERMISSION_RECHECK);
                }
                throw e;
            }
            denied = null;
            return read(resp.getBodyAsBinaryData() == null ? InputStream.nullInputStream() : resp.getBodyAsBinaryData().toStream(), each);
        } catch (DefenderApiException e) {
            throw e;
        } catch (RuntimeException e) {
            // No connection, TLS, timeouts (after the pipeline's retries), a missing credential: the API is unreachable.
            throw new DefenderApiException(0, "Unreachable", Text.printable(String.valueOf(e.getMessage()), 300));
        }
    }

    /** Streams the page's {@code value} array one record at a time (a page of 10,000 is never one tree). */
    private static Optional<String> read(InputStream body, Consumer<DeviceRecord> each) {
        String next = null;
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DefenderApiException(200, "UnexpectedBody", "the answer is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("value") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        each.accept(device(p.readValueAsTree()));
                    }
                } else if (field.equals("@odata.nextLink") && t == JsonToken.VALUE_STRING) {
                    next = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new DefenderApiException(200, "UnexpectedBody", "the answer is not readable JSON: " + Text.printable(String.valueOf(e.getMessage()), 200));
        }
        return Optional.ofNullable(next).filter(s -> !s.isBlank());
    }

    static DeviceRecord device(JsonNode d) {
        JsonNode vm = d.path("vmMetadata");
        // Every field is the device's own report (a computer name is set inside the guest): escaped and bounded.
        return new DeviceRecord(AzureText.name(d.path("id").asText("")), text(d, "computerDnsName"),
                AzureText.name(d.path("onboardingStatus").asText("")), AzureText.name(d.path("healthStatus").asText("")),
                time(d, "firstSeen"), time(d, "lastSeen"), text(vm, "resourceId"), text(vm, "vmId"));
    }

    /**
     * The next page on our own endpoint: its path and query carried onto our base URL, so the token never travels to a host
     * we were not configured with (a link to another host or path ends the listing with an error).
     */
    static String onOurHost(String baseUrl, String link) {
        URI u;
        try {
            u = URI.create(link);
        } catch (IllegalArgumentException e) {
            throw new DefenderApiException(200, "UnexpectedLink", "@odata.nextLink is not a URL");
        }
        if (u.getRawPath() == null || !u.getRawPath().equalsIgnoreCase(MACHINES)) {
            throw new DefenderApiException(200, "UnexpectedLink", "refusing to follow @odata.nextLink outside " + MACHINES);
        }
        return baseUrl + MACHINES + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private static DefenderApiException error(int status, byte[] body) {
        String code = "";
        String message = "";
        try {
            JsonNode err = JSON.readTree(body).path("error");
            code = err.path("code").asText("");
            message = err.path("message").asText("");
        } catch (IOException | RuntimeException ignored) {
            // not JSON: the status says enough
        }
        if (message.isEmpty()) {
            message = status == 401 ? "the token was refused" : status == 403 ? "the identity lacks the permission" : "HTTP " + status;
        }
        if (status == 403 || status == 401) {
            message += " (the app's identity needs the application permission Machine.Read.All of the WindowsDefenderATP API:"
                    + " infra/grant-defender-api-permission.sh)";
        }
        return new DefenderApiException(status, code, Text.printable(message, 500));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Optional<String> text(JsonNode n, String field) {
        return raw(n, field).map(AzureText::name);
    }

    private static Optional<String> raw(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static Optional<Instant> time(JsonNode n, String field) {
        return raw(n, field).flatMap(s -> {
            try {
                return Optional.of(OffsetDateTime.parse(s).toInstant());
            } catch (RuntimeException e) {
                try {
                    return Optional.of(Instant.parse(s));
                } catch (RuntimeException again) {
                    return Optional.empty();
                }
            }
        });
    }
}
