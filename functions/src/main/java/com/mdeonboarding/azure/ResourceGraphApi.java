package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Azure Resource Graph queries, streamed: subscriptions in batches, 1,000-row pages with $skipToken,
 * rows handed to the caller one by one (the tenant is never held in memory). Throttling: the
 * pipeline retries 429s after Retry-After; between pages we also wait out an exhausted
 * {@code x-ms-user-quota-remaining} so that we do not provoke the 429 in the first place.
 */
public final class ResourceGraphApi {
    /** Microsoft's guidance groups subscriptions in batches well under 300 per query. */
    static final int SUBSCRIPTION_BATCH = 200;
    static final int PAGE_SIZE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArmClient arm;

    public ResourceGraphApi(ArmClient arm) {
        this.arm = arm;
    }

    /** The text of a query shipped in {@code kql/<name>.kql}. */
    public static String query(String name) {
        String path = "kql/" + name + ".kql";
        try (InputStream in = ResourceGraphApi.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing query resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code kql} over the subscriptions and passes every row to {@code rows}. Returns the number of requests made. */
    public int stream(String kql, List<String> subscriptions, Consumer<JsonNode> rows) {
        int requests = 0;
        for (int from = 0; from < subscriptions.size(); from += SUBSCRIPTION_BATCH) {
            List<String> batch = subscriptions.subList(from, Math.min(subscriptions.size(), from + SUBSCRIPTION_BATCH));
            requests += pages(kql, body -> batch.forEach(body.putArray("subscriptions")::add), rows);
        }
        return requests;
    }

    /** Runs {@code kql} with a management group as its scope (every subscription below it). */
    public int streamManagementGroup(String kql, String managementGroup, Consumer<JsonNode> rows) {
        return pages(kql, body -> body.putArray("managementGroups").add(managementGroup), rows);
    }

    /** One query, all its pages: {@code scope} adds the subscriptions or management groups to each request. */
    private int pages(String kql, Consumer<ObjectNode> scope, Consumer<JsonNode> rows) {
        int requests = 0;
        String skipToken = null;
        do {
            ObjectNode body = JSON.createObjectNode();
            scope.accept(body);
            body.put("query", kql);
            ObjectNode options = body.putObject("options");
            options.put("resultFormat", "objectArray");
            options.put("$top", PAGE_SIZE);
            if (skipToken != null) {
                options.put("$skipToken", skipToken);
            }
            ArmClient.Reply reply = arm.post("/providers/Microsoft.ResourceGraph/resources", ApiVersions.RESOURCE_GRAPH, body);
            requests++;
            for (JsonNode row : reply.body().path("data")) {
                rows.accept(row);
            }
            skipToken = reply.body().path("$skipToken").asText(null);
            waitForQuota(reply);
        } while (skipToken != null && !skipToken.isEmpty());
        return requests;
    }

    private static void waitForQuota(ArmClient.Reply reply) {
        int remaining = reply.header("x-ms-user-quota-remaining").map(ResourceGraphApi::intOr).orElse(Integer.MAX_VALUE);
        if (remaining > 0) {
            return;
        }
        Duration wait = reply.header("x-ms-user-quota-resets-after").map(ResourceGraphApi::hms).orElse(Duration.ofSeconds(1));
        try {
            Thread.sleep(Math.min(wait.toMillis(), 60_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int intOr(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Parses "hh:mm:ss" (the header's documented format). */
    static Duration hms(String s) {
        String[] p = s.trim().split(":");
        try {
            if (p.length == 3) {
                return Duration.ofHours(Long.parseLong(p[0])).plusMinutes(Long.parseLong(p[1]))
                        .plusMillis(Math.round(Double.parseDouble(p[2]) * 1000));
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        return Duration.ofSeconds(1);
    }
}
