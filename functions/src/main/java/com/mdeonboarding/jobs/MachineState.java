package com.mdeonboarding.jobs;

import com.mdeonboarding.onboarding.DecisionKind;
import com.mdeonboarding.onboarding.GuestCheckResult;
import com.mdeonboarding.onboarding.MachineId;
import com.mdeonboarding.onboarding.ReasonCode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The latest recorded decision about one machine (one row of the state table).
 *
 * @param machine           the machine
 * @param decision          latest decision
 * @param reasons           its reason codes
 * @param detail            operator text (e.g. the extension's failure message)
 * @param extensionState    the MDE extension's provisioning state when last seen, or empty
 * @param extensionFailures how many of our deployments ended Failed (reset when one succeeds)
 * @param lastDeployAt      when we last wrote the extension
 * @param guestCheck        the cached guest prerequisite check result
 * @param observedAt        when the facts behind this decision were read: jobs requested before it are coalesced
 * @param updatedAt         when this row was written
 * @param correlationId     the job that wrote it
 * @param source            event / sweep / manual / poison
 * @param attempt           the job attempt that wrote it
 * @param etag              the row's ETag (optimistic concurrency); empty for a row not yet stored
 */
public record MachineState(
        MachineId machine,
        DecisionKind decision,
        List<ReasonCode> reasons,
        Optional<String> detail,
        Optional<String> extensionState,
        int extensionFailures,
        Optional<Instant> lastDeployAt,
        Optional<GuestCheckResult> guestCheck,
        Instant observedAt,
        Instant updatedAt,
        String correlationId,
        String source,
        int attempt,
        Optional<String> etag) {

    public MachineState {
        reasons = List.copyOf(reasons);
    }
}
