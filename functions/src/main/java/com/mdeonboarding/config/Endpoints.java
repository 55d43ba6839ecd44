package com.mdeonboarding.config;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for the endpoint overrides (MDE_ARM_ENDPOINT, MDE_DEFENDER_API_ENDPOINT): the app sends
 * a bearer token to whatever address they name, so only two kinds are accepted.
 * <ul>
 *   <li>the configured cloud's own endpoint (a fixed list of hosts, https, port 443 or none);</li>
 *   <li>a loopback address written literally as {@code 127.0.0.1}, {@code [::1]} or {@code localhost}, with
 *   any port or none: the local emulator, which gets the fixed development token instead of a real one.</li>
 * </ul>
 * Both: https only, no user info, no query, no fragment, no path beyond "/", no percent-encoding.
 *
 * <p>The URL is checked as text, not through {@link URI} or {@link java.net.InetAddress}: those, the OS
 * resolver and Netty disagree about {@code 0177.0.0.1} (decimal 177 to Java, octal 127 to inet_aton),
 * {@code 0x7f.1}, {@code 2130706433} and {@code 127.1}, and about the host of
 * {@code https://evil.example@127.0.0.1}. Accepting one spelling per loopback host leaves nothing to disagree on.
 * The rest of 127.0.0.0/8 is refused too: it is loopback on Linux but not configured on every OS, and
 * the emulator listens on 127.0.0.1, so a second spelling would only add forms to get wrong.
 */
public final class Endpoints {
    /** The accepted loopback hosts, each in its only accepted spelling. */
    public static final List<String> LOOPBACK_HOSTS = List.of("127.0.0.1", "[::1]", "localhost");

    private static final Pattern URL = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)$", Pattern.DOTALL);
    private static final Pattern PORT = Pattern.compile("^[1-9][0-9]{0,4}$");
    /** Digits, dots, hex letters and 'x' only (with a digit): an IP address in some notation, not a DNS name. */
    private static final Pattern ADDRESS_LIKE = Pattern.compile("^(?=.*[0-9])[0-9a-fx.]+$");
    private static final String LOOPBACK_LIST = "127.0.0.1, [::1] or localhost";

    private Endpoints() {
    }

    /** An accepted endpoint: https, lower-case host, the port only when it is not the default, no trailing slash. */
    public record Endpoint(URI url, boolean loopback) {
        public String host() {
            return url.getHost().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * True for a loopback endpoint in the accepted form (the local emulator). Anything else, including
     * other spellings of a loopback address, is false: the development token never goes there.
     */
    public static boolean isLoopback(URI url) {
        Parts p = split(url.toString());
        return p.problem == null && LOOPBACK_HOSTS.contains(p.host);
    }

    /**
     * Checks {@code value} of {@code setting} against the rule above.
     *
     * @param service    what the endpoint is, for messages ("Resource Manager", "Defender for Endpoint API")
     * @param cloud      the configured cloud, for messages
     * @param cloudHosts the cloud's own hosts for this service (lower case)
     * @throws SettingsException naming the setting, the value and what is accepted
     */
    static Endpoint parse(String setting, String value, String service, AzureCloud cloud, Collection<String> cloudHosts) {
        Parts p = split(value);
        String accepted = " Accepted: " + cloud.name() + "'s " + service + " endpoint (https://" + String.join(", https://", cloudHosts)
                + ") or a loopback address (https://" + LOOPBACK_LIST + ", with a port or none) for the local emulator.";
        if (p.problem != null) {
            throw new SettingsException(setting, "'" + value + "' is not accepted: " + p.problem + "." + accepted);
        }
        if (LOOPBACK_HOSTS.contains(p.host)) {
            return new Endpoint(URI.create("https://" + p.host + (p.port == null ? "" : ":" + p.port)), true);
        }
        if (cloudHosts.contains(p.host)) {
            if (p.port != null && !p.port.equals("443")) {
                throw new SettingsException(setting, "'" + value + "' is not accepted: " + cloud.name() + "'s " + service
                        + " endpoint takes no port but 443." + accepted);
            }
            return new Endpoint(URI.create("https://" + p.host), false);
        }
        if (p.host.startsWith("[") || ADDRESS_LIKE.matcher(p.host).matches()) {
            throw new SettingsException(setting, "'" + value + "' is not accepted: '" + p.host + "' is not one of the loopback addresses "
                    + LOOPBACK_LIST + " written exactly so; other spellings of an address (octal 0177.0.0.1, hex 0x7f.1, integer"
                    + " 2130706433, short 127.1, the rest of 127.0.0.0/8, other IPv6 forms) are refused because resolvers read them"
                    + " differently." + accepted);
        }
        throw new SettingsException(setting, "'" + value + "' is not accepted: '" + p.host + "' is neither " + cloud.name() + "'s "
                + service + " endpoint nor a loopback address; the app would send its identity's token there." + accepted);
    }

    /** The host (lower case) and port of an https URL in the accepted shape, or what is wrong with it. */
    private record Parts(String host, String port, String problem) {
        static Parts problem(String problem) {
            return new Parts(null, null, problem);
        }
    }

    private static Parts split(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == 0x7f || Character.isWhitespace(c)) {
                return Parts.problem("it contains spaces or control characters");
            }
        }
        Matcher m = URL.matcher(value);
        if (!m.matches()) {
            return Parts.problem("it is not a URL (expected e.g. https://127.0.0.1:8443)");
        }
        if (!m.group(1).equalsIgnoreCase("https")) {
            return Parts.problem("only https:// URLs are accepted (tokens are only ever sent over TLS)");
        }
        String authority = m.group(2);
        String rest = m.group(3);
        if (rest.contains("#")) {
            return Parts.problem("a fragment (#...) is refused");
        }
        if (rest.contains("?")) {
            return Parts.problem("a query (?...) is refused");
        }
        if (!rest.isEmpty() && !rest.equals("/")) {
            return Parts.problem("a path (" + rest + ") is refused; give the base URL only");
        }
        if (authority.contains("@")) {
            return Parts.problem("user info (the part before '@') is refused; give the host only");
        }
        if (authority.contains("%") || authority.contains("\\")) {
            return Parts.problem("percent-encoded characters and backslashes are refused in the host");
        }
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return Parts.problem("the IPv6 address has no closing ']'");
            }
            host = authority.substring(0, close + 1);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    return Parts.problem("unexpected text after the IPv6 address");
                }
                port = after.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0) {
                if (authority.indexOf(':', colon + 1) >= 0) {
                    return Parts.problem("the host has more than one ':' (write IPv6 addresses in brackets)");
                }
                port = authority.substring(colon + 1);
                host = authority.substring(0, colon);
            } else {
                host = authority;
            }
        }
        if (host.isEmpty()) {
            return Parts.problem("there is no host");
        }
        if (port != null && (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65_535)) {
            return Parts.problem("the port '" + port + "' is not a decimal number from 1 to 65535");
        }
        return new Parts(host.toLowerCase(Locale.ROOT), port, null);
    }
}
