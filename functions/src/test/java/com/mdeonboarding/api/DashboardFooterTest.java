package com.mdeonboarding.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.config.AppVersion;
import org.junit.jupiter.api.Test;

/** The dashboard says which version rendered it (the footer), so an operator can match it to CHANGELOG.md. */
class DashboardFooterTest {
    @Test
    void theFooterShowsTheVersion() {
        String page = DashboardPage.noSweep("2026-12-08T00:00Z");
        assertTrue(AppVersion.get().matches("0\\.\\d+\\.\\d+"), AppVersion.get());
        assertTrue(page.contains("<footer class=\"note\">mde-onboarding <span id=\"app-version\">" + AppVersion.get() + "</span></footer>"), page);
    }
}
