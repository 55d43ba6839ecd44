package com.mdeonboarding.emulator.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.state.Json;
import com.mdeonboarding.emulator.state.ResourceIds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Produces {@code Microsoft.Resources.Resource*} events shaped like the Azure subscription system
 * topic's, for every write the emulator performs, and delivers them to in-process listeners
 * (synchronously, in order) and to an optional webhook (asynchronously, in order, with retries).
 */
public final class EventBus implements AutoCloseable {
    /** A resource event before it is rendered in a schema. */
    public record ResourceEvent(String eventType, String resourceUri, String operationName, String correlationId,
            String httpMethod, String url, String clientRequestId) {
    }

    private final String tenantId;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    /** Events kept for {@link #emitted()}; older ones are dropped so long benchmarks stay within memory. */
    static final int MAX_KEPT = 50_000;
    private final java.util.ArrayDeque<String> emitted = new java.util.ArrayDeque<>();
    private volatile EventSchema schema = EventSchema.EVENT_GRID;
    private volatile Set<EventVariant> variants = EnumSet.noneOf(EventVariant.class);
    private volatile URI webhook;
    private volatile ExecutorService delivery;
    private volatile HttpClient http;

    /** Event times and the claims' iat/nbf/exp. */
    private final Clock clock;

    public EventBus(String tenantId, Clock clock) {
        this.tenantId = tenantId;
        this.clock = clock;
    }

    public void schema(EventSchema schema) {
        this.schema = schema;
    }

    public EventSchema schema() {
        return schema;
    }

    public void variants(Set<EventVariant> v) {
        Set<EventVariant> copy = EnumSet.noneOf(EventVariant.class);
        copy.addAll(v);
        this.variants = copy;
    }

    public void addListener(Consumer<String> listener) {
        listeners.add(listener);
    }

