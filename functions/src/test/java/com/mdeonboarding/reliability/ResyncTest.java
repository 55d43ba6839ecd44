package com.mdeonboarding.reliability;

import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.decide.LookAgain;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.testing.AdjustableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 23, item 2: a follow-up lost between recording and queueing (a worker that died there, a send that never
 * arrived) left the machine DEPLOY with both queues empty until the next sweep (6 h). The row says when it is due; the
 * Resync timer queues it once it is more than {@link LookAgain#RESYNC_GRACE} overdue, and it converges.
 */
class ResyncTest {
    @RegisterExtension
    static final SecretScan SECRETS = new SecretScan();

    @Test
    void aMachineWhoseFollowUpWasLostIsLookedAtAgainByTheResyncNotTheSweep() {
        AdjustableClock clock = new AdjustableClock();
        try (ReliabilityWorld w = new ReliabilityWorld(ReliabilityWorld.defaultTenant(), Map.of(), clock)) {
            SECRETS.watch(w.scanner);
            String vm = w.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("lost-follow-up").build());
            w.takeEvents();
            Logger log = w.logger("resync");
            // One pass deploys and records DEPLOY with its next look; its follow-up is lost (never queued).
            w.services.reconciler.reconcile(OnboardingJob.create(MachineId.parse(vm), JobSource.EVENT, Instant.now()), log);
            TableEntity row = w.stateRows().get(vm.toLowerCase(Locale.ROOT));
            assertEquals("DEPLOY", ReliabilityWorld.decision(row));
            assertTrue(row.getProperty("NextLookAt") instanceof OffsetDateTime, "the row says when it is due: " + row.getProperties());
            Instant due = ((OffsetDateTime) row.getProperty("NextLookAt")).toInstant();
            assertEquals(0, w.queuedJobs(), "stranded: nothing queued");

            // Before it is overdue the resync leaves it to its (lost) follow-up ...
            assertEquals(0, w.services.controller.resync(log));
            // ... after the grace it queues one look, which continues the row's chain and converges.
            clock.advance(Duration.between(clock.instant(), due).plus(LookAgain.RESYNC_GRACE).plusSeconds(1));
            assertEquals(1, w.services.controller.resync(log));
            assertTrue(w.host.runUntil(() -> "ONBOARDED".equals(ReliabilityWorld.decision(w.stateRows().get(vm.toLowerCase(Locale.ROOT))))
                    && w.queuedJobs() == 0, Duration.ofSeconds(60)), String.join("\n", w.host.logLines()));
            TableEntity done = w.stateRows().get(vm.toLowerCase(Locale.ROOT));
            assertEquals("resync", done.getProperty("Source"));
            assertEquals(null, done.getProperty("NextLookAt"), "a final row is due for nothing");
            assertEquals(1, w.acceptedExtensionPuts().get(vm.toLowerCase(Locale.ROOT)), "no second PUT");
            assertEquals(0, w.services.controller.resync(log), "nothing overdue any more");
            Figures.set("resync", "stranded machines looked at again", 1);
            Figures.set("resync", "worst case after its due time (s)", LookAgain.RESYNC_GRACE.plusMinutes(2).toSeconds());
        }
    }
}
