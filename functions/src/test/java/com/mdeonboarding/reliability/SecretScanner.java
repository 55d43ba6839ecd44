package com.mdeonboarding.reliability;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableServiceException;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.mdeonboarding.emulator.state.TenantState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Looks for the MDE onboarding package (a credential) everywhere a test run can see: captured log
 * lines (including a {@code java.util.logging} root-handler capture), queue messages, table rows,
 * HTTP responses and exception messages. Any hit is an {@link AssertionError} that names where the
 * package was found, never the package itself.
 *
 * <p>The package is searched in every form a leak could take: the base64 text as Resource Manager
 * serves it (whole, and in 40-character slices so a truncated or partial leak of 80 or more characters is
 * still found), URL-encoded, the decoded script text (slices, raw and JSON-escaped), and the emulator's
 * random package marker.
 *
 * <pre>{@code
 * SecretScanner scan = SecretScanner.forTenant(emulator.state())
 *         .source("host log", host::logLines)
 *         .queue("jobs", jobsQueue)
 *         .table("state", stateTable);
 * Handler h = SecretScanner.captureRootLogging(scan);   // every JUL record that reaches the root logger
 * ... run the test ...
 * scan.assertClean();
 * }</pre>
 *
 * Reusable by any test (public); the reliability suite runs it after every test.
 */
public final class SecretScanner {
    private static final int SLICE = 40;

    private final List<Secret> secrets;
    private final Map<String, Supplier<? extends Collection<String>>> sources = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<String> extra = Collections.synchronizedList(new ArrayList<>());
    private long scannedItems;
    private long scannedChars;

    private record Secret(String description, String text) {
    }

