package com.mdeonboarding.decide;

import com.mdeonboarding.model.EventSubscriptionSpec;
import com.mdeonboarding.model.EventWiringTag;
import com.mdeonboarding.model.TopicRow;
import com.mdeonboarding.model.TopicSubscription;
import com.mdeonboarding.model.WiredSubscription;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the event wiring of one subscription needs, from what Resource Graph and Event Grid say (no I/O). The desired
 * state: every subscription in scope has our event subscription, with our destination and filters, on its
 * {@code Microsoft.Resources.Subscriptions} system topic; an existing topic (Azure allows one per subscription) is used
 * as it is, never changed; a subscription out of scope has none of ours.
 */
public final class EventWiringRules {
    private EventWiringRules() {
    }

    /** What to do. */
    public enum Step {
        /** Our event subscription is there as desired: nothing to write. */
        WIRED,
        /** No system topic: create ours (tagged), then the event subscription. */
        CREATE_TOPIC,
        /** Someone's topic without our event subscription: add ours to it (its identity and other subscriptions untouched). */
        ADD_SUBSCRIPTION,
        /** Our event subscription differs from the desired one: write it again. */
        UPDATE_SUBSCRIPTION,
        /** Being provisioned: look again at the next sweep. */
        PENDING,
        /** Out of scope and still wired: delete our event subscription (and our own topic when nothing else uses it). */
        UNWIRE,
        /** Out of scope and not wired: nothing. */
        NOT_IN_SCOPE,
        /** The topic cannot be used (e.g. Failed): a person must look. */
        CANNOT
    }

    /**
     * The decision for one subscription.
     *
     * @param step        what to do
     * @param reason      why, in words (for the report and doctor)
     * @param deadLetter  whether the event subscription dead-letters (false on a topic that does not carry our identity)
     */
    public record Decision(Step step, String reason, boolean deadLetter) {
        public boolean writes() {
            return step == Step.CREATE_TOPIC || step == Step.ADD_SUBSCRIPTION || step == Step.UPDATE_SUBSCRIPTION || step == Step.UNWIRE;
        }
    }

    /** Whether the topic was created by the app (only those are deleted when unwiring). */
    public static boolean ours(TopicRow topic) {
        return EventWiringTag.VALUE.equals(topic.tags().get(EventWiringTag.NAME));
    }

    /** The spec to write on this topic: dead-lettering only when the topic carries our identity (never added to a topic). */
    public static EventSubscriptionSpec specFor(Optional<TopicRow> topic, EventSubscriptionSpec desired) {
        if (topic.isEmpty() || desired.deadLetterIdentity().isEmpty()) {
            return desired;
        }
        return topic.get().userAssignedIdentities().contains(desired.deadLetterIdentity().get().toLowerCase(Locale.ROOT))
                ? desired : desired.withoutDeadLetter();
    }

    public static Decision decide(boolean inScope, Optional<TopicRow> topic, Optional<WiredSubscription> current, EventSubscriptionSpec desired) {
        if (!inScope) {
            return current.isPresent() ? new Decision(Step.UNWIRE, "out of scope, our event subscription is still there", false)
                    : new Decision(Step.NOT_IN_SCOPE, "out of scope, not wired", false);
        }
        if (topic.isEmpty()) {
            return new Decision(Step.CREATE_TOPIC, "no system topic for the subscription's events: create one", desired.deadLetterStorageId().isPresent());
        }
        EventSubscriptionSpec spec = specFor(topic, desired);
        boolean deadLetter = spec.deadLetterStorageId().isPresent();
        String state = topic.get().provisioningState();
        if (state.equalsIgnoreCase("Failed") || state.equalsIgnoreCase("Canceled")) {
            return new Decision(Step.CANNOT, "the existing system topic " + topic.get().id() + " is " + state + ": its owner must repair or"
                    + " delete it (only one topic is allowed per subscription)", deadLetter);
        }
        if (!state.equalsIgnoreCase("Succeeded")) {
            return new Decision(Step.PENDING, "the system topic is " + state, deadLetter);
        }
        String on = ours(topic.get()) ? "our system topic" : "the existing system topic " + topic.get().id();
        if (current.isEmpty()) {
            return new Decision(Step.ADD_SUBSCRIPTION, "no event subscription of ours on " + on + (deadLetter ? ""
                    : " (without dead-lettering: the topic does not carry our identity, which is never added to it)"), deadLetter);
        }
        TopicSubscription s = current.get().subscription();
        String ps = s.provisioningState();
        if (ps.equalsIgnoreCase("Creating") || ps.equalsIgnoreCase("Updating") || ps.equalsIgnoreCase("Deleting")) {
            return new Decision(Step.PENDING, "our event subscription is " + ps, deadLetter);
        }
        List<String> differs = differences(current.get(), spec);
        if (!differs.isEmpty() || !ps.equalsIgnoreCase("Succeeded")) {
            return new Decision(Step.UPDATE_SUBSCRIPTION, "our event subscription on " + on + " differs: " + (differs.isEmpty()
                    ? "it is " + ps : String.join(", ", differs)), deadLetter);
        }
        return new Decision(Step.WIRED, "wired on " + on + (deadLetter ? "" : " (no dead-lettering: the topic does not carry our identity)"),
                deadLetter);
    }

    static List<String> differences(WiredSubscription current, EventSubscriptionSpec spec) {
        TopicSubscription s = current.subscription();
        List<String> out = new java.util.ArrayList<>();
        if (!"AzureFunction".equalsIgnoreCase(s.endpointType()) || !spec.functionResourceId().equalsIgnoreCase(s.destination())) {
            out.add("destination " + s.endpointType() + " " + s.destination());
        }
        if (!sameSet(s.includedEventTypes(), spec.includedEventTypes())) {
            out.add("event types " + s.includedEventTypes());
        }
        if (!sameSet(s.operationNames(), spec.operationNames())) {
            out.add("operations " + s.operationNames());
        }
        if (!current.deadLetter().equalsIgnoreCase(spec.deadLetter())) {
            out.add("dead-letter " + (current.deadLetter().isEmpty() ? "none" : current.deadLetter()));
        }
        if (current.maxDeliveryAttempts() != spec.maxDeliveryAttempts()) {
            out.add("delivery attempts " + current.maxDeliveryAttempts());
        }
        return out;
    }

    private static boolean sameSet(List<String> a, List<String> b) {
        Set<String> x = new HashSet<>();
        a.forEach(v -> x.add(v.toLowerCase(Locale.ROOT)));
        Set<String> y = new HashSet<>();
        b.forEach(v -> y.add(v.toLowerCase(Locale.ROOT)));
        return x.equals(y);
    }
}
