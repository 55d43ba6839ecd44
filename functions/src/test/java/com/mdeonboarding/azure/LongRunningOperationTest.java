package com.mdeonboarding.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.ExtensionSpec;
import com.mdeonboarding.emulator.PricingSpec;
import com.mdeonboarding.emulator.Tenant;
import com.mdeonboarding.emulator.VirtualMachineSpec;
import com.mdeonboarding.testing.TestWorld;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one poller against the emulator's long-running operations, for the shapes the reconciler's paths do not reach:
 * a Location-only operation that ends with 204 No Content, and Retry-After on every poll.
 */
class LongRunningOperationTest {
    private static final String SUB = "5a5a5a5a-0000-4000-8000-000000000014";

    private static TestWorld world(Integer retryAfterSeconds, Duration delay) {
        return TestWorld.builder(new Tenant("72f988bf-86f1-41af-91ab-2d7cd011db47",
                List.of(TestWorld.subscription(SUB, PricingSpec.standard("P2"), TestWorld.ALL_ON)), Map.of()))
                .lroRetryAfterSeconds(retryAfterSeconds).extensionDelay(delay).prefix("Lro").build();
    }

    /** Starts a delete with a plain HTTP client (the app never deletes), as the reply the poller is handed. */
    private static ArmClient.Reply delete(TestWorld w, String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(w.emulator.clientSslContext()).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(w.emulator.baseUrl() + path + "?api-version=" + ApiVersions.COMPUTE))
                .header("Authorization", "Bearer " + ArmEmulator.DEV_TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        HttpHeaders headers = new HttpHeaders();
        r.headers().map().forEach((name, values) -> headers.set(HttpHeaderName.fromString(name), values.get(0)));
        return new ArmClient.Reply(r.statusCode(), MissingNode.getInstance(), headers);
    }

    private static ArmClient arm(TestWorld w) {
        Settings settings = Settings.from(w.env);
        return new ArmClient(ArmPipelineFactory.build(settings, ArmPipelineFactory.credential(settings), new CallCounter()),
                settings.resourceManagerUrl());
    }

    /**
     * "202 Accepted and Location headers": the Location URL answers 202 while the operation runs, then 200 with the
     * result or 204 No Content (Azure/azure-resource-manager-rpc async-api-reference.md). A delete has no result.
     */
    @Test
    void aLocationOnlyOperationThatEndsWithNoContentIsDone() {
        try (TestWorld w = world(0, Duration.ofMillis(500))) {
            w.emulator.locationOnlyOperations(true);
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB).name("vm-delete")
                    .extension(ExtensionSpec.mde("MDE.Windows", "Succeeded")).build());
            ArmClient arm = arm(w);
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                ArmClient.Reply started = delete(w, vm + "/extensions/MDE.Windows");
                assertEquals(202, started.status());
                assertTrue(started.header("Azure-AsyncOperation").isEmpty());
                JsonNode done = LongRunningOperation.await(arm, started);
                assertTrue(done.isMissingNode() || done.isEmpty(), done.toString());
            }, "the poller must end at the 204, not wait out its deadline");
            assertTrue(w.emulator.state().extension(vm + "/extensions/MDE.Windows").isEmpty(), "the delete completed");
            assertTrue(w.emulator.requestLog().count("LongRunningOperation_Result", 204) == 1);
        }
    }

    /** Each poll waits the Retry-After of the answer before it: one poll per second, not one per default interval. */
    @Test
    void everyPollWaitsTheRetryAfterOfTheAnswerBeforeIt() throws Exception {
        try (TestWorld w = world(2, Duration.ofMillis(3_500))) {
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB).name("vm-retry-after")
                    .extension(ExtensionSpec.mde("MDE.Windows", "Succeeded")).build());
            ArmClient arm = arm(w);
            ArmClient.Reply started = delete(w, vm + "/extensions/MDE.Windows");
            JsonNode done = LongRunningOperation.await(arm, started);
            assertEquals("Succeeded", done.path("status").asText(), done.toString());
            // Retry-After 2 s on the start and on each running poll, 3.5 s of work: polls at 2 s and 4 s.
            assertEquals(2, w.emulator.requestLog().count("LongRunningOperation_Status"));
        }
    }
}
