package com.mdeonboarding.emulator.providers;

import com.mdeonboarding.emulator.operations.*;
import com.mdeonboarding.emulator.server.*;
import com.mdeonboarding.emulator.state.*;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Microsoft.EventGrid system topics and their event subscriptions, read and written one at a time (SystemTopics_Get,
 * _CreateOrUpdate, _Delete; SystemTopicEventSubscriptions_Get, _CreateOrUpdate, _Delete), the operation status of
 * their asynchronous writes, and the resource group a created topic lives in (ResourceGroups_CreateOrUpdate / _Get).
 *
 * <p>As Azure answers (azure-rest-api-specs, Microsoft.EventGrid 2025-02-15: both PUTs are
 * {@code x-ms-long-running-operation} with 200/201; both DELETEs answer 200/202/204): a PUT answers 201 (new) or 200
 * (replaced) with {@code provisioningState} Creating / Updating and an {@code Azure-AsyncOperation} header; the resource
 * is Succeeded once the operation completes. A DELETE of something that exists answers 202 with the operation's
 * headers and is gone at once; of something missing, 204.
 *
 * <p>Refused as Azure refuses it:
 * <ul>
 * <li>a second system topic for the same source, e.g. a second {@code Microsoft.Resources.Subscriptions} topic in one
 * subscription: 400 {@code InvalidRequest} "There is an existing tracked system topic for the given source
 * /subscriptions/{id}. Only one system topic is allowed per source." (the error quoted in MicrosoftDocs/azure-docs
 * pull request #97986 and in TaoYang-Cloud/azure.policy.monitor issue #12; the rule: Event Grid's "System topics"
 * article, "Only one Azure Event Grid system topic is allowed per source");</li>
 * <li>changing the source of an existing topic: 400 {@code InvalidRequest} "System topic source cannot be modified."
 * (Azure/azure-quickstart-templates issue #13688);</li>
 * <li>an event subscription on a topic that does not exist: 404 {@code ParentResourceNotFound} "Can not perform
 * requested operation on nested resource. Parent resource '{name}' not found." (pulumi/docs issue #5774).</li>
 * </ul>
 */
public final class EventGridWritesProvider {
    private static final EmulatedApiVersions VERSIONS = EmulatedApiVersions.of("systemTopics", "2020-04-01-preview", "2021-12-01",
            "2022-06-15", "2023-12-15-preview", "2024-06-01-preview", "2025-02-15");
    private static final EmulatedApiVersions RG_VERSIONS = EmulatedApiVersions.of("resourceGroups", "2021-04-01", "2022-09-01",
            "2024-03-01", "2024-11-01");
    private static final String TOPIC = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/"
            + "Microsoft.EventGrid/systemTopics/{systemTopicName}";
    /** Event Grid's writes take seconds in Azure; here they complete at the next request (the status still says so first). */
    private static final Duration WRITE_DELAY = Duration.ZERO;

    private final EmulatorContext ctx;
    /** Resource groups created through the API (lower-case "sub/rg"). */
    private final Set<String> resourceGroups = ConcurrentHashMap.newKeySet();

    public EventGridWritesProvider(EmulatorContext ctx, Router router) {
        this.ctx = ctx;
        router.add("GET", TOPIC, "SystemTopics_Get", false, VERSIONS, this::getTopic);
        router.add("PUT", TOPIC, "SystemTopics_CreateOrUpdate", true, VERSIONS, this::putTopic);
        router.add("DELETE", TOPIC, "SystemTopics_Delete", true, VERSIONS, this::deleteTopic);
        router.add("GET", TOPIC + "/eventSubscriptions/{eventSubscriptionName}", "SystemTopicEventSubscriptions_Get", false, VERSIONS,
                this::getSubscription);
        router.add("PUT", TOPIC + "/eventSubscriptions/{eventSubscriptionName}", "SystemTopicEventSubscriptions_CreateOrUpdate", true,
                VERSIONS, this::putSubscription);
        router.add("DELETE", TOPIC + "/eventSubscriptions/{eventSubscriptionName}", "SystemTopicEventSubscriptions_Delete", true,
                VERSIONS, this::deleteSubscription);
        String loc = "/subscriptions/{subscriptionId}/providers/Microsoft.EventGrid/locations/{location}";
        router.add("GET", loc + "/operationStatus/{operationId}", "EventGrid_OperationStatus", false, VERSIONS,
                req -> OperationResults.status(req, operation(req), ctx));
        router.add("GET", loc + "/operationResults/{operationId}", "EventGrid_OperationResult", false, VERSIONS,
                req -> OperationResults.result(req, operation(req), ctx));
        String rg = "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}";
        router.add("PUT", rg, "ResourceGroups_CreateOrUpdate", true, RG_VERSIONS, this::putResourceGroup);
        router.add("GET", rg, "ResourceGroups_Get", false, RG_VERSIONS, this::getResourceGroup);
    }

    private EmulatedEventWiring wiring() {
        return ctx.state.eventWiring();
    }

    // ------------------------------------------------------------------ resource groups

    private boolean resourceGroupExists(String sub, String rg) {
        return resourceGroups.contains(key(sub, rg))
                || wiring().topics(sub).stream().anyMatch(t -> t.resourceGroup().equalsIgnoreCase(rg))
                || ctx.store.read(v -> v.subscription(sub) != null && v.hasResourceGroup(v.subscription(sub), rg));
    }

    private ArmResponse putResourceGroup(ArmRequest req) {
        String sub = req.param("subscriptionId");
        String rg = req.param("resourceGroupName");
        String location = req.json().path("location").asText("");
        if (location.isEmpty()) {
            throw ArmError.badRequest("LocationRequired", "The location property is required for this definition.");
        }
        boolean existed = resourceGroupExists(sub, rg);
        resourceGroups.add(key(sub, rg));
        return ArmResponse.status(existed ? 200 : 201, resourceGroup(sub, rg, location));
    }

    private ArmResponse getResourceGroup(ArmRequest req) {
        String sub = req.param("subscriptionId");
        String rg = req.param("resourceGroupName");
        if (!resourceGroupExists(sub, rg)) {
            throw ArmError.notFound("ResourceGroupNotFound", "Resource group '" + rg + "' could not be found.");
        }
        return ArmResponse.ok(resourceGroup(sub, rg, "westeurope"));
    }

    private static ObjectNode resourceGroup(String sub, String rg, String location) {
        ObjectNode o = Json.obj();
        o.put("id", "/subscriptions/" + sub + "/resourceGroups/" + rg);
        o.put("name", rg);
        o.put("type", "Microsoft.Resources/resourceGroups");
        o.put("location", ResourceIds.normalizeLocation(location));
        o.putObject("properties").put("provisioningState", "Succeeded");
        return o;
    }

    // ------------------------------------------------------------------ system topics

    private EmulatedEventWiring.Topic topic(ArmRequest req) {
        return wiring().topic(req.param("subscriptionId"), req.param("resourceGroupName"), req.param("systemTopicName"))
                .orElseThrow(() -> ArmError.notFound("ResourceNotFound", "The Resource 'Microsoft.EventGrid/systemTopics/"
                        + req.param("systemTopicName") + "' under resource group '" + req.param("resourceGroupName") + "' was not found."));
    }

    private ArmResponse getTopic(ArmRequest req) {
        return ArmResponse.ok(EventGridJson.topic(req.param("subscriptionId"), topic(req)));
    }

    private ArmResponse putTopic(ArmRequest req) {
        String sub = req.param("subscriptionId");
        String rg = req.param("resourceGroupName");
        String name = req.param("systemTopicName");
        JsonNode body = req.json();
        if (!body.isObject()) {
            throw ArmError.badRequest("InvalidRequestContent", "The request content must be a JSON object.");
        }
        String source = body.path("properties").path("source").asText("");
        String topicType = body.path("properties").path("topicType").asText("");
        String location = body.path("location").asText("");
        if (source.isEmpty() || topicType.isEmpty() || location.isEmpty()) {
            throw ArmError.badRequest("InvalidRequest", "A system topic needs location, properties.source and properties.topicType.");
        }
        if (!resourceGroupExists(sub, rg)) {
            throw ArmError.notFound("ResourceGroupNotFound", "Resource group '" + rg + "' could not be found.");
        }
        synchronized (wiring()) {
            var existing = wiring().topic(sub, rg, name);
            if (existing.isPresent() && !existing.get().source().equalsIgnoreCase(source)) {
                throw ArmError.badRequest("InvalidRequest", "System topic source cannot be modified.");
            }
            for (EmulatedEventWiring.Topic other : wiring().topics(sub)) {
                if (!other.is(rg, name) && other.source().equalsIgnoreCase(source)) {
                    throw ArmError.badRequest("InvalidRequest", "There is an existing tracked system topic for the given source "
                            + source + ". Only one system topic is allowed per source.");
                }
            }
            JsonNode identity = body.has("identity") ? body.get("identity").deepCopy() : existing.map(EmulatedEventWiring.Topic::identity).orElse(null);
            JsonNode tags = body.has("tags") && !body.get("tags").isNull() ? body.get("tags").deepCopy() : null;
            String state = existing.isPresent() ? "Updating" : "Creating";
            EmulatedEventWiring.Topic topic = new EmulatedEventWiring.Topic(rg, existing.map(EmulatedEventWiring.Topic::name).orElse(name),
                    topicType, source, existing.map(EmulatedEventWiring.Topic::subscriptions).orElse(List.of()),
                    ResourceIds.normalizeLocation(location), identity, tags, state);
            wiring().putTopic(sub, topic);
            Operation op = ctx.operations.start("Microsoft.EventGrid", sub, "global", req.apiVersion(), WRITE_DELAY, (o, w) -> {
                wiring().topic(sub, rg, name).ifPresent(t -> wiring().putTopic(sub, t.withState("Succeeded")));
                o.succeed(wiring().topic(sub, rg, name).map(t -> (JsonNode) EventGridJson.topic(sub, t)).orElse(null), ctx.now());
            });
            return Lro.withHeaders(ArmResponse.status(existing.isPresent() ? 200 : 201, EventGridJson.topic(sub, topic)), req, op, ctx);
        }
    }

    private ArmResponse deleteTopic(ArmRequest req) {
        String sub = req.param("subscriptionId");
        if (!wiring().deleteTopic(sub, req.param("resourceGroupName"), req.param("systemTopicName"))) {
            return ArmResponse.empty(204);
        }
        Operation op = ctx.operations.start("Microsoft.EventGrid", sub, "global", req.apiVersion(), WRITE_DELAY,
                (o, w) -> o.succeed(null, ctx.now()));
        return Lro.withHeaders(ArmResponse.empty(202), req, op, ctx);
    }

    // ------------------------------------------------------------------ event subscriptions

    private ArmResponse getSubscription(ArmRequest req) {
        EmulatedEventWiring.Topic t = topic(req);
        EmulatedEventWiring.Subscription es = t.subscription(req.param("eventSubscriptionName"))
                .orElseThrow(() -> ArmError.notFound("ResourceNotFound", "Event subscription doesn't exist."));
        return ArmResponse.ok(EventGridJson.eventSubscription(req.param("subscriptionId"), t, es));
    }

    private ArmResponse putSubscription(ArmRequest req) {
        String sub = req.param("subscriptionId");
        String rg = req.param("resourceGroupName");
        String topicName = req.param("systemTopicName");
        String name = req.param("eventSubscriptionName");
        JsonNode body = req.json();
        JsonNode props = body.path("properties");
        if (!props.isObject() || !props.path("destination").isObject()) {
            throw ArmError.badRequest("InvalidRequest", "An event subscription needs properties.destination.");
        }
        synchronized (wiring()) {
            EmulatedEventWiring.Topic t = wiring().topic(sub, rg, topicName).orElseThrow(() -> ArmError.notFound("ParentResourceNotFound",
                    "Can not perform requested operation on nested resource. Parent resource '" + topicName + "' not found."));
            boolean existed = t.subscription(name).isPresent();
            JsonNode dest = props.path("destination");
            List<String> types = new ArrayList<>();
            props.path("filter").path("includedEventTypes").forEach(n -> types.add(n.asText()));
            List<String> operations = new ArrayList<>();
            for (JsonNode f : props.path("filter").path("advancedFilters")) {
                if ("StringIn".equals(f.path("operatorType").asText()) && "data.operationName".equalsIgnoreCase(f.path("key").asText())) {
                    f.path("values").forEach(v -> operations.add(v.asText()));
                }
            }
            ObjectNode stored = ((ObjectNode) props).deepCopy();
            stored.remove(List.of("provisioningState", "topic"));
            EmulatedEventWiring.Subscription es = new EmulatedEventWiring.Subscription(name, dest.path("endpointType").asText(),
                    dest.path("properties").path("resourceId").asText(dest.path("properties").path("endpointUrl").asText("")),
                    types, operations, stored, existed ? "Updating" : "Creating");
            wiring().putSubscription(sub, rg, topicName, es);
            Operation op = ctx.operations.start("Microsoft.EventGrid", sub, "global", req.apiVersion(), WRITE_DELAY, (o, w) -> {
                wiring().topic(sub, rg, topicName).flatMap(x -> x.subscription(name))
                        .ifPresent(s -> wiring().putSubscription(sub, rg, topicName, s.withState("Succeeded")));
                o.succeed(wiring().topic(sub, rg, topicName).flatMap(x -> x.subscription(name).map(s ->
                        (JsonNode) EventGridJson.eventSubscription(sub, x, s))).orElse(null), ctx.now());
            });
            return Lro.withHeaders(ArmResponse.status(existed ? 200 : 201, EventGridJson.eventSubscription(sub,
                    wiring().topic(sub, rg, topicName).orElse(t), es)), req, op, ctx);
        }
    }

    private ArmResponse deleteSubscription(ArmRequest req) {
        String sub = req.param("subscriptionId");
        if (!wiring().deleteSubscription(sub, req.param("resourceGroupName"), req.param("systemTopicName"), req.param("eventSubscriptionName"))) {
            return ArmResponse.empty(204);
        }
        Operation op = ctx.operations.start("Microsoft.EventGrid", sub, "global", req.apiVersion(), WRITE_DELAY,
                (o, w) -> o.succeed(null, ctx.now()));
        return Lro.withHeaders(ArmResponse.empty(202), req, op, ctx);
    }

    private Operation operation(ArmRequest req) {
        Operation op = ctx.operations.get(req.param("operationId"));
        if (op == null || !"Microsoft.EventGrid".equals(op.provider) || !op.subscriptionId.equalsIgnoreCase(req.param("subscriptionId"))) {
            throw ArmError.notFound("ResourceNotFound", "The operation '" + req.param("operationId") + "' was not found.");
        }
        return op;
    }

    private static String key(String sub, String rg) {
        return (sub + "/" + rg).toLowerCase(Locale.ROOT);
    }
}
