package com.mdeonboarding.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReasonCodeTest {

    @ParameterizedTest
    @EnumSource(ReasonCode.class)
    void everyCodeHasASentence(ReasonCode code) {
        String s = code.sentence();
        assertNotNull(s, code.name());
        assertFalse(s.isBlank(), code.name());
        assertTrue(s.endsWith("."), code + " does not end with a period: " + s);
        assertTrue(Character.isUpperCase(s.charAt(0)), code + " does not start with a capital: " + s);
        assertFalse(s.contains("  "), code + " has a double space: " + s);
    }
}
