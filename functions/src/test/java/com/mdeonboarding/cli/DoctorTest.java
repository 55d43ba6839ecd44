package com.mdeonboarding.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.decide.AccessRules;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.testing.Azurite;
import com.mdeonboarding.testing.TestWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** mde-onboarding doctor against the emulator and Azurite: the demo tenant passes; a broken one is named, line by line. */
class DoctorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SAMPLE = Tenant.sample().subscriptions().stream().map(SubscriptionSpec::subscriptionId).toList();

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError(out + err, e);
            }
        }

        /** The check of this name: its status, detail and fix. */
        JsonNode check(String name) {
            for (JsonNode c : json().path("checks")) {
                if (c.path("check").asText().equals(name)) {
                    return c;
                }
            }
            throw new AssertionError("no check '" + name + "' in " + out);
        }
    }

    static Run doctor(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("doctor"));
        all.addAll(List.of(args));
        int exit = Main.run(all.toArray(String[]::new), env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> withDefenderEmulator(TestWorld w) {
        Map<String, String> env = new HashMap<>(w.env);
        env.put(Settings.DEFENDER_API_ENDPOINT, w.emulator.baseUrl());
        return env;
    }

    @Test
    void theDemoTenantPasses() {
        try (TestWorld w = TestWorld.builder(Tenant.sample()).build()) {
            // What the shipped roles grant, exactly (not the emulator's default Owner): they suffice.
            List<String> granted = new ArrayList<>(AccessRules.required(com.mdeonboarding.config.Mode.ONBOARD, false));
            granted.addAll(AccessRules.GUEST_CHECK_ACTIONS);
            w.emulator.state().setRolePermissions(SAMPLE.get(0), granted, List.of());
            Run r = doctor(withDefenderEmulator(w), "--json");
            assertEquals(Main.OK, r.exit(), r.out() + r.err());
            for (String check : List.of("settings", "storage: queues", "storage: tables", "sign-in", "scope")) {
                assertEquals("pass", r.check(check).path("status").asText(), r.check(check).toString());
            }
            for (String sub : SAMPLE) {
                assertEquals("pass", r.check(sub + ": role actions").path("status").asText(), r.check(sub + ": role actions").toString());
                assertEquals("pass", r.check(sub + ": events").path("status").asText(), r.check(sub + ": events").toString());
            }
            assertEquals("pass", r.check(SAMPLE.get(0) + ": posture").path("status").asText());
            // The demo tenant's drift is a warning with its fix, not a failure: the app works and says why machines wait.
            JsonNode free = r.check("7a9e2d4c-1b3f-4c8a-8e6d-2f0b9c5a7e21: posture");
            assertEquals("warn", free.path("status").asText(), free.toString());
            // Issue 24: no blind "enforce fixes it" for a Free plan: the fix names the per-server price and MDE_PLAN_ENABLEMENT,
            // and the preview comes first.
            assertTrue(free.path("fix").asText().contains("billed per server") && free.path("fix").asText().contains("$5 P1")
                    && free.path("fix").asText().contains("MDE_PLAN_ENABLEMENT=P1") && free.path("fix").asText().contains("mde-onboarding plan"),
                    free.toString());
            assertFalse(free.path("fix").asText().contains("sweep --enforce"), free.toString());
            assertTrue(r.check("rollout").path("detail").asText().startsWith("onboard mode; machines: every machine"), r.check("rollout").toString());
            assertEquals(0, r.json().path("summary").path("fail").asInt());
            assertTrue(r.check("defender for endpoint api").path("status").asText().matches("pass|warn"), r.out());

            Run text = doctor(withDefenderEmulator(w));
            assertEquals(Main.OK, text.exit());
            assertTrue(text.out().startsWith("mde-onboarding doctor: "), text.out());
            assertTrue(text.out().contains("\n  PASS  settings "), text.out());
            assertTrue(text.out().contains("\n        fix: Defender for Servers is billed per server"), text.out());
            assertEquals(0, w.emulator.requestLog().countWrites(), "the doctor writes nothing to Azure");
        }
    }

    @Test
    void aBrokenTenantIsNamedLineByLineWithTheFix() {
        try (TestWorld w = TestWorld.builder(Tenant.sample()).build()) {
            String noWrite = SAMPLE.get(0);
            String noTopic = SAMPLE.get(1);
            String noArc = SAMPLE.get(2);
            String noSubscription = SAMPLE.get(3);
            w.emulator.state().setRolePermissions(noWrite, List.of("*/read"), List.of());
            w.emulator.state().removeEventGridSystemTopic(noTopic);
            w.emulator.state().setEventSubscriptionFilter(noArc, List.of("Microsoft.Resources.ResourceWriteSuccess"),
                    List.of("Microsoft.Compute/virtualMachines/write"));
            w.emulator.state().removeEventSubscriptions(noSubscription);
            Run r = doctor(withDefenderEmulator(w), "--json");
            assertEquals(Main.ATTENTION, r.exit(), r.out());
            JsonNode roles = r.check(noWrite + ": role actions");
            assertEquals("fail", roles.path("status").asText());
            assertTrue(roles.path("detail").asText().contains("Microsoft.Compute/virtualMachines/extensions/write")
                    && roles.path("detail").asText().contains("Microsoft.Compute/virtualMachines/runCommand/action"), roles.toString());
            assertTrue(roles.path("fix").asText().contains("MDE Onboarding Reconciler")
                    && roles.path("fix").asText().contains("MDE Onboarding Guest Checks"), roles.toString());
            JsonNode topic = r.check(noTopic + ": events");
            assertEquals("fail", topic.path("status").asText());
            assertTrue(topic.path("detail").asText().startsWith("no Event Grid system topic"), topic.toString());
            assertTrue(topic.path("fix").asText().contains("infra/subscription-events.json"), topic.toString());
            JsonNode arc = r.check(noArc + ": events");
            assertEquals("fail", arc.path("status").asText());
            assertTrue(arc.path("detail").asText().contains("filters out Microsoft.HybridCompute/machines/write"), arc.toString());
            assertTrue(r.check(noSubscription + ": events").path("detail").asText().contains("has no event subscription to OnResourceWrite"));
            assertEquals(4, r.json().path("summary").path("fail").asInt(), r.out());
        }
    }

    @Test
    void brokenSettingsStorageAndScopeFailWithTheirFix() {
        try (TestWorld w = TestWorld.builder(Tenant.sample()).scope(List.of(SAMPLE.get(0), "eeeeeeee-5555-4555-8555-555555555555")).build()) {
            Map<String, String> env = new HashMap<>(withDefenderEmulator(w));
            Run scope = doctor(env, "--json");
            assertEquals(Main.ATTENTION, scope.exit());
            assertTrue(scope.check("scope").path("detail").asText().contains("not visible to this identity: eeeeeeee-5555-4555-8555-555555555555"),
                    scope.check("scope").toString());

            env.put(Settings.MODE, "sometimes");
            Run settings = doctor(env, "--json");
            assertEquals(Main.ATTENTION, settings.exit());
            assertEquals(1, settings.json().path("checks").size(), "nothing else can be checked: " + settings.out());
            assertTrue(settings.check("settings").path("detail").asText().startsWith("MDE_MODE: 'sometimes' is not valid"));

            env.put(Settings.MODE, "onboard");
            int closed = Azurite.freePort();
            env.put(Settings.STORAGE, "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:"
                    + closed + "/devstoreaccount1;TableEndpoint=http://127.0.0.1:" + closed + "/devstoreaccount1;");
            Run storage = doctor(env, "--json");
            assertEquals(Main.ATTENTION, storage.exit());
            JsonNode queues = storage.check("storage: queues");
            assertEquals("fail", queues.path("status").asText());
            assertTrue(queues.path("detail").asText().contains("refused") && queues.path("fix").asText().contains("Azurite"), queues.toString());
            assertEquals("pass", storage.check("sign-in").path("status").asText(), "the other checks still run");

            // Real Resource Manager, no credential on this machine: the sign-in line says why and what to do.
            Map<String, String> azure = new HashMap<>(w.env);
            azure.remove(Settings.ARM_ENDPOINT);
            azure.remove(Settings.ARM_CA_CERT);
            azure.remove(Settings.DEFENDER_API_ENDPOINT); // the Defender emulator is accepted only with the Resource Manager one
            azure.put(Settings.SENSOR_CHECK, "off");
            Run signIn = doctor(azure, "--json");
            assertEquals(Main.ATTENTION, signIn.exit());
            JsonNode line = signIn.check("sign-in");
            assertEquals("fail", line.path("status").asText());
            assertTrue(line.path("detail").asText().startsWith("cannot sign in to Azure Resource Manager"), line.toString());
            assertTrue(line.path("fix").asText().contains("az login") && line.path("fix").asText().contains(Settings.MANAGED_IDENTITY_CLIENT_ID),
                    line.toString());
        }
    }
}
