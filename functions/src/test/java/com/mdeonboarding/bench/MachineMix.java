package com.mdeonboarding.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.PricingSpec;
import com.mdeonboarding.emulator.tenant.SubscriptionSpec;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * New machines as a burst would bring them: 70% VMs and 30% Arc machines, Windows Server 2022/2019, the down-level
 * 2016 and 2012 R2 (which get a read-only guest check before the first deployment) and Linux (which gets one too),
 * spread round-robin over the subscriptions of a tenant whose posture is fully on (Defender for Servers P2,
 * integration settings on). Every guest check finds nothing, so every machine ends ONBOARDED.
 */
final class MachineMix {
    static final String TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final Map<String, Boolean> ALL_ON = Map.of("WDATP", true, "WDATP_UNIFIED_SOLUTION", true,
            "WDATP_EXCLUDE_LINUX_PUBLIC_PREVIEW", false);
    static final String LINUX_OK = "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"linux-conflicts\",\"agents\":[],\"fanotify\":[]}";
    private static final String ENDPOINTS = "\"endpoints\":{\"winatp-gw-cus.microsoft.com\":true,\"winatp-gw-eus.microsoft.com\":true,"
            + "\"winatp-gw-neu.microsoft.com\":true,\"winatp-gw-weu.microsoft.com\":true,\"events.data.microsoft.com\":true}";
    static final String WS2012R2_OK = "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"windows-downlevel\",\"os\":\"2012R2\","
            + "\"build\":\"9600.21620\",\"hotfixes\":[\"KB2919442\",\"KB2919355\",\"KB2999226\",\"KB3080149\"],\"ucrt\":true,"
            + "\"tdhVersion\":\"6.3.9600.17958\",\"ssuDate\":\"2024-03-12\",\"lcuDate\":\"2024-03-12\",\"defenderFeature\":\"Installed\","
            + "\"defenderService\":\"Running\",\"disableAntiSpyware\":false,\"proxy\":false," + ENDPOINTS + "}";
    static final String WS2016_OK = "{\"check\":\"mde-prereq\",\"version\":1,\"kind\":\"windows-downlevel\",\"os\":\"2016\","
            + "\"build\":\"14393.6796\",\"hotfixes\":[],\"ucrt\":true,\"ssuDate\":\"2024-03-12\",\"lcuDate\":\"2024-03-12\","
            + "\"defenderFeature\":\"Installed\",\"defenderService\":\"Running\",\"disableAntiSpyware\":false,\"proxy\":false," + ENDPOINTS + "}";

    /** What the onboarding path of a machine depends on: its kind, and whether its OS gets a guest check. */
    enum Category {
        VM_WINDOWS("VM, Windows Server 2019/2022", false),
        VM_WINDOWS_DOWNLEVEL("VM, Windows Server 2012 R2/2016", true),
        VM_LINUX("VM, Linux (Ubuntu 22.04)", true),
        ARC_WINDOWS("Arc, Windows Server 2022", false),
        ARC_WINDOWS_DOWNLEVEL("Arc, Windows Server 2012 R2", true),
        ARC_LINUX("Arc, Linux (Ubuntu 22.04)", true);

        final String label;
        final boolean guestCheck;

        Category(String label, boolean guestCheck) {
            this.label = label;
            this.guestCheck = guestCheck;
        }
    }

    /** The repeating pattern of 20: 14 VMs, 6 Arc machines. */
    private enum Kind { VM2022, VM2019, VM2016, VM2012R2, VMLINUX, ARC2022, ARC2012R2, ARCLINUX }

    private static final Kind[] PATTERN = {
        Kind.VM2022, Kind.VM2022, Kind.VM2019, Kind.VMLINUX, Kind.VM2022, Kind.ARC2022, Kind.VM2016, Kind.VM2022, Kind.VMLINUX,
        Kind.ARCLINUX, Kind.VM2019, Kind.VM2022, Kind.ARC2022, Kind.VM2012R2, Kind.VMLINUX, Kind.ARC2022, Kind.VM2019,
        Kind.ARC2012R2, Kind.VM2022, Kind.ARCLINUX,
    };

    record Machine(String id, String subscriptionId, Category category) {
    }

    static String subscriptionId(int i) {
        return String.format(Locale.ROOT, "b0000000-0000-4000-8000-%012d", i + 1);
    }

    /** A tenant of {@code subscriptions} subscriptions, all on, with no machines yet. */
    static Tenant tenant(int subscriptions) {
        List<SubscriptionSpec> subs = new ArrayList<>();
        for (int i = 0; i < subscriptions; i++) {
            subs.add(new SubscriptionSpec(subscriptionId(i), "Benchmark " + i, null, null, PricingSpec.standard("P2"), null, ALL_ON,
                    null, null));
        }
        return new Tenant(TENANT_ID, subs, Map.of());
    }

