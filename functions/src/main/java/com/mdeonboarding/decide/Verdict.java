package com.mdeonboarding.decide;

import java.util.Optional;

/**
 * What one check of the app's setup found: pass, warn (works, but not as it should) or fail (something the app needs is
 * missing), what it saw, and how to fix it.
 */
public record Verdict(Status status, String detail, Optional<String> fix) {
    public enum Status {
        PASS, WARN, FAIL
    }

    public static Verdict pass(String detail) {
        return new Verdict(Status.PASS, detail, Optional.empty());
    }

    public static Verdict warn(String detail, String fix) {
        return new Verdict(Status.WARN, detail, Optional.of(fix));
    }

    public static Verdict fail(String detail, String fix) {
        return new Verdict(Status.FAIL, detail, Optional.of(fix));
    }
}
