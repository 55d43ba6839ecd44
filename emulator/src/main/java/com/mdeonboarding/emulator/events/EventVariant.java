package com.mdeonboarding.emulator.events;

import com.mdeonboarding.emulator.ArmEmulator;

/**
 * Shapes of resource events that Azure has sent besides the documented samples' ({@link ArmEmulator#eventVariants}).
 * The typed SDK models of this data have broken on each of them (Azure/azure-sdk-for-net #5189: authorization and
 * claims "are no longer string, but really a subobject"; Azure/azure-rest-api-specs PR #16996 changed the schema's
 * types from string to object), so a consumer must read only what it needs.
 */
public enum EventVariant {
    /** {@code data.authorization.evidence} is an array ({@code "evidence": []}), not an object. */
    EVIDENCE_AS_ARRAY,
    /** {@code data.claims} is a JSON string holding the claims, as the schema's first version typed it. */
    CLAIMS_AS_STRING,
    /** {@code data.httpRequest} is a JSON string, as the schema's first version typed it. */
    HTTP_REQUEST_AS_STRING,
    /** {@code resourceUri}, {@code subject} and {@code authorization.scope} spell {@code /resourcegroups/} in lower case. */
    LOWER_CASE_RESOURCE_GROUPS
}
