package com.mdeonboarding.sweep;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.azure.DefenderForCloud;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.ResourcePricing;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * An exclusion that Defender for Cloud honours too. The exclusion tag stops this app only; where the subscription's
 * Defender for Endpoint integration is on (Standard plan, WDATP on), Defender for Cloud's own provisioning still installs
 * MDE on an excluded machine. In enforce mode such a machine gets resource-level pricing {@code VirtualMachines} = Free
 * (one PUT; remembered, so the next sweep writes nothing), and loses it again (DELETE, so it inherits the subscription's
 * plan) when the exclusion is lifted. Only our own Free is ever removed: a machine set Free at resource level by someone
 * else is reported as such and left alone. In the other modes nothing is written and the report says Defender for Cloud
 * will still deploy to those machines.
 *
 * <p>Cost: nothing outside enforce mode (the report counts the machines, without reading each one's pricing). In enforce
 * mode one GET per excluded machine under an enabled integration that we have not set Free ourselves (usually a
 * handful; it keeps us from overwriting a setting someone else made), one PUT the first time, nothing after.
 */
final class ExclusionPricing {
    private final DefenderForCloud defender;
    private final SweepReportStore store;
    private final boolean enforce;
    private final Clock clock;
    private final Set<String> ours;
    private final Set<String> seen = new HashSet<>();
    private final List<MachineId> toCheck = new ArrayList<>();
    private final List<MachineId> toRelease = new ArrayList<>();
    private long excluded;
    private long held;

    ExclusionPricing(DefenderForCloud defender, SweepReportStore store, boolean enforce, Clock clock) {
        this.defender = defender;
        this.store = store;
        this.enforce = enforce;
        this.clock = clock;
        this.ours = store.freePricingsSet();
    }

    /** A machine as the sweep streams it: excluded by tag or not, and whether its subscription's integration is on. */
    void see(MachineId id, boolean excludedByTag, boolean integrationOn) {
        String key = id.key();
        seen.add(key);
        boolean mine = ours.contains(key);
        if (excludedByTag && integrationOn) {
            excluded++;
            if (mine) {
                held++;
            } else {
                toCheck.add(id);
            }
        } else if (!excludedByTag && mine) {
            toRelease.add(id);
        }
    }

    /** Reads, and in enforce mode writes, what {@link #see} collected; a failure is one report error each. */
    SweepReport.Exclusions finish(List<String> subscriptions, List<String> errors, String tag, Logger log) {
        long set = 0;
        long someoneElse = 0;
        long removed = 0;
        long stillDeployed = 0;
        for (MachineId id : toCheck) {
            if (!enforce) {
                stillDeployed++;
                continue;
            }
            try {
                Optional<ResourcePricing> p = defender.resourcePricing(id);
                if (p.isPresent() && !p.get().inherited() && !p.get().standard()) {
                    someoneElse++;
                    log.info(tag + "[resourceId=" + id + "] excluded, and already set Free at resource level by someone else; left alone");
                    continue;
                }
                defender.putResourcePricingFree(id);
                store.markFreePricing(id.key(), clock.instant());
                set++;
                log.info(tag + "[resourceId=" + id + "] excluded: resource-level pricing VirtualMachines set to Free, so Defender for"
                        + " Cloud does not deploy MDE to it either");
            } catch (ArmException e) {
                errors.add("machine " + id + ": resource-level pricing Free for the excluded machine failed: " + e.getMessage());
            }
        }
        for (MachineId id : toRelease) {
            if (!enforce) {
                continue;
            }
            try {
                defender.deleteResourcePricing(id);
                store.unmarkFreePricing(id.key());
                removed++;
                log.info(tag + "[resourceId=" + id + "] no longer excluded: our resource-level pricing Free removed (it inherits again)");
            } catch (ArmException e) {
                errors.add("machine " + id + ": removing our resource-level pricing Free failed: " + e.getMessage());
            }
        }
        if (enforce) {
            // Machines we set Free that this sweep's subscriptions no longer hold (deleted): forget them.
            Set<String> swept = new HashSet<>(subscriptions);
            for (String key : ours) {
                Optional<MachineId> m = MachineId.tryParse(key);
                if (m.isPresent() && swept.contains(m.get().subscriptionId().toLowerCase(Locale.ROOT)) && !seen.contains(key)) {
                    store.unmarkFreePricing(key);
                }
            }
        }
        return new SweepReport.Exclusions(excluded, set, held, someoneElse, removed, stillDeployed);
    }
}
