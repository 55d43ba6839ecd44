package com.mdeonboarding.emulator.operations;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long the emulator keeps asynchronous work in progress: Run Commands (VM and Arc) and extension writes/deletes.
 * Each call draws its own duration, uniformly between a minimum and a maximum, from a seeded sequence (the same calls
 * in the same order get the same durations), and every duration is multiplied by {@code timeScale}, so a world that
 * behaves like Azure can run in a fraction of Azure's time: at 1/30 a 60 s Run Command takes 2 s.
 *
 * <p>{@link #fixed} (what the test suite uses, via {@code extensionProvisioningDelay}) has no spread and no scale.
 * {@link #azureLike()} has the durations Azure shows (see BENCHMARKS.md, "A realistic world", for the sources): Run
 * Command 30-90 s, MDE extension provisioning 2-6 minutes.
 */
public final class Delays {
    /** Run Command in Azure: typically a minute per call, 30-90 s (see BENCHMARKS.md for the sources). */
    public static final Duration AZURE_RUN_COMMAND_MIN = Duration.ofSeconds(30);
    public static final Duration AZURE_RUN_COMMAND_MAX = Duration.ofSeconds(90);
    /** MDE.Windows / MDE.Linux provisioning in Azure: minutes (the agent installs and onboards), 2-6 min here. */
    public static final Duration AZURE_EXTENSION_MIN = Duration.ofMinutes(2);
    public static final Duration AZURE_EXTENSION_MAX = Duration.ofMinutes(6);

    private final Duration runCommandMin;
    private final Duration runCommandMax;
    private final Duration extensionMin;
    private final Duration extensionMax;
    private final double timeScale;
    private final long seed;
    private final AtomicLong draws = new AtomicLong();

    private Delays(Duration runCommandMin, Duration runCommandMax, Duration extensionMin, Duration extensionMax, double timeScale,
                   long seed) {
        this.runCommandMin = nonNegative(runCommandMin, "run command minimum");
        this.runCommandMax = nonNegative(runCommandMax, "run command maximum");
        this.extensionMin = nonNegative(extensionMin, "extension minimum");
        this.extensionMax = nonNegative(extensionMax, "extension maximum");
        if (runCommandMax.compareTo(runCommandMin) < 0 || extensionMax.compareTo(extensionMin) < 0) {
            throw new IllegalArgumentException("a delay's maximum must not be below its minimum");
        }
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("timeScale must be a positive number, was " + timeScale);
        }
        this.timeScale = timeScale;
        this.seed = seed;
    }

    /** Every Run Command and extension operation takes exactly {@code delay} (the emulator's default, 2 s). */
    public static Delays fixed(Duration delay) {
        return new Delays(delay, delay, delay, delay, 1.0, 0);
    }

    /** Run Commands and extension provisioning as long as in Azure, spread per call; combine with {@link #timeScale}. */
    public static Delays azureLike() {
        return between(AZURE_RUN_COMMAND_MIN, AZURE_RUN_COMMAND_MAX, AZURE_EXTENSION_MIN, AZURE_EXTENSION_MAX);
    }

    public static Delays between(Duration runCommandMin, Duration runCommandMax, Duration extensionMin, Duration extensionMax) {
        return new Delays(runCommandMin, runCommandMax, extensionMin, extensionMax, 1.0, 42);
    }

    /** The same durations multiplied by {@code factor} (e.g. 1.0 / 30: Azure's minute takes two seconds). */
    public Delays timeScale(double factor) {
        return new Delays(runCommandMin, runCommandMax, extensionMin, extensionMax, factor, seed);
    }

    /** Another seed for the per-call spread. */
    public Delays seed(long s) {
        return new Delays(runCommandMin, runCommandMax, extensionMin, extensionMax, timeScale, s);
    }

    public double timeScale() {
        return timeScale;
    }

    /** The next Run Command's duration, scaled. */
    public Duration nextRunCommand() {
        return draw(runCommandMin, runCommandMax);
    }

    /** The next extension write's or delete's duration, scaled. */
    public Duration nextExtension() {
        return draw(extensionMin, extensionMax);
    }

    private Duration draw(Duration min, Duration max) {
        long span = max.toMillis() - min.toMillis();
        long unscaled = min.toMillis() + (span == 0 ? 0 : Math.floorMod(mix(seed + draws.incrementAndGet()), span + 1));
        return Duration.ofMillis(Math.round(unscaled * timeScale));
    }

    /** SplitMix64's finaliser: consecutive inputs give well-spread outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static Duration nonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative");
        }
        return d;
    }

    /** e.g. "Run Command 30-90 s, extension provisioning 120-360 s, time scale 1/30". */
    public String describe() {
        String scale = timeScale == 1.0 ? "none" : timeScale < 1 ? "1/" + trim(1 / timeScale) : trim(timeScale) + "x";
        return "Run Command " + range(runCommandMin, runCommandMax) + ", extension provisioning " + range(extensionMin, extensionMax)
                + ", time scale " + scale;
    }

    private static String range(Duration min, Duration max) {
        return min.equals(max) ? seconds(min) + " s" : seconds(min) + "-" + seconds(max) + " s";
    }

    private static String seconds(Duration d) {
        return trim(d.toMillis() / 1000.0);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    @Override
    public String toString() {
        return describe();
    }
}
