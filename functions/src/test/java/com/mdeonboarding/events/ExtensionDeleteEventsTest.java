package com.mdeonboarding.events;

import static com.mdeonboarding.events.ResourceEventsTest.ARC;
import static com.mdeonboarding.events.ResourceEventsTest.VM;
import static com.mdeonboarding.events.ResourceEventsTest.eventGrid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The event subscription the app keeps delivers deletes of machine extensions (change control: someone removed MDE);
 * each becomes a look at the machine. Other deletes are ignored, a delete whose ID is not a machine extension is
 * malformed.
 */
class ExtensionDeleteEventsTest {
    private static String delete(String id, String uri, String operation) {
        return eventGrid(id, uri, operation, "2026-12-08T10:00:00Z")
                .replace("Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Resources.ResourceDeleteSuccess");
    }

    @Test
    void anExtensionDeleteIsALookAtItsMachine() {
        ResourceEvents.Batch b = ResourceEvents.parse("[" + delete("d1", VM + "/extensions/MDE.Windows", "Microsoft.Compute/virtualMachines/extensions/delete")
                + "," + delete("d2", ARC + "/extensions/MDE.Linux", "Microsoft.HybridCompute/machines/extensions/delete") + "]");
        assertEquals(2, b.machines().size(), b.toString());
        assertEquals(java.util.Set.of(VM.toLowerCase(), ARC.toLowerCase()), b.machines().stream()
                .map(w -> w.machine().toString().toLowerCase()).collect(java.util.stream.Collectors.toSet()));
        assertEquals(0, b.ignored().size());
        assertEquals(0, b.malformed().size());
    }

    @Test
    void otherDeletesAreIgnoredAndABadExtensionIdIsMalformed() {
        ResourceEvents.Batch b = ResourceEvents.parse("[" + delete("m", VM, "Microsoft.Compute/virtualMachines/delete") + ","
                + delete("x", VM + "/extensions", "Microsoft.Compute/virtualMachines/extensions/delete") + ","
                + delete("k", ARC + "/extensions/MDE.Linux", "Microsoft.Compute/virtualMachines/extensions/delete") + "]");
        assertEquals(0, b.machines().size());
        assertEquals(1, b.ignored().size(), "a machine delete is not ours to handle: " + b.ignored());
        assertEquals(2, b.malformed().size(), "no extension name; operation of the other kind: " + b.malformed());
    }
}
