package com.mdeonboarding.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.decide.Estate;
import com.mdeonboarding.emulator.Tenant;
import com.mdeonboarding.emulator.VirtualMachineSpec;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.testing.Browser;
import com.mdeonboarding.testing.RepoPaths;
import com.mdeonboarding.testing.TestWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * GET /api/dashboard in a real browser (headless Debian Chromium through Selenium), served by {@code serve}'s
 * {@link LocalHttpApi} over the emulator's sample tenant and Azurite after two real sweeps: the numbers equal
 * {@code GET /api/posture}'s, a filter narrows the table, hostile text from Azure shows as text and runs nothing, the
 * machine links reach {@code GET /api/machines/state}; a screenshot goes to {@code functions/target/dashboard.png}.
 */
class DashboardBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUB = "3f2b8c1e-6d4a-4f7e-9b21-5c8e0a7d4f10";
    /**
     * What a machine's owner (or its guest agent) can make Azure report: closing and opening markup, an event handler, a
     * style block's end, a javascript: URL, a line separator and a right-to-left override that would reverse "exe.png".
     */
    static final String HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=\"window.__pwned=1;alert(2)\"></style>"
            + "<b id=\"injected\">bold</b> <a href=\"javascript:alert(3)\">click</a> javascript:alert(4)\u2028next\u202Egnp.exe";

    @Test
    void theDashboardShowsThePostureNumbersFiltersAndKeepsHostileTextInert() throws Exception {
        Browser.requireInstalled();
        try (TestWorld world = TestWorld.builder(Tenant.sample()).prefix("Dash").setting(com.mdeonboarding.config.Settings.PLAN_ENABLEMENT, "P1").build()) {
            // Azure's instance view reports the guest's own OS name (attacker-controlled): it reaches the decision's detail.
            String hostile = world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB)
                    .resourceGroup("rg-hostile").name("vm-hostile-os").osName(HOSTILE).osVersion("1.0")
                    .image("Contoso", "hostile", "x").tag("owner", HOSTILE).tag("MdePassiveMode", HOSTILE).build());
            assertEquals(1, cli(world, "sweep", "--enforce", "--yes", "--json", "--wait", "120s"), "some sample machines stay blocked");
            cli(world, "sweep", "--json", "--wait", "120s");

            Logger log = world.logger("serve");
            try (LocalHttpApi api = new LocalHttpApi(world.services, 0, log)) {
                api.start();
                String base = "http://127.0.0.1:" + api.port();
                JsonNode posture = JSON.readTree(get(base + "/api/posture").body());
                HttpResponse<String> raw = get(base + "/api/dashboard");
                assertEquals(200, raw.statusCode(), raw.body());
                String csp = raw.headers().firstValue("Content-Security-Policy").orElse("");
                assertTrue(csp.startsWith("default-src 'none'; style-src 'sha256-") && !csp.contains("unsafe"), csp);

                ChromeDriver driver = Browser.start(1400, 3000);
                try {
                    driver.get(base + "/api/dashboard");
                    assertNoAlert(driver);
                    // The page's style sheet applied: the hash in the policy is the right one (else the header is unstyled).
                    assertEquals("rgba(20, 33, 61, 1)", driver.findElement(By.tagName("header")).getCssValue("background-color"));

                    // The numbers are the posture's.
                    assertEquals(posture.path("sweepId").asText(), driver.findElement(By.id("sweep-id")).getText());
                    long machines = posture.path("machines").asLong();
                    assertEquals(machines, number(driver, "headline-total"));
                    long standings = 0;
                    for (Estate.Standing s : Estate.Standing.values()) {
                        standings += number(driver, "headline-" + s.name());
                    }
                    assertEquals(machines, standings, "every machine in scope is in one headline category");
                    assertTrue(number(driver, "headline-PROTECTED") > 0 && number(driver, "headline-BLOCKED") > 0);
                    long recorded = 0;
                    for (DecisionKind d : DecisionKind.values()) {
                        assertEquals(posture.path("lastDecisions").path(d.name()).asLong(0), number(driver, "decision-" + d.name()), d.name());
                        recorded += posture.path("lastDecisions").path(d.name()).asLong(0);
                    }
                    assertTrue(recorded > 0, "the second sweep saw the first one's decisions: " + posture.path("lastDecisions"));
                    List<WebElement> reasonRows = driver.findElements(By.cssSelector("#reasons tbody tr[id^='reason-']"));
                    assertEquals(posture.path("lastReasons").size(), reasonRows.size());
                    long previous = Long.MAX_VALUE;
                    for (WebElement row : reasonRows) {
                        String code = row.getAttribute("id").substring("reason-".length());
                        long n = Long.parseLong(row.findElement(By.className("count")).getText());
                        assertEquals(posture.path("lastReasons").path(code).asLong(), n, code);
                        assertTrue(n <= previous, "largest first");
                        previous = n;
                    }
                    for (JsonNode s : posture.path("subscriptions")) {
                        WebElement row = driver.findElement(By.id("sub-" + s.path("subscriptionId").asText()));
                        assertEquals(s.path("machines").asLong(), Long.parseLong(row.findElement(By.className("machines")).getText()));
                        assertTrue(row.findElement(By.className("plan")).getText().startsWith(s.path("pricingTier").asText()), row.getText());
                        assertEquals(s.path("drift").size(), s.path("drift").size() == 0 ? 0
                                : row.findElement(By.className("drift")).findElements(By.tagName("span")).size());
                    }
                    assertEquals(2, driver.findElements(By.cssSelector("#trend circle")).size(), "one point per stored sweep");

                    // Hostile text: visible as text; no script, image or injected element; nothing ran.
                    WebElement hostileRow = row(driver, "vm-hostile-os");
                    String detail = hostileRow.findElement(By.className("detail")).getText();
                    assertTrue(detail.contains("<script>alert(1)</script>\"><img src=x onerror=\"window.__pwned=1;alert(2)\"></style>"), detail);
                    assertTrue(detail.contains("<b id=\"injected\">bold</b> <a href=\"javascript:alert(3)\">"), detail);
                    assertTrue(detail.contains("\\u2028next\\u202egnp.exe"), "invisible characters are shown escaped: " + detail);
                    assertTrue(driver.findElements(By.tagName("script")).isEmpty());
                    assertTrue(driver.findElements(By.tagName("img")).isEmpty());
                    assertTrue(driver.findElements(By.id("injected")).isEmpty());
                    assertTrue(driver.findElements(By.cssSelector("a[href^='javascript']")).isEmpty());
                    assertEquals(Boolean.TRUE, driver.executeScript("return typeof window.__pwned === 'undefined'"));
                    assertNoAlert(driver);

                    // The whole page in one picture: the window as tall as the document.
                    long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight")).longValue();
                    driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, (int) Math.min(8000, height + 20)));
                    Path shot = RepoPaths.repoRoot().resolve("functions/target/dashboard.png");
                    Files.createDirectories(shot.getParent());
                    Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));

                    // The filter narrows the table: Arc machines only, by the form (no script on the page).
                    int all = driver.findElements(By.cssSelector("tr.machine")).size();
                    assertTrue(driver.findElements(By.cssSelector("tr.machine[data-kind='VM']")).size() > 0);
                    new Select(driver.findElement(By.name("kind"))).selectByValue("arc");
                    driver.findElement(By.id("apply")).click();
                    new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("kind=arc"));
                    List<WebElement> arc = driver.findElements(By.cssSelector("tr.machine"));
                    assertTrue(!arc.isEmpty() && arc.size() < all, arc.size() + " of " + all);
                    arc.forEach(r -> assertEquals("ARC", r.getAttribute("data-kind")));
                    assertEquals("arc", new Select(driver.findElement(By.name("kind"))).getFirstSelectedOption().getAttribute("value"));
                    driver.findElement(By.id("clear")).click();
                    new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !d.getCurrentUrl().contains("kind="));

                    // A reason link narrows it to the machines with that reason; the machine's link shows its state.
                    driver.findElement(By.cssSelector("#reason-OS_UNKNOWN a")).click();
                    new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("reason=OS_UNKNOWN"));
                    driver.findElements(By.cssSelector("tr.machine .reasons")).forEach(c -> assertTrue(c.getText().contains("OS_UNKNOWN")));
                    row(driver, "vm-hostile-os").findElement(By.className("state")).click();
                    new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("/api/machines/state"));
                    JsonNode state = JSON.readTree(driver.findElement(By.tagName("body")).getText());
                    assertEquals(hostile.toLowerCase(), state.path("resourceId").asText().toLowerCase());
                    assertEquals("BLOCKED", state.path("decision").asText());
                } finally {
                    driver.quit();
                }
            }
        }
    }

    private static WebElement row(ChromeDriver driver, String machineName) {
        return driver.findElements(By.cssSelector("tr.machine")).stream().filter(r -> r.findElement(By.className("state")).getText()
                .endsWith("/" + machineName)).findFirst().orElseThrow(() -> new AssertionError("no row for " + machineName));
    }

    private static long number(ChromeDriver driver, String id) {
        return Long.parseLong(driver.findElement(By.id(id)).getText().trim());
    }

    private static void assertNoAlert(ChromeDriver driver) {
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert(), "an alert opened: something ran");
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int cli(TestWorld world, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(world.env);
        int exit = Main.run(args, env, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertFalse(exit == Main.USAGE, String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
        return exit;
    }
}
