package com.mdeonboarding.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.config.Settings;
import com.mdeonboarding.config.SettingsException;
import com.mdeonboarding.emulator.ArmEmulator;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.TenantGenerator;
import com.mdeonboarding.model.DeviceRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Defender for Endpoint client over its own pipeline against the emulator's /api/machines: paging by nextLink in pages
 * of 10,000, the per-machine name filter, permission errors believed for a while, and the token rule per endpoint.
 */
class DefenderEndpointClientTest {

    private static Settings settings(ArmEmulator e, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of(Settings.STORAGE, "UseDevelopmentStorage=true", Settings.ARM_ENDPOINT, e.baseUrl(),
                Settings.ARM_CA_CERT, e.caCertificatePemPath().toString(), Settings.DEFENDER_API_ENDPOINT, e.baseUrl()));
        env.putAll(more);
        return Settings.from(env);
    }

    @Test
    void listsEveryDeviceInPagesOfTenThousandFollowingNextLink() {
        // About 40% of generated machines are onboarded: 30,000 machines give more than 10,000 device records.
        Tenant tenant = TenantGenerator.generate(30, 30_000, 11);
        try (ArmEmulator e = ArmEmulator.builder().tenant(tenant).port(0).build().start()) {
            AzureClients azure = new AzureClients(settings(e, Map.of()), Clock.systemUTC());
            List<DeviceRecord> all = new ArrayList<>();
            int calls = azure.defenderEndpoint().forEachDevice(all::add);
            int devices = e.state().deviceCount();
            assertTrue(devices > DefenderEndpoint.PAGE_SIZE && devices < 2 * DefenderEndpoint.PAGE_SIZE, "devices: " + devices);
            assertEquals(2, calls, "ceil(" + devices + " / 10,000)");
            assertEquals(devices, all.size());
            assertEquals(2, e.defenderRequestLog().count("ListMachines", 200));
            assertEquals(2, azure.defenderCalls().total(), "counted apart from Resource Manager's calls");
            assertEquals(0, azure.calls().total());
            assertTrue(e.defenderRequestLog().snapshot().get(0).query().contains("$top=10000"));
            DeviceRecord any = all.get(0);
            assertTrue(any.azureResourceId().isPresent() || any.azureVmId().isEmpty(), "vmMetadata read");
            assertTrue(any.lastSeen().isPresent() && any.firstSeen().isPresent(), "times read");
        }
    }

    @Test
    void oneCallFindsTheDevicesNamedLikeAMachine() {
        try (ArmEmulator e = ArmEmulator.builder().sampleTenant().port(0).build().start()) {
            AzureClients azure = new AzureClients(settings(e, Map.of()), Clock.systemUTC());
            List<DeviceRecord> found = azure.defenderEndpoint().devicesNamed("VM-PROD-WIN2022-ONBOARDED.contoso.com");
            assertEquals(1, found.size());
            assertTrue(found.get(0).azureResourceId().orElseThrow().endsWith("/virtualMachines/vm-prod-win2022-onboarded"));
            assertTrue(found.get(0).onboarded());
            assertEquals(1, e.defenderRequestLog().total());
            String query = java.net.URLDecoder.decode(e.defenderRequestLog().snapshot().get(0).query(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(query.contains("$filter=startswith(computerDnsName,'vm-prod-win2022-onboarded')"), query + ": "
                    + "narrowed by the host name's first label, lower case");
            assertEquals(List.of(), azure.defenderEndpoint().devicesNamed("o'brien"), "quotes are escaped, not injected");
        }
    }

    @Test
    void aPermissionErrorIsBelievedForAWhileSoOneCallAnswersForMany() {
        try (ArmEmulator e = ArmEmulator.builder().sampleTenant().port(0).build().start()) {
            AzureClients azure = new AzureClients(settings(e, Map.of()), Clock.systemUTC());
            e.state().setDefenderApiPermission(false);
            for (int i = 0; i < 5; i++) {
                DefenderApiException x = assertThrows(DefenderApiException.class, () -> azure.defenderEndpoint().devicesNamed("vm1"));
                assertTrue(x.permissionDenied());
                assertFalse(x.retryable());
                assertTrue(x.getMessage().contains("Machine.Read.All"), x.getMessage());
            }
            assertEquals(1, e.defenderRequestLog().total(), "one call, then the 403 is remembered");
        }
    }

    @Test
    void serverErrorsAreRetriedAndATenantWithoutDevicesIsEmpty() {
        try (ArmEmulator e = ArmEmulator.builder().tenant(new Tenant(null, List.of(), null)).port(0).build().start()) {
            AzureClients azure = new AzureClients(settings(e, Map.of()), Clock.systemUTC());
            e.defenderFaults().add(FaultRule.forOperation("ListMachines").status(503).times(1));
            List<DeviceRecord> none = new ArrayList<>();
            assertEquals(1, azure.defenderEndpoint().forEachDevice(none::add));
            assertEquals(List.of(), none, "404 'no recent machines' is an empty list");
            assertEquals(2, e.defenderRequestLog().total(), "the 503, then the retry");
        }
    }

    @Test
    void aNextLinkIsFollowedOnOurOwnEndpointOnly() {
        String base = "https://api.security.microsoft.com";
        assertEquals(base + "/api/machines?$top=10000&$skip=10000",
                DefenderEndpoint.onOurHost(base, "https://api.securitycenter.microsoft.com/api/machines?$top=10000&$skip=10000"),
                "another host's link is re-based: our token goes only where we were configured to send it");
        assertThrows(DefenderApiException.class, () -> DefenderEndpoint.onOurHost(base, "https://evil.example/api/alerts?x=1"));
    }

    @Test
    void theDevelopmentTokenGoesOnlyToTheLocalEmulator() {
        try (ArmEmulator e = ArmEmulator.builder().sampleTenant().port(0).build().start()) {
            Settings local = settings(e, Map.of());
            assertInstanceOf(DevelopmentCredential.class, DefenderApiPipeline.credential(local, new DevelopmentCredential()));
            // Resource Manager local, the Defender API real: the real credential with the Defender audience.
            Settings real = settings(e, Map.of(Settings.DEFENDER_API_ENDPOINT, "https://api.security.microsoft.com"));
            assertNotEquals(DevelopmentCredential.class, DefenderApiPipeline.credential(real, new DevelopmentCredential()).getClass());
            assertEquals("https://api.securitycenter.microsoft.com/.default", real.defenderApiTokenScope());
            assertThrows(SettingsException.class, () -> DefenderApiPipeline.build(real, new DevelopmentCredential(), new CallCounter(),
                    new DefenderApiBudget(DefenderApiBudget.DOCUMENTED, java.time.Duration.ZERO)));
        }
    }
}
