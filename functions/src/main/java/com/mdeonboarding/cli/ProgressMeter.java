package com.mdeonboarding.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Progress of a long inline run on stderr: machines done of the total, the rate, and the time left at that rate. A
 * line at most every {@link #EVERY}, and one when the last machine is done.
 */
final class ProgressMeter {
    static final Duration EVERY = Duration.ofSeconds(2);

    private final String what;
    private final long total;
    private final Clock clock;
    private final Consumer<String> lines;
    private final Instant started;
    private Instant lastLine;
    private long done;

    ProgressMeter(String what, long total, Clock clock, Consumer<String> lines) {
        this.what = what;
        this.total = total;
        this.clock = clock;
        this.lines = lines;
        this.started = clock.instant();
        this.lastLine = started;
    }

    /** One more machine has its final answer (onboarded, blocked, failed, ...). */
    synchronized void done() {
        done++;
        Instant now = clock.instant();
        if (done == total || !now.isBefore(lastLine.plus(EVERY))) {
            lastLine = now;
            lines.accept(line(now));
        }
    }

    String line(Instant now) {
        double seconds = Math.max(0.001, Duration.between(started, now).toMillis() / 1000.0);
        double rate = done / seconds;
        String left = done == total ? "done" : rate <= 0 ? "time left unknown"
                : "about " + duration(Math.round((total - done) / rate)) + " left";
        return what + " progress: " + done + " of " + total + " machines done (" + (total == 0 ? 100 : done * 100 / total) + "%), "
                + String.format(java.util.Locale.ROOT, "%.1f", rate) + "/s, " + left;
    }

    private static String duration(long seconds) {
        return seconds >= 60 ? seconds / 60 + "m " + String.format(java.util.Locale.ROOT, "%02d", seconds % 60) + "s" : seconds + "s";
    }
}
