package com.mdeonboarding.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue #23 item 7: a queue message is read as strictly as an event. A member given twice (which one would win is the
 * parser's choice, and a forged second {@code resourceId} is another machine) or content after the object is a
 * malformed job, never a guess.
 */
class JobCodecTest {
    private static final String VM = "/subscriptions/a1111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/"
            + "Microsoft.Compute/virtualMachines/vm1";
    private static final String OTHER = VM.replace("vm1", "other");

    @Test
    void aJobRoundTrips() {
        OnboardingJob job = OnboardingJob.create(MachineId.parse(VM), JobSource.MANUAL, Instant.parse("2026-12-08T00:00:00Z"));
        assertEquals(job, JobCodec.decode(JobCodec.encode(job)));
    }

    @Test
    void aMemberGivenTwiceIsMalformed() {
        String encoded = JobCodec.encode(OnboardingJob.create(MachineId.parse(VM), JobSource.EVENT, Instant.parse("2026-12-08T00:00:00Z")));
        for (String twice : new String[] {
                encoded.replace("{\"v\":1,", "{\"v\":1,\"resourceId\":\"" + OTHER + "\","),
                encoded.replace("{\"v\":1,", "{\"v\":1,\"v\":1,"),
                encoded.replace("\"source\":", "\"attempt\":9999,\"source\":")}) {
            JobCodec.MalformedJobException e = assertThrows(JobCodec.MalformedJobException.class, () -> JobCodec.decode(twice), twice);
            assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
        }
    }

    @Test
    void contentAfterTheJobIsMalformed() {
        String encoded = JobCodec.encode(OnboardingJob.create(MachineId.parse(VM), JobSource.EVENT, Instant.parse("2026-12-08T00:00:00Z")));
        JobCodec.MalformedJobException e = assertThrows(JobCodec.MalformedJobException.class, () -> JobCodec.decode(encoded + " {}"));
        assertTrue(e.getMessage().contains("after the job"), e.getMessage());
    }
}
