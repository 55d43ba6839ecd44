package com.mdeonboarding.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;

/** One extension on a VM or Arc machine. Reachable only through its machine, so only under the store's lock. */
public final class EmulatedExtension {
    public final String name;
    public String location;
    public ObjectNode tags;
    /** The writable properties exactly as last sent (publisher, type, settings, ...), without protectedSettings. */
    public ObjectNode properties;
    /** Write-only: kept so tests can assert what was sent, never rendered in a response. */
    JsonNode protectedSettings;
    public String provisioningState;
    public String statusCode;
    public String statusLevel;
    public String statusDisplay;
    public String statusMessage;
    public Instant statusTime;
    /** The installer's log a failed attempt reported (a VM extension's substatus), or null. */
    public String substatusMessage;
    /** The long-running operation currently working on this extension, if any. */
    public String operationId;

    public EmulatedExtension(String name) {
        this.name = name;
    }

    public String publisher() {
        return Json.text(properties, "publisher");
    }

    public String type() {
        return Json.text(properties, "type");
    }

    public String typeHandlerVersion() {
        return Json.text(properties, "typeHandlerVersion");
    }

    boolean hasProtectedSettings() {
        return protectedSettings != null && !protectedSettings.isNull();
    }

    /**
     * Copies the writable properties of a PUT body; protectedSettings are kept aside (omitted ones
     * keep the previous value), and the read-only provisioningState and instanceView are ignored, as ARM does.
     *
     * @param defaultAutoUpgrade HybridCompute reports {@code autoUpgradeMinorVersion: false} when the body omits it
     */
    public void writeFrom(JsonNode body, String machineLocation, boolean defaultAutoUpgrade) {
        location = Json.text(body, "location") != null ? Json.text(body, "location") : machineLocation;
        JsonNode t = body.get("tags");
        tags = t != null && t.isObject() ? (ObjectNode) t.deepCopy() : null;
        JsonNode props = body.get("properties");
        ObjectNode p = props != null && props.isObject() ? ((ObjectNode) props).deepCopy() : Json.obj();
        JsonNode prot = p.remove("protectedSettings");
        if (prot != null && !prot.isNull()) {
            protectedSettings = prot;
        }
        p.remove("provisioningState");
        p.remove("instanceView");
        if (defaultAutoUpgrade && !p.has("autoUpgradeMinorVersion")) {
            p.put("autoUpgradeMinorVersion", false);
        }
        properties = p;
    }

    /**
     * Sets the provisioning state and the instance-view status that goes with it, in the machine
     * kind's vocabulary (Compute: {@code ProvisioningState/succeeded}, level Info; HybridCompute:
     * {@code success}, level Information).
     */
    public void setState(EmulatedMachine.Kind kind, String state, String code, String message, Instant time) {
        provisioningState = state;
        substatusMessage = null;
        boolean vm = kind == EmulatedMachine.Kind.VM;
        switch (state.toLowerCase(Locale.ROOT)) {
            case "succeeded" -> status(code != null ? code : (vm ? "ProvisioningState/succeeded" : "success"),
                    vm ? "Info" : "Information", "Provisioning succeeded",
                    message != null ? message : (vm ? "Enable succeeded"
                            : "Extension Message: ExtensionOperation:enable. Status:Success"), time);
            case "failed" -> status(code != null ? code : (vm ? "ProvisioningState/failed" : "1"), "Error",
                    "Provisioning failed", message != null ? message : "Enable failed", time);
            default -> status(vm ? "ProvisioningState/transitioning" : "transitioning", vm ? "Info" : "Information",
                    "Transitioning", message != null ? message : "", time);
        }
    }

    private void status(String code, String level, String display, String message, Instant time) {
        statusCode = code;
        statusLevel = level;
        statusDisplay = display;
        statusMessage = message;
        statusTime = time;
    }
}
