package com.mdeonboarding.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mdeonboarding.config.RemediationMode;
import com.mdeonboarding.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesConfigTest {

    @Test
    void readsTheSettings() {
        Settings s = Settings.from(Map.of("AzureWebJobsStorage", "UseDevelopmentStorage=true", Settings.EXCLUSION_TAG, "NoMde",
                Settings.PASSIVE_MODE_TAG, "OtherAv", Settings.REMEDIATION_MODE, "enforce", Settings.MAX_EXTENSION_FAILURES, "5"));
        assertEquals(new RulesConfig("NoMde", "OtherAv", RemediationMode.ENFORCE, 5), RulesConfig.from(s));
    }

    @Test
    void defaults() {
        Settings s = Settings.from(Map.of("AzureWebJobsStorage", "UseDevelopmentStorage=true"));
        assertEquals(new RulesConfig("MdeOnboardingExclude", "MdePassiveMode", RemediationMode.AUDIT, 3), RulesConfig.from(s));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RulesConfig(" ", "p", RemediationMode.AUDIT, 3));
        assertThrows(IllegalArgumentException.class, () -> new RulesConfig("e", "p", RemediationMode.AUDIT, 0));
        assertThrows(NullPointerException.class, () -> new RulesConfig("e", "p", null, 3));
    }
}
