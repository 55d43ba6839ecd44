package com.mdeonboarding.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.model.ReasonCode;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReasonFamilyTest {
    @Test
    void everyCodeHasOneFamilyAndTheFamiliesSayWhoActs() {
        Map<ReasonFamily, Integer> sizes = new EnumMap<>(ReasonFamily.class);
        for (ReasonCode c : ReasonCode.values()) {
            sizes.merge(ReasonFamily.of(c), 1, Integer::sum);
        }
        for (ReasonFamily f : ReasonFamily.values()) {
            assertTrue(sizes.getOrDefault(f, 0) > 0, f + " has codes");
        }
        assertEquals(ReasonFamily.POSTURE, ReasonFamily.of(ReasonCode.PLAN_NOT_ENABLED));
        assertEquals(ReasonFamily.POSTURE, ReasonFamily.of(ReasonCode.LINUX_INTEGRATION_DISABLED));
        assertEquals(ReasonFamily.OS, ReasonFamily.of(ReasonCode.EXTENSION_OS_NOT_SUPPORTED));
        assertEquals(ReasonFamily.GUEST, ReasonFamily.of(ReasonCode.PREREQ_KB2999226_MISSING));
        assertEquals(ReasonFamily.GUEST, ReasonFamily.of(ReasonCode.LINUX_CONFLICTING_AGENT));
        assertEquals(ReasonFamily.MACHINE, ReasonFamily.of(ReasonCode.ARC_DISCONNECTED));
        assertEquals(ReasonFamily.SCOPE, ReasonFamily.of(ReasonCode.EXCLUDED_BY_TAG));
        assertEquals(ReasonFamily.EXTENSION, ReasonFamily.of(ReasonCode.EXTENSION_CONNECTIVITY));
        assertEquals(ReasonFamily.SENSOR, ReasonFamily.of(ReasonCode.SENSOR_INACTIVE));
        assertEquals(ReasonFamily.PROCESSING, ReasonFamily.of(ReasonCode.JOB_FAILED));
        // The act-first list leaves out what needs nobody.
        assertFalse(ReasonFamily.needsSomeone(ReasonCode.EXTENSION_HEALTHY));
        assertFalse(ReasonFamily.needsSomeone(ReasonCode.SENSOR_ACTIVE));
        assertTrue(ReasonFamily.needsSomeone(ReasonCode.PLAN_NOT_ENABLED));
        assertEquals(ReasonFamily.POSTURE, ReasonFamily.parse(" Posture ").orElseThrow());
        assertTrue(ReasonFamily.parse("nope").isEmpty());
    }
}
