package com.mdeonboarding.azure;

/**
 * The Resource Manager api-versions we call, in one place (sources: the Defender/ARM reference notes, defender-azure-apis.md).
 */
public final class ApiVersions {
    /** Microsoft.Compute virtual machines, their extensions and Run Command (a stable version every region serves). */
    public static final String COMPUTE = "2024-07-01";
    /** Microsoft.Security/pricings, subscription and resource scope (subPlan, enforce, inherited). */
    public static final String PRICINGS = "2024-01-01";
    /** Microsoft.Security/settings (WDATP, WDATP_UNIFIED_SOLUTION, WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW). */
    public static final String SETTINGS = "2022-05-01";
    /** Microsoft.Security/mdeOnboardings: the only version published. */
    public static final String MDE_ONBOARDINGS = "2021-10-01-preview";
    /** Microsoft.HybridCompute machines, extensions and run commands. */
    public static final String HYBRID_COMPUTE = "2025-01-13";
    /** Microsoft.ResourceGraph/resources. */
    public static final String RESOURCE_GRAPH = "2024-04-01";
    /** Microsoft.Resources subscriptions. */
    public static final String SUBSCRIPTIONS = "2022-12-01";
    /** Microsoft.Authorization permissions (the caller's actions at a scope): the spec's latest stable version. */
    public static final String AUTHORIZATION = "2022-04-01";
    /** Microsoft.EventGrid system topics and their event subscriptions: the version infra/subscription-events.json deploys. */
    public static final String EVENT_GRID = "2025-02-15";

    /** Microsoft.Resources resource groups (where a created system topic goes). */
    public static final String RESOURCE_GROUPS = "2022-09-01";

    private ApiVersions() {
    }
}
