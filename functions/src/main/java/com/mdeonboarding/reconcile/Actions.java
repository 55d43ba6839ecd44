package com.mdeonboarding.reconcile;

/** The action objects the reconciler carries its planned actions out with (the sweep shares the settings writer). */
public record Actions(RunGuestCheck guestCheck, EnableIntegrationSetting enableSetting, SetPassiveMode passiveMode,
                      DeployExtension deploy) {
}
