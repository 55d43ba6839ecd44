package com.mdeonboarding.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: captures every {@code java.util.logging} record that reaches the root logger while
 * the test class runs, and after each test runs every {@link SecretScanner} registered with
 * {@link #watch} (over its own sources plus the root capture). A leak fails the test.
 *
 * <pre>{@code
 * @RegisterExtension static final SecretScan SECRETS = new SecretScan();
 * ... SECRETS.watch(world.scanner());
 * }</pre>
 */
public final class SecretScan implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final List<String> rootLog = Collections.synchronizedList(new ArrayList<>());
    private final List<SecretScanner> scanners = Collections.synchronizedList(new ArrayList<>());
    private Handler handler;

    @Override
    public void beforeAll(ExtensionContext context) {
        handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                StringBuilder b = new StringBuilder().append(r.getLevel()).append(' ').append(r.getLoggerName()).append(' ')
                        .append(r.getMessage());
                if (r.getParameters() != null) {
                    for (Object p : r.getParameters()) {
                        b.append(' ').append(p);
                    }
                }
                if (r.getThrown() != null) {
                    java.io.StringWriter w = new java.io.StringWriter();
                    r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                    b.append(' ').append(w);
                }
                rootLog.add(b.toString());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(handler);
    }

    /** Scans {@code scanner}'s sources, and everything logged through the root logger, after every test. */
    public SecretScanner watch(SecretScanner scanner) {
        scanner.source("java.util.logging root", () -> {
            synchronized (rootLog) {
                return new ArrayList<>(rootLog);
            }
        });
        scanners.add(scanner);
        return scanner;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<SecretScanner> all;
        synchronized (scanners) {
            all = new ArrayList<>(scanners);
        }
        for (SecretScanner s : all) {
            long before = s.scannedItems();
            s.assertClean();
            Figures.add("secrets", "texts scanned", s.scannedItems() - before);
            Figures.add("secrets", "scans", 1);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        scanners.clear();
        if (handler != null) {
            Logger.getLogger("").removeHandler(handler);
        }
    }

    public int rootLogLines() {
        return rootLog.size();
    }
}
