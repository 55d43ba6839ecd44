package com.mdeonboarding.model;

import java.util.Optional;

/**
 * What Azure reports about a machine's operating system.
 *
 * @param type    Windows / Linux / unknown (VM: storageProfile.osDisk.osType; Arc: osType)
 * @param name    VM: instanceView.osName (e.g. "Windows Server 2016 Datacenter"); Arc: osName ("windows" / "linux")
 * @param sku     Arc: osSku (e.g. "Windows Server 2012 R2 Datacenter", "Ubuntu 22.04.4 LTS"); VM: empty
 * @param version VM: instanceView.osVersion; Arc: osVersion
 * @param image   VM: the marketplace image, if any; Arc: empty
 */
public record OsFacts(OsType type, Optional<String> name, Optional<String> sku, Optional<String> version,
                      Optional<MarketplaceImage> image) {

    public static OsFacts unknown() {
        return new OsFacts(OsType.UNKNOWN, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A VM's marketplace image reference. */
    public record MarketplaceImage(Optional<String> publisher, Optional<String> offer, Optional<String> sku) {
    }
}
