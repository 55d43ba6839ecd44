package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.emulator.events.EventSchema;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventsTest {
    private static Set<String> keys(JsonNode n) {
        Set<String> s = new HashSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }

    private static JsonNode single(String jsonArray) {
        JsonNode a;
        try {
            a = TestClient.MAPPER.readTree(jsonArray);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertTrue(a.isArray());
        assertEquals(1, a.size());
        return a.get(0);
    }

    @Test
    void writesProduceResourceEventsShapedLikeTheEventGridSample() {
        List<String> received = new CopyOnWriteArrayList<>();
        try (TestEmulator emu = TestEmulator.start(b -> b.extensionProvisioningDelay(Duration.ofMillis(50))
                .onEvent(received::add))) {
            ArmEmulator arm = emu.arm();
            TestClient c = emu.client();
            String vmId = arm.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(Sample.PROD)
                    .resourceGroup("rg-new").name("vm-new").build());
            String arcId = arm.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(Sample.PROD).name("arc-new").build());
            TestClient.Resp put = c.send("PUT", vmId + "/extensions/MDE.Windows" + Sample.COMPUTE_API, ComputeTest.mdeWindows(vmId),
                    Map.of("x-ms-correlation-request-id", "corr-42"), true);
            c.awaitOperation(put);
            c.awaitOperation(c.put(arcId + "/extensions/MDE.Windows" + Sample.HYBRID_API, HybridComputeTest.mde("MDE.Windows", arcId)));
            c.awaitOperation(c.delete(vmId + "/extensions/MDE.Windows" + Sample.COMPUTE_API));

            List<JsonNode> events = new ArrayList<>();
            received.forEach(e -> events.add(single(e)));
            assertEquals(List.of("Microsoft.Compute/virtualMachines/write", "Microsoft.HybridCompute/machines/write",
                    "Microsoft.Compute/virtualMachines/extensions/write", "Microsoft.HybridCompute/machines/extensions/write",
                    "Microsoft.Compute/virtualMachines/extensions/delete"),
                    events.stream().map(e -> e.at("/data/operationName").asText()).toList());
            JsonNode sample = Fixtures.load("EventGrid__Microsoft.Resources.ResourceWriteSuccess__EventGridSchema.json").get(0);
            JsonNode vmWrite = events.get(0);
            assertEquals(keys(sample), keys(vmWrite));
            assertEquals(keys(sample.path("data")), keys(vmWrite.path("data")), "a new resource: no httpRequest");
            assertEquals(keys(sample.at("/data/authorization")), keys(vmWrite.at("/data/authorization")));
            assertEquals("Microsoft.Resources.ResourceWriteSuccess", vmWrite.path("eventType").asText());
            assertEquals(vmId, vmWrite.path("subject").asText());
            assertEquals(vmId, vmWrite.at("/data/resourceUri").asText());
            assertEquals("Microsoft.Compute", vmWrite.at("/data/resourceProvider").asText());
            assertEquals("Succeeded", vmWrite.at("/data/status").asText());
            assertEquals(Sample.PROD, vmWrite.at("/data/subscriptionId").asText());
            assertEquals(arm.state().tenantId(), vmWrite.at("/data/tenantId").asText());
            assertEquals("/subscriptions/" + Sample.PROD, vmWrite.path("topic").asText());
            assertEquals("2", vmWrite.path("dataVersion").asText());
            assertEquals("1", vmWrite.path("metadataVersion").asText());
            JsonNode extWrite = events.get(2);
            assertEquals(vmId + "/extensions/MDE.Windows", extWrite.path("subject").asText());
            assertEquals("corr-42", extWrite.at("/data/correlationId").asText());
            JsonNode delete = events.get(4);
            JsonNode deleteSample = Fixtures.load("EventGrid__Microsoft.Resources.ResourceDeleteSuccess__EventGridSchema.json").get(0);
            assertEquals("Microsoft.Resources.ResourceDeleteSuccess", delete.path("eventType").asText());
            assertEquals(keys(deleteSample.path("data")), keys(delete.path("data")));
            assertEquals(keys(deleteSample.at("/data/httpRequest")), keys(delete.at("/data/httpRequest")));
            assertEquals("DELETE", delete.at("/data/httpRequest/method").asText());
            assertEquals(received.size(), arm.events().size());
        }
    }

    @Test
    void cloudEventsSchemaAndWebhookDelivery() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> types = new CopyOnWriteArrayList<>();
        CountDownLatch delivered = new CountDownLatch(2);
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/events", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            types.add(ex.getRequestHeaders().getFirst("aeg-event-type") + "|" + ex.getRequestHeaders().getFirst("Content-Type"));
            ex.sendResponseHeaders(200, -1);
            ex.close();
            delivered.countDown();
        });
        hook.start();
        try (TestEmulator emu = TestEmulator.start(b -> b.eventSchema(EventSchema.CLOUD_EVENTS)
                .eventWebhook(URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/events")))) {
            ArmEmulator arm = emu.arm();
            arm.state().setSetting(Sample.PROD, "WDATP", false);
            arm.state().deleteMachine(Sample.vm("rg-prod-web", "vm-prod-win2022-new"));
            assertTrue(delivered.await(10, TimeUnit.SECONDS), "webhook received both events");
            JsonNode write = single(bodies.get(0));
            JsonNode sample = Fixtures.load("EventGrid__Microsoft.Resources.ResourceDeleteSuccess__CloudEventsSchema.json").get(0);
            assertEquals(keys(sample), keys(write));
            assertEquals("1.0", write.path("specversion").asText());
            assertEquals("Microsoft.Resources.ResourceWriteSuccess", write.path("type").asText());
            assertEquals("/subscriptions/" + Sample.PROD, write.path("source").asText());
            assertEquals("Microsoft.Security/settings/write", write.at("/data/operationName").asText());
            assertEquals("Microsoft.Resources.ResourceDeleteSuccess", single(bodies.get(1)).path("type").asText());
            assertTrue(types.get(0).startsWith("Notification|application/cloudevents-batch+json"), types.get(0));
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void stateChangesThatAreNotArmWritesAreSilent() {
        List<String> received = new CopyOnWriteArrayList<>();
        try (TestEmulator emu = TestEmulator.start(b -> b.onEvent(received::add))) {
            ArmEmulator arm = emu.arm();
            arm.state().setVmAgentReady(Sample.vm("rg-prod-web", "vm-prod-win2022-new"), false);
            arm.state().setArcStatus(Sample.arc("arc-ubuntu2204-connected"), "Disconnected");
            assertEquals(0, received.size());
            arm.state().setPowerState(Sample.vm("rg-prod-web", "vm-prod-win2022-new"), "deallocated");
            assertEquals("Microsoft.Compute/virtualMachines/deallocate/action", single(received.get(0)).at("/data/operationName").asText());
            assertEquals("Microsoft.Resources.ResourceActionSuccess", single(received.get(0)).path("eventType").asText());
        }
    }
}
