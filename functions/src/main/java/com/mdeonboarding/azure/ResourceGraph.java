package com.mdeonboarding.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRow;
import com.mdeonboarding.model.Plan;
import com.mdeonboarding.model.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Azure Resource Graph queries, streamed: subscriptions in batches, 1,000-row pages with $skipToken,
 * rows handed to the caller one by one (the tenant is never held in memory). Throttling: the
 * pipeline retries 429s after Retry-After; between pages we also wait out an exhausted
 * {@code x-ms-user-quota-remaining} so that we do not provoke the 429 in the first place.
 */
public final class ResourceGraph {
    /** Microsoft's guidance groups subscriptions in batches well under 300 per query. */
    static final int SUBSCRIPTION_BATCH = 200;
    static final int PAGE_SIZE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArmClient arm;

    ResourceGraph(ArmClient arm) {
        this.arm = arm;
    }

    /** The text of a query shipped in {@code kql/<name>.kql}. */
    static String query(String name) {
        String path = "kql/" + name + ".kql";
        try (InputStream in = ResourceGraph.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing query resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every VM and Arc machine of the subscriptions with its MDE extension's state ({@code machines-v2}), in ID order.
     * A row whose ID is not a machine ID we accept goes to {@code unexpected} (as printable text). Returns the requests made.
     */
    public int streamMachines(List<String> subscriptions, Consumer<MachineRow> rows, Consumer<String> unexpected) {
        return stream(query("machines-v2"), subscriptions, row -> {
            String raw = row.path("id").asText("");
            Optional<MachineId> id = MachineId.tryParse(raw);
            if (id.isEmpty()) {
                unexpected.accept(Text.printable(raw));
                return;
            }
            Map<String, String> tags = new HashMap<>();
            row.path("tags").fields().forEachRemaining(e -> tags.put(AzureText.name(e.getKey()), AzureText.name(e.getValue().asText(""))));
            // Kusto strings are never null: a machine without an MDE extension has "" from the leftouter join.
            rows.accept(new MachineRow(id.get(), tags, Optional.ofNullable(row.path("mdeExtensionState").textValue())
                    .filter(s -> !s.isEmpty()).map(AzureText::name)));
        });
    }

    /** The Defender for Servers plan of every subscription in one query ({@code pricings-v2}). Returns the requests made. */
    public int streamPlans(List<String> subscriptions, BiConsumer<String, Plan> plans) {
        return stream(query("pricings-v2"), subscriptions, row -> plans.accept(
                row.path("subscriptionId").asText().toLowerCase(Locale.ROOT), DefenderForCloud.plan(row)));
    }

    /**
     * Every Event Grid system topic of type {@code Microsoft.Resources.Subscriptions} in the subscriptions this identity sees
     * ({@code systemtopics-v1}, sent without a scope so that topics of subscriptions that left the scope are found too).
     * Returns the requests made.
     */
    public int streamSubscriptionTopics(Consumer<com.mdeonboarding.model.TopicRow> rows) {
        return pages(query("systemtopics-v1"), body -> { }, row -> {
            java.util.Set<String> identities = new java.util.HashSet<>();
            row.path("identity").path("userAssignedIdentities").fieldNames()
                    .forEachRemaining(id -> identities.add(id.toLowerCase(Locale.ROOT)));
            Map<String, String> tags = new HashMap<>();
            row.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText("")));
            rows.accept(new com.mdeonboarding.model.TopicRow(row.path("subscriptionId").asText().toLowerCase(Locale.ROOT),
                    row.path("id").asText(), row.path("provisioningState").asText(""), identities, tags));
        });
    }

    /** The enabled subscriptions below a management group (nested groups included), from {@code subscriptions-v1}. */
    public List<String> subscriptionsUnder(String managementGroup) {
        List<String> subs = new java.util.ArrayList<>();
        pages(query("subscriptions-v1"), body -> body.putArray("managementGroups").add(managementGroup), row -> {
            String state = row.path("state").asText("Enabled");
            if (!state.equalsIgnoreCase("Disabled") && !state.equalsIgnoreCase("Deleted")) {
                subs.add(row.path("subscriptionId").asText().toLowerCase(Locale.ROOT));
            }
        });
        return subs;
    }

    /** Runs {@code kql} over the subscriptions and passes every row to {@code rows}. Returns the number of requests made. */
    private int stream(String kql, List<String> subscriptions, Consumer<JsonNode> rows) {
        int requests = 0;
        for (int from = 0; from < subscriptions.size(); from += SUBSCRIPTION_BATCH) {
            List<String> batch = subscriptions.subList(from, Math.min(subscriptions.size(), from + SUBSCRIPTION_BATCH));
            requests += pages(kql, body -> batch.forEach(body.putArray("subscriptions")::add), rows);
        }
        return requests;
    }

    /** One query, all its pages: {@code scope} adds the subscriptions or management groups to each request. */
    private int pages(String kql, Consumer<ObjectNode> scope, Consumer<JsonNode> rows) {
        int requests = 0;
        String skipToken = null;
        PageGuard guard = PageGuard.arm("Resource Graph query (POST /providers/Microsoft.ResourceGraph/resources, $skipToken)",
                PageGuard.RESOURCE_GRAPH_PAGES);
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
            if (skipToken != null && !skipToken.isEmpty()) {
                guard.next(skipToken);
            }
            waitForQuota(reply);
        } while (skipToken != null && !skipToken.isEmpty());
        return requests;
    }

    private static void waitForQuota(ArmClient.Reply reply) {
        int remaining = reply.header("x-ms-user-quota-remaining").map(ResourceGraph::intOr).orElse(Integer.MAX_VALUE);
        if (remaining > 0) {
            return;
        }
        Duration wait = reply.header("x-ms-user-quota-resets-after").map(ResourceGraph::hms).orElse(Duration.ofSeconds(1));
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
