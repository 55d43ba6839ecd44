package com.mdeonboarding.sweep;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.azure.AzureClients;
import com.mdeonboarding.config.EventWiringSettings;
import com.mdeonboarding.decide.AccessRules;
import com.mdeonboarding.decide.EventWiringRules;
import com.mdeonboarding.decide.EventWiringRules.Decision;
import com.mdeonboarding.decide.EventWiringRules.Step;
import com.mdeonboarding.model.EventSubscriptionSpec;
import com.mdeonboarding.model.SystemTopic;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.model.TopicRow;
import com.mdeonboarding.model.WiredSubscription;
import com.mdeonboarding.support.Parallel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The wiring step of the sweep (and of {@code doctor --fix} and {@code wire}): event wiring is desired state, reconciled
 * like machines. One Resource Graph query finds every subscription system topic the identity sees; then, per
 * subscription (16 at a time), one read of our event subscription where there is a topic, the decision
 * ({@link EventWiringRules}) and, when writing, the fewest writes that reach it:
 * <ul>
 * <li>no topic: our resource group and topic (tagged, with the dead-letter identity), waited for, then our event subscription;</li>
 * <li>someone's topic: our event subscription added; the topic, its identity and its other event subscriptions untouched;</li>
 * <li>ours differs: written again; as desired: nothing (a second sweep writes nothing);</li>
 * <li>out of scope but still wired (a subscription excluded, or moved away while still visible): our event subscription
 * deleted, and the topic too when we created it and nothing else uses it.</li>
 * </ul>
 * A subscription that left the management group and lost our role cannot be seen, so it cannot be unwired: its events
 * still reach OnResourceWrite, which drops them as out of scope (README, "Tear down"). Calls: 1 Resource Graph request
 * per 1,000 topics + 1 read per topic; writes only where something changes.
 */
public final class EventWiring {
    static final int CONCURRENCY = 16;
    /** How long a created topic is waited for before its event subscription is left to the next sweep. */
    static final Duration TOPIC_PATIENCE = Duration.ofSeconds(90);

    /** What happened to one subscription. {@code outcome}: done, would (audit), skipped, or failed: why. */
    public record Line(String subscriptionId, Step step, String reason, String outcome) {
        public boolean failed() {
            return outcome.startsWith("failed") || step == Step.CANNOT;
        }
    }

    /** The step's result: a count per step, a line per subscription (sorted), and the Resource Manager calls it made. */
    public record Report(boolean write, int inScope, Map<Step, Integer> counts, List<Line> lines, long reads, long writes, int graphRequests) {
        public List<Line> failures() {
            return lines.stream().filter(Line::failed).toList();
        }

        public int count(Step s) {
            return counts.getOrDefault(s, 0);
        }

        /** One line for hundreds of subscriptions. */
        public String summary() {
            int wired = count(Step.WIRED);
            int toWire = count(Step.CREATE_TOPIC) + count(Step.ADD_SUBSCRIPTION) + count(Step.UPDATE_SUBSCRIPTION);
            long failed = lines.stream().filter(l -> l.outcome().startsWith("failed")).count();
            return "event wiring: " + inScope + " subscription(s) in scope: " + wired + " wired, " + toWire + (write ? " wired now" : " would wire")
                    + " (" + count(Step.CREATE_TOPIC) + " new topic, " + count(Step.ADD_SUBSCRIPTION) + " on an existing topic, "
                    + count(Step.UPDATE_SUBSCRIPTION) + " updated), " + count(Step.PENDING) + " pending, " + count(Step.CANNOT) + " cannot"
                    + (failed > 0 ? ", " + failed + " failed" : "") + "; " + count(Step.UNWIRE) + (write ? " unwired" : " would unwire")
                    + " out of scope; " + (reads + writes) + " calls (" + writes + " writes)";
        }
    }

    private final AzureClients azure;
    private final EventWiringSettings settings;

    public EventWiring(AzureClients azure, EventWiringSettings settings) {
        this.azure = azure;
        this.settings = settings;
    }

    public EventSubscriptionSpec desired() {
        return new EventSubscriptionSpec(settings.functionResourceId(), EventWiringSettings.EVENT_TYPES, EventWiringSettings.OPERATIONS,
                settings.deadLetterStorageId(), settings.deadLetterContainer(), settings.identityId(), 30, 1440);
    }

    /**
     * Reconciles the wiring of {@code inScope} (lower-case subscription IDs) and unwires the visible subscriptions that
     * {@code outOfScope} says are outside the scope.
     * {@code write} false: decide and report only (audit mode, dry runs, plain {@code doctor}).
     */
    public Report run(List<String> inScope, java.util.function.Predicate<String> outOfScope, boolean write, Logger log, String tag) {
        long reads0 = azure.calls().reads();
        long writes0 = azure.calls().writes();
        Map<String, TopicRow> topics = new HashMap<>();
        int graph = azure.resourceGraph().streamSubscriptionTopics(t -> topics.merge(t.subscriptionId(), t,
                (a, b) -> a.id().compareToIgnoreCase(b.id()) <= 0 ? a : b));
        Set<String> scope = new LinkedHashSet<>();
        inScope.forEach(s -> scope.add(s.toLowerCase(Locale.ROOT)));
        List<String> all = new ArrayList<>(scope);
        // Visible subscriptions the scope excludes (not merely unlisted): unwired if they still carry ours.
        topics.keySet().stream().filter(s -> !scope.contains(s) && outOfScope.test(s)).sorted().forEach(all::add);
        EventSubscriptionSpec desired = desired();
        Map<String, Line> lines = Collections.synchronizedMap(new TreeMap<>());
        Parallel.forEach(all, CONCURRENCY, sub -> {
            Line line;
            try {
                line = one(sub, scope.contains(sub), Optional.ofNullable(topics.get(sub)), desired, write);
            } catch (ArmException e) {
                line = new Line(sub, Step.CANNOT, "", "failed: " + Text.printable(e.getMessage(), 300) + advice(e));
            } catch (RuntimeException e) {
                line = new Line(sub, Step.CANNOT, "", "failed: " + Text.printable(String.valueOf(e.getMessage()), 300));
            }
            lines.put(sub, line);
            if (line.step() != Step.WIRED && line.step() != Step.NOT_IN_SCOPE) {
                log.info(tag + "[subscriptionId=" + sub + "] event wiring " + line.step().name().toLowerCase(Locale.ROOT) + ": "
                        + line.reason() + " -> " + line.outcome());
            }
        });
        Map<Step, Integer> counts = new EnumMap<>(Step.class);
        List<Line> out = new ArrayList<>(lines.values());
        out.removeIf(l -> l.step() == Step.NOT_IN_SCOPE);
        out.forEach(l -> counts.merge(l.step(), 1, Integer::sum));
        Report report = new Report(write, scope.size(), counts, List.copyOf(out), azure.calls().reads() - reads0,
                azure.calls().writes() - writes0, graph);
        log.info(tag + report.summary());
        return report;
    }