    private SecretScanner(List<Secret> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** The packages of an emulated tenant (Windows and Linux) and its marker. */
    public static SecretScanner forTenant(TenantState state) {
        List<Secret> s = new ArrayList<>();
        addPackage(s, "Windows package", state.onboardingPackageWindowsBase64());
        addPackage(s, "Linux package", state.onboardingPackageLinuxBase64());
        s.add(new Secret("package marker", state.onboardingPackageMarker()));
        return new SecretScanner(s);
    }

    /** Any base64 package (for tests with their own fake credential). */
    public static SecretScanner forPackages(String... base64Packages) {
        List<Secret> s = new ArrayList<>();
        for (int i = 0; i < base64Packages.length; i++) {
            addPackage(s, "package " + i, base64Packages[i]);
        }
        return new SecretScanner(s);
    }

    private static void addPackage(List<Secret> out, String name, String base64) {
        out.add(new Secret(name + " (base64)", base64));
        out.add(new Secret(name + " (base64, URL-encoded)", URLEncoder.encode(base64, StandardCharsets.UTF_8)));
        for (int i = 0; i + SLICE <= base64.length(); i += SLICE) {
            out.add(new Secret(name + " (base64 slice at " + i + ")", base64.substring(i, i + SLICE)));
        }
        String decoded = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        Set<String> texts = new LinkedHashSet<>(List.of(decoded, jsonEscaped(decoded)));
        int n = 0;
        for (String text : texts) {
            for (int i = 0; i + SLICE <= text.length(); i += SLICE) {
                out.add(new Secret(name + " (decoded" + (n == 0 ? "" : ", JSON-escaped") + " slice at " + i + ")",
                        text.substring(i, i + SLICE)));
            }
            n++;
        }
    }

    private static String jsonEscaped(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }

    /** A source of text, read at every scan (so it sees what was added since). */
    public SecretScanner source(String name, Supplier<? extends Collection<String>> texts) {
        sources.put(name, texts);
        return this;
    }

    /** The messages in a queue now (peeked, up to 32 per call, nothing dequeued). */
    public SecretScanner queue(String name, QueueClient queue) {
        return source("queue " + name, () -> {
            List<String> out = new ArrayList<>();
            try {
                for (PeekedMessageItem m : queue.peekMessages(32, null, null)) {
                    out.add(m.getBody().toString());
                }
            } catch (RuntimeException e) {
                // A queue that was never created holds no secret.
            }
            return out;
        });
    }

    /** Every row of a table (all properties). */
    public SecretScanner table(String name, TableClient table) {
        return source("table " + name, () -> {
            List<String> out = new ArrayList<>();
            try {
                for (TableEntity e : table.listEntities()) {
                    out.add(e.getPartitionKey() + " " + e.getRowKey() + " " + e.getProperties());
                }
            } catch (TableServiceException e) {
                if (e.getResponse().getStatusCode() != 404) {
                    throw e;
                }
            }
            return out;
        });
    }

    /** One text to scan, e.g. an HTTP response (status, headers, body). */
    public void add(String text) {
        extra.add(text);
    }

    /** An exception: its messages, causes and stack trace text. */
    public void add(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        extra.add(w.toString());
    }

    /** Captures every record that reaches the JUL root logger into this scanner; remove the handler when done. */
    public static Handler captureRootLogging(SecretScanner scanner) {
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                StringBuilder b = new StringBuilder().append(r.getLevel()).append(' ').append(r.getLoggerName()).append(' ')
                        .append(r.getMessage());
                if (r.getParameters() != null) {
                    for (Object p : r.getParameters()) {
                        b.append(' ').append(p);
                    }
                }
                scanner.extra.add(b.toString());
                if (r.getThrown() != null) {
                    scanner.add(r.getThrown());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        h.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(h);
        return h;
    }

    public static void stopCapture(Handler h) {
        Logger.getLogger("").removeHandler(h);
    }

    /** Fails with the place of the first leak found. */
    public void assertClean() {
        List<String> hits = scan();
        if (!hits.isEmpty()) {
            throw new AssertionError("the MDE onboarding package leaked (" + hits.size() + " hit(s)); first: " + String.join("; ",
                    hits.subList(0, Math.min(5, hits.size()))));
        }
    }

    /** Where the package was found (empty when clean). */
    public List<String> scan() {
        List<String> hits = new ArrayList<>();
        Map<String, Supplier<? extends Collection<String>>> snapshot;
        synchronized (sources) {
            snapshot = new LinkedHashMap<>(sources);
        }
        for (Map.Entry<String, Supplier<? extends Collection<String>>> src : snapshot.entrySet()) {
            int i = 0;
            for (String text : src.getValue().get()) {
                check(src.getKey() + "[" + i++ + "]", text, hits);
            }
        }
        List<String> more;
        synchronized (extra) {
            more = new ArrayList<>(extra);
        }
        for (int i = 0; i < more.size(); i++) {
            check("captured text[" + i + "]", more.get(i), hits);
        }
        return hits;
    }

    /** Where in one text the package was found (empty when clean). */
    public List<String> scanText(String text) {
        List<String> hits = new ArrayList<>();
        check("text", text, hits);
        return hits;
    }

    private void check(String where, String text, List<String> hits) {
        if (text == null) {
            return;
        }
        scannedItems++;
        scannedChars += text.length();
        for (Secret s : secrets) {
            int at = text.indexOf(s.text());
            if (at >= 0) {
                hits.add(s.description() + " in " + where + " at offset " + at + " of " + text.length() + " characters"
                        + " (starts: '" + masked(text.substring(0, Math.min(80, at))) + "')");
                return;
            }
        }
    }

    /** The start of the text for orientation, with anything that could be part of a package (base64 runs) masked. */
    private static String masked(String start) {
        return start.replaceAll("[A-Za-z0-9+/=]{12,}", "<masked>").replaceAll("\\p{Cntrl}", " ");
    }

    /** How many texts and characters the scans so far looked at (figures for RELIABILITY.md). */
    public long scannedItems() {
        return scannedItems;
    }

    public long scannedChars() {
        return scannedChars;
    }

    public int secretForms() {
        return secrets.size();
    }
}
