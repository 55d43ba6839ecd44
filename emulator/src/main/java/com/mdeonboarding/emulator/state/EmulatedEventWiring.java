package com.mdeonboarding.emulator.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each subscription's Event Grid system topic (Microsoft.Resources.Subscriptions) and its event subscriptions: what
 * infra/subscription-events.json deploys, and what the emulator's own event delivery stands for. Every subscription of
 * the tenant starts with that wiring; a test takes it apart to see a broken one.
 */
public final class EmulatedEventWiring {
    static final String RESOURCE_GROUP = "rg-mde-onboarding-events";
    static final String TOPIC = "evgt-subscription-events";
    static final String EVENT_SUBSCRIPTION = "mde-onboarding-machine-writes";
    static final List<String> MACHINE_WRITES = List.of("Microsoft.Compute/virtualMachines/write", "Microsoft.HybridCompute/machines/write");

    /** An event subscription, as much of it as the system topic's list shows. */
    public record Subscription(String name, String endpointType, String destinationResourceId, List<String> includedEventTypes,
            List<String> operationNames) {
    }

    /** A system topic and its event subscriptions. */
    public record Topic(String resourceGroup, String name, String topicType, String source, List<Subscription> subscriptions) {
        public String id(String subscriptionId) {
            return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup + "/providers/Microsoft.EventGrid/systemTopics/" + name;
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
    void wire(String subscriptionId) {
        Subscription ours = new Subscription(EVENT_SUBSCRIPTION, "AzureFunction", functionAppId + "/functions/OnResourceWrite",
                List.of("Microsoft.Resources.ResourceWriteSuccess"), MACHINE_WRITES);
        bySubscription.put(key(subscriptionId), List.of(new Topic(RESOURCE_GROUP, TOPIC, "Microsoft.Resources.Subscriptions",
                "/subscriptions/" + subscriptionId, List.of(ours))));
    }

    public List<Topic> topics(String subscriptionId) {
        return bySubscription.getOrDefault(key(subscriptionId), List.of());
    }

    void removeTopics(String subscriptionId) {
        bySubscription.put(key(subscriptionId), List.of());
    }

    /** Replaces the event subscriptions of every topic of the subscription. */
    void setSubscriptions(String subscriptionId, List<Subscription> subscriptions) {
        List<Topic> out = new ArrayList<>();
        for (Topic t : topics(subscriptionId)) {
            out.add(new Topic(t.resourceGroup(), t.name(), t.topicType(), t.source(), List.copyOf(subscriptions)));
        }
        bySubscription.put(key(subscriptionId), List.copyOf(out));
    }

    private static String key(String subscriptionId) {
        return subscriptionId.toLowerCase(Locale.ROOT);
    }
}