    private Line one(String sub, boolean inScope, Optional<TopicRow> topic, EventSubscriptionSpec desired, boolean write) {
        Optional<WiredSubscription> current = topic.isEmpty() ? Optional.empty()
                : azure.eventGrid().eventSubscription(topic.get().id(), EventWiringSettings.EVENT_SUBSCRIPTION_NAME);
        Decision d = EventWiringRules.decide(inScope, topic, current, desired);
        if (!d.writes()) {
            return new Line(sub, d.step(), d.reason(), "nothing to do");
        }
        if (!write) {
            return new Line(sub, d.step(), d.reason(), "would " + verb(d.step()));
        }
        switch (d.step()) {
            case CREATE_TOPIC -> {
                return create(sub, desired, d);
            }
            case ADD_SUBSCRIPTION, UPDATE_SUBSCRIPTION -> azure.eventGrid().putEventSubscription(topic.orElseThrow().id(),
                    EventWiringSettings.EVENT_SUBSCRIPTION_NAME, EventWiringRules.specFor(topic, desired));
            case UNWIRE -> unwire(topic.orElseThrow());
            default -> throw new IllegalStateException("not a write: " + d.step());
        }
        return new Line(sub, d.step(), d.reason(), "done");
    }

    private Line create(String sub, EventSubscriptionSpec desired, Decision d) {
        String topicId;
        try {
            azure.eventGrid().ensureResourceGroup(sub, EventWiringSettings.RESOURCE_GROUP, settings.location().orElseThrow());
            topicId = azure.eventGrid().createSubscriptionTopic(sub, EventWiringSettings.RESOURCE_GROUP, EventWiringSettings.TOPIC_NAME,
                    settings.identityId(), TOPIC_PATIENCE);
        } catch (ArmException e) {
            if (!e.getMessage().contains("Only one system topic is allowed per source")) {
                throw e;
            }
            // A topic appeared since the query (Resource Graph lags writes): use it as it is.
            Optional<SystemTopic> existing = AccessRules.subscriptionTopic(sub, azure.eventGrid().systemTopics(sub));
            if (existing.isEmpty()) {
                throw e;
            }
            TopicRow row = new TopicRow(sub, existing.get().id(), existing.get().provisioningState(), Set.of(), Map.of());
            Optional<WiredSubscription> current = azure.eventGrid().eventSubscription(row.id(), EventWiringSettings.EVENT_SUBSCRIPTION_NAME);
            Decision again = EventWiringRules.decide(true, Optional.of(row), current, desired);
            if (again.step() == Step.ADD_SUBSCRIPTION || again.step() == Step.UPDATE_SUBSCRIPTION) {
                azure.eventGrid().putEventSubscription(row.id(), EventWiringSettings.EVENT_SUBSCRIPTION_NAME,
                        EventWiringRules.specFor(Optional.of(row), desired));
                return new Line(sub, again.step(), again.reason() + " (the topic appeared since Resource Graph was read)", "done");
            }
            return new Line(sub, again.step(), again.reason() + " (the topic appeared since Resource Graph was read)", "nothing to do");
        }
        azure.eventGrid().putEventSubscription(topicId, EventWiringSettings.EVENT_SUBSCRIPTION_NAME, desired);
        return new Line(sub, d.step(), d.reason(), "done");
    }

    private void unwire(TopicRow topic) {
        azure.eventGrid().deleteEventSubscription(topic.id(), EventWiringSettings.EVENT_SUBSCRIPTION_NAME);
        if (EventWiringRules.ours(topic) && azure.eventGrid().eventSubscriptions(topic.id()).isEmpty()) {
            azure.eventGrid().deleteTopic(topic.id());
        }
    }

    private static String verb(Step s) {
        return switch (s) {
            case CREATE_TOPIC -> "create the system topic and our event subscription";
            case ADD_SUBSCRIPTION -> "add our event subscription to the existing topic";
            case UPDATE_SUBSCRIPTION -> "rewrite our event subscription";
            case UNWIRE -> "delete our event subscription";
            default -> "do nothing";
        };
    }

    private static String advice(ArmException e) {
        if ("MissingSubscriptionRegistration".equalsIgnoreCase(e.code())) {
            return " (register Event Grid in that subscription: az provider register --namespace Microsoft.EventGrid --subscription <id>)";
        }
        if (e.status() == 403) {
            return " (assign the 'MDE Onboarding Event Wiring' role: infra/roles-wiring-management-group.json)";
        }
        return "";
    }
}
