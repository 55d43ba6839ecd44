package com.mdeonboarding.emulator.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.tenant.SensorSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Defender for Endpoint device records of the emulated tenant, derived from the machines under the store's lock:
 * a machine has records once its MDE extension has succeeded and its sensor has reported ({@link SensorSpec}). Nothing is
 * stored but each machine's onboarding time and count, so 100,000 machines cost no more memory than before.
 *
 * <p>The record's shape follows the documented machine entity (MicrosoftDocs/defender-docs
 * {@code defender-endpoint/api/machine.md} and the response example of {@code api/get-machines.md}), with the fields public
 * clients of the API show it answering besides (mergedIntoMachineId, isPotentialDuplication, isExcluded, exclusionReason,
 * osVersion, agentVersion, onboardingStatus capitalised as "Onboarded", osArchitecture, managedBy, managedByStatus) and
 * {@code vmMetadata} as Microsoft Graph documents it ({@code security-vmmetadata}: vmId, cloudProvider, resourceId,
 * subscriptionId). What an Arc machine's record carries in vmMetadata is not documented; here it names the Arc resource.
 */
public final class EmulatedDevices {
    private EmulatedDevices() {
    }

    /** Hook: an MDE extension on {@code m} reached Succeeded (by a PUT's operation, or seeded so). Call under the write lock. */
    public static void extensionSucceeded(EmulatedMachine m, EmulatedExtension e, Instant at) {
        String type = e.type() != null ? e.type() : e.name;
        if (!type.regionMatches(true, 0, "MDE.", 0, 4)) {
            return;
        }
        boolean force = e.properties != null && e.properties.path("settings").path("forceReOnboarding").asBoolean(false);
        if (m.mdeOnboardedAt == null) {
            m.mdeOnboardedAt = at;
            m.mdeOnboardings = 1;
        } else if (force) {
            // Re-onboarding: the sensor starts over (its delay too) and a new device record appears.
            m.mdeOnboardedAt = at;
            m.mdeOnboardings++;
        }
    }

    /** The machine's device records now, oldest first; empty before its sensor reports. Call under the lock. */
    static List<ObjectNode> of(EmulatedMachine m, Instant now) {
        return refs(m, now).stream().map(Ref::render).toList();
    }

    /**
     * One record before it is rendered: its ID and the properties filters and sorting need are cheap, so a page of
     * 10,000 out of 100,000 records renders only its 10,000. Call {@link #render} under the lock.
     */
    public record Ref(EmulatedMachine machine, SensorSpec spec, int index, Instant lastSeen, String health, boolean duplicated, String id) {
        public ObjectNode render() {
            return record(machine, spec, index, lastSeen, health, duplicated);
        }

        /** A property's text as the rendered record would have it (rendered only for the rare other ones). */
        public String text(String property) {
            return switch (property) {
                case "id" -> id;
                case "computerDnsName" -> computerDnsName(machine);
                case "healthStatus" -> health;
                case "onboardingStatus" -> "Onboarded";
                default -> render().path(property).asText("");
            };
        }
    }

