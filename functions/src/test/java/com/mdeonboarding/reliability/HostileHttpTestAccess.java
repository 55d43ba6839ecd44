package com.mdeonboarding.reliability;

import java.util.regex.Pattern;

/** The hostile suite's pattern of library internals, for the focused tests of other packages. */
public final class HostileHttpTestAccess {
    private HostileHttpTestAccess() {
    }

    public static Pattern internals() {
        return HostileHttpTest.INTERNALS;
    }
}
