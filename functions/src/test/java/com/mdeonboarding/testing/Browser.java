package com.mdeonboarding.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium driven through Debian's chromedriver (packages {@code chromium} and {@code chromium-driver}),
 * never a downloaded one: both paths are given, so Selenium Manager has nothing to look up. Where they are missing the
 * test is skipped with a message naming the packages, unless {@code MDE_REQUIRE_BROWSER=1} (what CI sets) makes that a
 * failure.
 */
public final class Browser {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final String REQUIRE = "MDE_REQUIRE_BROWSER";

    private Browser() {
    }

    /** Skips (or, when required, fails) the calling test if the browser or its driver is missing. */
    public static void requireInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String message = "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER + ": install the Debian packages chromium and"
                + " chromium-driver (sudo apt-get install -y chromium chromium-driver)";
        if (required()) {
            Assertions.fail(REQUIRE + " is set: " + message);
        }
        // Also on stderr, so that the skip shows in the build log and not only in the reports.
        System.err.println("[SKIPPED] " + message);
        Assumptions.abort(message);
    }

    static boolean required() {
        String v = System.getenv(REQUIRE);
        String p = System.getProperty("mde.requireBrowser");
        return isTrue(v) || isTrue(p);
    }

    private static boolean isTrue(String v) {
        return v != null && (v.equals("1") || v.toLowerCase(Locale.ROOT).equals("true"));
    }

    /** A fresh headless Chromium with its own empty profile; {@code quit()} it. */
    public static ChromeDriver start(int width, int height) {
        requireInstalled();
        Path profile;
        try {
            profile = Files.createTempDirectory("chromium-profile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // These flags keep Chromium off the network (a closed network refuses its background connections) and out of
        // the sandbox (the tests run as root).
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(60)).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }
}