    static List<String> subscriptionIds(int subscriptions) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < subscriptions; i++) {
            out.add(subscriptionId(i));
        }
        return out;
    }

    /** Creates machine number {@code n} of the mix (the emulator emits its write event). */
    static Machine create(TenantState state, int n, int subscriptions, String prefix) {
        return create(state, PATTERN[n % PATTERN.length], n, subscriptions, prefix);
    }

    private static Machine create(TenantState state, Kind kind, int n, int subscriptions, String prefix) {
        String sub = subscriptionId(n % subscriptions);
        String name = prefix + String.format(Locale.ROOT, "%05d", n);
        String rg = "rg-bench-" + (n % 7);
        VirtualMachineSpec.Builder vm = VirtualMachineSpec.builder().subscriptionId(sub).resourceGroup(rg).name(name);
        ArcMachineSpec.Builder arc = ArcMachineSpec.builder().subscriptionId(sub).resourceGroup(rg).name(name);
        return switch (kind) {
            case VM2022 -> new Machine(state.createVirtualMachine(vm.build()), sub, Category.VM_WINDOWS);
            case VM2019 -> new Machine(state.createVirtualMachine(vm.osName("Windows Server 2019 Datacenter").osVersion("10.0.17763.5576")
                    .image("MicrosoftWindowsServer", "WindowsServer", "2019-datacenter-gensecond").build()), sub, Category.VM_WINDOWS);
            case VM2016 -> new Machine(state.createVirtualMachine(vm.osName("Windows Server 2016 Datacenter").osVersion("10.0.14393.6796")
                    .image("MicrosoftWindowsServer", "WindowsServer", "2016-datacenter")
                    .runCommandOutput(Map.of("mde-prereq", WS2016_OK)).build()), sub, Category.VM_WINDOWS_DOWNLEVEL);
            case VM2012R2 -> new Machine(state.createVirtualMachine(vm.osName("Windows Server 2012 R2 Datacenter").osVersion("6.3.9600.21620")
                    .image("MicrosoftWindowsServer", "WindowsServer", "2012-r2-datacenter")
                    .runCommandOutput(Map.of("mde-prereq", WS2012R2_OK)).build()), sub, Category.VM_WINDOWS_DOWNLEVEL);
            case VMLINUX -> new Machine(state.createVirtualMachine(vm.ubuntu2204().runCommandOutput(Map.of("mde-prereq", LINUX_OK)).build()),
                    sub, Category.VM_LINUX);
            case ARC2022 -> new Machine(state.createArcMachine(arc.build()), sub, Category.ARC_WINDOWS);
            case ARC2012R2 -> new Machine(state.createArcMachine(arc.osSku("Windows Server 2012 R2 Datacenter").osVersion("6.3.9600.21620")
                    .runCommandOutput(Map.of("mde-prereq", WS2012R2_OK)).build()), sub, Category.ARC_WINDOWS_DOWNLEVEL);
            case ARCLINUX -> new Machine(state.createArcMachine(arc.ubuntu2204().runCommandOutput(Map.of("mde-prereq", LINUX_OK)).build()),
                    sub, Category.ARC_LINUX);
        };
    }

    /** Creates machine number {@code n} of a mix without guest checks: 7 in 10 Windows Server 2022/2019 VMs, 3 Arc 2022. */
    static Machine createDirect(TenantState state, int n, int subscriptions, String prefix) {
        int k = n % 10;
        return k < 7 ? create(state, k < 5 ? 0 : 2, n, subscriptions, prefix) : create(state, 5, n, subscriptions, prefix);
    }

    /** Machine {@code n} (name, subscription) with the kind of pattern position {@code patternIndex}. */
    private static Machine create(TenantState state, int patternIndex, int n, int subscriptions, String prefix) {
        return create(state, PATTERN[patternIndex], n, subscriptions, prefix);
    }

    /** Creates machine number {@code n} as a Windows Server 2022 VM (the common case: no guest check). */
    static Machine createWindowsVm(TenantState state, int n, int subscriptions, String prefix) {
        String sub = subscriptionId(n % subscriptions);
        return new Machine(state.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).resourceGroup("rg-bench-" + (n % 7))
                .name(prefix + String.format(Locale.ROOT, "%05d", n)).build()), sub, Category.VM_WINDOWS);
    }

    /**
     * Collects the emulator's machine write events (not the extension or run command events our own writes cause), by
     * machine ID, for delivery to the trigger.
     */
    static final class WriteEvents implements Consumer<String> {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Map<String, String> byMachine = new ConcurrentHashMap<>();

        @Override
        public void accept(String eventArray) {
            try {
                JsonNode e = JSON.readTree(eventArray).path(0);
                String op = e.path("data").path("operationName").asText("");
                if (op.equals("Microsoft.Compute/virtualMachines/write") || op.equals("Microsoft.HybridCompute/machines/write")) {
                    byMachine.put(e.path("subject").asText().toLowerCase(Locale.ROOT), eventArray);
                }
            } catch (java.io.IOException ex) {
                throw Bench.io(ex);
            }
        }

        /** The write event of this machine (and forgets it). */
        String take(String machineId) {
            String e = byMachine.remove(machineId.toLowerCase(Locale.ROOT));
            if (e == null) {
                throw new IllegalStateException("no write event for " + machineId);
            }
            return e;
        }
    }
}
