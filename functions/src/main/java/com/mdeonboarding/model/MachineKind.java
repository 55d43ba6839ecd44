package com.mdeonboarding.model;

/** The two kinds of machine we onboard. */
public enum MachineKind {
    /** {@code Microsoft.Compute/virtualMachines}. */
    VM,
    /** {@code Microsoft.HybridCompute/machines} (Azure Arc-enabled server). */
    ARC
}
