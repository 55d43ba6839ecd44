package com.mdeonboarding.decide;

import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.ExtensionState;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.OsType;
import com.mdeonboarding.model.Tags;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MDE extension exactly as Defender for Cloud deploys it (publisher
 * Microsoft.Azure.AzureDefenderForServers, type = name = MDE.Windows / MDE.Linux, handler 1.0 with
 * minor auto-upgrade, settings azureResourceId / vNextEnabled / forceReOnboarding / autoUpdate), see
 * the reference notes on the MDE extension (defender-azure-apis.md, section 1d). The onboarding package goes only into the
 * protected settings, which Azure encrypts and never returns.
 */
public record MdeExtensionSpec(String name, String publisher, String type, String typeHandlerVersion,
                               boolean autoUpgradeMinorVersion, Map<String, Object> settings) {

    public static final String PROTECTED_SETTING = "defenderForEndpointOnboardingScript";
    /** Documented opt-out of MDE automatic updates on Linux (Defender for Cloud, enable-defender-for-endpoint.md). */
    public static final String EXCLUDE_AUTO_UPDATE_TAG = "ExcludeMdeAutoUpdate";

    public static MdeExtensionSpec forMachine(MachineFacts facts) {
        return forMachine(facts, false);
    }

    /** The extension this decision deploys: with {@code forceReOnboarding: true} when it re-onboards a sensor not seen. */
    public static MdeExtensionSpec forDecision(MachineFacts facts, Decision decision) {
        return forMachine(facts, SensorRules.reOnboards(decision));
    }

    static MdeExtensionSpec forMachine(MachineFacts facts, boolean forceReOnboarding) {
        boolean linux = facts.osType() == OsType.LINUX;
        String name = facts.mdeExtensionName();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("azureResourceId", facts.id().id());
        // Windows: the unified (vNext) agent, required for 2012 R2 / 2016 and harmless on newer servers.
        settings.put("vNextEnabled", !linux);
        settings.put("forceReOnboarding", forceReOnboarding);
        settings.put("autoUpdate", !Tags.isTrue(facts.tags(), EXCLUDE_AUTO_UPDATE_TAG));
        return new MdeExtensionSpec(name, ExtensionState.PUBLISHER, name, "1.0", true, Map.copyOf(settings));
    }

    public static Map<String, Object> protectedSettings(String onboardingPackageBase64) {
        return Map.of(PROTECTED_SETTING, onboardingPackageBase64);
    }
}
