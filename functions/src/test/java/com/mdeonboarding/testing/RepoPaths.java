package com.mdeonboarding.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository and ../shared are, for tests run by Maven (system properties) or from an IDE. */
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

    /** ../shared beside the checkout (CI lays it there too). */
    public static Path sharedDir() {
        String prop = System.getProperty("mde.sharedDir");
        if (prop != null) {
            return Path.of(prop);
        }
        Path shared = repoRoot().getParent().resolve("shared");
        if (!Files.isDirectory(shared)) {
            throw new IllegalStateException("../shared is missing beside the checkout (" + shared + "); it holds Microsoft's published examples");
        }
        return shared;
    }

    public static Path fixture(String name) {
        return sharedDir().resolve("fixtures").resolve("azure-examples").resolve(name);
    }
}
