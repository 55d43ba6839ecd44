package com.mdeonboarding.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What our state store remembers about one machine (one row of the state table): the latest decision and what it
 * took to get there.
 *
 * @param machine    the machine
 * @param kind       latest decision
 * @param reasons    its reason codes (codes a newer build wrote and this one does not know are left out)
 * @param detail     operator text (e.g. the extension's failure message)
 * @param extension  what we know of the MDE extension and our deployments of it
 * @param guest      the cached guest prerequisite check result, and a Run Command under way
 * @param written    which job wrote the row, when, and when the facts behind it were read
 * @param etag       the row's ETag (optimistic concurrency); empty for a row not yet stored
 */
public record MachineRecord(MachineId machine, DecisionKind kind, List<ReasonCode> reasons, Optional<String> detail,
                            ExtensionHistory extension, Guest guest, Provenance written, Optional<String> etag) {

    public MachineRecord {
        reasons = List.copyOf(reasons);
        guest = guest == null ? Guest.none() : guest;
    }

    /** A record with a cached check and no Run Command under way. */
    public MachineRecord(MachineId machine, DecisionKind kind, List<ReasonCode> reasons, Optional<String> detail,
                         ExtensionHistory extension, Optional<GuestCheckResult> guestCheck, Provenance written, Optional<String> etag) {
        this(machine, kind, reasons, detail, extension, new Guest(guestCheck, Optional.empty()), written, etag);
    }

    /** The record of a decision (actions are kept in the history, not in the record). */
    public static MachineRecord of(MachineId machine, Decision d, ExtensionHistory extension, Guest guest, Provenance written,
                                   Optional<String> etag) {
        return new MachineRecord(machine, d.kind(), d.reasons(), d.detail(), extension, guest, written, etag);
    }

    /** The record of a decision with a cached check and no Run Command under way. */
    public static MachineRecord of(MachineId machine, Decision d, ExtensionHistory extension, Optional<GuestCheckResult> guestCheck,
                                   Provenance written, Optional<String> etag) {
        return of(machine, d, extension, new Guest(guestCheck, Optional.empty()), written, etag);
    }

    public MachineRecord withEtag(String tag) {
        return new MachineRecord(machine, kind, reasons, detail, extension, guest, written, Optional.ofNullable(tag));
    }

    /** The same record with other guest facts (a check, a Run Command under way). */
    public MachineRecord withGuest(Guest g) {
        return new MachineRecord(machine, kind, reasons, detail, extension, g, written, etag);
    }

    /** The cached guest prerequisite check result. */
    public Optional<GuestCheckResult> guestCheck() {
        return guest.check();
    }

    /** The Run Command under way on the machine, if the row says one is. */
    public Optional<GuestRun> guestRun() {
        return guest.run();
    }

    /**
     * What Run Commands told and are telling about the guest.
     *
     * @param check the last prerequisite check result (fresh or not: {@code ReconcileRules} judges that)
     * @param run   a Run Command started and not read to its end yet
     */
    public record Guest(Optional<GuestCheckResult> check, Optional<GuestRun> run) {
        public Guest {
            check = check == null ? Optional.empty() : check;
            run = run == null ? Optional.empty() : run;
        }

        public static Guest none() {
            return new Guest(Optional.empty(), Optional.empty());
        }

        public Guest withRun(Optional<GuestRun> r) {
            return new Guest(check, r);
        }
    }

    /**
     * What we know of the MDE extension, our deployments of it, and the Defender for Endpoint sensor it installs.
     *
     * @param provisioningState the MDE extension's provisioning state when last seen, or empty
     * @param failures          how many of our deployments ended Failed (reset when one succeeds)
     * @param lastDeployAt      when we last wrote the extension
     * @param succeededSince    when the extension was first seen Succeeded (since our last re-onboarding, if any): the
     *                          start of the sensor's grace period
     * @param reOnboardedAt     when we re-deployed it with forceReOnboarding because its sensor was not seen (done once)
     * @param sensor            the sensor when last looked at
     */
    public record ExtensionHistory(Optional<String> provisioningState, int failures, Optional<Instant> lastDeployAt,
                                   Optional<Instant> succeededSince, Optional<Instant> reOnboardedAt, Optional<Sensor> sensor) {
        public ExtensionHistory(Optional<String> provisioningState, int failures, Optional<Instant> lastDeployAt) {
            this(provisioningState, failures, lastDeployAt, Optional.empty(), Optional.empty(), Optional.empty());
        }

        public static ExtensionHistory none() {
            return new ExtensionHistory(Optional.empty(), 0, Optional.empty());
        }

        /** The same history with what the sensor rules remember and the sensor as seen now. */
        public ExtensionHistory withSensor(Optional<Instant> since, Optional<Instant> reOnboarded, Optional<Sensor> seen) {
            return new ExtensionHistory(provisioningState, failures, lastDeployAt, since, reOnboarded, seen);
        }

        /** The same history after our extension PUT at {@code at} (the sensor memory stays). */
        public ExtensionHistory deployed(Instant at, boolean reOnboarding) {
            return new ExtensionHistory(Optional.of("Creating"), failures, Optional.of(at), succeededSince,
                    reOnboarding ? Optional.of(at) : reOnboardedAt, sensor);
        }
    }

    /**
     * @param observedAt    when the facts behind this decision were read: jobs requested before it are coalesced
     * @param updatedAt     when this row was written
     * @param correlationId the job that wrote it
     * @param source        event / sweep / manual / poison
     * @param attempt       the job attempt that wrote it
     * @param delivery      the one reconcile pass (one delivery of one job message) that wrote it: a claim names the delivery,
     *                      not the job's chain, so a second copy of the same message never takes the first one's claim for its own
     * @param nextLookAt    when the machine must be looked at again (a non-final row): the resync enqueues a look at a row
     *                      whose time has passed, so a follow-up lost with a crash or a lost acknowledgement is not lost for good
     */
    public record Provenance(Instant observedAt, Instant updatedAt, String correlationId, String source, int attempt, String delivery,
                             Optional<Instant> nextLookAt) {
        public Provenance {
            delivery = delivery == null ? "" : delivery;
            nextLookAt = nextLookAt == null ? Optional.empty() : nextLookAt;
        }

        /** A row written outside a reconcile pass (no delivery claims it, nothing is due). */
        public Provenance(Instant observedAt, Instant updatedAt, String correlationId, String source, int attempt) {
            this(observedAt, updatedAt, correlationId, source, attempt, "", Optional.empty());
        }
    }
}
