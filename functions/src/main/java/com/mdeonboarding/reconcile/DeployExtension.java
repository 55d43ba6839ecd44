package com.mdeonboarding.reconcile;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.decide.PassRules;

import com.mdeonboarding.azure.Machines;
import com.mdeonboarding.azure.OnboardingPackage;
import com.mdeonboarding.decide.MdeExtensionSpec;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.MachineFacts;

/**
 * Carries out {@code DEPLOY_EXTENSION}: one PUT of the MDE extension exactly as Defender for Cloud writes it, with the
 * subscription's onboarding package (cached, a credential: it goes only into the protected settings). Does not wait
 * for provisioning: the next look verifies it.
 */
public final class DeployExtension {
    private final Machines machines;
    private final PostureCache postures;

    public DeployExtension(Machines machines, PostureCache postures) {
        this.machines = machines;
        this.postures = postures;
    }

    /**
     * Returns the PUT's status code. The extension is the one the decision asks for: with {@code forceReOnboarding: true}
     * when it re-onboards a sensor that was not seen ({@link MdeExtensionSpec#forDecision}).
     */
    public int apply(MachineFacts facts, Decision decision) {
        MdeExtensionSpec spec = MdeExtensionSpec.forDecision(facts, decision);
        OnboardingPackage pkg = postures.onboardingPackage(facts.id().subscriptionId(), facts.osType());
        return machines.putMdeExtension(facts, spec, pkg);
    }

    /**
     * The PUT as one action of a pass: done, or what stopped it. A 409 Conflict (another writer, such as Defender for
     * Cloud's own provisioning, or another operation on the machine) is an outcome the next look follows up; a refusal a
     * retry will not fix is recorded; a transient failure is thrown, so that the queue tries the job again.
     */
    public PassRules.Outcome deploy(PassRules.Act.Deploy act, MachineFacts facts, Decision decision, MachineLog log) {
        try {
            int status = apply(facts, decision);
            log.info("extension " + facts.mdeExtensionName() + (act.reOnboarding() ? " (forceReOnboarding)" : "") + " PUT answered " + status);
            return new PassRules.Outcome.Done(act);
        } catch (ArmException e) {
            if (e.transientFailure()) {
                throw e;
            }
            if (e.conflict()) {
                log.info("extension PUT answered 409 Conflict: " + e.getMessage());
                return new PassRules.Outcome.Conflict(e.getMessage());
            }
            log.warning("Resource Manager refused the extension PUT: " + e.getMessage());
            return new PassRules.Outcome.Refused(e.getMessage());
        }
    }
}
