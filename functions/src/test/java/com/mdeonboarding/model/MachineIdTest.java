package com.mdeonboarding.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MachineIdTest {
    static final String SUB = "20ff7fc3-e762-44dd-bd96-b71116dcdc23";

    @Test
    void parsesBothKindsCaseInsensitively() {
        MachineId vm = MachineId.parse("/SUBSCRIPTIONS/" + SUB.toUpperCase() + "/resourcegroups/RG-1/providers/microsoft.compute/VIRTUALMACHINES/Web_01");
        assertEquals(MachineKind.VM, vm.kind());
        assertEquals(SUB, vm.subscriptionId());
        assertEquals("/subscriptions/" + SUB + "/resourceGroups/RG-1/providers/Microsoft.Compute/virtualMachines/Web_01", vm.id());
        MachineId arc = MachineId.parse("/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/srv.contoso");
        assertEquals(MachineKind.ARC, arc.kind());
        assertEquals(vm, MachineId.parse(vm.id().toLowerCase()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "/subscriptions/" + SUB,
            "/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
            "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/extensions/MDE.Windows",
            "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/vmss",
            "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st",
            "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/..",
            "/subscriptions/" + SUB + "/resourceGroups/../providers/Microsoft.Compute/virtualMachines/vm",
            "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm%2F..%2Fx",
            "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/",
            "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm?api-version=1",
            "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm#x",
            "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/v m",
            "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm\n",
            " /subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
            "https://management.azure.com/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
    })
    void rejectsAnythingButAMachineId(String id) {
        assertFalse(MachineId.tryParse(id).isPresent(), id);
        MachineId.InvalidMachineIdException e = assertThrows(MachineId.InvalidMachineIdException.class, () -> MachineId.parse(id));
        assertFalse(e.getMessage().contains("\n"), "control characters are escaped in messages");
    }

    @Test
    void rejectsNullAndHugeInput() {
        assertFalse(MachineId.tryParse(null).isPresent());
        assertFalse(MachineId.tryParse("/subscriptions/" + SUB + "/resourceGroups/" + "a".repeat(600)).isPresent());
        assertTrue(MachineId.tryParse("/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm").isPresent());
    }
}
