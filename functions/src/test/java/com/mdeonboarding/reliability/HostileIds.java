package com.mdeonboarding.reliability;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of machine resource IDs for the hostile-input properties: valid ones (any casing of the fixed
 * segments, names and groups at their length limits, in and out of scope) and invalid ones made from a valid ID by
 * exactly one mutation that the machine-ID grammar must refuse (trailing slash or newline, child resources, other
 * providers, path traversal, URL encoding, control and non-ASCII characters, whitespace, broken GUIDs, broken
 * structure). Each case carries the oracle's answer: the machine key it must become, or none.
 */
final class HostileIds {
    static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static final Set<String> IN_SCOPE = Set.copyOf(ReliabilityWorld.IN_SCOPE);

    private HostileIds() {
    }

    /**
     * @param text     what goes into the event / request / job
     * @param key      the lower-case machine ID it must parse to, or null when it must be refused
     * @param inScope  for a valid ID: whether its subscription is in the configured scope
     * @param label    the category (for statistics and failure reports)
     */
    record IdCase(String text, String key, boolean inScope, String label) {
        boolean valid() {
            return key != null;
        }

        boolean queues() {
            return key != null && inScope;
        }

        @Override
        public String toString() {
            return label + " " + Printable.of(text);
        }
    }

    record Parts(String subsWord, String sub, String rgWord, String rg, String provWord, String provider, String name) {
        String render() {
            return "/" + subsWord + "/" + sub + "/" + rgWord + "/" + rg + "/" + provWord + "/" + provider + "/" + name;
        }

        String key() {
            return ("/subscriptions/" + sub + "/resourcegroups/" + rg + "/providers/" + provider + "/" + name).toLowerCase(Locale.ROOT);
        }

        Parts with(String field, String value) {
            return switch (field) {
                case "sub" -> new Parts(subsWord, value, rgWord, rg, provWord, provider, name);
                case "rg" -> new Parts(subsWord, sub, rgWord, value, provWord, provider, name);
                case "provider" -> new Parts(subsWord, sub, rgWord, rg, provWord, value, name);
                case "name" -> new Parts(subsWord, sub, rgWord, rg, provWord, provider, value);
                default -> throw new IllegalArgumentException(field);
            };
        }
    }

    static String recase(String s, Random r) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(r.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return b.toString();
    }

