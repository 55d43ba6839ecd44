package com.mdeonboarding.emulator;

/** IDs and api-versions for requests against the bundled sample tenant. */
final class Sample {
    static final String PROD = "3f2b8c1e-6d4a-4f7e-9b21-5c8e0a7d4f10";
    static final String DEV = "7a9e2d4c-1b3f-4c8a-8e6d-2f0b9c5a7e21";
    static final String LEGACY = "c4d8f1a2-9e7b-4a3c-b5d6-8e1f2a3b4c32";
    static final String LINUX = "e6f0a3b5-2c8d-4e9f-a1b7-3c4d5e6f7a43";
    static final String COMPUTE_API = "?api-version=2025-04-01";
    static final String HYBRID_API = "?api-version=2025-01-13";
    static final String PRICING_API = "?api-version=2024-01-01";

    private Sample() {
    }

    static String vm(String rg, String name) {
        return "/subscriptions/" + PROD + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/virtualMachines/" + name;
    }

    static String arc(String name) {
        return "/subscriptions/" + PROD + "/resourceGroups/rg-arc-onprem/providers/Microsoft.HybridCompute/machines/" + name;
    }
}
