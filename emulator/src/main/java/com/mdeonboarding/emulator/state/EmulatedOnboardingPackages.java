package com.mdeonboarding.emulator.state;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The fake MDE onboarding packages that mdeOnboardings returns: scripts that onboard nothing, with
 * a random marker so tests can scan logs and stores for a leaked package (the real one is a credential).
 */
public final class EmulatedOnboardingPackages {
    private final String marker;
    private final byte[] windows;
    private final byte[] linux;

    EmulatedOnboardingPackages(String tenantId) {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.marker = "MDE-EMULATOR-PACKAGE-" + HexFormat.of().formatHex(random);
        this.windows = windowsPackage(marker, tenantId).getBytes(StandardCharsets.UTF_8);
        this.linux = linuxPackage(marker, tenantId).getBytes(StandardCharsets.UTF_8);
    }

    public String marker() {
        return marker;
    }

    byte[] windows() {
        return windows.clone();
    }

    byte[] linux() {
        return linux.clone();
    }

    public String windowsBase64() {
        return Base64.getEncoder().encodeToString(windows);
    }

    public String linuxBase64() {
        return Base64.getEncoder().encodeToString(linux);
    }

    private static String windowsPackage(String marker, String tenantId) {
        return "@echo off\r\n"
                + "REM mde-onboarding emulator: FAKE Microsoft Defender for Endpoint onboarding package.\r\n"
                + "REM It onboards nothing; it only lets tests follow the package through the system.\r\n"
                + "REM Package marker: " + marker + "\r\n"
                + "echo Starting Windows Defender Advanced Threat Protection onboarding process...\r\n"
                + "set \"errorDescription=\"\r\n"
                + "REM OnboardingInfo {\"body\":\"{\\\"orgId\\\":\\\"" + tenantId + "\\\",\\\"marker\\\":\\\"" + marker
                + "\\\"}\"}\r\n"
                + "echo Emulated onboarding package; nothing was changed on this machine.\r\n"
                + "exit /b 0\r\n";
    }

    private static String linuxPackage(String marker, String tenantId) {
        return "#! /usr/bin/env python3\n"
                + "# mde-onboarding emulator: FAKE Microsoft Defender for Endpoint onboarding package for Linux.\n"
                + "# It onboards nothing; it only lets tests follow the package through the system.\n"
                + "# Package marker: " + marker + "\n"
                + "import sys\n"
                + "ONBOARDING_INFO = '{\"body\": \"{\\\\\"orgId\\\\\": \\\\\"" + tenantId + "\\\\\", \\\\\"marker\\\\\": \\\\\""
                + marker + "\\\\\"}\"}'\n"
                + "print('Emulated onboarding package; nothing was changed on this machine.')\n"
                + "sys.exit(0)\n";
    }
}
