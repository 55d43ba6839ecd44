package com.mdeonboarding.reliability;

import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.azure.DefenderApiException;
import com.mdeonboarding.cli.Main;
import com.mdeonboarding.emulator.tenant.ExtensionSpec;
import com.mdeonboarding.emulator.faults.FaultRule;
import com.mdeonboarding.emulator.tenant.SensorSpec;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.testing.TestWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Issue #23 item 6: every pager stops on a continuation it has seen before, with an error that names the API, and a GET
 * answered by anything but a 2xx with a JSON document is an error, never a document. Through the real clients (the Azure
 * SDK pipeline over HTTPS) against the emulator's {@code repeatNextLink} and {@code emptyBody} faults, and through the
 * command line ({@code doctor}, {@code plan}) and the Functions triggers.
 */
class HostilePagingTest {
    /** A pager that loops would run until this: each case must end well within it. */
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void everyResourceManagerPagerStopsOnARepeatingContinuationNamingTheApi() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("paged-vm").build());
            var azure = w.services.azure;
            Logger log = w.logger("paging");
            cycle(w, "Subscriptions_List", "Subscriptions_List", () -> azure.subscriptions().enabledSubscriptions());
            cycle(w, "VirtualMachines_ListAll", "VirtualMachines_ListAll",
                    () -> azure.machineListing().list(SUB_A, Optional.empty(), 10_000, log));
            cycle(w, "Machines_ListBySubscription", "Machines_ListBySubscription",
                    () -> azure.machineListing().list(SUB_A, Optional.empty(), 10_000, log));
            cycle(w, "Permissions_ListForSubscription", "Permissions_ListForSubscription",
                    () -> azure.authorization().permissions(SUB_A));
            cycle(w, "SystemTopics_ListBySubscription", "Event Grid list", () -> azure.eventGrid().systemTopics(SUB_A));
            cycle(w, "Resources", "Resource Graph query", () -> azure.resourceGraph().streamMachines(List.of(SUB_A), r -> { }, s -> { }));
        }
    }

    private static void cycle(ReliabilityWorld w, String operation, String named, Supplier<?> call) {
        w.emulator.faults().clear();
        w.emulator.requestLog().clear();
        w.emulator.faults().add(FaultRule.forOperation(operation).repeatNextLink());
        ArmException e = assertTimeoutPreemptively(LIMIT, () -> assertThrows(ArmException.class, call::get),
                operation + ": the listing must end");
        assertEquals("PagingCycle", e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(named), e.getMessage());
        long calls = w.emulator.requestLog().count(operation);
        assertTrue(calls <= 3, operation + " was called " + calls + " times");
        Figures.set("paging", operation + " calls before the cycle was refused", calls);
        w.emulator.faults().clear();
    }

    @Test
    void theDefenderApiListStopsOnARepeatingNextLinkAndPlanEndsSayingSo() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("paged-sensor")
                    .extension(ExtensionSpec.mde("MDE.Windows", "Succeeded")).sensor(SensorSpec.reports()).build());
            w.emulator.defenderFaults().add(FaultRule.forAll().repeatNextLink());
            DefenderApiException e = assertTimeoutPreemptively(LIMIT, () -> assertThrows(DefenderApiException.class,
                    () -> w.services.azure.defenderEndpoint().forEachDevice(d -> { })));
            assertEquals("PagingCycle", e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("@odata.nextLink"), e.getMessage());
            long calls = w.emulator.defenderRequestLog().total();
            assertTrue(calls <= 3, "the Defender API was called " + calls + " times");

            w.emulator.defenderRequestLog().clear();
            String[] plan = assertTimeoutPreemptively(LIMIT, () -> cli(w, "plan", "--subscription", SUB_A));
            assertTrue((plan[0] + plan[1]).contains("PagingCycle"), "plan says why the sensors were not checked:\n" + plan[0] + plan[1]);
            assertTrue(w.emulator.defenderRequestLog().total() <= 3, "plan called the Defender API "
                    + w.emulator.defenderRequestLog().total() + " times");
            Figures.set("paging", "Defender API calls before the cycle was refused (plan)", w.emulator.defenderRequestLog().total());
        }
    }

    @Test
    void doctorEndsOnARepeatingSubscriptionsNextLink() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            w.emulator.faults().add(FaultRule.forOperation("Subscriptions_List").repeatNextLink());
            long started = System.nanoTime();
            String[] doctor = assertTimeoutPreemptively(LIMIT, () -> cli(w, "doctor"));
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertTrue((doctor[0] + doctor[1]).contains("Subscriptions_List"), "doctor names the API:\n" + doctor[0] + doctor[1]);
            long calls = w.emulator.requestLog().count("Subscriptions_List");
            assertTrue(calls <= 6, "doctor called Subscriptions_List " + calls + " times");
            Figures.set("paging", "doctor: Subscriptions_List calls with a repeating nextLink", calls);
            Figures.set("paging", "doctor: ms with a repeating nextLink", ms);
        }
    }

    @Test
    void aRedirectWithAnEmptyBodyIsAnErrorNotAMachine() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("redirected").build());
            w.emulator.faults().add(FaultRule.forOperation("VirtualMachines_Get").status(307).emptyBody());
            ArmException e = assertThrows(ArmException.class, () -> w.services.azure.machines().read(MachineId.parse(vm)));
            assertEquals(307, e.status());
            assertTrue(e.getMessage().contains("307") && e.getMessage().contains("redirect"), e.getMessage());

            w.emulator.faults().clear();
            w.emulator.faults().add(FaultRule.forOperation("VirtualMachines_Get").status(200).emptyBody());
            ArmException empty = assertThrows(ArmException.class, () -> w.services.azure.machines().read(MachineId.parse(vm)));
            assertEquals("NoDocument", empty.code(), empty.getMessage());

            w.emulator.faults().clear();
            w.emulator.faults().add(FaultRule.forOperation("VirtualMachines_Get").status(307).emptyBody());
            w.deliverEvents(1);
            assertTrue(w.host.runUntil(() -> w.queuedJobs() == 0 && w.stateRow(vm) != null, Duration.ofSeconds(60)),
                    String.join("\n", w.host.logLines()));
            TableEntity row = w.stateRow(vm);
            assertEquals("BLOCKED", TestWorld.decision(row));
            assertEquals("JOB_FAILED", TestWorld.reasons(row), "not OS_UNKNOWN: " + row.getProperties());
            assertTrue(String.valueOf(row.getProperty("Detail")).contains("307"), row.getProperties().toString());
            assertEquals(0, w.acceptedExtensionPuts().values().stream().mapToInt(Integer::intValue).sum());
        }
    }

    private static String[] cli(TestWorld w, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.run(args, w.env, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }
}
