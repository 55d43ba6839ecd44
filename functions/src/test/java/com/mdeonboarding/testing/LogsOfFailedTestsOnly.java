package com.mdeonboarding.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * java.util.logging in the test JVMs (the app's logging, and the Azure SDK's through slf4j-jdk14) goes to the console
 * only for a test that fails: then its last lines are printed after it, with the test's name. A passing build stays
 * quiet although many tests drive the SDK into errors on purpose (fault storms, hostile input, TLS trust, ETag races),
 * and what tests attach to loggers themselves (the secret scanner's root capture, captured host logs) still sees
 * every record. Registered for every JUnit Platform run through META-INF/services.
 */
public final class LogsOfFailedTestsOnly implements TestExecutionListener {
    /** The lines kept: the end of a test's log is where its failure is. */
    static final int MAX_LINES = 2000;
    private static final SimpleFormatter MESSAGE = new SimpleFormatter();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final Deque<String> lines = new ArrayDeque<>();
    private final Handler buffer = new Handler() {
        @Override
        public void publish(LogRecord r) {
            StringBuilder b = new StringBuilder().append(TIME.format(r.getInstant())).append(' ').append(r.getLevel()).append(' ')
                    .append(r.getLoggerName()).append(": ").append(MESSAGE.formatMessage(r));
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                b.append('\n').append(trace);
            }
            synchronized (lines) {
                lines.addLast(b.toString());
                while (lines.size() > MAX_LINES) {
                    lines.removeFirst();
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(buffer);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        String[] kept;
        synchronized (lines) {
            kept = lines.toArray(String[]::new);
            lines.clear();
        }
        if (result.getStatus() == TestExecutionResult.Status.FAILED && kept.length > 0) {
            StringBuilder b = new StringBuilder("---- log of failed " + id.getDisplayName() + " (" + id.getUniqueId()
                    + "), last " + kept.length + " line(s), " + Instant.now() + "\n");
            for (String line : kept) {
                b.append(line).append('\n');
            }
            System.err.print(b.append("---- end of log\n"));
        }
    }
}
