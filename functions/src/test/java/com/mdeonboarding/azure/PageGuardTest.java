package com.mdeonboarding.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue #23 item 6: the page cap (a service that sends a new next link for ever) and the cycle check, with their errors. */
class PageGuardTest {
    @Test
    void newLinksWithoutEndStopAtTheCapNamingTheApi() {
        PageGuard guard = PageGuard.arm("VirtualMachines_ListAll (subscription x)", 50);
        for (int page = 2; page <= 50; page++) {
            guard.next("https://management.azure.com/subscriptions/x/providers/Microsoft.Compute/virtualMachines?$skiptoken=" + page);
        }
        ArmException e = assertThrows(ArmException.class, () -> guard.next("https://management.azure.com/...$skiptoken=51"));
        assertEquals("TooManyPages", e.code());
        assertTrue(e.getMessage().contains("VirtualMachines_ListAll") && e.getMessage().contains("more than 50 pages"), e.getMessage());
        assertFalse(e.transientFailure(), "a retry of the job does not fix the service's paging");
    }

    @Test
    void aLinkSeenBeforeIsACycleEvenAfterOthers() {
        PageGuard guard = PageGuard.defender("Defender for Endpoint API machine list");
        guard.next("a");
        guard.next("b");
        DefenderApiException e = assertThrows(DefenderApiException.class, () -> guard.next("a"));
        assertEquals("PagingCycle", e.code());
        assertTrue(e.getMessage().contains("page 3 names a next page already read"), e.getMessage());
        assertFalse(e.retryable());
    }

    @Test
    void theCapsLeaveRoomForTheLargestTenants() {
        // 1,000 ARM pages; 5,000 Resource Graph pages of 1,000 rows; 1,000 Defender pages of 10,000 devices.
        assertEquals(5_000_000, PageGuard.RESOURCE_GRAPH_PAGES * ResourceGraph.PAGE_SIZE);
        assertEquals(10_000_000, PageGuard.DEFENDER_PAGES * DefenderEndpoint.PAGE_SIZE);
    }
}
