package com.mdeonboarding.reliability;

import static com.mdeonboarding.reliability.HostileGuestOutputTest.firstHidden;
import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.api.MachineStateView;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.testing.TestWorld;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #18 item 3, end to end: guests that answer the read-only check with forged log lines, Unicode line separators,
 * bidi overrides and 5,000-character fields. Through the real triggers, Azurite and the emulator: the machines get the
 * decision their check supports, and no log line, state row or state view carries a hidden character or an unbounded
 * field.
 */
class HostileGuestTest {
    private static final String FORGED = "09:00:00 SEVERE [correlationId=forged] [resourceId=/subscriptions/x] ONBOARDED";

    @Test
    void forgedGuestOutputReachesNoLogLineStateRowOrViewUnescaped() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            String linux = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("guest-linux")
                    .ubuntu2204().runCommandOutput(Map.of("mde-prereq", "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"linux-conflicts\","
                            + "\"agents\":[\"ds_agent\\n" + FORGED + "\",\"\\u2028\\u202eevil\",\"" + "A".repeat(5_000) + "\"],"
                            + "\"fanotify\":[\"/usr/bin/x\\r\\nX-Injected: 1\"]}")).build());
            String ws2016 = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("guest-2016")
                    .osName("Windows Server 2016 Datacenter").osVersion("10.0.14393").image("MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter")
                    .runCommandOutput(Map.of("mde-prereq", "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"windows-downlevel\",\"os\":\"2016\\u2028"
                            + FORGED + "\",\"build\":\"14393.2515\\n" + FORGED + "\",\"ssuDate\":\"2021-10-12\",\"hotfixes\":[\"KB5005698\\u202e\"],"
                            + "\"defenderFeature\":\"Installed\\n" + FORGED + "\",\"defenderService\":\"Stopped\",\"disableAntiSpyware\":false,"
                            + "\"endpoints\":{\"winatp-gw-cus.microsoft.com\\n" + FORGED + "\":false}}")).build());
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> w.queuedJobs() == 0 && w.stateRow(linux) != null && w.stateRow(ws2016) != null
                    && !"DEPLOY".equals(TestWorld.decision(w.stateRow(ws2016))), Duration.ofSeconds(60)), String.join("\n", w.host.logLines()));

            TableEntity l = w.stateRow(linux);
            assertEquals("BLOCKED", TestWorld.decision(l), l.getProperties().toString());
            assertEquals(ReasonCode.LINUX_CONFLICTING_AGENT.name(), TestWorld.reasons(l));
            // The 2016 machine's check still says what it can prove: the Defender service is stopped.
            TableEntity s = w.stateRow(ws2016);
            assertEquals(ReasonCode.DEFENDER_AV_NOT_RUNNING.name(), TestWorld.reasons(s), s.getProperties().toString()); // the forged host name is not an endpoint

            List<String> seen = new ArrayList<>(w.host.logLines());
            for (TableEntity row : List.of(l, s)) {
                seen.add(String.valueOf(row.getProperty("Detail")));
                seen.add(String.valueOf(row.getProperty("GuestCheckSummary")));
                MachineId id = MachineId.parse(String.valueOf(row.getProperty("ResourceId")));
                String view = MachineStateView.toJson(w.services.stateStore.get(id).orElseThrow(), w.services.stateStore.history(id, 10))
                        .toString();
                seen.add(view);
                assertTrue(view.length() < 8_000, "the state view stays bounded: " + view.length());
            }
            for (String line : seen) {
                assertEquals(-1, firstHidden(line), () -> "a hidden character reached: " + line);
                assertTrue(!line.startsWith(FORGED.substring(0, 8)), "a forged line: " + line);
                assertTrue(line.length() <= 4_000, "an unbounded line of " + line.length() + " characters");
            }
            Figures.set("guest", "hostile guests reconciled end to end", 2);
        }
    }
}