    /** The machine's records now, oldest first, unrendered. Call under the lock. */
    public static List<Ref> refs(EmulatedMachine m, Instant now) {
        SensorSpec spec = m.sensor == null ? SensorSpec.reports() : m.sensor;
        if (m.mdeOnboardedAt == null || !spec.reportsEver()) {
            return List.of();
        }
        Instant reported = m.mdeOnboardedAt.plusSeconds(spec.delaySeconds());
        if (reported.isAfter(now)) {
            return List.of();
        }
        int count = spec.recordCount() + Math.max(0, m.mdeOnboardings - 1);
        List<Ref> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean latest = i == count - 1;
            // Older records: from earlier onboardings, seen last a day apart before the current one, Inactive.
            Instant lastSeen = latest ? reported : reported.minus(Duration.ofDays(count - 1L - i)).minus(1, ChronoUnit.HOURS);
            out.add(new Ref(m, spec, i, lastSeen, latest ? spec.health() : "Inactive", count > 1, deviceId(m.key, i)));
        }
        return out;
    }

    private static ObjectNode record(EmulatedMachine m, SensorSpec spec, int index, Instant lastSeen, String health, boolean duplicated) {
        ObjectNode d = Json.obj();
        d.put("id", deviceId(m.key, index));
        d.putNull("mergedIntoMachineId");
        d.put("isPotentialDuplication", duplicated);
        d.put("isExcluded", false);
        d.putNull("exclusionReason");
        d.put("computerDnsName", computerDnsName(m));
        d.put("firstSeen", lastSeen.minus(5, ChronoUnit.MINUTES).toString());
        d.put("lastSeen", lastSeen.toString());
        boolean windows = m.windows();
        d.put("osPlatform", windows ? windowsPlatform(m) : "Linux");
        d.putNull("osVersion");
        d.put("osProcessor", "x64");
        d.put("version", windows ? "" : m.osVersion == null ? "" : m.osVersion);
        d.put("lastIpAddress", "10.0." + (Math.abs(m.key.hashCode()) % 250) + "." + (index + 4));
        d.put("lastExternalIpAddress", "20.50." + (Math.abs(m.key.hashCode() >> 8) % 250) + ".7");
        d.put("agentVersion", windows ? "10.8760.20348.1" : "101.24022.0004");
        d.put("osBuild", windows ? 20348L : 0L);
        d.put("healthStatus", health);
        d.put("deviceValue", "Normal");
        d.put("rbacGroupId", 0);
        d.put("rbacGroupName", "UnassignedGroup");
        d.put("riskScore", "None");
        d.put("exposureLevel", "Low");
        d.put("isAadJoined", false);
        d.putNull("aadDeviceId");
        d.putArray("machineTags");
        d.put("onboardingStatus", "Onboarded");
        d.put("osArchitecture", "64-bit");
        d.put("managedBy", "MicrosoftDefenderForEndpoint");
        d.put("managedByStatus", "Success");
        d.putArray("ipAddresses");
        if (spec.hasVmMetadata()) {
            ObjectNode vm = d.putObject("vmMetadata");
            vm.put("vmId", m.vmId);
            vm.put("cloudProvider", "azure");
            vm.put("resourceId", m.id);
            vm.put("subscriptionId", m.subscriptionId);
        } else {
            d.putNull("vmMetadata");
        }
        return d;
    }

    /** VMs report their computer name; Arc machines their FQDN (as HybridCompute's machineFqdn shows it). Lower case. */
    static String computerDnsName(EmulatedMachine m) {
        String host = m.isVm() ? (m.computerName == null ? m.name : m.computerName) : m.name + ".contoso.local";
        return host.toLowerCase(Locale.ROOT);
    }

    private static String windowsPlatform(EmulatedMachine m) {
        String os = (m.isVm() ? m.osName : m.osSku) == null ? "" : (m.isVm() ? m.osName : m.osSku);
        for (String v : new String[] {"2012 R2", "2016", "2019", "2022", "2025"}) {
            if (os.contains(v)) {
                return "WindowsServer" + v.replace(" ", "");
            }
        }
        return os.toLowerCase(Locale.ROOT).contains("windows 1") ? "Windows10" : "WindowsServer2022";
    }

    /** 40 hex characters like the API's device IDs, stable per machine and record. */
    static String deviceId(String machineKey, int index) {
        long h1 = 0xcbf29ce484222325L ^ index;
        long h2 = 0x84222325cbf29ce4L + index;
        int h3 = 0x811c9dc5;
        for (int i = 0; i < machineKey.length(); i++) {
            char c = machineKey.charAt(i);
            h1 = (h1 ^ c) * 0x100000001b3L;
            h2 = (h2 ^ machineKey.charAt(machineKey.length() - 1 - i)) * 0x100000001b3L;
            h3 = (h3 ^ c) * 0x01000193;
        }
        return String.format("%016x%016x%08x", h1, h2, h3);
    }
}