    static Arbitrary<String> guid() {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(32)
                .map(h -> h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20));
    }

    /** In scope (each of the world's subscriptions), not listed, listed but excluded, or unknown. */
    static Arbitrary<String> subscription() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(ReliabilityWorld.IN_SCOPE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(ReliabilityWorld.SUB_OUT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(ReliabilityWorld.SUB_EXCLUDED)),
                net.jqwik.api.Tuple.of(1, guid()));
    }

    static Arbitrary<String> resourceGroup() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.strings().withChars(ALNUM + "._()-").ofMinLength(1).ofMaxLength(20)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars(ALNUM + "._()-").ofMinLength(85).ofMaxLength(90)))
                .filter(s -> !s.endsWith("."));
    }

    static Arbitrary<String> machineName() {
        return Combinators.combine(Arbitraries.chars().with(ALNUM.toCharArray()),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(5, Arbitraries.strings().withChars(ALNUM + "._-").ofMaxLength(15)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars(ALNUM + "._-").ofMinLength(60).ofMaxLength(63))))
                .as((c, s) -> c + s).filter(s -> !s.endsWith("."));
    }

    static Arbitrary<Parts> validParts() {
        return Combinators.combine(subscription(), resourceGroup(), Arbitraries.of("Microsoft.Compute/virtualMachines",
                        "Microsoft.HybridCompute/machines"), machineName(), Arbitraries.longs())
                .as((sub, rg, provider, name, seed) -> {
                    Random r = new Random(seed);
                    boolean wild = r.nextInt(3) == 0; // a third with random casing of every fixed segment and the GUID
                    return new Parts(wild ? recase("subscriptions", r) : "subscriptions", wild ? recase(sub, r) : sub,
                            wild ? recase("resourceGroups", r) : "resourceGroups", rg, wild ? recase("providers", r) : "providers",
                            wild ? recase(provider, r) : provider, name);
                });
    }

    static Arbitrary<IdCase> valid() {
        return validParts().map(p -> new IdCase(p.render(), p.key(), IN_SCOPE.contains(p.sub().toLowerCase(Locale.ROOT)),
                IN_SCOPE.contains(p.sub().toLowerCase(Locale.ROOT)) ? "valid in scope" : "valid out of scope"));
    }

    enum Mutation {
        TRAILING_SLASH, TRAILING_NEWLINE, CHILD_RESOURCE, OTHER_PROVIDER, SCALE_SET_INSTANCE, PATH_TRAVERSAL, URL_ENCODED,
        CONTROL_CHARACTER, NON_ASCII, WHITESPACE, BROKEN_GUID, BROKEN_STRUCTURE, TOO_LONG
    }

    static final List<String> CHILDREN = List.of("/extensions/MDE.Windows", "/extensions/MDE.Linux", "/runCommands/mde-prereq",
            "/providers/Microsoft.Security/pricings/VirtualMachines", "/instanceView", "/extensions", "/");
    static final List<String> OTHER_PROVIDERS = List.of("Microsoft.Compute/virtualMachineScaleSets", "Microsoft.Compute/disks",
            "Microsoft.Storage/storageAccounts", "Microsoft.ClassicCompute/virtualMachines", "Microsoft.ConnectedVMwarevSphere/virtualMachines",
            "Microsoft.ScVmm/virtualMachines", "Microsoft.AzureStackHCI/virtualMachineInstances", "Microsoft.Compute/virtualMachine",
            "Microsoft.HybridCompute/machine", "Microsoft.HybridCompute/privateLinkScopes", "Microsoft.Computer/virtualMachines",
            "Microsoft.Compute/virtualMachinesX", "Microsoft.Compute.virtualMachines", "Microsoft.Compute//virtualMachines",
            "Microsoft.Security/pricings", "Microsoft.Resources/resourceGroups");
    static final List<String> CONTROL = List.of("\u0000", "\t", "\n", "\r", "\u000b", "\u000c", "\u001b", "\u007f", "\u0085", "\u0008");
    static final List<String> NON_ASCII = List.of("\u00e9", "\u00df", "\u0130", "\u0131", "\u212a", "\u017f", "\u200b", "\u202e", "\ufeff",
            "\uff0f", "\u2215", "\u0301", "\u0430", "\ud83d\ude00", "\u00a0", "\u2028", "\u3000", "\uff21");

    static Arbitrary<IdCase> invalid() {
        return Combinators.combine(validParts(), Arbitraries.of(Mutation.values()), Arbitraries.longs())
                .as((p, m, seed) -> new IdCase(mutate(p, m, new Random(seed)), null, false, "invalid " + m));
    }

    private static <T> T pick(List<T> l, Random r) {
        return l.get(r.nextInt(l.size()));
    }

    private static String insertAt(String s, String what, Random r) {
        int i = r.nextInt(s.length() + 1);
        return s.substring(0, i) + what + s.substring(i);
    }

    /** One change that the grammar must refuse. */
    static String mutate(Parts p, Mutation m, Random r) {
        String t = p.render();
        return switch (m) {
            case TRAILING_SLASH -> t + pick(List.of("/", "//", "/."), r);
            case TRAILING_NEWLINE -> t + pick(List.of("\n", "\r\n", "\r", "\u0000"), r);
            case CHILD_RESOURCE -> t + pick(CHILDREN, r);
            case OTHER_PROVIDER -> p.with("provider", pick(OTHER_PROVIDERS, r)).render();
            case SCALE_SET_INSTANCE -> p.with("provider", "Microsoft.Compute/virtualMachineScaleSets").with("name", p.name() + "/virtualMachines/"
                    + r.nextInt(100)).render();
            case PATH_TRAVERSAL -> switch (r.nextInt(8)) {
                case 0 -> p.with("name", "..").render();
                case 1 -> p.with("name", ".").render();
                case 2 -> p.with("name", p.name() + "/..").render();
                case 3 -> p.with("name", "../" + p.name()).render();
                case 4 -> p.with("rg", p.rg() + "/../" + p.rg()).render();
                case 5 -> p.with("rg", "..").render();
                case 6 -> p.with("name", "%2e%2e").render();
                default -> p.with("name", p.name() + "/../../" + p.name()).render();
            };
            case URL_ENCODED -> switch (r.nextInt(5)) {
                case 0 -> replaceOneSlash(t, pick(List.of("%2F", "%2f", "%5C", "%252F"), r), r);
                case 1 -> p.with("name", p.name() + "%20").render();
                case 2 -> p.with("name", "%41" + p.name()).render();
                case 3 -> p.with("rg", p.rg() + "%2F..").render();
                default -> t.replace("/", "%2F");
            };
            case CONTROL_CHARACTER -> insertAt(t, pick(CONTROL, r), r);
            case NON_ASCII -> switch (r.nextInt(3)) {
                case 0 -> p.with("name", insertAt(p.name(), pick(NON_ASCII, r), r).replaceFirst("^(?=[^A-Za-z0-9])", "a")).render();
                case 1 -> p.with("rg", insertAt(p.rg(), pick(NON_ASCII, r), r)).render();
                default -> p.with("sub", insertAt(p.sub(), pick(NON_ASCII, r), r)).render();
            };
            case WHITESPACE -> switch (r.nextInt(4)) {
                case 0 -> " " + t;
                case 1 -> t + " ";
                case 2 -> p.with("name", insertAt(p.name(), " ", r)).render();
                default -> insertAt(t, pick(List.of(" ", "\u00a0", "\u2003"), r), r);
            };
            case BROKEN_GUID -> switch (r.nextInt(6)) {
                case 0 -> p.with("sub", p.sub().substring(0, 3) + "g" + p.sub().substring(4)).render();
                case 1 -> p.with("sub", p.sub().replaceFirst("-", "")).render();
                case 2 -> p.with("sub", p.sub() + "0").render();
                case 3 -> p.with("sub", p.sub().substring(1)).render();
                case 4 -> p.with("sub", "{" + p.sub() + "}").render();
                default -> p.with("sub", "").render();
            };
            case BROKEN_STRUCTURE -> switch (r.nextInt(12)) {
                case 0 -> replaceOneSlash(t, "//", r);
                case 1 -> t.substring(1);
                case 2 -> "https://management.azure.com" + t;
                case 3 -> t + "?api-version=2024-07-01";
                case 4 -> t + "#x";
                case 5 -> t.replace('/', '\\');
                case 6 -> ("/" + p.subsWord() + "/" + p.sub() + "/" + p.provWord() + "/" + p.provider() + "/" + p.name());
                case 7 -> p.with("name", "").render();
                case 8 -> p.with("name", p.name() + ".").render();
                case 9 -> p.with("name", pick(List.of("-", "_", ".", "("), r) + p.name()).render();
                case 10 -> p.with("rg", p.rg() + ".").render();
                default -> new Parts(pick(List.of("subscription", "subs"), r), p.sub(), pick(List.of("resourceGroup", "rg"), r), p.rg(),
                        pick(List.of("provider", "p"), r), p.provider(), p.name()).render();
            };
            case TOO_LONG -> switch (r.nextInt(3)) {
                case 0 -> p.with("name", p.name() + "a".repeat(Math.max(1, 65 - p.name().length()) + r.nextInt(50))).render();
                case 1 -> p.with("rg", p.rg() + "a".repeat(Math.max(1, 91 - p.rg().length()) + r.nextInt(50))).render();
                default -> p.with("rg", "r".repeat(400 + r.nextInt(100000))).render();
            };
        };
    }

    private static String replaceOneSlash(String t, String with, Random r) {
        int count = (int) t.chars().filter(c -> c == '/').count();
        int which = r.nextInt(count);
        int at = -1;
        for (int i = 0; i <= which; i++) {
            at = t.indexOf('/', at + 1);
        }
        return t.substring(0, at) + with + t.substring(at + 1);
    }

    /** Valid in scope, valid out of scope, and invalid, in proportions that exercise all three. */
    static Arbitrary<IdCase> any() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, valid()), net.jqwik.api.Tuple.of(4, invalid()));
    }

    /** Escapes what a failure report should not print raw. */
    static final class Printable {
        static String of(String s) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length() && i < 300; i++) {
                char c = s.charAt(i);
                b.append(c < 0x20 || c == 0x7f || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
            return s.length() > 300 ? b + "...(" + s.length() + " chars)" : b.toString();
        }
    }
}
