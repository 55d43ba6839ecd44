package com.mdeonboarding.decide;

import static com.mdeonboarding.decide.OsSupport.Level.SUPPORTED_DOWNLEVEL;
import static com.mdeonboarding.decide.OsSupport.Level.SUPPORTED_MODERN;
import static com.mdeonboarding.decide.OsSupport.Level.UNKNOWN;
import static com.mdeonboarding.decide.OsSupport.Level.UNSUPPORTED;
import static com.mdeonboarding.decide.TestFacts.arc;
import static com.mdeonboarding.decide.TestFacts.arcLinux;
import static com.mdeonboarding.decide.TestFacts.vm;
import static com.mdeonboarding.decide.TestFacts.vmLinux;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.mdeonboarding.model.GuestCheckKind;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.OsType;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OsSupportTest {

    private static Arguments row(String name, TestFacts.Builder facts, OsSupport.Level level) {
        return Arguments.of(name, facts.build(), level);
    }

    /** A VM known only by its image (no instance view yet). */
    private static TestFacts.Builder vmImage(OsType os, String publisher, String offer, String sku) {
        return (os == OsType.LINUX ? vmLinux() : vm()).osName(null).osVersion(null).image(publisher, offer, sku);
    }

    /** A VM known only by its instance view (custom image). */
    private static TestFacts.Builder vmGuest(OsType os, String osName, String osVersion) {
        return (os == OsType.LINUX ? vmLinux() : vm()).image(null, null, null).osName(osName).osVersion(osVersion);
    }

    static Stream<Arguments> windowsVms() {
        return Stream.of(
                row("2025 by osName", vmGuest(OsType.WINDOWS, "Windows Server 2025 Datacenter", "10.0.26100.1742"), SUPPORTED_MODERN),
                row("2022 Azure Edition by osName", vmGuest(OsType.WINDOWS, "Windows Server 2022 Datacenter Azure Edition", "10.0.20348"),
                        SUPPORTED_MODERN),
                row("2019 by osName", vmGuest(OsType.WINDOWS, "Windows Server 2019 Datacenter", "10.0.17763.5329"), SUPPORTED_MODERN),
                row("2016 by osName", vmGuest(OsType.WINDOWS, "Windows Server 2016 Datacenter", "Microsoft Windows NT 10.0.14393.0"),
                        SUPPORTED_DOWNLEVEL),
                row("2012 R2 by osName", vmGuest(OsType.WINDOWS, "Windows Server 2012 R2 Datacenter", "6.3.9600"), SUPPORTED_DOWNLEVEL),
                row("2012 by osName", vmGuest(OsType.WINDOWS, "Windows Server 2012 Datacenter", "6.2.9200"), UNSUPPORTED),
                row("2008 R2 by osName", vmGuest(OsType.WINDOWS, "Windows Server 2008 R2 Datacenter", "6.1.7601"), UNSUPPORTED),
                row("Annual Channel by build", vmGuest(OsType.WINDOWS, "Windows Server Datacenter", "10.0.25398.1189"), SUPPORTED_MODERN),
                row("server without year, 2016 build", vmGuest(OsType.WINDOWS, "Windows Server Standard", "Microsoft Windows NT 10.0.14393.0"),
                        SUPPORTED_DOWNLEVEL),
                row("server without year, unknown build", vmGuest(OsType.WINDOWS, "Windows Server Datacenter", "10.0.19042"), UNKNOWN),
                row("Hyper-V Server", vmGuest(OsType.WINDOWS, "Hyper-V Server 2019", "10.0.17763"), UNSUPPORTED),
                row("Windows 10 multi-session by osName", vmGuest(OsType.WINDOWS, "Windows 10 Enterprise multi-session", "10.0.19045"),
                        SUPPORTED_MODERN),
                row("Windows 10 for Virtual Desktops by osName", vmGuest(OsType.WINDOWS, "Windows 10 Enterprise for Virtual Desktops",
                        "10.0.17763"), SUPPORTED_MODERN),
                row("Windows 11 Pro by osName", vmGuest(OsType.WINDOWS, "Windows 11 Pro", "10.0.22631"), UNSUPPORTED),
                row("Windows 10 Enterprise by osName", vmGuest(OsType.WINDOWS, "Windows 10 Enterprise", "10.0.19045"), UNSUPPORTED),
                row("Windows 8.1 by osName", vmGuest(OsType.WINDOWS, "Windows 8.1 Pro", "6.3.9600"), UNSUPPORTED),
                row("osName wins over the image", vm().osName("Windows Server 2019 Datacenter").image("MicrosoftWindowsServer",
                        "WindowsServer", "2016-Datacenter"), SUPPORTED_MODERN),
                row("image 2016", vmImage(OsType.WINDOWS, "MicrosoftWindowsServer", "WindowsServer", "2016-Datacenter"), SUPPORTED_DOWNLEVEL),
                row("image 2012 R2", vmImage(OsType.WINDOWS, "MicrosoftWindowsServer", "WindowsServer", "2012-R2-Datacenter"),
                        SUPPORTED_DOWNLEVEL),
                row("image 2012", vmImage(OsType.WINDOWS, "MicrosoftWindowsServer", "WindowsServer", "2012-Datacenter"), UNSUPPORTED),
                row("image 2008 R2 (policy)", vmImage(OsType.WINDOWS, "MicrosoftWindowsServer", "WindowsServer", "2008-R2-SP1"), UNSUPPORTED),
                row("image 2019 gen2", vmImage(OsType.WINDOWS, "MicrosoftWindowsServer", "WindowsServer", "2019-datacenter-gensecond"),
                        SUPPORTED_MODERN),
                row("image 2025 azure edition", vmImage(OsType.WINDOWS, "MicrosoftWindowsServer", "WindowsServer",
                        "2025-datacenter-azure-edition"), SUPPORTED_MODERN),
                row("image evd (policy re-include)", vmImage(OsType.WINDOWS, "MicrosoftWindowsDesktop", "Windows-10", "20h2-evd"),
                        SUPPORTED_MODERN),
                row("image avd multi-session", vmImage(OsType.WINDOWS, "MicrosoftWindowsDesktop", "windows-11", "win11-23h2-avd"),
                        SUPPORTED_MODERN),
                row("image Windows 10 Enterprise", vmImage(OsType.WINDOWS, "MicrosoftWindowsDesktop", "Windows-10", "win10-22h2-ent"),
                        UNSUPPORTED),
                row("image Windows 11 Pro", vmImage(OsType.WINDOWS, "MicrosoftWindowsDesktop", "windows-11", "win11-23h2-pro"), UNSUPPORTED),
                row("image win7 from another publisher", vmImage(OsType.WINDOWS, "contoso", "legacy", "win7-sp1"), UNSUPPORTED),
                row("image AzureDatabricks (policy)", vm().image("AzureDatabricks", "databricks", "worker"), UNSUPPORTED),
                row("image SQL Server on 2022", vmImage(OsType.WINDOWS, "MicrosoftSQLServer", "sql2019-ws2022", "enterprise"),
                        SUPPORTED_MODERN),
                row("image SQL Server on 2012 R2", vmImage(OsType.WINDOWS, "MicrosoftSQLServer", "SQL2014SP3-WS2012R2", "Enterprise"),
                        SUPPORTED_DOWNLEVEL),
                row("custom image without instance view", vmImage(OsType.WINDOWS, null, null, null), UNKNOWN),
                row("third-party image without instance view", vmImage(OsType.WINDOWS, "contoso", "app", "v1"), UNKNOWN),
                row("VM without osType", vm().os(OsType.UNKNOWN), UNKNOWN));
    }

    static Stream<Arguments> windowsArc() {
        return Stream.of(
                row("Arc 2012 R2", arc().osSku("Windows Server 2012 R2 Datacenter").osVersion("6.3.9600"), SUPPORTED_DOWNLEVEL),
                row("Arc 2016", arc().osSku("Windows Server 2016 Standard").osVersion("10.0.14393"), SUPPORTED_DOWNLEVEL),
                row("Arc 2019", arc().osSku("Windows Server 2019 Datacenter").osVersion("10.0.17763"), SUPPORTED_MODERN),
                row("Arc 2022", arc().osSku("Windows Server 2022 Standard").osVersion("10.0.20348"), SUPPORTED_MODERN),
                row("Arc 2025 (not in policy 37c043a6, supported by MDE)", arc().osSku("Windows Server 2025 Datacenter"), SUPPORTED_MODERN),
                row("Arc 2012", arc().osSku("Windows Server 2012 Standard").osVersion("6.2.9200"), UNSUPPORTED),
                row("Arc 2008 R2", arc().osSku("Windows Server 2008 R2 Enterprise").osVersion("6.1.7601"), UNSUPPORTED),
                row("Arc multi-session", arc().osSku("Windows 10 Enterprise multi-session").osVersion("10.0.19045"), SUPPORTED_MODERN),
                row("Arc for Virtual Desktops", arc().osSku("Windows 10 Enterprise for Virtual Desktops"), SUPPORTED_MODERN),
                row("Arc Windows 11 multi-session", arc().osSku("Windows 11 Enterprise multi-session"), SUPPORTED_MODERN),
                row("Arc Windows 10 Pro", arc().osSku("Windows 10 Pro").osVersion("10.0.19045"), UNSUPPORTED),
                row("Arc osType from osName", arc().os(OsType.UNKNOWN).osName("windows").osSku("Windows Server 2019 Datacenter"),
                        SUPPORTED_MODERN),
                row("Arc without osSku", arc().osSku(null).osVersion("10.0.17763"), UNKNOWN),
                row("Arc Azure Stack HCI", arc().osSku("Azure Stack HCI").osVersion("10.0.20349"), UNKNOWN));
    }

    static Stream<Arguments> linuxVms() {
        return Stream.of(
                row("ubuntu 22.04", vmGuest(OsType.LINUX, "ubuntu", "22.04"), SUPPORTED_MODERN),
                row("ubuntu 24.04", vmGuest(OsType.LINUX, "Ubuntu", "24.04"), SUPPORTED_MODERN),
                row("ubuntu 16.04", vmGuest(OsType.LINUX, "ubuntu", "16.04"), SUPPORTED_MODERN),
                row("ubuntu 14.04", vmGuest(OsType.LINUX, "ubuntu", "14.04"), UNSUPPORTED),
                row("ubuntu 23.10 (not LTS)", vmGuest(OsType.LINUX, "ubuntu", "23.10"), UNSUPPORTED),
                row("ubuntu 26.04 (not listed)", vmGuest(OsType.LINUX, "ubuntu", "26.04"), UNSUPPORTED),
                row("redhat 7.9", vmGuest(OsType.LINUX, "redhat", "7.9"), SUPPORTED_MODERN),
                row("redhat 7.1", vmGuest(OsType.LINUX, "redhat", "7.1"), UNSUPPORTED),
                row("rhel 10.0", vmGuest(OsType.LINUX, "rhel", "10.0"), SUPPORTED_MODERN),
                row("redhat 6.10", vmGuest(OsType.LINUX, "redhat", "6.10"), UNSUPPORTED),
                row("centos 7.9.2009", vmGuest(OsType.LINUX, "centos", "7.9.2009"), SUPPORTED_MODERN),
                row("centos 6.10", vmGuest(OsType.LINUX, "centos", "6.10"), UNSUPPORTED),
                row("debian 12", vmGuest(OsType.LINUX, "debian", "12"), SUPPORTED_MODERN),
                row("debian 8", vmGuest(OsType.LINUX, "debian", "8"), UNSUPPORTED),
                row("sles 15.5", vmGuest(OsType.LINUX, "sles", "15.5"), SUPPORTED_MODERN),
                row("suse 11", vmGuest(OsType.LINUX, "suse", "11.4"), UNSUPPORTED),
                row("oracle 8.9", vmGuest(OsType.LINUX, "oracle", "8.9"), SUPPORTED_MODERN),
                row("almalinux 8.3", vmGuest(OsType.LINUX, "almalinux", "8.3"), UNSUPPORTED),
                row("almalinux 9.4", vmGuest(OsType.LINUX, "almalinux", "9.4"), SUPPORTED_MODERN),
                row("rocky 8.6", vmGuest(OsType.LINUX, "rocky", "8.6"), UNSUPPORTED),
                row("rocky 9.2", vmGuest(OsType.LINUX, "rocky", "9.2"), SUPPORTED_MODERN),
                row("mariner 2.0", vmGuest(OsType.LINUX, "mariner", "2.0"), SUPPORTED_MODERN),
                row("azurelinux 3.0", vmGuest(OsType.LINUX, "azurelinux", "3.0"), SUPPORTED_MODERN),
                row("fedora 42", vmGuest(OsType.LINUX, "fedora", "42"), SUPPORTED_MODERN),
                row("fedora 32", vmGuest(OsType.LINUX, "fedora", "32"), UNSUPPORTED),
                row("amzn 2023", vmGuest(OsType.LINUX, "amzn", "2023"), SUPPORTED_MODERN),
                row("opensuse leap (not listed)", vmGuest(OsType.LINUX, "opensuse-leap", "15.5"), UNSUPPORTED),
                row("unknown distro name", vmGuest(OsType.LINUX, "mylinux", "1.0"), UNKNOWN),
                row("ubuntu without version", vmGuest(OsType.LINUX, "ubuntu", null), UNKNOWN),
                row("rocky 9 without minor", vmGuest(OsType.LINUX, "rocky", "9"), UNKNOWN),
                row("image ubuntu jammy", vmImage(OsType.LINUX, "Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2"),
                        SUPPORTED_MODERN),
                row("image UbuntuServer 18.04", vmImage(OsType.LINUX, "Canonical", "UbuntuServer", "18.04-LTS"), SUPPORTED_MODERN),
                row("image UbuntuServer 14.04 (policy)", vmImage(OsType.LINUX, "Canonical", "UbuntuServer", "14.04.5-LTS"), UNSUPPORTED),
                row("image ubuntu 24.04", vmImage(OsType.LINUX, "Canonical", "ubuntu-24_04-lts", "server"), SUPPORTED_MODERN),
                row("image RHEL 8 lvm", vmImage(OsType.LINUX, "RedHat", "RHEL", "8-lvm-gen2"), SUPPORTED_MODERN),
                row("image RHEL 9_3", vmImage(OsType.LINUX, "RedHat", "RHEL", "9_3"), SUPPORTED_MODERN),
                row("image RHEL 6.10 (policy)", vmImage(OsType.LINUX, "RedHat", "RHEL", "6.10"), UNSUPPORTED),
                row("image RHEL 7 major only", vmImage(OsType.LINUX, "RedHat", "RHEL", "7-LVM"), UNKNOWN),
                row("image CentOS 7_9", vmImage(OsType.LINUX, "OpenLogic", "CentOS", "7_9"), SUPPORTED_MODERN),
                row("image centos-6 sku (policy)", vmImage(OsType.LINUX, "OpenLogic", "CentOS", "centos-6_10"), UNSUPPORTED),
                row("image debian 12", vmImage(OsType.LINUX, "Debian", "debian-12", "12-gen2"), SUPPORTED_MODERN),
                row("image from an unmapped publisher (credativ Debian 8)", vmImage(OsType.LINUX, "credativ", "Debian", "8"), UNKNOWN),
                row("image sles 15 sp5", vmImage(OsType.LINUX, "SUSE", "sles-15-sp5", "gen2"), SUPPORTED_MODERN),
                row("image Oracle ol89", vmImage(OsType.LINUX, "Oracle", "Oracle-Linux", "ol89-lvm-gen2"), SUPPORTED_MODERN),
                row("image Oracle ol86 (policy's 'contains 6' not copied)", vmImage(OsType.LINUX, "Oracle", "Oracle-Linux", "ol86-lvm-gen2"),
                        SUPPORTED_MODERN),
                row("image Alma 9", vmImage(OsType.LINUX, "almalinux", "almalinux-x86_64", "9_4-gen2"), SUPPORTED_MODERN),
                row("image Rocky 8_9", vmImage(OsType.LINUX, "resf", "rockylinux-x86_64", "8_9-base"), SUPPORTED_MODERN),
                row("image Mariner 2", vmImage(OsType.LINUX, "MicrosoftCBLMariner", "cbl-mariner", "cbl-mariner-2-gen2"), SUPPORTED_MODERN),
                row("image Azure Linux 3", vmImage(OsType.LINUX, "MicrosoftCBLMariner", "azure-linux-3", "azure-linux-3-gen2"),
                        SUPPORTED_MODERN),
                row("excluded publisher fortinet", vmLinux().image("fortinet", "fortinet_fortigate-vm_v5", "fortinet_fg-vm"), UNSUPPORTED),
                row("excluded publisher microsoft-aks", vmLinux().image("microsoft-aks", "aks", "aks-ubuntu-2204"), UNSUPPORTED),
                row("offer containing firewall", vmLinux().image("contoso", "next-gen-firewall", "byol"), UNSUPPORTED),
                row("cloudera 6 (policy)", vmLinux().image("cloudera", "cloudera-centos-os", "6_7"), UNSUPPORTED),
                row("appliance publisher beats a supported osName", vmLinux().osName("ubuntu").osVersion("22.04")
                        .image("checkpoint", "check-point-cg-r81", "sg-byol"), UNSUPPORTED),
                row("unknown image without instance view", vmImage(OsType.LINUX, "contoso", "appliance", "v2"), UNKNOWN));
    }

    static Stream<Arguments> linuxArc() {
        return Stream.of(
                row("Arc Ubuntu 22.04.4 LTS", arcLinux().osSku("Ubuntu 22.04.4 LTS"), SUPPORTED_MODERN),
                row("Arc Ubuntu 20.04.6 LTS", arcLinux().osSku("Ubuntu 20.04.6 LTS"), SUPPORTED_MODERN),
                row("Arc RHEL 9.3", arcLinux().osSku("Red Hat Enterprise Linux 9.3 (Plow)"), SUPPORTED_MODERN),
                row("Arc RHEL Server 7.9", arcLinux().osSku("Red Hat Enterprise Linux Server 7.9 (Maipo)"), SUPPORTED_MODERN),
                row("Arc CentOS 7 with a 7.2+ kernel", arcLinux().osSku("CentOS Linux 7 (Core)").osVersion("3.10.0-1160.el7.x86_64"),
                        SUPPORTED_MODERN),
                row("Arc CentOS 7 with a 7.1 kernel", arcLinux().osSku("CentOS Linux 7 (Core)").osVersion("3.10.0-229.el7.x86_64"),
                        UNSUPPORTED),
                row("Arc CentOS 7 without kernel", arcLinux().osSku("CentOS Linux 7 (Core)").osVersion(null), UNKNOWN),
                row("Arc CentOS Stream 9", arcLinux().osSku("CentOS Stream 9"), SUPPORTED_MODERN),
                row("Arc Debian 12", arcLinux().osSku("Debian GNU/Linux 12 (bookworm)"), SUPPORTED_MODERN),
                row("Arc SLES 15 SP5", arcLinux().osSku("SUSE Linux Enterprise Server 15 SP5"), SUPPORTED_MODERN),
                row("Arc Oracle 9.3", arcLinux().osSku("Oracle Linux Server 9.3"), SUPPORTED_MODERN),
                row("Arc Amazon Linux 2", arcLinux().osSku("Amazon Linux 2"), SUPPORTED_MODERN),
                row("Arc Rocky 9.3", arcLinux().osSku("Rocky Linux 9.3 (Blue Onyx)"), SUPPORTED_MODERN),
                row("Arc AlmaLinux 8.4", arcLinux().osSku("AlmaLinux 8.4 (Electric Cheetah)"), SUPPORTED_MODERN),
                row("Arc Azure Linux 3.0", arcLinux().osSku("Microsoft Azure Linux 3.0"), SUPPORTED_MODERN),
                row("Arc CBL-Mariner without version", arcLinux().osSku("CBL-Mariner/Linux"), UNKNOWN),
                row("Arc Fedora 39", arcLinux().osSku("Fedora Linux 39 (Server Edition)"), SUPPORTED_MODERN),
                row("Arc openshift (policy 4eb909e7)", arcLinux().osSku("Red Hat Enterprise Linux CoreOS 4.14 OpenShift"), UNSUPPORTED),
                row("Arc Kali (not listed)", arcLinux().osSku("Kali GNU/Linux Rolling"), UNSUPPORTED),
                row("Arc osType from osName", arcLinux().os(OsType.UNKNOWN).osName("linux").osSku("Ubuntu 24.04 LTS"), SUPPORTED_MODERN),
                row("Arc with neither", arcLinux().os(OsType.UNKNOWN).osName(null), UNKNOWN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"windowsVms", "windowsArc", "linuxVms", "linuxArc"})
    void classifies(String name, MachineFacts facts, OsSupport.Level level) {
        OsSupport.Verdict v = OsSupport.classify(facts);
        assertEquals(level, v.level(), () -> "verdict was " + v);
        assertFalse(v.rule().isBlank());
    }

    @Test
    void guestCheckFollowsTheRelease() {
        assertEquals(Optional.of(GuestCheckKind.WINDOWS_2012_R2), OsSupport.classify(vm().ws2012r2().build()).guestCheck());
        assertEquals(Optional.of(GuestCheckKind.WINDOWS_2016), OsSupport.classify(vm().ws2016().build()).guestCheck());
        assertEquals(Optional.of(GuestCheckKind.LINUX), OsSupport.classify(arcLinux().build()).guestCheck());
        assertEquals(Optional.empty(), OsSupport.classify(vm().build()).guestCheck());
        assertEquals(Optional.empty(), OsSupport.classify(vmLinux().osVersion("14.04").build()).guestCheck());
    }

    @Test
    void ruleNamesWhatWasSeen() {
        OsSupport.Verdict v = OsSupport.classify(arc().osSku("Windows Server 2012 R2 Datacenter").build());
        assertEquals("Windows Server 2012 R2 (osSku 'Windows Server 2012 R2 Datacenter')", v.rule());
    }
}
