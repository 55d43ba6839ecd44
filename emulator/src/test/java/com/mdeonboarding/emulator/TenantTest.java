package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.TenantGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantTest {
    @Test
    void sampleTenantCoversEveryOnboardingSituation() {
        Tenant t = Tenant.sample();
        TenantState s = new TenantState(t);
        List<TenantState.MachineInfo> prod = s.machines(Sample.PROD);
        Map<String, Predicate<TenantState.MachineInfo>> situations = Map.ofEntries(
                Map.entry("onboarded VM", m -> m.kind().equals("virtualMachine") && m.extensions().stream()
                        .anyMatch(e -> e.name().equals("MDE.Windows") && e.provisioningState().equals("Succeeded"))),
                Map.entry("VM without extension, Windows 2022", m -> m.name().equals("vm-prod-win2022-new") && m.extensions().isEmpty()),
                Map.entry("VM without extension, Ubuntu 22.04", m -> m.osType().equals("Linux") && "22.04".equals(m.osVersion()) && m.extensions().isEmpty()),
                Map.entry("2012 R2 VM", m -> m.kind().equals("virtualMachine") && "Windows Server 2012 R2 Datacenter".equals(m.osName())),
                Map.entry("2016 VM", m -> "Windows Server 2016 Datacenter".equals(m.osName())),
                Map.entry("Windows 10 client", m -> "Windows 10 Pro".equals(m.osName())),
                Map.entry("deallocated", m -> "deallocated".equals(m.powerState())),
                Map.entry("agent not ready", m -> Boolean.FALSE.equals(m.vmAgentReady())),
                Map.entry("excluded by tag", m -> "true".equals(m.tags().get("MdeOnboardingExclude"))),
                Map.entry("passive mode tag", m -> "true".equals(m.tags().get("MdePassiveMode"))),
                Map.entry("Arc Connected Windows", m -> "Connected".equals(m.status()) && "windows".equals(m.osType())),
                Map.entry("Arc Connected Linux", m -> "Connected".equals(m.status()) && "linux".equals(m.osType())),
                Map.entry("Arc Disconnected", m -> "Disconnected".equals(m.status())),
                Map.entry("Arc Expired", m -> "Expired".equals(m.status())),
                Map.entry("Arc security connector", m -> "true".equals(m.tags().get("MDFCSecurityConnector"))),
                Map.entry("OS unknown", m -> m.kind().equals("virtualMachine") && m.osName() == null));
        situations.forEach((name, p) -> assertTrue(prod.stream().anyMatch(p), "sample tenant lacks: " + name));
        assertEquals("Free", s.pricing(Sample.DEV).pricingTier());
        assertTrue(!s.setting(Sample.LEGACY, "WDATP"));
        assertTrue(s.setting(Sample.LINUX, "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW"));
        assertTrue(!s.setting(Sample.LINUX, "WDATP_UNIFIED_SOLUTION"));
        TenantState.PricingInfo optOut = s.resourcePricing(Sample.vm("rg-prod-web", "vm-prod-resource-plan-free"));
        assertEquals("Free", optOut.pricingTier());
        assertTrue(!optOut.inherited());
        TenantState.PricingInfo devP1 = s.resourcePricing("/subscriptions/" + Sample.DEV
                + "/resourceGroups/rg-dev/providers/Microsoft.Compute/virtualMachines/vm-dev-resource-plan-p1");
        assertEquals("P1", devP1.subPlan());
        assertTrue(prod.stream().anyMatch(m -> m.name().equals("vm-prod-os-not-supported")), "extension ends Failed (51)");
    }

    @Test
    void tenantFileErrorsNameTheProblem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.json");
        Files.writeString(file, "{\"subscriptions\":[{\"subscriptionId\":\"s1\",\"virtualMachines\":[{\"resourceGroup\":\"rg\",\"name\":\"v\",\"osTyp\":\"Windows\"}]}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tenant.load(file));
        assertTrue(e.getMessage().contains("osTyp") && e.getMessage().contains(file.toString()), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Tenant.parse(
                "{\"subscriptions\":[{\"subscriptionId\":\"s1\",\"arcMachines\":[{\"name\":\"a\"}]}]}"));
        assertTrue(missing.getMessage().contains("resourceGroup is required"), missing.getMessage());
        Tenant dup = Tenant.parse("{\"subscriptions\":[{\"subscriptionId\":\"s1\",\"virtualMachines\":["
                + "{\"resourceGroup\":\"rg\",\"name\":\"v\"},{\"resourceGroup\":\"RG\",\"name\":\"V\"}]}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TenantState(dup)).getMessage().contains("twice"));
        Tenant badSetting = Tenant.parse("{\"subscriptions\":[{\"subscriptionId\":\"s1\",\"settings\":{\"WDATPX\":true}}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TenantState(badSetting)).getMessage().contains("WDATPX"));
    }

    @Test
    void anExtensionOutcomeCanCarryTheInstallersLog() {
        Tenant t = Tenant.parse("{\"subscriptions\":[{\"subscriptionId\":\"s1\",\"virtualMachines\":[{\"resourceGroup\":\"rg\","
                + "\"name\":\"v\",\"extensionOutcome\":{\"state\":\"Failed\",\"message\":\"Enable failed\",\"log\":\"[Error] x\"}}]}]}");
        assertEquals("[Error] x", t.subscriptions().get(0).virtualMachines().get(0).extensionOutcome().log());
        assertEquals(t, Tenant.parse(t.toJson()));
    }

    @Test
    void tenantRoundTripsThroughJson() {
        Tenant t = Tenant.sample();
        Tenant again = Tenant.parse(t.toJson());
        assertEquals(t, again);
    }

    @Test
    void generatorBuildsALargeTenantDeterministically() {
        Tenant t = TenantGenerator.generate(1000, 100_000, 42);
        assertEquals(1000, t.subscriptions().size());
        assertEquals(100_000, t.subscriptions().stream().mapToInt(s -> s.virtualMachines().size() + s.arcMachines().size()).sum());
        assertEquals(100, t.subscriptions().get(0).virtualMachines().size() + t.subscriptions().get(0).arcMachines().size());
        assertEquals(t.subscriptions().get(7).subscriptionId(),
                TenantGenerator.generate(1000, 100_000, 42).subscriptions().get(7).subscriptionId());
        TenantState state = new TenantState(t);
        assertEquals(100_000, state.machineCount());
        assertEquals(1000, state.subscriptionCount());
        int vms = state.virtualMachineCount();
        assertTrue(vms > 65_000 && vms < 75_000, "about 70% VMs: " + vms);
        long disconnected = t.subscriptions().stream().flatMap(s -> s.arcMachines().stream())
                .filter(a -> a.status().equals("Disconnected")).count();
        assertTrue(disconnected > 1000, "the mix includes disconnected Arc machines");
    }
}
