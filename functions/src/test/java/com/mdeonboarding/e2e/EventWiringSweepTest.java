package com.mdeonboarding.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.config.Mode;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.sweep.SweepReport;
import com.mdeonboarding.sweep.SweepRequest;
import com.mdeonboarding.testing.AdjustableClock;
import com.mdeonboarding.testing.TestWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Issue 25's "done when": a management group of 300 subscriptions, 40 of which already have a subscription system topic
 * (someone else's, with its own identity and event subscriptions), is wired by one enforce sweep; those 40 keep their
 * topic, identity and other event subscriptions; a subscription added under the group is wired by the next sweep; a
 * sweep after that writes nothing. The Resource Manager calls are counted and pinned.
 */
class EventWiringSweepTest {
    private static final Logger LOG = Logger.getLogger(EventWiringSweepTest.class.getName());
    private static final String MG = "mg-contoso";
    private static final int SUBSCRIPTIONS = 300;
    private static final int FOREIGN = 40;
    private static final String HOME = "/subscriptions/00000000-aaaa-4000-8000-000000000001/resourceGroups/rg-mde-onboarding/providers/";
    private static final String APP = HOME + "Microsoft.Web/sites/func-mde-onboarding";
    private static final String STORAGE = HOME + "Microsoft.Storage/storageAccounts/stmdeonboarding";
    private static final String IDENTITY = HOME + "Microsoft.ManagedIdentity/userAssignedIdentities/id-mde-onboarding-eventgrid";

    private static String sub(int i) {
        return String.format(Locale.ROOT, "5%07d-0000-4000-8000-%012d", i, i);
    }

    private static SweepRequest enforce() {
        return new SweepRequest(false, Optional.of(Mode.ENFORCE), List.of(), false);
    }

    @Test
    void oneSweepWiresThreeHundredSubscriptionsLeavesForeignTopicsAloneAndTheNextWritesNothing() {
        List<SubscriptionSpec> subs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            subs.add(new SubscriptionSpec(sub(i), null, null, null, null, null, null, null, null));
            ids.add(sub(i));
        }
        AdjustableClock clock = new AdjustableClock();
        Tenant tenant = new Tenant("72f988bf-0000-4000-8000-000000000001", subs, Map.of(MG, ids));
        try (TestWorld w = TestWorld.builder(tenant).scope(List.of()).clock(clock).settings(Map.of(
                Settings.SCOPE_MANAGEMENT_GROUP, MG, Settings.EVENT_WIRING, "on", Settings.WIRING_FUNCTION_APP_ID, APP,
                Settings.WIRING_LOCATION, "westeurope", Settings.WIRING_DEAD_LETTER_STORAGE_ID, STORAGE,
                Settings.WIRING_IDENTITY_ID, IDENTITY, Settings.SENSOR_CHECK, "off")).build()) {
            TenantState state = w.emulator.state();
            state.removeAllEventWiring();
            for (int i = 0; i < FOREIGN; i++) {
                state.addForeignSubscriptionTopic(sub(i), "rg-platform-events", "platform-subscription-events",
                        "/subscriptions/" + sub(i) + "/resourceGroups/rg-platform/providers/Microsoft.ManagedIdentity/userAssignedIdentities/automation",
                        List.of("to-servicenow", "to-sentinel"));
            }
            List<TenantState.SystemTopicInfo> foreignBefore = new ArrayList<>();
            for (int i = 0; i < FOREIGN; i++) {
                foreignBefore.add(state.systemTopics(sub(i)).get(0));
            }

            w.emulator.requestLog().clear();
            SweepReport first = w.services.sweeps.run(enforce(), job -> { }, LOG);
            assertTrue(first.errors().isEmpty(), first.errors().toString());
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                List<TenantState.SystemTopicInfo> topics = state.systemTopics(sub(i));
                assertEquals(1, topics.size(), sub(i) + ": one subscription topic, never a second");
                TenantState.SystemTopicInfo t = topics.get(0);
                assertTrue(t.eventSubscriptions().contains("mde-onboarding-machine-writes"), sub(i) + ": " + t);
                if (i < FOREIGN) {
                    TenantState.SystemTopicInfo before = foreignBefore.get(i);
                    assertEquals(before.id(), t.id(), "the existing topic is used");
                    assertEquals(before.identity(), t.identity(), "its identity untouched");
                    assertEquals(List.of("mde-onboarding-machine-writes", "to-sentinel", "to-servicenow"), t.eventSubscriptions(),
                            "its other event subscriptions untouched");
                } else {
                    assertTrue(t.id().endsWith("/resourceGroups/rg-mde-onboarding-events/providers/Microsoft.EventGrid/systemTopics/evgt-subscription-events"), t.id());
                    assertTrue(t.identity().contains(IDENTITY), "our topic carries the dead-letter identity: " + t.identity());
                }
            }
            // Calls of the wiring, pinned: 1 Resource Graph query for the topics; a read of our event subscription on each of
            // the 40 existing topics; per new topic a resource group PUT, the topic PUT, one status read, the event subscription PUT.
            var log = w.emulator.requestLog();
            int created = SUBSCRIPTIONS - FOREIGN;
            assertEquals(FOREIGN, log.count("SystemTopicEventSubscriptions_Get"));
            assertEquals(created, log.count("ResourceGroups_CreateOrUpdate"));
            assertEquals(created, log.count("SystemTopics_CreateOrUpdate"));
            // At least one status read per created topic; more when the topic is still provisioning at the first read (the
            // operation's time is real time here, so a loaded machine adds a poll or two): the writes are what is pinned.
            assertTrue(log.count("EventGrid_OperationStatus") >= created, log.countsByOperation().toString());
            assertEquals(SUBSCRIPTIONS, log.count("SystemTopicEventSubscriptions_CreateOrUpdate"));
            assertEquals(0, log.count("SystemTopics_Delete") + log.count("SystemTopicEventSubscriptions_Delete"));

            // The next sweep: nothing to write, one read per topic.
            log.clear();
            long writes = w.services.azure.calls().writes();
            SweepReport second = w.services.sweeps.run(enforce(), job -> { }, LOG);
            assertTrue(second.errors().isEmpty(), second.errors().toString());
            assertEquals(0, log.countWrites(), "a second sweep writes nothing: " + log.countsByOperation());
            assertEquals(writes, w.services.azure.calls().writes());
            assertEquals(SUBSCRIPTIONS, log.count("SystemTopicEventSubscriptions_Get"));

            // A subscription appears under the management group: the next sweep (after the group's cached list expires) wires it.
            String added = sub(SUBSCRIPTIONS);
            state.addSubscription(new SubscriptionSpec(added, null, null, null, null, null, null, null, null), MG);
            clock.advance(Duration.ofMinutes(11));
            log.clear();
            SweepReport third = w.services.sweeps.run(enforce(), job -> { }, LOG);
            assertTrue(third.errors().isEmpty(), third.errors().toString());
            assertEquals(List.of("mde-onboarding-machine-writes"), state.systemTopics(added).get(0).eventSubscriptions());
            assertEquals(1, log.count("SystemTopics_CreateOrUpdate"));
            assertEquals(1, log.count("SystemTopicEventSubscriptions_CreateOrUpdate"));
        }
    }
}
