package com.mdeonboarding.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mdeonboarding.config.Mode;
import com.mdeonboarding.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesConfigTest {

    @Test
    void readsTheSettings() {
        Settings s = Settings.from(Map.of("AzureWebJobsStorage", "UseDevelopmentStorage=true", Settings.EXCLUSION_TAG, "NoMde",
                Settings.PASSIVE_MODE_TAG, "OtherAv", Settings.MODE, "enforce", Settings.MAX_EXTENSION_FAILURES, "5"));
        assertEquals(new RulesConfig("NoMde", "OtherAv", Mode.ENFORCE, 5), RulesConfig.from(s));
    }

    @Test
    void defaults() {
        Settings s = Settings.from(Map.of("AzureWebJobsStorage", "UseDevelopmentStorage=true"));
        assertEquals(new RulesConfig("MdeOnboardingExclude", "MdePassiveMode", Mode.OBSERVE, 3), RulesConfig.from(s), "a fresh deployment observes");
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new RulesConfig(" ", "p", Mode.ONBOARD, 3));
        assertThrows(IllegalArgumentException.class, () -> new RulesConfig("e", "p", Mode.ONBOARD, 0));
        assertThrows(NullPointerException.class, () -> new RulesConfig("e", "p", null, 3));
    }
}
