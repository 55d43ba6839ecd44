package com.mdeonboarding.onboarding;

import java.util.Map;
import java.util.Optional;

/**
 * Everything the decision needs to know about one machine, as Azure reports it now. Built by the
 * reconciler's I/O shell; the decision function never does I/O.
 *
 * @param resourceId       full ARM ID as Azure returns it
 * @param kind             VM or Arc machine
 * @param subscriptionId   lower-case subscription GUID
 * @param location         Azure region (extensions are written there)
 * @param osType           Windows / Linux / unknown (VM: storageProfile.osDisk.osType; Arc: osType)
 * @param osName           VM: instanceView.osName (e.g. "Windows Server 2016 Datacenter"); Arc: osName ("windows"/"linux")
 * @param osSku            Arc: osSku (e.g. "Windows Server 2012 R2 Datacenter", "Ubuntu 22.04.4 LTS"); VM: empty
 * @param osVersion        VM: instanceView.osVersion; Arc: osVersion
 * @param imagePublisher   VM marketplace image publisher, if any
 * @param imageOffer       VM marketplace image offer, if any
 * @param imageSku         VM marketplace image SKU, if any
 * @param powerState       VM: the {@code PowerState/x} code's x ("running", "deallocated", ...); Arc: empty
 * @param vmAgentReady     VM: true when the VM agent reports Ready; empty when unknown; Arc: empty
 * @param arcStatus        Arc: "Connected", "Disconnected", "Expired", "Error"; VM: empty
 * @param tags             resource tags (names compared case-insensitively by the rules)
 * @param mdeExtension     the MDE extension if one exists
 * @param resourcePricing  the resource-level Defender for Servers pricing, when it was read
 * @param guestCheck       the latest guest prerequisite check result, if one was run and still counts (stored per machine;
 *                         pass it through {@link GuestChecks#current} so that stale results are dropped)
 * @param extensionFailures how many times our deployment of the extension has ended Failed for this machine
 */
public record MachineFacts(
        String resourceId,
        MachineKind kind,
        String subscriptionId,
        String location,
        OsType osType,
        Optional<String> osName,
        Optional<String> osSku,
        Optional<String> osVersion,
        Optional<String> imagePublisher,
        Optional<String> imageOffer,
        Optional<String> imageSku,
        Optional<String> powerState,
        Optional<Boolean> vmAgentReady,
        Optional<String> arcStatus,
        Map<String, String> tags,
        Optional<ExtensionState> mdeExtension,
        Optional<ResourcePricing> resourcePricing,
        Optional<GuestCheckResult> guestCheck,
        int extensionFailures) {

    public MachineFacts withGuestCheck(GuestCheckResult result) {
        return new MachineFacts(resourceId, kind, subscriptionId, location, osType, osName, osSku, osVersion,
                imagePublisher, imageOffer, imageSku, powerState, vmAgentReady, arcStatus, tags, mdeExtension,
                resourcePricing, Optional.of(result), extensionFailures);
    }

    public MachineFacts withExtensionFailures(int failures) {
        return new MachineFacts(resourceId, kind, subscriptionId, location, osType, osName, osSku, osVersion,
                imagePublisher, imageOffer, imageSku, powerState, vmAgentReady, arcStatus, tags, mdeExtension,
                resourcePricing, guestCheck, failures);
    }

    /** The extension name/type for this OS: {@code MDE.Windows} or {@code MDE.Linux}. */
    public String mdeExtensionName() {
        return osType == OsType.LINUX ? "MDE.Linux" : "MDE.Windows";
    }
}
