package com.mdeonboarding.testing;

import java.util.List;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** A fresh java.util.logging logger (what ExecutionContext.getLogger() returns) whose lines land in a list. */
public final class CapturingLogger {
    private CapturingLogger() {
    }

    /** Every record as "LEVEL message [thrown]" into {@code sink}; nothing reaches the parent handlers. */
    public static Logger into(List<String> sink, String namePrefix) {
        Logger l = Logger.getLogger(namePrefix + "-" + UUID.randomUUID());
        l.setUseParentHandlers(false);
        l.setLevel(Level.ALL);
        l.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                sink.add(r.getLevel() + " " + r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        return l;
    }
}
