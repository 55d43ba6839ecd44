package com.mdeonboarding.decide;

import com.mdeonboarding.model.GuestCheckKind;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.MachineKind;
import com.mdeonboarding.model.OsFacts.MarketplaceImage;
import com.mdeonboarding.model.OsType;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies a machine's operating system for MDE onboarding through Defender for Cloud. Pure: reads only the
 * facts. Never guesses: when the facts do not identify the release, the answer is {@link Level#UNKNOWN}.
 *
 * <p>Sources (see ../shared/reference/defender-azure-apis.md): the built-in DINE policies' applicability rules
 * (section 1d: Windows VM {@code 1ec9c2c2}, Windows Arc {@code 37c043a6}, Linux VM {@code d30025d0}, Linux Arc
 * {@code 4eb909e7}), the unified-solution notes for 2012 R2 / 2016 (2a) and MDE's supported Linux list (2b).
 *
 * <p>Order for a VM: appliance/publisher exclusions from the policy, then what the guest reports
 * (instance-view osName/osVersion), then the marketplace image reference. For an Arc machine: the policy's
 * exclusions, then osSku (and osVersion). The guest's own report wins over the image because an image only says
 * where the disk came from.
 */
public final class OsSupport {

    public enum Level {
        /** Supported; Windows Server 2019+ / AVD multi-session, or a supported Linux distribution. */
        SUPPORTED_MODERN,
        /** Windows Server 2012 R2 or 2016: needs the unified solution (WDATP_UNIFIED_SOLUTION) and guest checks. */
        SUPPORTED_DOWNLEVEL,
        /** Not supported by MDE onboarding through Defender for Cloud. */
        UNSUPPORTED,
        /** The facts do not identify the release. */
        UNKNOWN
    }

    /**
     * @param level      the classification
     * @param osType     WINDOWS / LINUX as derived (UNKNOWN only with Level.UNKNOWN)
     * @param guestCheck the read-only guest check that applies (2012 R2, 2016, supported Linux)
     * @param rule       the rule that matched, with the values it saw, for logs and the decision detail
     */
    public record Verdict(Level level, OsType osType, Optional<GuestCheckKind> guestCheck, String rule) {
        public boolean supported() {
            return level == Level.SUPPORTED_MODERN || level == Level.SUPPORTED_DOWNLEVEL;
        }
    }

    private OsSupport() {
    }

    public static Verdict classify(MachineFacts facts) {
        OsType type = effectiveOsType(facts);
        return switch (type) {
            case WINDOWS -> windows(facts);
            case LINUX -> linux(facts);
            case UNKNOWN -> unknown(OsType.UNKNOWN, facts.kind() == MachineKind.VM
                    ? "the VM reports no storageProfile.osDisk.osType"
                    : "the Arc machine reports neither osType nor osName");
        };
    }

    /** VM: storageProfile.osDisk.osType only. Arc: osType, else osName ("windows" / "linux"). */
    static OsType effectiveOsType(MachineFacts f) {
        if (f.osType() != null && f.osType() != OsType.UNKNOWN) {
            return f.osType();
        }
        if (f.kind() == MachineKind.ARC) {
            String name = lower(f.os().name());
            if (name.startsWith("windows")) {
                return OsType.WINDOWS;
            }
            if (name.startsWith("linux")) {
                return OsType.LINUX;
            }
        }
        return OsType.UNKNOWN;
    }

    // ---------------------------------------------------------------- Windows

    private static final Pattern SERVER_YEAR = Pattern.compile("(?<!\\d)(2003|2008|2012|2016|2019|2022|2025)(?!\\d)");
    private static final Pattern R2 = Pattern.compile("(2008|2012)[\\s_-]*r2");
    private static final Pattern CLIENT = Pattern.compile("windows\\s*(xp|vista|7|8|8\\.1|10|11)(?![\\d.])");
    private static final Pattern BUILD = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    /** Windows Server releases by major.minor.build (osVersion); SAC builds are left out on purpose (UNKNOWN). */
    private static final Map<String, String> SERVER_BUILDS = Map.of(
            "6.0.6001", "2008", "6.0.6002", "2008", "6.0.6003", "2008",
            "6.1.7600", "2008 R2", "6.1.7601", "2008 R2",
            "6.2.9200", "2012", "6.3.9600", "2012 R2",
            "10.0.14393", "2016", "10.0.17763", "2019", "10.0.20348", "2022");
    private static final Map<String, String> SERVER_BUILDS_NEWER = Map.of("10.0.25398", "23H2", "10.0.26100", "2025");

    private static Verdict windows(MachineFacts f) {
        String publisher = lower(publisher(f));
        // Policy 1ec9c2c2 excludes these publishers' images whatever they run.
        if (f.kind() == MachineKind.VM && (publisher.equals("azureopenshift") || publisher.equals("azuredatabricks"))) {
            return unsupported(OsType.WINDOWS, "image publisher '" + publisher(f).orElse("") + "' is excluded by policy 1ec9c2c2");
        }
        // VM: instance-view osName ("Windows Server 2016 Datacenter"); Arc: osSku (osName is just "windows").
        Optional<String> name = f.kind() == MachineKind.VM ? f.os().name() : f.os().sku();
        String field = f.kind() == MachineKind.VM ? "osName" : "osSku";
        Optional<Verdict> byName = windowsByName(name.orElse(""), field, f.os().version().orElse(""));
        if (byName.isPresent()) {
            return byName.get();
        }
        if (f.kind() == MachineKind.VM) {
            Optional<Verdict> byImage = windowsByImage(publisher, lower(offer(f)), lower(imageSku(f)), f.os().version().orElse(""));
            if (byImage.isPresent()) {
                return byImage.get();
            }
        }
        return unknown(OsType.WINDOWS, "Windows, but the release is not identified (" + field + " '" + name.orElse("")
                + "', osVersion '" + f.os().version().orElse("") + "', image '" + publisher(f).orElse("") + "/"
                + offer(f).orElse("") + "/" + imageSku(f).orElse("") + "')");
    }

    private static Optional<Verdict> windowsByName(String rawName, String field, String osVersion) {
        String n = rawName.toLowerCase(Locale.ROOT).trim();
        if (n.isEmpty()) {
            return Optional.empty();
        }
        String seen = field + " '" + rawName + "'";
        if (n.contains("hyper-v server")) {
            // configure-server-endpoints: "Windows Hyper-V Server editions are not supported".
            return Optional.of(unsupported(OsType.WINDOWS, "Hyper-V Server is not supported (" + seen + ")"));
        }
        if ((n.contains("windows 10") || n.contains("windows 11")) && (n.contains("multi-session") || n.contains("virtual desktops"))) {
            // Policy 37c043a6 (Arc) lists "Windows 10 Enterprise multi-session" / "... for Virtual Desktops"; Windows 11 is the same edition.
            return Optional.of(modern(OsType.WINDOWS, "Windows 10/11 Enterprise multi-session (" + seen + ")"));
        }
        if (CLIENT.matcher(n).find()) {
            return Optional.of(unsupported(OsType.WINDOWS, "Windows client editions are not supported (" + seen + ")"));
        }
        if (!n.contains("server")) {
            return Optional.empty();
        }
        return windowsServer(n, seen, osVersion);
    }

    /** A string known to name Windows Server: the year in it, else "23H2"/annual channel, else the build in osVersion. */
    private static Optional<Verdict> windowsServer(String n, String seen, String osVersion) {
        Matcher r2 = R2.matcher(n);
        if (r2.find()) {
            return Optional.of(server(r2.group(1) + " R2", seen));
        }
        Matcher year = SERVER_YEAR.matcher(n);
        if (year.find()) {
            return Optional.of(server(year.group(1), seen));
        }
        if (n.contains("23h2") || n.contains("annual channel")) {
            return Optional.of(server("23H2", seen));
        }
        Matcher b = BUILD.matcher(osVersion);
        if (b.find()) {
            String key = Integer.parseInt(b.group(1)) + "." + Integer.parseInt(b.group(2)) + "." + Integer.parseInt(b.group(3));
            String release = SERVER_BUILDS.getOrDefault(key, SERVER_BUILDS_NEWER.get(key));
            if (release != null) {
                return Optional.of(server(release, seen + ", osVersion '" + osVersion + "'"));
            }
        }
        return Optional.empty();
    }

    private static Verdict server(String release, String seen) {
        String rule = "Windows Server " + release + " (" + seen + ")";
        return switch (release) {
            case "2012 R2" -> new Verdict(Level.SUPPORTED_DOWNLEVEL, OsType.WINDOWS, Optional.of(GuestCheckKind.WINDOWS_2012_R2), rule);
            case "2016" -> new Verdict(Level.SUPPORTED_DOWNLEVEL, OsType.WINDOWS, Optional.of(GuestCheckKind.WINDOWS_2016), rule);
            case "2019", "2022", "2025", "23H2" -> modern(OsType.WINDOWS, rule);
            // 2003, 2008, 2008 R2, 2012 (not R2): end of life; not onboarded by the MDE.Windows extension.
            default -> unsupported(OsType.WINDOWS, rule + " is not supported");
        };
    }

    private static Optional<Verdict> windowsByImage(String publisher, String offer, String sku, String osVersion) {
        if (publisher.isEmpty() && offer.isEmpty() && sku.isEmpty()) {
            return Optional.empty();
        }
        String seen = "image '" + publisher + "/" + offer + "/" + sku + "'";
        if (publisher.equals("microsoftwindowsdesktop")) {
            // Policy 1ec9c2c2 re-includes MicrosoftWindowsDesktop images whose SKU contains "evd" (multi-session).
            // The newer multi-session SKUs are named "-avd" (e.g. win11-23h2-avd); we include them too.
            if (sku.contains("evd") || sku.contains("avd")) {
                return Optional.of(modern(OsType.WINDOWS, "Windows 10/11 Enterprise multi-session (" + seen + ")"));
            }
            return Optional.of(unsupported(OsType.WINDOWS, "Windows client image excluded by policy 1ec9c2c2 (" + seen + ")"));
        }
        // Policy 1ec9c2c2: SKU contains win7/win8/win10/windows-10 (and win11, the same client family) or offer windows-10/11.
        if (sku.contains("win7") || sku.contains("win8") || sku.contains("win10") || sku.contains("windows-10")
                || sku.contains("win11") || offer.contains("windows-10") || offer.contains("windows-11")) {
            return Optional.of(unsupported(OsType.WINDOWS, "Windows client image excluded by policy 1ec9c2c2 (" + seen + ")"));
        }
        if (sku.contains("2008")) {
            return Optional.of(unsupported(OsType.WINDOWS, "Windows Server 2008 image excluded by policy 1ec9c2c2 (" + seen + ")"));
        }
        if (publisher.equals("microsoftwindowsserver")) {
            return windowsServer(sku.replace('-', ' '), seen, osVersion);
        }
        // e.g. MicrosoftSQLServer offer "sql2019-ws2022": the Windows release follows "ws".
        Matcher ws = Pattern.compile("ws(20\\d\\d(?:r2)?)").matcher(offer);
        if (ws.find()) {
            return windowsServer(ws.group(1), seen, osVersion);
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- Linux

    /** Policy d30025d0: publishers whose Linux images are appliances or managed platforms. */
    private static final Set<String> LINUX_EXCLUDED_PUBLISHERS = Set.of(
            "azuredatabricks", "azureopenshift", "cisco", "fortinet", "juniper-networks", "barracudanetworks",
            "checkpoint", "imperva", "qualysguard", "f5-networks", "paloaltonetworks", "rohdeschwarzcybersecuritysas",
            "sonicwall-inc", "esdenera", "brocade_communications", "5nine-software-inc", "forcepoint-llc",
            "hillstone-networks", "netgate", "microsoft-aks");

    enum Distro {
        RHEL("Red Hat Enterprise Linux"), CENTOS("CentOS"), CENTOS_STREAM("CentOS Stream"), UBUNTU("Ubuntu"),
        DEBIAN("Debian"), SLES("SUSE Linux Enterprise Server"), ORACLE("Oracle Linux"), AMAZON("Amazon Linux"),
        FEDORA("Fedora"), ROCKY("Rocky Linux"), ALMA("AlmaLinux"), MARINER("CBL-Mariner"), AZURE_LINUX("Azure Linux"),
        /** Recognised, but not on MDE's list: "Distributions not explicitly listed ... are unsupported" (2b). */
        UNLISTED("an unlisted distribution");

        final String display;

        Distro(String display) {
            this.display = display;
        }
    }

    private static final Pattern VERSION = Pattern.compile("(?<![\\d.])(\\d{1,4})(?:[._](\\d{1,2}))?");
    private static final Pattern KERNEL = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)-(\\d+)");

    private static Verdict linux(MachineFacts f) {
        if (f.kind() == MachineKind.ARC) {
            String sku = f.os().sku().orElse("");
            // Policy 4eb909e7: osSku notContains "openshift".
            if (sku.toLowerCase(Locale.ROOT).contains("openshift")) {
                return unsupported(OsType.LINUX, "OpenShift nodes are excluded by policy 4eb909e7 (osSku '" + sku + "')");
            }
            return linuxRelease(sku, sku, "osSku '" + sku + "'", f.os().version())
                    .orElseGet(() -> unknown(OsType.LINUX, "Linux, but osSku '" + sku + "' does not identify a distribution and version"));
        }
        String publisher = lower(publisher(f));
        String offer = lower(offer(f));
        String sku = lower(imageSku(f));
        String image = "image '" + publisher + "/" + offer + "/" + sku + "'";
        if (LINUX_EXCLUDED_PUBLISHERS.contains(publisher)) {
            return unsupported(OsType.LINUX, "image publisher excluded by policy d30025d0 (" + image + ")");
        }
        if (offer.contains("firewall")) {
            return unsupported(OsType.LINUX, "firewall appliance images are excluded by policy d30025d0 (" + image + ")");
        }
        if (sku.startsWith("centos-6") || (publisher.equals("cloudera") && sku.contains("6"))) {
            return unsupported(OsType.LINUX, "CentOS 6 based image excluded by policy d30025d0 (" + image + ")");
        }
        String name = f.os().name().orElse("");
        String version = f.os().version().orElse("");
        Optional<Verdict> byGuest = name.isBlank() ? Optional.empty()
                : linuxRelease(name, version, "osName '" + name + "', osVersion '" + version + "'", Optional.empty());
        return byGuest.or(() -> linuxByImage(publisher, offer, sku, image))
                .orElseGet(() -> unknown(OsType.LINUX, "Linux, but the distribution and version are not identified (osName '"
                        + name + "', osVersion '" + version + "', " + image + ")"));
    }

    /**
     * @param distroText text naming the distribution (osName, osSku)
     * @param versionText text holding the version (osVersion, osSku)
     * @param kernel     Arc osVersion, the kernel ("3.10.0-1160.el7.x86_64"), used when a 7.x minor is missing
     */
    private static Optional<Verdict> linuxRelease(String distroText, String versionText, String seen, Optional<String> kernel) {
        Optional<Distro> distro = distro(distroText);
        if (distro.isEmpty()) {
            return Optional.empty();
        }
        if (distro.get() == Distro.UNLISTED) {
            return Optional.of(unsupported(OsType.LINUX, "distribution not on MDE's supported list (" + seen + ")"));
        }
        // Skip digits that are part of the distribution's own name ("CBL-Mariner/Linux" has none, "sles_sap" none).
        Matcher m = VERSION.matcher(versionText);
        if (!m.find()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1));
        Optional<Integer> minor = Optional.ofNullable(m.group(2)).map(Integer::parseInt);
        return supportedLinux(distro.get(), major, minor, kernel, seen);
    }

    static Optional<Distro> distro(String text) {
        String t = " " + text.toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ') + " ";
        if (t.contains("opensuse") || t.contains("alpine") || t.contains(" arch ") || t.contains("gentoo")
                || t.contains("kali") || t.contains("flatcar") || t.contains("photon") || t.contains("coreos")
                || t.contains("nixos")) {
            return Optional.of(Distro.UNLISTED);
        }
        if (t.contains("centos stream")) {
            return Optional.of(Distro.CENTOS_STREAM);
        }
        if (t.contains("centos")) {
            return Optional.of(Distro.CENTOS);
        }
        if (t.contains("red hat") || t.contains("redhat") || t.contains(" rhel ")) {
            return Optional.of(Distro.RHEL);
        }
        if (t.contains("ubuntu")) {
            return Optional.of(Distro.UBUNTU);
        }
        if (t.contains("debian")) {
            return Optional.of(Distro.DEBIAN);
        }
        if (t.contains("sles") || t.contains("suse") || t.contains(" sle hpc ")) {
            return Optional.of(Distro.SLES);
        }
        if (t.contains("oracle") || t.contains(" ol ")) {
            return Optional.of(Distro.ORACLE);
        }
        if (t.contains("amazon") || t.contains("amzn")) {
            return Optional.of(Distro.AMAZON);
        }
        if (t.contains("fedora")) {
            return Optional.of(Distro.FEDORA);
        }
        if (t.contains("rocky")) {
            return Optional.of(Distro.ROCKY);
        }
        if (t.contains("alma")) {
            return Optional.of(Distro.ALMA);
        }
        if (t.contains("mariner")) {
            return Optional.of(Distro.MARINER);
        }
        if (t.contains("azure linux") || t.contains("azurelinux")) {
            return Optional.of(Distro.AZURE_LINUX);
        }
        return Optional.empty();
    }

    /** MDE's supported distributions and versions (mde-linux-prerequisites.md, section 2b). */
    private static Optional<Verdict> supportedLinux(Distro d, int major, Optional<Integer> minor, Optional<String> kernel, String seen) {
        String release = d.display + " " + major + minor.map(m -> d == Distro.UBUNTU ? String.format(".%02d", m) : "." + m).orElse("")
                + (minor.isEmpty() && kernel.isPresent() && major == 7 ? " with kernel " + kernel.get() : "");
        Boolean ok = switch (d) {
            case RHEL -> major == 7 ? atLeast72(minor, kernel) : Boolean.valueOf(major >= 8 && major <= 10);
            case CENTOS -> major == 7 ? atLeast72(minor, kernel) : Boolean.valueOf(major >= 8 && major <= 10); // 9/10 exist only as Stream
            case CENTOS_STREAM -> major >= 8 && major <= 10;
            case UBUNTU -> minor.isEmpty() ? null : Boolean.valueOf(major % 2 == 0 && major >= 16 && major <= 24 && minor.get() == 4); // LTS 16.04-24.04
            case DEBIAN -> major >= 9 && major <= 13;
            case SLES -> major == 12 || major == 15;
            case ORACLE -> major == 7 ? atLeast72(minor, kernel) : Boolean.valueOf(major == 8 || major == 9);
            case AMAZON -> major == 2 || major == 2023;
            case FEDORA -> major >= 33 && major <= 42;
            case ROCKY -> major == 8 ? minorAtLeast(minor, 7) : major == 9 ? minorAtLeast(minor, 2) : Boolean.FALSE;
            case ALMA -> major == 8 ? minorAtLeast(minor, 4) : major == 9 ? minorAtLeast(minor, 2) : Boolean.FALSE;
            case MARINER -> major == 2;
            case AZURE_LINUX -> major == 2 || major == 3; // Azure Linux 2.0 is CBL-Mariner 2.0 renamed
            case UNLISTED -> Boolean.FALSE;
        };
        if (ok == null) {
            return Optional.empty(); // the minor version decides and is not known
        }
        return Optional.of(ok
                ? new Verdict(Level.SUPPORTED_MODERN, OsType.LINUX, Optional.of(GuestCheckKind.LINUX), release + " (" + seen + ")")
                : unsupported(OsType.LINUX, release + " is outside MDE's supported distributions and versions (" + seen + ")"));
    }

    private static Boolean minorAtLeast(Optional<Integer> minor, int min) {
        return minor.map(m -> m >= min).orElse(null);
    }

    /** 7.2+; without a minor version, the kernel decides: MDE needs 3.10.0-327 or later, the 7.2 kernel (2b). */
    private static Boolean atLeast72(Optional<Integer> minor, Optional<String> kernel) {
        if (minor.isPresent()) {
            return minor.get() >= 2;
        }
        Matcher k = KERNEL.matcher(kernel.orElse(""));
        if (!k.find()) {
            return null;
        }
        int[] v = {Integer.parseInt(k.group(1)), Integer.parseInt(k.group(2)), Integer.parseInt(k.group(3)), Integer.parseInt(k.group(4))};
        int[] min = {3, 10, 0, 327};
        for (int i = 0; i < v.length; i++) {
            if (v[i] != min[i]) {
                return v[i] > min[i];
            }
        }
        return true;
    }

    private static Optional<Verdict> linuxByImage(String publisher, String offer, String sku, String image) {
        Optional<Distro> distro = switch (publisher) {
            case "canonical" -> Optional.of(Distro.UBUNTU);
            case "redhat" -> Optional.of(Distro.RHEL);
            case "openlogic" -> Optional.of(Distro.CENTOS);
            case "debian" -> Optional.of(Distro.DEBIAN);
            case "suse" -> Optional.of(Distro.SLES);
            case "oracle" -> Optional.of(Distro.ORACLE);
            case "almalinux" -> Optional.of(Distro.ALMA);
            case "resf" -> Optional.of(Distro.ROCKY);
            case "microsoftcblmariner" -> Optional.of(offer.contains("azure-linux") ? Distro.AZURE_LINUX : Distro.MARINER);
            default -> Optional.empty();
        };
        if (distro.isEmpty()) {
            return Optional.empty();
        }
        Optional<int[]> version = imageVersion(distro.get(), offer, sku);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        int[] v = version.get();
        return supportedLinux(distro.get(), v[0], v[1] < 0 ? Optional.empty() : Optional.of(v[1]), Optional.empty(), image);
    }

    /** {major, minor or -1} from marketplace naming, e.g. 22_04-lts-gen2, 8-lvm-gen2, 9_3, debian-12, sles-15-sp5, ol89-lvm. */
    private static Optional<int[]> imageVersion(Distro d, String offer, String sku) {
        Matcher m;
        switch (d) {
            case UBUNTU -> {
                m = Pattern.compile("(\\d{2})[._-](\\d{2})").matcher(sku);
                if (!m.find()) {
                    m = Pattern.compile("(\\d{2})[._-](\\d{2})").matcher(offer);
                    if (!m.find()) {
                        return Optional.empty();
                    }
                }
                return Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
            }
            case DEBIAN, SLES -> {
                m = Pattern.compile("(?:debian|sles)[a-z-]*?-(\\d{1,2})(?!\\d)").matcher(offer);
                if (!m.find()) {
                    return Optional.empty();
                }
                return Optional.of(new int[] {Integer.parseInt(m.group(1)), -1});
            }
            case ORACLE -> {
                m = Pattern.compile("^ol(\\d)(\\d{1,2})?(?!\\d)").matcher(sku);
                if (m.find()) {
                    return Optional.of(new int[] {Integer.parseInt(m.group(1)), m.group(2) == null ? -1 : Integer.parseInt(m.group(2))});
                }
            }
            case MARINER, AZURE_LINUX -> {
                m = Pattern.compile("(?:mariner|linux)-(\\d)(?!\\d)").matcher(sku + " " + offer);
                if (!m.find()) {
                    return Optional.empty();
                }
                return Optional.of(new int[] {Integer.parseInt(m.group(1)), -1});
            }
            default -> {
                // RHEL, CentOS, Alma, Rocky: the SKU starts with major[._minor], optionally after "centos-".
            }
        }
        m = Pattern.compile("^(?:centos-)?(\\d{1,2})(?:[._](\\d{1,2}))?(?!\\d)").matcher(sku);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new int[] {Integer.parseInt(m.group(1)), m.group(2) == null ? -1 : Integer.parseInt(m.group(2))});
    }

    // ---------------------------------------------------------------- helpers

    private static Verdict modern(OsType type, String rule) {
        return new Verdict(Level.SUPPORTED_MODERN, type, Optional.empty(), rule);
    }

    private static Verdict unsupported(OsType type, String rule) {
        return new Verdict(Level.UNSUPPORTED, type, Optional.empty(), rule);
    }

    private static Verdict unknown(OsType type, String rule) {
        return new Verdict(Level.UNKNOWN, type, Optional.empty(), rule);
    }

    private static String lower(Optional<String> value) {
        return value == null ? "" : value.orElse("").trim().toLowerCase(Locale.ROOT);
    }

    private static Optional<String> publisher(MachineFacts f) {
        return f.os().image().flatMap(MarketplaceImage::publisher);
    }

    private static Optional<String> offer(MachineFacts f) {
        return f.os().image().flatMap(MarketplaceImage::offer);
    }

    private static Optional<String> imageSku(MachineFacts f) {
        return f.os().image().flatMap(MarketplaceImage::sku);
    }
}
