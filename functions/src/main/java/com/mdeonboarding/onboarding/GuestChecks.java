package com.mdeonboarding.onboarding;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which Run Command script to run on a machine, and whether a cached check result still counts. The scripts are
 * classpath resources under {@code guest-checks/}, read once when this class loads; nothing here does I/O after that.
 *
 * <p>How the shell uses it: when a decision's actions start with {@link PlannedAction#RUN_GUEST_CHECK}, run
 * {@link #scriptFor(MachineFacts)}, parse the output with {@link GuestCheckParser#parse} using
 * {@link #kindFor(MachineFacts)}, store the result with the machine's state, and decide again with
 * {@link MachineFacts#withGuestCheck}. When building facts from stored state, pass the stored result through
 * {@link #current} so that stale results are dropped.
 */
public final class GuestChecks {

    /**
     * How long a stored check result counts. Short on purpose: a passing result is used within the same job (check,
     * then deploy), and a failing one should be looked at again soon after the operator fixes the machine; with the
     * default 6-hourly sweep, every sweep re-checks a machine blocked by its findings.
     */
    public static final Duration MAX_AGE = Duration.ofHours(1);

    private static final Map<GuestCheckKind, GuestCheckScript> SCRIPTS = new EnumMap<>(GuestCheckKind.class);
    private static final GuestCheckScript PASSIVE_MODE = new GuestCheckScript("set-passive-mode.ps1", "RunPowerShellScript",
            load("set-passive-mode.ps1"));

    static {
        for (GuestCheckKind kind : GuestCheckKind.values()) {
            SCRIPTS.put(kind, new GuestCheckScript(kind.resource(), kind.commandId(), load(kind.resource())));
        }
    }

    private GuestChecks() {
    }

    /** The check that applies to this machine's OS: 2012 R2, 2016, or a supported Linux; empty otherwise. */
    public static Optional<GuestCheckKind> kindFor(MachineFacts facts) {
        return OsSupport.classify(facts).guestCheck();
    }

    /** The read-only check script for this machine, if one applies. */
    public static Optional<GuestCheckScript> scriptFor(MachineFacts facts) {
        return kindFor(facts).map(GuestChecks::script);
    }

    public static GuestCheckScript script(GuestCheckKind kind) {
        return SCRIPTS.get(kind);
    }

    /**
     * Sets {@code ForceDefenderPassiveMode=1} (PowerShell, Windows only); the one script that writes. Its output is
     * read with {@link GuestCheckParser#passiveModeSet(String)}.
     */
    public static GuestCheckScript passiveModeScript() {
        return PASSIVE_MODE;
    }

    /**
     * The staleness rule: a stored result counts when it is at most {@link #MAX_AGE} old and was taken after the
     * extension's last Failed outcome (a check from before a failure says nothing about why it failed).
     *
     * @param stored        the result stored with the machine's state
     * @param lastFailureAt when the reconciler last recorded the extension as Failed, if ever
     * @param now           the current time (the caller's clock; this stays pure)
     */
    public static Optional<GuestCheckResult> current(Optional<GuestCheckResult> stored, Optional<Instant> lastFailureAt, Instant now) {
        return stored.filter(r -> !r.checkedAt().isBefore(now.minus(MAX_AGE)) && !r.checkedAt().isAfter(now.plus(Duration.ofMinutes(5))))
                .filter(r -> lastFailureAt.map(failedAt -> r.checkedAt().isAfter(failedAt)).orElse(true));
    }

    private static String load(String name) {
        String path = "guest-checks/" + name;
        try (InputStream in = GuestChecks.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + path);
            }
            // Run Command accepts either line ending; LF keeps one form everywhere.
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + path, e);
        }
    }
}
