package com.mdeonboarding.emulator.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A VM's marketplace image ({@code properties.storageProfile.imageReference}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageReference(String publisher, String offer, String sku, String version) {
    public ImageReference {
        version = version == null ? "latest" : version;
    }

    public static ImageReference of(String publisher, String offer, String sku) {
        return new ImageReference(publisher, offer, sku, "latest");
    }
}
