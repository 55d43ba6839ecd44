package com.mdeonboarding.emulator.providers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.state.EmulatedExtension;
import com.mdeonboarding.emulator.state.EmulatedMachine;
import com.mdeonboarding.emulator.state.Json;

/**
 * Renders an extension resource for both providers. What they share: id, name, type, location,
 * tags, and {@code properties} = the writable properties as last written plus provisioningState.
 * Where they differ, as their published examples show (FidelityTest replays them):
 * <ul>
 * <li>Compute ({@code VirtualMachineExtension_Get}): the instance view only with {@code $expand=instanceView},
 * holding {@code statuses[]} and {@code substatuses[]};</li>
 * <li>HybridCompute ({@code Extension_Get}): the instance view always, holding one {@code status} object.</li>
 * </ul>
 * The status vocabulary itself (codes, levels) is set by {@link EmulatedExtension#setState}.
 */
final class ExtensionJson {
    private ExtensionJson() {
    }

    /** @param expand {@code $expand=instanceView} was asked for (HybridCompute returns the instance view anyway) */
    static ObjectNode resource(EmulatedMachine m, EmulatedExtension e, boolean expand) {
        boolean vm = m.isVm();
        ObjectNode o = Json.obj();
        o.put("id", id(m, e));
        o.put("name", e.name);
        o.put("type", m.type() + "/extensions");
        o.put("location", e.location == null ? m.location : e.location);
        if (e.tags != null) {
            o.set("tags", e.tags);
        }
        ObjectNode p = o.putObject("properties");
        p.setAll(e.properties);
        p.put("provisioningState", e.provisioningState);
        if (expand || !vm) {
            ObjectNode iv = p.putObject("instanceView");
            iv.put("name", e.name);
            iv.put("type", e.type());
            iv.put("typeHandlerVersion", e.typeHandlerVersion());
            if (vm) {
                iv.set("substatuses", substatuses(e));
                iv.set("statuses", statuses(e));
            } else {
                iv.set("status", status(e));
            }
        }
        return o;
    }

    /**
     * The extension's ID as its provider writes it: Compute {@code .../virtualMachines/{vm}/extensions/{name}};
     * HybridCompute {@code .../Microsoft.HybridCompute/Machines/{m}/Extensions/{name}}, capitalised as in its own
     * Extension_Get and Extension_List examples (IDs compare case-insensitively, but a case-sensitive {@code indexof}
     * in a Resource Graph query does not).
     */
    static String id(EmulatedMachine m, EmulatedExtension e) {
        if (m.isVm()) {
            return m.id + "/extensions/" + e.name;
        }
        return m.id.replace("/providers/Microsoft.HybridCompute/machines/", "/providers/Microsoft.HybridCompute/Machines/")
                + "/Extensions/" + e.name;
    }

    /** Compute's form: the status as the only element of {@code statuses} (also used in the VM's own instance view). */
    static ArrayNode statuses(EmulatedExtension e) {
        return Json.arr().add(status(e));
    }

    /**
     * Compute's substatuses: the installer's log of a failed attempt, where MDE.Windows reports it (Azure/azure-cli
     * #23663); empty otherwise. The substatus code is emulator wording (the issue shows only its message).
     */
    static ArrayNode substatuses(EmulatedExtension e) {
        ArrayNode out = Json.arr();
        if (e.substatusMessage != null) {
            out.addObject().put("code", "ComponentStatus/" + e.type() + "/failed").put("level", "Error")
                    .put("displayStatus", "Provisioning failed").put("message", e.substatusMessage);
        }
        return out;
    }

    private static ObjectNode status(EmulatedExtension e) {
        ObjectNode s = Json.obj();
        s.put("code", e.statusCode);
        s.put("level", e.statusLevel);
        s.put("displayStatus", e.statusDisplay);
        s.put("message", e.statusMessage);
        if (e.statusTime != null) {
            s.put("time", e.statusTime.toString());
        }
        return s;
    }
}
