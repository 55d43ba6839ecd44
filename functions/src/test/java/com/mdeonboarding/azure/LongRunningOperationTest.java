package com.mdeonboarding.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.tenant.ExtensionSpec;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.testing.TestWorld;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The one reader of long-running operations against the emulator's, for the shapes the reconciler's paths do not reach:
 * a Location-only operation that ends with 204 No Content, and the Retry-After of every read.
 */
class LongRunningOperationTest {
    private static final String SUB = "5a5a5a5a-0000-4000-8000-000000000014";
    private static final Duration MIN_WAIT = Duration.ofMillis(100);

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
     * Reads the operation the way the reconciler follows a Run Command: once per look, a look after each Retry-After,
     * which passes on the emulator's clock (moved forward, not waited for).
     */
    private static LongRunningOperation.Read readUntilDone(TestWorld w, ArmClient arm, LongRunningOperation.Urls urls, Duration firstWait) {
        Duration wait = firstWait;
        for (int reads = 0; reads < 30; reads++) {
            w.emulator.advanceTime(wait);
            LongRunningOperation.Read r = LongRunningOperation.read(arm, urls);
            if (r.done()) {
                return r;
            }
            // Retry-After: 0 would make 30 reads in less than the operation runs (the app, too, never reads sooner than 1 s).
            wait = r.retryAfter().filter(d -> d.compareTo(MIN_WAIT) > 0).orElse(MIN_WAIT);
        }
        throw new AssertionError("not done after 30 reads");
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
                LongRunningOperation.Urls urls = LongRunningOperation.of(started).orElseThrow();
                assertTrue(urls.statusUrl().isEmpty() && urls.resultUrl().isPresent(), urls.toString());
                assertFalse(LongRunningOperation.read(arm, urls).done(), "202 while it runs");
                LongRunningOperation.Read done = readUntilDone(w, arm, urls, Duration.ofMillis(100));
                assertTrue(done.body().isMissingNode() || done.body().isEmpty(), done.toString());
                assertTrue(done.succeeded(false));
            }, "the reads must end at the 204");
            assertTrue(w.emulator.state().extension(vm + "/extensions/MDE.Windows").isEmpty(), "the delete completed");
            assertTrue(w.emulator.requestLog().count("LongRunningOperation_Result", 204) == 1);
        }
    }

    /** Each read that finds the operation running carries its Retry-After: a look every 2 s, not one per default interval. */
    @Test
    void everyReadOfARunningOperationCarriesItsRetryAfter() throws Exception {
        try (TestWorld w = world(2, Duration.ofMillis(3_500))) {
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB).name("vm-retry-after")
                    .extension(ExtensionSpec.mde("MDE.Windows", "Succeeded")).build());
            ArmClient arm = arm(w);
            ArmClient.Reply started = delete(w, vm + "/extensions/MDE.Windows");
            assertEquals(Optional.of(Duration.ofSeconds(2)), LongRunningOperation.retryAfter(started));
            LongRunningOperation.Urls urls = LongRunningOperation.of(started).orElseThrow();
            LongRunningOperation.Read done = readUntilDone(w, arm, urls, LongRunningOperation.retryAfter(started).orElseThrow());
            assertEquals("Succeeded", done.body().path("status").asText(), done.toString());
            assertTrue(done.succeeded(true));
            // Retry-After 2 s on the start and on each running read, 3.5 s of work: reads at 2 s and 4 s.
            assertEquals(2, w.emulator.requestLog().count("LongRunningOperation_Status"));
        }
    }
}