    public synchronized void webhook(URI uri) {
        this.webhook = uri;
        if (uri != null && delivery == null) {
            delivery = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "arm-emulator-event-delivery");
                t.setDaemon(true);
                return t;
            });
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        }
    }

    public List<String> emitted() {
        synchronized (emitted) {
            return List.copyOf(emitted);
        }
    }

    public void clear() {
        synchronized (emitted) {
            emitted.clear();
        }
    }

    public void publish(List<ResourceEvent> events) {
        for (ResourceEvent e : events) {
            ObjectNode rendered = render(e, schema);
            String single = Json.write(rendered);
            ArrayNode batch = Json.arr().add(rendered);
            String payload = Json.write(batch);
            synchronized (emitted) {
                if (emitted.size() == MAX_KEPT) {
                    emitted.removeFirst();
                }
                emitted.addLast(single);
            }
            for (Consumer<String> l : listeners) {
                try {
                    l.accept(payload);
                } catch (RuntimeException ex) {
                    System.err.println("[arm-emulator] event listener failed: " + ex);
                }
            }
            URI target = webhook;
            if (target != null) {
                EventSchema s = schema;
                delivery.execute(() -> deliver(target, payload, s));
            }
        }
    }

    private void deliver(URI target, String payload, EventSchema s) {
        String contentType = s == EventSchema.CLOUD_EVENTS
                ? "application/cloudevents-batch+json; charset=utf-8"
                : "application/json; charset=utf-8";
        long backoff = 200;
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                HttpRequest req = HttpRequest.newBuilder(target)
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", contentType)
                        .header("aeg-event-type", "Notification")
                        .header("aeg-delivery-count", Integer.toString(attempt - 1))
                        .POST(HttpRequest.BodyPublishers.ofString(payload))
                        .build();
                HttpResponse<Void> resp = http.send(req, HttpResponse.BodyHandlers.discarding());
                if (resp.statusCode() / 100 == 2) {
                    return;
                }
                System.err.println("[arm-emulator] event delivery to " + target + " got HTTP " + resp.statusCode()
                        + " (attempt " + attempt + ")");
            } catch (Exception ex) {
                System.err.println("[arm-emulator] event delivery to " + target + " failed: " + ex
                        + " (attempt " + attempt + ")");
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff *= 2;
        }
    }

    private ObjectNode render(ResourceEvent e, EventSchema s) {
        Set<EventVariant> v = variants;
        String uri = v.contains(EventVariant.LOWER_CASE_RESOURCE_GROUPS)
                ? e.resourceUri().replaceFirst("(?i)/resourceGroups/", "/resourcegroups/") : e.resourceUri();
        String subscriptionId = ResourceIds.subscriptionOf(e.resourceUri());
        String topic = "/subscriptions/" + subscriptionId;
        String provider = e.operationName().substring(0, e.operationName().indexOf('/'));
        String action = e.operationName();
        ObjectNode data = Json.obj();
        ObjectNode authorization = data.putObject("authorization");
        authorization.put("scope", uri);
        authorization.put("action", action);
        // The caller is a service principal with a role assignment, as in the ResourceActionSuccess sample.
        ObjectNode evidence = Json.obj().put("role", "Contributor")
                .put("roleAssignmentScope", topic)
                .put("roleAssignmentId", UUID.nameUUIDFromBytes(("assignment" + topic).getBytes(StandardCharsets.UTF_8)).toString().replace("-", ""))
                .put("roleDefinitionId", "b24988ac618042a0ab8820f7382dd24c")
                .put("principalId", "00000000000040008000" + "00000000e4a1")
                .put("principalType", "ServicePrincipal");
        authorization.set("evidence", v.contains(EventVariant.EVIDENCE_AS_ARRAY) ? Json.arr() : evidence);
        ObjectNode claims = Json.obj();
        long now = clock.instant().getEpochSecond();
        claims.put("aud", "https://management.core.windows.net/");
        claims.put("iss", "https://sts.windows.net/" + tenantId + "/");
        claims.put("iat", Long.toString(now - 60));
        claims.put("nbf", Long.toString(now - 60));
        claims.put("exp", Long.toString(now + 3600));
        claims.put("appid", "a1b2c3d4-0000-4000-8000-00000000e4a1");
        claims.put("appidacr", "2");
        claims.put("http://schemas.microsoft.com/identity/claims/identityprovider", "https://sts.windows.net/" + tenantId + "/");
        claims.put("http://schemas.microsoft.com/identity/claims/objectidentifier", "00000000-0000-4000-8000-00000000e4a1");
        claims.put("http://schemas.microsoft.com/identity/claims/tenantid", tenantId);
        claims.put("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier", "00000000-0000-4000-8000-00000000e4a1");
        claims.put("aio", "emulator");
        claims.put("uti", UUID.randomUUID().toString().replace("-", "").substring(0, 22));
        claims.put("name", "mde-onboarding-emulator");
        claims.put("ver", "1.0");
        if (v.contains(EventVariant.CLAIMS_AS_STRING)) {
            data.put("claims", Json.write(claims));
        } else {
            data.set("claims", claims);
        }
        data.put("correlationId", e.correlationId());
        if (e.httpMethod() != null) {
            ObjectNode http = Json.obj();
            http.put("clientRequestId", e.clientRequestId() == null ? UUID.randomUUID().toString() : e.clientRequestId());
            http.put("clientIpAddress", "127.0.0.1");
            http.put("method", e.httpMethod());
            http.put("url", e.url());
            if (v.contains(EventVariant.HTTP_REQUEST_AS_STRING)) {
                data.put("httpRequest", Json.write(http));
            } else {
                data.set("httpRequest", http);
            }
        }
        data.put("resourceProvider", provider);
        data.put("resourceUri", uri);
        data.put("operationName", e.operationName());
        data.put("status", "Succeeded");
        if (e.eventType().endsWith("Failure")) {
            data.put("status", "Failed");
        }
        data.put("subscriptionId", subscriptionId);
        data.put("tenantId", tenantId);

        ObjectNode ev = Json.obj();
        String id = UUID.randomUUID().toString();
        String time = clock.instant().toString();
        if (s == EventSchema.CLOUD_EVENTS) {
            ev.put("id", id);
            ev.put("source", topic);
            ev.put("specversion", "1.0");
            ev.put("type", e.eventType());
            ev.put("subject", uri);
            ev.put("time", time);
            ev.set("data", data);
        } else {
            ev.put("subject", uri);
            ev.put("eventType", e.eventType());
            ev.put("eventTime", time);
            ev.put("id", id);
            ev.set("data", data);
            ev.put("dataVersion", "2");
            ev.put("metadataVersion", "1");
            ev.put("topic", topic);
        }
        return ev;
    }

    @Override
    public synchronized void close() {
        if (delivery != null) {
            delivery.shutdown();
        }
    }
}
