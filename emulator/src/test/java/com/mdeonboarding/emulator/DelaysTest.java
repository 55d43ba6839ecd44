package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.operations.Delays;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DelaysTest {

    @Test
    void azureLikeDurationsAreSpreadPerCallWithinAzuresRangesAndRepeatForTheSameSeed() {
        Delays a = Delays.azureLike();
        Delays b = Delays.azureLike();
        Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration rc = a.nextRunCommand();
            assertEquals(rc, b.nextRunCommand(), "same seed, same sequence");
            assertTrue(rc.compareTo(Duration.ofSeconds(30)) >= 0 && rc.compareTo(Duration.ofSeconds(90)) <= 0, rc.toString());
            distinct.add(rc.toMillis());
            Duration ext = a.nextExtension();
            b.nextExtension();
            assertTrue(ext.compareTo(Duration.ofMinutes(2)) >= 0 && ext.compareTo(Duration.ofMinutes(6)) <= 0, ext.toString());
        }
        assertTrue(distinct.size() > 150, "spread, not one value: " + distinct.size());
        assertNotEquals(Delays.azureLike().seed(7).nextRunCommand(), Delays.azureLike().nextRunCommand());
    }

    @Test
    void aTimeScaleShortensEveryDurationByItsFactor() {
        Delays scaled = Delays.between(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMinutes(3), Duration.ofMinutes(3))
                .timeScale(1.0 / 100);
        assertEquals(Duration.ofMillis(600), scaled.nextRunCommand());
        assertEquals(Duration.ofMillis(1800), scaled.nextExtension());
        assertEquals("Run Command 60 s, extension provisioning 180 s, time scale 1/100", scaled.describe());
        assertEquals("Run Command 30-90 s, extension provisioning 120-360 s, time scale 1/30", Delays.azureLike().timeScale(1.0 / 30).describe());
    }

    @Test
    void fixedIsTheSameForEveryCallAndNonsenseIsRefused() {
        Delays d = Delays.fixed(Duration.ofMillis(150));
        assertEquals(Duration.ofMillis(150), d.nextRunCommand());
        assertEquals(Duration.ofMillis(150), d.nextExtension());
        assertThrows(IllegalArgumentException.class, () -> Delays.azureLike().timeScale(0));
        assertThrows(IllegalArgumentException.class, () -> Delays.azureLike().timeScale(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Delays.fixed(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class,
                () -> Delays.between(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO));
    }

    @Test
    void runCommandsAndExtensionWritesTakeTheirOwnDurationsInTheEmulator() {
        // Run Command one minute, extension provisioning five: each operation stays InProgress for its own kind's time on
        // the emulator's clock (moved forward here; the few real milliseconds the test takes are far inside the margins).
        try (TestEmulator emu = TestEmulator.start(b -> b.delays(Delays.between(Duration.ofMinutes(1), Duration.ofMinutes(1),
                Duration.ofMinutes(5), Duration.ofMinutes(5))))) {
            TestClient c = emu.client();
            String vm = Sample.vm("rg-prod-data", "vm-prod-ws2012r2-missing-kb");
            TestClient.Resp run = c.post(vm + "/runCommand" + Sample.COMPUTE_API, Map.of("commandId", "RunPowerShellScript",
                    "script", List.of("hostname")));
            String target = Sample.vm("rg-prod-web", "vm-prod-win2022-new");
            TestClient.Resp put = c.put(target + "/extensions/MDE.Windows" + Sample.COMPUTE_API, ComputeTest.mdeWindows(target));
            assertTrue(put.status() == 200 || put.status() == 201, put.body());

            emu.arm().advanceTime(Duration.ofSeconds(50));
            assertEquals(List.of("InProgress", "InProgress"), List.of(status(c, run), status(c, put)), "50 s in");
            emu.arm().advanceTime(Duration.ofSeconds(10));
            assertEquals(List.of("Succeeded", "InProgress"), List.of(status(c, run), status(c, put)), "the Run Command's minute is up");
            emu.arm().advanceTime(Duration.ofMinutes(3).plusSeconds(50));
            assertEquals("InProgress", status(c, put), "4 min 50 s in");
            emu.arm().advanceTime(Duration.ofSeconds(10));
            assertEquals("Succeeded", status(c, put), "the extension's five minutes are up");
        }
    }

    private static String status(TestClient c, TestClient.Resp started) {
        return c.get(started.header("Azure-AsyncOperation").orElseThrow()).json().path("status").asText();
    }
}
