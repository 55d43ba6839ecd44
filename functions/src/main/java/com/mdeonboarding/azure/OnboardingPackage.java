package com.mdeonboarding.azure;

/**
 * The base64 MDE onboarding package from {@code Microsoft.Security/mdeOnboardings}: a credential.
 * It only ever leaves this object as the extension's protected setting; {@link #toString()} is redacted
 * so that it cannot reach a log line or an exception message by accident.
 */
public final class OnboardingPackage {
    private final String base64;

    public OnboardingPackage(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new ArmException(0, "MissingOnboardingPackage", "Microsoft.Security/mdeOnboardings returned no onboarding package");
        }
        this.base64 = base64;
    }

    /** Only for building the extension's protectedSettings. */
    public String reveal() {
        return base64;
    }

    @Override
    public String toString() {
        return "OnboardingPackage[redacted]";
    }
}
