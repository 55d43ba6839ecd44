package com.mdeonboarding.emulator.server;

import java.util.List;
import java.util.regex.Pattern;

/** Which api-version values a route accepts. */
public final class EmulatedApiVersions {
    private static final Pattern DATE_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview|-beta|-alpha|-privatepreview)?");
    private final String resourceType;
    private final List<String> versions;

    private EmulatedApiVersions(String resourceType, List<String> versions) {
        this.resourceType = resourceType;
        this.versions = versions;
    }

    /** Any well-formed version: Compute is lenient, because SDK releases move its version often. */
    public static EmulatedApiVersions anyDated(String resourceType) {
        return new EmulatedApiVersions(resourceType, null);
    }

    public static EmulatedApiVersions of(String resourceType, String... versions) {
        return new EmulatedApiVersions(resourceType, List.of(versions));
    }

    void check(String version) {
        if (versions == null) {
            if (!DATE_VERSION.matcher(version).matches()) {
                throw ArmError.badRequest("InvalidApiVersionParameter", "The api-version '" + version
                        + "' is invalid. The supported versions are dates in the form 'yyyy-MM-dd[-preview]'.");
            }
            return;
        }
        if (!versions.contains(version)) {
            throw ArmError.badRequest("NoRegisteredProviderFound", "No registered resource provider found for "
                    + "location 'global' and API version '" + version + "' for type '" + resourceType
                    + "'. The supported api-versions are '" + String.join(", ", versions)
                    + "'. The supported locations are ''.");
        }
    }
}
