package com.mdeonboarding.reconcile;

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
}
