package com.mdeonboarding.reconcile;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.decide.PassRules;

import com.mdeonboarding.azure.DefenderForCloud;
import com.mdeonboarding.model.IntegrationSetting;

/**
 * Carries out {@code ENABLE_WDATP}, {@code ENABLE_UNIFIED_SOLUTION} and {@code INCLUDE_LINUX}: writes one integration
 * setting to the value that has the integration on. The one writer of integration settings, for the reconciler and
 * the sweep's enforce mode alike; the subscription's cached posture is dropped so the next read sees the write.
 */
public final class EnableIntegrationSetting {
    private final DefenderForCloud defender;
    private final PostureCache postures;

    public EnableIntegrationSetting(DefenderForCloud defender, PostureCache postures) {
        this.defender = defender;
        this.postures = postures;
    }

    public void apply(String subscriptionId, IntegrationSetting setting) {
        defender.putSetting(subscriptionId, setting, setting.desiredValue());
        postures.invalidate(subscriptionId);
    }

    /** The write as one action of a pass (enforce mode): done, or refused; a transient failure is thrown (the queue retries). */
    public PassRules.Outcome enable(PassRules.Act.EnableSetting act, String subscriptionId, MachineLog log) {
        try {
            apply(subscriptionId, act.setting());
            log.info("enforce mode: set " + act.setting().settingName() + " to " + act.setting().desiredValue() + " for subscription "
                    + subscriptionId);
            return new PassRules.Outcome.Done(act);
        } catch (ArmException e) {
            if (e.transientFailure()) {
                throw e;
            }
            log.warning("Resource Manager refused the setting write: " + e.getMessage());
            return new PassRules.Outcome.Refused(e.getMessage());
        }
    }

    /** How a done write reads in reports and history, e.g. {@code WDATP=true}. */
    public static String label(IntegrationSetting setting) {
        return setting.label();
    }
}
