package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.TenantGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
    @Test
    void parallelReadsAndWritesStayConsistent() throws Exception {
        Tenant tenant = TenantGenerator.generate(4, 400, 5);
        try (TestEmulator emu = TestEmulator.start(b -> b.tenant(tenant).extensionProvisioningDelay(Duration.ofMillis(20)))) {
            ArmEmulator arm = emu.arm();
            TestClient client = emu.client();
            List<TenantState.MachineInfo> running = new ArrayList<>();
            for (String sub : arm.state().subscriptionIds()) {
                arm.state().machines(sub).stream().filter(m -> m.kind().equals("virtualMachine")
                        && "running".equals(m.powerState()) && Boolean.TRUE.equals(m.vmAgentReady())
                        && m.extensions().isEmpty()).limit(10).forEach(running::add);
            }
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<?>> futures = new ArrayList<>();
            for (TenantState.MachineInfo m : running) {
                futures.add(pool.submit(() -> {
                    String name = m.osType().equals("Windows") ? "MDE.Windows" : "MDE.Linux";
                    TestClient.Resp put = client.put(m.id() + "/extensions/" + name + Sample.COMPUTE_API, Map.of(
                            "location", m.location(), "properties", Map.of("publisher",
                                    "Microsoft.Azure.AzureDefenderForServers", "type", name, "typeHandlerVersion", "1.0")));
                    statuses.computeIfAbsent(put.status(), k -> new AtomicInteger()).incrementAndGet();
                    client.awaitOperation(put);
                    for (int i = 0; i < 5; i++) {
                        int s = client.get(m.id() + Sample.COMPUTE_API + "&$expand=instanceView").status();
                        statuses.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertEquals(running.size(), statuses.get(201).get());
            assertEquals(running.size() * 5, statuses.get(200).get());
            assertEquals(2, statuses.size(), "only 201 and 200: " + statuses);
            for (TenantState.MachineInfo m : running) {
                assertEquals("Succeeded", arm.state().extensionsOf(m.id()).get(0).provisioningState());
            }
            assertEquals(running.size(), arm.events().size());
            assertTrue(arm.requestLog().count("LongRunningOperation_Status") >= running.size());
        }
    }

    @Test
    void aDisabledSubscriptionIsReadOnly() {
        Tenant t = Tenant.parse("{\"subscriptions\":[{\"subscriptionId\":\"d1\",\"state\":\"Disabled\","
                + "\"virtualMachines\":[{\"resourceGroup\":\"rg\",\"name\":\"vm\"}]}]}");
        try (TestEmulator emu = TestEmulator.start(b -> b.tenant(t))) {
            TestClient c = emu.client();
            String vm = "/subscriptions/d1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm";
            assertEquals(200, c.get(vm + Sample.COMPUTE_API).status());
            TestClient.Resp put = c.put(vm + "/extensions/MDE.Windows" + Sample.COMPUTE_API, Map.of("location", "westeurope"));
            assertEquals(409, put.status());
            assertEquals("ReadOnlyDisabledSubscription", put.json().at("/error/code").asText());
        }
    }
}
