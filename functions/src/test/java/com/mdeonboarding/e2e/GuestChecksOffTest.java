package com.mdeonboarding.e2e;

import static com.mdeonboarding.e2e.OnboardingWorld.SUB_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.testing.TestWorld;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #18 item 9: Run Command is admin on every machine, so guest checks and passive mode are an explicit choice. With
 * MDE_GUEST_CHECKS=off not one Run Command request reaches Resource Manager, in audit or enforce mode: machines that
 * would be checked are onboarded without the check (and say so), and a machine tagged for passive mode waits with the
 * reason, since passive mode cannot be set without Run Command.
 */
class GuestChecksOffTest {
    /** What the guests would answer: a missing KB and a conflicting agent, which would block them if the checks ran. */
    private static final String KB_MISSING = "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"windows-downlevel\",\"os\":\"2016\","
            + "\"build\":\"14393.1000\",\"ssuDate\":\"2019-01-01\",\"defenderFeature\":\"Installed\",\"defenderService\":\"Running\"}";
    private static final String CONFLICT = "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"linux-conflicts\",\"agents\":[\"ds_agent\"]}";

    @Test
    void withGuestChecksOffNoRunCommandIsSent() {
        for (String mode : List.of("onboard", "enforce")) {
            try (OnboardingWorld w = new OnboardingWorld(OnboardingWorld.defaultTenant(),
                    Map.of(Settings.GUEST_CHECKS, "off", Settings.MODE, mode))) {
                TenantState s = w.emulator.state();
                String ws2016 = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("off-2016")
                        .osName("Windows Server 2016 Datacenter").osVersion("10.0.14393")
                        .image("MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter").runCommandOutput(Map.of("mde-prereq", KB_MISSING)).build());
                String linux = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("off-linux").ubuntu2204()
                        .runCommandOutput(Map.of("mde-prereq", CONFLICT)).build());
                String arc = s.createArcMachine(ArcMachineSpec.builder().subscriptionId(SUB_OK).name("off-arc").ubuntu2204()
                        .runCommandOutput(Map.of("mde-prereq", CONFLICT)).build());
                String passive = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_OK).name("off-passive")
                        .tag("MdePassiveMode", "true").build());
                List<String> all = List.of(ws2016, linux, arc, passive);
                w.deliverEvents(1);
                assertTrue(w.host.runUntil(() -> w.queuedJobs() == 0 && all.stream().allMatch(id -> settled(w, id)), Duration.ofSeconds(90)),
                        String.join("\n", w.host.logLines()));

                for (String id : List.of(ws2016, linux, arc)) {
                    assertEquals("ONBOARDED", TestWorld.decision(w.stateRow(id)), mode + " " + id);
                }
                assertEquals("BLOCKED", TestWorld.decision(w.stateRow(passive)), mode);
                assertEquals(ReasonCode.GUEST_CHECKS_OFF.name(), TestWorld.reasons(w.stateRow(passive)), mode);
                assertEquals(0, w.emulator.requestLog().count("VirtualMachines_RunCommand"), mode + ": no VM Run Command");
                assertEquals(0, w.emulator.requestLog().count("MachineRunCommands_CreateOrUpdate"), mode + ": no Arc run command");
                assertTrue(w.historyRows().stream().anyMatch(h -> String.valueOf(h.getProperty("Reasons")).contains("GUEST_CHECKS_OFF")),
                        "the history says the check was not run");
            }
        }
    }

    private static boolean settled(TestWorld w, String id) {
        String d = TestWorld.decision(w.stateRow(id));
        return "ONBOARDED".equals(d) || "BLOCKED".equals(d);
    }
}
