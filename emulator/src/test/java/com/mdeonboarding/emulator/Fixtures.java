package com.mdeonboarding.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Microsoft's published examples, from the test classpath. */
final class Fixtures {
    private Fixtures() {
    }

    /**
     * The examples folder on the test classpath ({@code src/test/resources/azure-examples}, copied
     * byte for byte from Microsoft's published examples; its SOURCES.md names each file's origin).
     */
    static Path dir() {
        URL url = Fixtures.class.getResource("/azure-examples/SOURCES.md");
        if (url == null) {
            throw new AssertionError("azure-examples/SOURCES.md is not on the test classpath");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException | FileSystemNotFoundException e) {
            throw new AssertionError("the azure-examples folder must be a directory on the classpath, not " + url, e);
        }
    }

    static JsonNode load(String file) {
        try {
            return TestClient.MAPPER.readTree(Files.readString(dir().resolve(file)));
        } catch (Exception e) {
            throw new AssertionError("Cannot read fixture " + file + ": " + e, e);
        }
    }
}
