package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.server.RequestLog;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link RequestLog#await}: a test waits for another client's requests without a sleep loop of its own. */
class RequestLogTest {
    @Test
    void awaitReturnsOnceTheRequestsItWaitsForArriveAndFalseWhenTheyNeverDo() throws Exception {
        try (TestEmulator e = TestEmulator.start()) {
            RequestLog log = e.arm().requestLog();
            CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 3; i++) {
                    e.client().get(Sample.vm("rg-prod-web", "vm-prod-win2022-new") + Sample.COMPUTE_API);
                }
            });
            assertTrue(log.await(() -> log.count("VirtualMachines_Get") >= 3, Duration.ofSeconds(30)), "three GETs arrived");
            client.join();
            assertFalse(log.await(() -> log.count("VirtualMachines_Get") >= 4, Duration.ofMillis(200)), "a fourth never comes");
        }
    }
}
