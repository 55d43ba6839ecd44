package com.mdeonboarding.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.testing.TestWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code wire} and {@code doctor}'s event wiring line: audit reports what it would do and writes nothing; {@code --enforce}
 * (and {@code doctor --fix}) writes; an excluded subscription is unwired without its topic being deleted (not ours); a
 * failure gets its own line with the fix.
 */
class WireCommandTest {
    private static final String NEW = "a1000000-0000-4000-8000-000000000001";
    private static final String FOREIGN = "a2000000-0000-4000-8000-000000000002";
    private static final String EXCLUDED = "a3000000-0000-4000-8000-000000000003";
    private static final String APP = "/subscriptions/" + NEW + "/resourceGroups/rg-mde/providers/Microsoft.Web/sites/func-mde";

    /** A command's exit, stdout and stderr (DoctorTest's, whose json() and check() read its --json answer). */
    static DoctorTest.Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, env, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new DoctorTest.Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void auditReportsEnforceWritesAndAnExcludedSubscriptionIsUnwired() {
        Tenant tenant = new Tenant("72f988bf-0000-4000-8000-000000000009", List.of(
                new SubscriptionSpec(NEW, null, null, null, null, null, null, null, null),
                new SubscriptionSpec(FOREIGN, null, null, null, null, null, null, null, null),
                new SubscriptionSpec(EXCLUDED, null, null, null, null, null, null, null, null)), Map.of());
        try (TestWorld w = TestWorld.builder(tenant).settings(Map.of(Settings.SCOPE_EXCLUDE_SUBSCRIPTIONS, EXCLUDED,
                Settings.WIRING_FUNCTION_APP_ID, APP, Settings.WIRING_LOCATION, "westeurope", Settings.SENSOR_CHECK, "off")).build()) {
            TenantState state = w.emulator.state();
            state.removeEventGridSystemTopic(NEW);
            state.removeEventGridSystemTopic(FOREIGN);
            state.addForeignSubscriptionTopic(FOREIGN, "rg-platform", "platform-events",
                    "/subscriptions/" + FOREIGN + "/resourceGroups/rg-platform/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ops",
                    List.of("to-itsm"));
            // EXCLUDED keeps the wiring infra/subscription-events.json deployed (our event subscription on a topic not tagged ours).
            Map<String, String> env = new HashMap<>(w.env);

            w.emulator.requestLog().clear();
            DoctorTest.Run audit = run(env, "wire", "--json");
            assertEquals(Main.OK, audit.exit(), audit.out() + audit.err());
            JsonNode counts = audit.json().path("counts");
            assertEquals(1, counts.path("create_topic").asInt(), audit.out());
            assertEquals(1, counts.path("add_subscription").asInt(), audit.out());
            assertEquals(1, counts.path("unwire").asInt(), audit.out());
            assertTrue(audit.json().path("summary").asText().contains("2 would wire"), audit.out());
            assertEquals(0, w.emulator.requestLog().countWrites(), "audit writes nothing: " + w.emulator.requestLog().countsByOperation());

            DoctorTest.Run doctor = run(env, "doctor", "--json");
            assertEquals("warn", doctor.check("event wiring").path("status").asText(), doctor.out());
            assertTrue(doctor.check("event wiring").path("fix").asText().contains("doctor --fix"), doctor.out());

            DoctorTest.Run wired = run(env, "wire", "--enforce");
            assertEquals(Main.OK, wired.exit(), wired.out() + wired.err());
            assertTrue(wired.out().startsWith("event wiring: 2 subscription(s) in scope: 0 wired, 2 wired now"), wired.out());
            assertEquals(List.of("mde-onboarding-machine-writes"), state.systemTopics(NEW).get(0).eventSubscriptions());
            assertEquals(List.of("mde-onboarding-machine-writes", "to-itsm"), state.systemTopics(FOREIGN).get(0).eventSubscriptions());
            assertEquals(1, state.systemTopics(EXCLUDED).size(), "a topic we did not create stays");
            assertEquals(List.of(), state.systemTopics(EXCLUDED).get(0).eventSubscriptions(), "only our event subscription is deleted");

            DoctorTest.Run fine = run(env, "doctor", "--json");
            assertEquals("pass", fine.check("event wiring").path("status").asText(), fine.out());
            assertTrue(fine.check("event wiring").path("detail").asText().startsWith("event wiring: 2 subscription(s) in scope: 2 wired"));

            // A subscription that cannot be wired: one line of its own with the fix; the others stay in the summary.
            state.removeEventSubscriptions(FOREIGN);
            w.emulator.faults().add(FaultRule.forOperation("SystemTopicEventSubscriptions_CreateOrUpdate").status(403)
                    .errorCode("AuthorizationFailed").message("The client does not have authorization to perform action"
                            + " 'Microsoft.EventGrid/systemTopics/eventSubscriptions/write'"));
            DoctorTest.Run denied = run(env, "doctor", "--fix", "--json");
            assertEquals(Main.ATTENTION, denied.exit(), denied.out());
            assertEquals("fail", denied.check("event wiring").path("status").asText());
            JsonNode line = denied.check("event wiring " + FOREIGN);
            assertTrue(line.path("detail").asText().contains("AuthorizationFailed") || line.path("detail").asText().contains("authorization"),
                    line.toString());
            assertTrue(line.path("fix").asText().contains("roles-wiring-management-group.json"), line.toString());

            // Event Grid not registered in a subscription (one created after deploy.sh registered it below the group).
            w.emulator.faults().clear();
            state.removeEventGridSystemTopic(NEW);
            w.emulator.faults().add(FaultRule.forOperation("SystemTopics_CreateOrUpdate").status(409).errorCode("MissingSubscriptionRegistration")
                    .message("The subscription is not registered to use namespace 'Microsoft.EventGrid'."));
            DoctorTest.Run unregistered = run(env, "wire", "--enforce", "--json");
            assertEquals(Main.ATTENTION, unregistered.exit(), unregistered.out());
            JsonNode failed = unregistered.json().path("subscriptions").get(0);
            assertEquals(NEW, failed.path("subscriptionId").asText());
            assertTrue(failed.path("outcome").asText().contains("az provider register --namespace Microsoft.EventGrid"), failed.toString());
        }
    }
}
