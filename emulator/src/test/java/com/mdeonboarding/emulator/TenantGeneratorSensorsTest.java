package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.ExtensionSpec;
import com.mdeonboarding.emulator.tenant.SensorSpec;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.TenantGenerator;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The generator spreads every sensor behaviour over a big tenant, and the tenant file carries them. */
class TenantGeneratorSensorsTest {

    @Test
    void everyBehaviourOccursInAboutItsShare() {
        Tenant t = TenantGenerator.generate(20, 20_000, 3);
        List<SensorSpec> specs = new ArrayList<>();
        t.subscriptions().forEach(s -> {
            s.virtualMachines().forEach(v -> specs.add(v.sensor()));
            s.arcMachines().forEach(a -> specs.add(a.sensor()));
        });
        Map<String, Integer> kinds = new TreeMap<>();
        for (SensorSpec s : specs) {
            String k = s == null ? "default" : Boolean.TRUE.equals(s.neverReports()) ? "never" : s.healthStatus() != null ? s.healthStatus()
                    : s.records() != null ? "records" : Boolean.FALSE.equals(s.vmMetadata()) ? "noVmMetadata" : "late";
            kinds.merge(k, 1, Integer::sum);
        }
        assertEquals(20_000, specs.size());
        share(kinds, "default", 0.85);
        share(kinds, "Inactive", 0.04);
        share(kinds, "ImpairedCommunication", 0.02);
        share(kinds, "NoSensorData", 0.02);
        share(kinds, "records", 0.03);
        share(kinds, "noVmMetadata", 0.01);
        share(kinds, "never", 0.02);
        share(kinds, "late", 0.01);
    }

    @Test
    void theSameSeedGivesTheSameTenantAndTheFileKeepsTheSensors() {
        Tenant a = TenantGenerator.generate(3, 300, 9);
        assertEquals(a.toJson(), TenantGenerator.generate(3, 300, 9).toJson());
        Tenant back = Tenant.parse(a.toJson());
        assertEquals(a, back);
        assertTrue(a.toJson().contains("\"sensor\""), "some machines have a sensor behaviour");
    }

    @Test
    void theGeneratedDevicesAreTheOnboardedMachinesPlusTheirExtraRecords() {
        Tenant t = TenantGenerator.generate(10, 2_000, 5);
        int expected = 0;
        for (SubscriptionSpec s : t.subscriptions()) {
            for (VirtualMachineSpec v : s.virtualMachines()) {
                expected += devices(v.extensions(), v.sensor());
            }
            for (ArcMachineSpec a : s.arcMachines()) {
                expected += devices(a.extensions(), a.sensor());
            }
        }
        try (ArmEmulator arm = ArmEmulator.builder().tenant(t).build()) {
            assertEquals(expected, arm.state().deviceCount());
        }
    }

    private static int devices(List<ExtensionSpec> extensions, SensorSpec sensor) {
        boolean onboarded = extensions.stream().anyMatch(e -> "Succeeded".equals(e.provisioningState()));
        if (!onboarded || (sensor != null && !sensor.reportsEver())) {
            return 0;
        }
        return sensor == null ? 1 : sensor.recordCount();
    }

    private static void share(Map<String, Integer> kinds, String kind, double expected) {
        double actual = kinds.getOrDefault(kind, 0) / 20_000.0;
        assertTrue(Math.abs(actual - expected) < 0.01, kind + ": " + actual + " (expected about " + expected + ")");
    }
}
