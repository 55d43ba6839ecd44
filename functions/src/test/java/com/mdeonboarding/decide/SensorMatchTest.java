package com.mdeonboarding.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.model.DeviceRecord;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.Sensor;
import com.mdeonboarding.model.SensorFacts;
import com.mdeonboarding.model.SensorKeys;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one join rule between a machine and its Defender for Endpoint device records, row by row. */
class SensorMatchTest {
    private static final String SUB = "00000000-0000-0000-0000-000000000001";
    private static final MachineId VM = MachineId.parse("/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-01");
    private static final MachineId ARC = MachineId.parse("/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.HybridCompute/machines/arc-01");
    private static final String VM_VMID = "6c9a1f6e-6b0e-4f11-9a35-2f0e5c1d7a10";
    private static final SensorKeys VM_KEYS = new SensorKeys(Optional.of(VM_VMID), Optional.of("vm-01"));
    private static final SensorKeys ARC_KEYS = new SensorKeys(Optional.empty(), Optional.of("arc-01"));
    private static final Instant T = Instant.parse("2026-05-01T12:00:00Z");

    static DeviceRecord record(String dns, String resourceId, String vmId) {
        return new DeviceRecord("d-" + dns + "-" + resourceId + "-" + vmId, Optional.ofNullable(dns), "Onboarded", "Active", Optional.of(T),
                Optional.of(T), Optional.ofNullable(resourceId), Optional.ofNullable(vmId));
    }

    static Stream<Arguments> rows() {
        String other = "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-010";
        return Stream.of(
                Arguments.of("VM: its resource ID", VM, VM_KEYS, record("vm-01", VM.id(), null), true),
                Arguments.of("VM: its resource ID in another case", VM, VM_KEYS, record("vm-01", VM.id().toUpperCase(), null), true),
                Arguments.of("VM: no resource ID, its vmId", VM, VM_KEYS, record("vm-01", null, VM_VMID.toUpperCase()), true),
                Arguments.of("VM: another machine's resource ID, even with this vmId (never guessed)", VM, VM_KEYS,
                        record("vm-01", other, VM_VMID), false),
                Arguments.of("VM: another vmId", VM, VM_KEYS, record("vm-01", null, "11111111-1111-4111-8111-111111111111"), false),
                Arguments.of("VM: no vmMetadata at all, same name (never by name)", VM, VM_KEYS, record("vm-01", null, null), false),
                Arguments.of("VM without a known vmId: a vmId-only record is not its", VM, SensorKeys.none(), record("vm-01", null, VM_VMID), false),
                Arguments.of("Arc: its resource ID", ARC, ARC_KEYS, record("arc-01.contoso.local", ARC.id(), "x"), true),
                Arguments.of("Arc: a vmId only is not evidence", ARC, new SensorKeys(Optional.of("x"), Optional.of("arc-01")),
                        record("arc-01", null, "x"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void matches(String name, MachineId machine, SensorKeys keys, DeviceRecord d, boolean expected) {
        assertEquals(expected, !SensorMatch.recordsOf(machine, keys, List.of(d)).isEmpty());
    }

    @Test
    void aLookThatFindsOnlyUnattributedRecordsOfTheSameNameCannotTell() {
        SensorFacts f = SensorMatch.lookedUp(VM, VM_KEYS, List.of(record("vm-01.contoso.com", null, null)));
        assertInstanceOf(SensorFacts.Unavailable.class, f);
        assertTrue(((SensorFacts.Unavailable) f).cause().contains("never guessed"), f.toString());
        assertEquals(false, ((SensorFacts.Unavailable) f).retryable());
    }

    @Test
    void recordsOfOtherMachinesWithTheSamePrefixMeanNotSeen() {
        String other = "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-010";
        SensorFacts f = SensorMatch.lookedUp(VM, VM_KEYS, List.of(record("vm-010", other, null), record("vm-011", null, null)));
        assertEquals(SensorFacts.seen(List.of()), f);
    }

    @Test
    void ownRecordsWinOverUnattributedOnes() {
        DeviceRecord own = record("vm-01", VM.id(), null);
        assertEquals(SensorFacts.seen(List.of(own)), SensorMatch.lookedUp(VM, VM_KEYS, List.of(record("vm-01", null, null), own)));
    }

    @Test
    void theSweepIndexKeepsTheRecordSeenLastAndTheCount() {
        DeviceIndex index = new DeviceIndex();
        DeviceRecord old = new DeviceRecord("old", Optional.of("vm-01"), "Onboarded", "Inactive", Optional.of(T.minusSeconds(90_000)),
                Optional.of(T.minusSeconds(86_400)), Optional.of(VM.id().toUpperCase()), Optional.empty());
        DeviceRecord now = new DeviceRecord("new", Optional.of("vm-01"), "Onboarded", "Active", Optional.of(T.minusSeconds(60)),
                Optional.of(T), Optional.of(VM.id()), Optional.empty());
        index.add(now);
        index.add(old);
        index.add(record("x", null, VM_VMID));
        Sensor s = index.sensorOf(VM);
        assertEquals(Optional.of("new"), s.deviceId());
        assertEquals(2, s.records());
        assertEquals(3, index.records());
        assertEquals(1, index.withoutResourceId());
        assertEquals(0, index.sensorOf(ARC).records(), "not listed: seen by nobody");
    }
}
