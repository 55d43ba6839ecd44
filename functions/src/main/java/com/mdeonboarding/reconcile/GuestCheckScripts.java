package com.mdeonboarding.reconcile;

import com.mdeonboarding.model.GuestCheckKind;
import com.mdeonboarding.model.GuestScript;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/** The Run Command scripts, classpath resources under {@code guest-checks/}, read once when this class loads. */
public final class GuestCheckScripts {
    private static final Map<GuestCheckKind, GuestScript> CHECKS = new EnumMap<>(GuestCheckKind.class);
    private static final GuestScript PASSIVE_MODE = new GuestScript("set-passive-mode.ps1", "RunPowerShellScript",
            load("set-passive-mode.ps1"));

    static {
        for (GuestCheckKind kind : GuestCheckKind.values()) {
            CHECKS.put(kind, new GuestScript(kind.resource(), kind.commandId(), load(kind.resource())));
        }
    }

    private GuestCheckScripts() {
    }

    /** The read-only prerequisite check for this kind of machine. */
    public static GuestScript check(GuestCheckKind kind) {
        return CHECKS.get(kind);
    }

    /** Sets {@code ForceDefenderPassiveMode=1} (PowerShell, Windows only); the one script that writes. */
    public static GuestScript passiveMode() {
        return PASSIVE_MODE;
    }

    private static String load(String name) {
        String path = "guest-checks/" + name;
        try (InputStream in = GuestCheckScripts.class.getClassLoader().getResourceAsStream(path)) {
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
