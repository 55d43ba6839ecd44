package com.mdeonboarding.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and its files are, for tests run by Maven (system property) or from an IDE. */
public final class RepoPaths {
    private RepoPaths() {
    }

    public static Path repoRoot() {
        String prop = System.getProperty("mde.repoRoot");
        Path start = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("host.json")) && Files.exists(p.resolve("functions"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (host.json) above " + start);
    }

    /** One of Microsoft's published examples, kept in the emulator's test resources (see SOURCES.md there). */
    public static Path fixture(String name) {
        return repoRoot().resolve("emulator/src/test/resources/azure-examples").resolve(name);
    }
}
