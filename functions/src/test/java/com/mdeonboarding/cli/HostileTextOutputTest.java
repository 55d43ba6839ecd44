package com.mdeonboarding.cli;

import static com.mdeonboarding.testing.OperatorWorld.SUB_IN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.tenant.ExtensionOutcome;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.testing.OperatorWorld;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #23 item 4 at the terminal: what {@code onboard} and {@code status} print of an extension's status message (ESC
 * sequences, NUL, CR, U+202E, 10,107 characters) is one printable, bounded line per field, whether the text came fresh from
 * Azure or from a row written before the app escaped it at the source.
 */
class HostileTextOutputTest {
    private static final String HOSTILE;

    static {
        String head = "\u001b[2J\u001b]0;owned\u0007 NUL\u0000 CR\r\n09:00:00 SEVERE forged \u202eexe.txt The operating system is not supported. ";
        HOSTILE = head + "A".repeat(10_107 - head.length());
    }

    private static OperatorWorld world;

    @BeforeAll
    static void start() {
        world = new OperatorWorld();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static String[] run(String... args) {
        MainTest.Run r = MainTest.runWithStdin(world.env, "", args);
        return new String[] {r.out(), r.err()};
    }

    @Test
    void onboardAndStatusPrintAHostileStatusMessageEscapedAndBounded() {
        String vm = world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_IN).resourceGroup("rg-cli")
                .name("cli-hostile-status").extensionOutcome(ExtensionOutcome.failed("ProvisioningState/failed/51", HOSTILE).withLog(HOSTILE))
                .build());
        String[] onboard = run("onboard", vm);
        assertTrue(onboard[0].contains("EXTENSION_OS_NOT_SUPPORTED"), onboard[0] + onboard[1]);
        assertTerminalSafe(onboard);
        String[] status = run("status", vm);
        assertTrue(status[0].contains("The operating system is not supported"), status[0]);
        assertTerminalSafe(status);
    }

    @Test
    void statusPrintsARowWrittenBeforeTheSourceEscapedItEscaped() {
        MachineId id = MachineId.parse("/subscriptions/" + SUB_IN + "/resourceGroups/rg-cli/providers/Microsoft.Compute/virtualMachines/cli-old-row");
        OnboardingJob job = OnboardingJob.create(id, JobSource.MANUAL, Instant.now());
        world.services.stateStore.recordPoison(job, new Decision(DecisionKind.BLOCKED, List.of(ReasonCode.JOB_FAILED), List.of(),
                Optional.of(HOSTILE)), Instant.now());
        String[] status = run("status", id.id());
        assertTrue(status[0].contains("JOB_FAILED"), status[0] + status[1]);
        assertTerminalSafe(status);
    }

    /** No control, format or line-separator character but the line ends, and no line the size of the message. */
    static void assertTerminalSafe(String[] outAndErr) {
        for (String text : outAndErr) {
            for (String line : text.split("\n", -1)) {
                for (int i = 0; i < line.length(); i++) {
                    char c = line.charAt(i);
                    int type = Character.getType(c);
                    boolean hidden = Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                            || type == Character.PARAGRAPH_SEPARATOR;
                    int at = i;
                    assertEquals(false, hidden, () -> String.format("U+%04X printed at %d of: %s", (int) c, at,
                            line.substring(0, Math.min(200, line.length())).replaceAll("\\p{Cc}|\\p{Cf}", "?")));
                }
                assertTrue(line.length() <= 4_000, "a printed line of " + line.length() + " characters");
            }
        }
    }
}
