package com.mdeonboarding.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each subscription's Event Grid system topics and their event subscriptions: what infra/subscription-events.json
 * deploys, what the app's wiring step writes (EventGridWritesProvider) and what a test sets up (a foreign topic with
 * other event subscriptions). Every subscription of the tenant starts with our wiring unless the test removes it.
 * Updates replace a subscription's whole list under this object's monitor, so a reader sees one version or the next.
 */
public final class EmulatedEventWiring {
    static final String RESOURCE_GROUP = "rg-mde-onboarding-events";
    static final String TOPIC = "evgt-subscription-events";
    static final String EVENT_SUBSCRIPTION = "mde-onboarding-machine-writes";
    static final String SUBSCRIPTIONS_TOPIC_TYPE = "Microsoft.Resources.Subscriptions";
    static final List<String> MACHINE_WRITES = List.of("Microsoft.Compute/virtualMachines/write", "Microsoft.HybridCompute/machines/write");

    /**
     * An event subscription. {@code properties} is what its PUT stored (null for the seeded ones, rendered from the
     * other fields); {@code provisioningState} is {@code Creating} or {@code Updating} until its operation completes.
     */
    public record Subscription(String name, String endpointType, String destinationResourceId, List<String> includedEventTypes,
            List<String> operationNames, JsonNode properties, String provisioningState) {
        public Subscription(String name, String endpointType, String destinationResourceId, List<String> includedEventTypes,
                List<String> operationNames) {
            this(name, endpointType, destinationResourceId, includedEventTypes, operationNames, null, "Succeeded");
        }

        public Subscription withState(String state) {
            return new Subscription(name, endpointType, destinationResourceId, includedEventTypes, operationNames, properties, state);
        }
    }

    /** A system topic and its event subscriptions; {@code identity} and {@code tags} as its PUT gave them (may be null). */
    public record Topic(String resourceGroup, String name, String topicType, String source, List<Subscription> subscriptions,
            String location, JsonNode identity, JsonNode tags, String provisioningState) {
        public Topic(String resourceGroup, String name, String topicType, String source, List<Subscription> subscriptions) {
            this(resourceGroup, name, topicType, source, subscriptions, "global", null, null, "Succeeded");
        }

        public String id(String subscriptionId) {
            return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/Microsoft.EventGrid/systemTopics/" + name;
        }

        public boolean is(String rg, String topicName) {
            return resourceGroup.equalsIgnoreCase(rg) && name.equalsIgnoreCase(topicName);
        }

        public Topic withSubscriptions(List<Subscription> subs) {
            return new Topic(resourceGroup, name, topicType, source, List.copyOf(subs), location, identity, tags, provisioningState);
        }

        public Topic withState(String state) {
            return new Topic(resourceGroup, name, topicType, source, subscriptions, location, identity, tags, state);
        }

        public Optional<Subscription> subscription(String esName) {
            return subscriptions.stream().filter(s -> s.name().equalsIgnoreCase(esName)).findFirst();
        }
    }

    private final Map<String, List<Topic>> bySubscription = new ConcurrentHashMap<>();
    private final String functionAppId;

    EmulatedEventWiring(List<String> subscriptionIds) {
        String home = subscriptionIds.isEmpty() ? "00000000-0000-0000-0000-000000000000" : subscriptionIds.get(0);
        this.functionAppId = "/subscriptions/" + home + "/resourceGroups/rg-mde-onboarding/providers/Microsoft.Web/sites/mde-onboarding";
        subscriptionIds.forEach(this::wire);
    }

    /** The wiring infra/subscription-events.json deploys. */
    public void wire(String subscriptionId) {
        Subscription ours = new Subscription(EVENT_SUBSCRIPTION, "AzureFunction", functionAppId + "/functions/OnResourceWrite",
                List.of("Microsoft.Resources.ResourceWriteSuccess"), MACHINE_WRITES);
        bySubscription.put(key(subscriptionId), List.of(new Topic(RESOURCE_GROUP, TOPIC, SUBSCRIPTIONS_TOPIC_TYPE,
                "/subscriptions/" + subscriptionId, List.of(ours))));
    }

    public List<Topic> topics(String subscriptionId) {
        return bySubscription.getOrDefault(key(subscriptionId), List.of());
    }

    public Optional<Topic> topic(String subscriptionId, String resourceGroup, String name) {
        return topics(subscriptionId).stream().filter(t -> t.is(resourceGroup, name)).findFirst();
    }

    public void removeTopics(String subscriptionId) {
        bySubscription.put(key(subscriptionId), List.of());
    }

    /** Replaces the event subscriptions of every topic of the subscription. */
    public synchronized void setSubscriptions(String subscriptionId, List<Subscription> subscriptions) {
        List<Topic> out = new ArrayList<>();
        for (Topic t : topics(subscriptionId)) {
            out.add(t.withSubscriptions(subscriptions));
        }
        bySubscription.put(key(subscriptionId), List.copyOf(out));
    }

    /** Adds or replaces the topic of that resource group and name. */
    public synchronized void putTopic(String subscriptionId, Topic topic) {
        List<Topic> out = new ArrayList<>();
        for (Topic t : topics(subscriptionId)) {
            if (!t.is(topic.resourceGroup(), topic.name())) {
                out.add(t);
            }
        }
        out.add(topic);
        bySubscription.put(key(subscriptionId), List.copyOf(out));
    }

    public synchronized boolean deleteTopic(String subscriptionId, String resourceGroup, String name) {
        List<Topic> before = topics(subscriptionId);
        List<Topic> out = before.stream().filter(t -> !t.is(resourceGroup, name)).toList();
        bySubscription.put(key(subscriptionId), out);
        return out.size() != before.size();
    }

    /** Adds or replaces one event subscription of a topic that exists. */
    public synchronized void putSubscription(String subscriptionId, String resourceGroup, String topicName, Subscription es) {
        topic(subscriptionId, resourceGroup, topicName).ifPresent(t -> {
            List<Subscription> subs = new ArrayList<>(t.subscriptions().stream().filter(s -> !s.name().equalsIgnoreCase(es.name())).toList());
            subs.add(es);
            putTopic(subscriptionId, t.withSubscriptions(subs));
        });
    }

    public synchronized boolean deleteSubscription(String subscriptionId, String resourceGroup, String topicName, String esName) {
        Optional<Topic> t = topic(subscriptionId, resourceGroup, topicName);
        if (t.isEmpty() || t.get().subscription(esName).isEmpty()) {
            return false;
        }
        putTopic(subscriptionId, t.get().withSubscriptions(t.get().subscriptions().stream()
                .filter(s -> !s.name().equalsIgnoreCase(esName)).toList()));
        return true;
    }

    private static String key(String subscriptionId) {
        return subscriptionId.toLowerCase(Locale.ROOT);
    }
}
