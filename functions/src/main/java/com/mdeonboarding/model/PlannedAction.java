package com.mdeonboarding.model;

import java.util.Optional;

/** A write (or a read-only guest check) the I/O shell carries out after a decision, in this order. */
public enum PlannedAction {
    /** Run the read-only guest prerequisite check, then decide again with its result. */
    RUN_GUEST_CHECK,
    /** Enforce mode: switch on {@code WDATP} for the subscription. */
    ENABLE_WDATP,
    /** Enforce mode: switch on {@code WDATP_UNIFIED_SOLUTION}. */
    ENABLE_UNIFIED_SOLUTION,
    /** Enforce mode: set {@code WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW} to false (Linux included). */
    INCLUDE_LINUX,
    /** Set ForceDefenderPassiveMode=1 through Run Command before onboarding. */
    SET_PASSIVE_MODE,
    /** PUT the MDE.Windows / MDE.Linux extension. */
    DEPLOY_EXTENSION;

    /** The integration setting this action switches on, for the three setting actions. */
    public Optional<IntegrationSetting> setting() {
        return switch (this) {
            case ENABLE_WDATP -> Optional.of(IntegrationSetting.WDATP);
            case ENABLE_UNIFIED_SOLUTION -> Optional.of(IntegrationSetting.WDATP_UNIFIED_SOLUTION);
            case INCLUDE_LINUX -> Optional.of(IntegrationSetting.WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW);
            default -> Optional.empty();
        };
    }
}
