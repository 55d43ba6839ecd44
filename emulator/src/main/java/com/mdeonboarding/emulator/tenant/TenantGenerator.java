package com.mdeonboarding.emulator.tenant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Builds large, realistic tenants in memory (no files) for benchmarks: the same seed always gives
 * the same tenant. Machines are spread evenly over subscriptions; about 70% are VMs, 30% Arc
 * machines, with the mix of operating systems, power states, agent states, extensions, tags,
 * plans and settings that the onboarding rules distinguish, and of Defender for Endpoint sensor
 * behaviours ({@link #sensor}).
 */
public final class TenantGenerator {
    private static final String MDE_PUBLISHER = "Microsoft.Azure.AzureDefenderForServers";
    private static final String[] RESOURCE_GROUPS = {"rg-00", "rg-01", "rg-02", "rg-03", "rg-04", "rg-05", "rg-06",
            "rg-07", "rg-08", "rg-09"};
    private static final String[] LOCATIONS = {"westeurope", "northeurope", "eastus", "westus2", "uksouth"};
    private static final Map<String, String> NO_TAGS = Map.of();
    private static final Map<String, String> EXCLUDED = Map.of("MdeOnboardingExclude", "true");
    private static final Map<String, String> PASSIVE = Map.of("MdePassiveMode", "true");
    private static final Map<String, String> CONNECTOR = Map.of("MDFCSecurityConnector", "true");

    private record VmImage(String osType, String osName, String osVersion, ImageReference image) {
    }

    private static final VmImage[] VM_IMAGES = {
        new VmImage("Windows", "Windows Server 2022 Datacenter", "10.0.20348.2340",
                ImageReference.of("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-azure-edition")),
        new VmImage("Windows", "Windows Server 2019 Datacenter", "10.0.17763.5576",
                ImageReference.of("MicrosoftWindowsServer", "WindowsServer", "2019-datacenter-gensecond")),
        new VmImage("Windows", "Windows Server 2016 Datacenter", "10.0.14393.6796",
                ImageReference.of("MicrosoftWindowsServer", "WindowsServer", "2016-datacenter")),
        new VmImage("Windows", "Windows Server 2012 R2 Datacenter", "6.3.9600.21620",
                ImageReference.of("MicrosoftWindowsServer", "WindowsServer", "2012-r2-datacenter")),
        new VmImage("Windows", "Windows 10 Pro", "10.0.19045.4170",
                ImageReference.of("MicrosoftWindowsDesktop", "windows-10", "win10-22h2-pro-g2")),
        new VmImage("Linux", "ubuntu", "22.04",
                ImageReference.of("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2")),
        new VmImage("Linux", "redhat", "9.3", ImageReference.of("RedHat", "RHEL", "9-lvm-gen2")),
        new VmImage("Linux", "debian", "12", ImageReference.of("Debian", "debian-12", "12-gen2")),
    };
    /** Cumulative percentages for VM_IMAGES. */
    private static final int[] VM_IMAGE_WEIGHTS = {35, 50, 60, 65, 67, 87, 95, 100};

    private TenantGenerator() {
    }

    /**
     * @param subscriptions how many subscriptions
     * @param machines      how many machines in total (VMs and Arc machines)
     * @param seed          the random seed
     */
    public static Tenant generate(int subscriptions, int machines, long seed) {
        if (subscriptions < 1 || machines < 0) {
            throw new IllegalArgumentException("need at least one subscription and a non-negative machine count");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        // A stream of its own, so that a seed's machines, plans and settings are what they were before sensors existed.
        SplittableRandom sensors = new SplittableRandom(seed ^ 0x5E_4503_D0E5L);
        String tenantId = uuid(rnd);
        List<SubscriptionSpec> subs = new ArrayList<>(subscriptions);
        int base = machines / subscriptions;
        int extra = machines % subscriptions;
        for (int s = 0; s < subscriptions; s++) {
            int count = base + (s < extra ? 1 : 0);
            subs.add(subscription(rnd, sensors, s, count));
        }
        return new Tenant(tenantId, subs, Map.of());
    }

    private static SubscriptionSpec subscription(SplittableRandom rnd, SplittableRandom sensors, int index, int machines) {
        String id = uuid(rnd);
        int planRoll = rnd.nextInt(100);
        PricingSpec pricing = planRoll < 70 ? PricingSpec.standard("P2")
                : planRoll < 85 ? PricingSpec.standard("P1") : PricingSpec.free();
        Map<String, Boolean> settings = Map.of(
                "WDATP", rnd.nextInt(100) < 90,
                "WDATP_UNIFIED_SOLUTION", rnd.nextInt(100) < 90,
                "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", rnd.nextInt(100) < 20);
        List<VirtualMachineSpec> vms = new ArrayList<>();
        List<ArcMachineSpec> arcs = new ArrayList<>();
        for (int i = 0; i < machines; i++) {
            String rg = RESOURCE_GROUPS[rnd.nextInt(RESOURCE_GROUPS.length)];
            String location = LOCATIONS[rnd.nextInt(LOCATIONS.length)];
            Map<String, String> tags = tags(rnd);
            if (rnd.nextInt(100) < 70) {
                vms.add(vm(rnd, index, i, rg, location, tags, sensor(sensors)));
            } else {
                arcs.add(arc(rnd, index, i, rg, location, tags, sensor(sensors)));
            }
        }
        return new SubscriptionSpec(id, String.format("Generated subscription %04d", index), "Enabled", NO_TAGS,
                pricing, null, settings, vms, arcs);
    }

    private static Map<String, String> tags(SplittableRandom rnd) {
        int roll = rnd.nextInt(100);
        return roll < 2 ? EXCLUDED : roll < 5 ? PASSIVE : NO_TAGS;
    }

    private static VirtualMachineSpec vm(SplittableRandom rnd, int sub, int i, String rg, String location,
            Map<String, String> tags, SensorSpec sensor) {
        int roll = rnd.nextInt(100);
        int k = 0;
        while (roll >= VM_IMAGE_WEIGHTS[k]) {
            k++;
        }
        VmImage img = VM_IMAGES[k];
        int power = rnd.nextInt(100);
        String powerState = power < 90 ? "running" : power < 98 ? "deallocated" : "stopped";
        boolean agentReady = rnd.nextInt(100) < 95;
        List<ExtensionSpec> ext = mdeExtension(rnd, img.osType().equals("Windows") ? "MDE.Windows" : "MDE.Linux");
        return new VirtualMachineSpec(null, rg, name("vm-", sub, i), location, img.osType(),
                img.osName(), img.osVersion(), img.image(), null, powerState, agentReady, null, null, null, tags, ext,
                null, null, null, sensor);
    }

    private static ArcMachineSpec arc(SplittableRandom rnd, int sub, int i, String rg, String location,
            Map<String, String> tags, SensorSpec sensor) {
        int statusRoll = rnd.nextInt(100);
        String status = statusRoll < 85 ? "Connected" : statusRoll < 95 ? "Disconnected" : "Expired";
        boolean windows = rnd.nextInt(100) < 60;
        String osSku;
        String osVersion;
        if (windows) {
            int r = rnd.nextInt(100);
            osSku = r < 40 ? "Windows Server 2022 Datacenter" : r < 70 ? "Windows Server 2019 Datacenter"
                    : r < 85 ? "Windows Server 2016 Datacenter" : "Windows Server 2012 R2 Datacenter";
            osVersion = r < 40 ? "10.0.20348.2340" : r < 70 ? "10.0.17763.5576" : r < 85 ? "10.0.14393.6796" : "6.3.9600.21620";
        } else {
            osSku = rnd.nextBoolean() ? "Ubuntu 22.04.4 LTS" : "Red Hat Enterprise Linux 9.3 (Plow)";
            osVersion = "5.15.0-105-generic";
        }
        if (rnd.nextInt(100) < 2) {
            tags = CONNECTOR;
        }
        List<ExtensionSpec> ext = mdeExtension(rnd, windows ? "MDE.Windows" : "MDE.Linux");
        String os = windows ? "windows" : "linux";
        return new ArcMachineSpec(null, rg, name("arc-", sub, i), location, status, os, os, osSku,
                osVersion, null, null, null, tags, ext, null, null, null, sensor);
    }

    private static final SensorSpec INACTIVE = SensorSpec.health("Inactive");
    private static final SensorSpec IMPAIRED = SensorSpec.health("ImpairedCommunication");
    private static final SensorSpec NO_DATA = SensorSpec.health("NoSensorData");
    private static final SensorSpec TWO_RECORDS = SensorSpec.records(2);
    private static final SensorSpec NO_METADATA = SensorSpec.withoutVmMetadata();
    private static final SensorSpec NEVER = SensorSpec.never();
    private static final SensorSpec LATE = SensorSpec.reportsAfter(120);

    /**
     * How the sensor behaves once the extension succeeds: 85% report at once and Active (null: the default), 4% Inactive,
     * 2% ImpairedCommunication, 2% NoSensorData, 3% two device records, 1% records without vmMetadata, 2% never report,
     * 1% report after two minutes.
     */
    private static SensorSpec sensor(SplittableRandom rnd) {
        int roll = rnd.nextInt(100);
        return roll < 85 ? null : roll < 89 ? INACTIVE : roll < 91 ? IMPAIRED : roll < 93 ? NO_DATA : roll < 96 ? TWO_RECORDS
                : roll < 97 ? NO_METADATA : roll < 99 ? NEVER : LATE;
    }

    private static final List<ExtensionSpec> WIN_OK = List.of(ExtensionSpec.mde("MDE.Windows", "Succeeded"));
    private static final List<ExtensionSpec> LINUX_OK = List.of(ExtensionSpec.mde("MDE.Linux", "Succeeded"));
    private static final List<ExtensionSpec> WIN_FAILED = List.of(new ExtensionSpec("MDE.Windows", MDE_PUBLISHER,
            "MDE.Windows", "1.0", "Failed", true, null, null, null, null, "ProvisioningState/failed/1",
            "Failed to configure Microsoft Defender for Endpoint: onboarding script returned 15"));
    private static final List<ExtensionSpec> LINUX_FAILED = List.of(new ExtensionSpec("MDE.Linux", MDE_PUBLISHER,
            "MDE.Linux", "1.0", "Failed", true, null, null, null, null, "ProvisioningState/failed/12",
            "Failed to configure Microsoft Defender for Endpoint: ERR_INSUFFICIENT_REQUIREMENTS"));

    private static List<ExtensionSpec> mdeExtension(SplittableRandom rnd, String name) {
        int roll = rnd.nextInt(100);
        boolean windows = name.equals("MDE.Windows");
        if (roll < 40) {
            return windows ? WIN_OK : LINUX_OK;
        }
        if (roll < 43) {
            return windows ? WIN_FAILED : LINUX_FAILED;
        }
        return List.of();
    }

    /** prefix + 4-digit subscription index + "-" + 6-digit machine index (String.format is too slow for 100k). */
    private static String name(String prefix, int sub, int i) {
        StringBuilder sb = new StringBuilder(prefix.length() + 11).append(prefix);
        pad(sb, sub, 4).append('-');
        return pad(sb, i, 6).toString();
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String v = Integer.toString(value);
        for (int k = v.length(); k < width; k++) {
            sb.append('0');
        }
        return sb.append(v);
    }

    private static String uuid(SplittableRandom rnd) {
        long hi = (rnd.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long lo = (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }
}
