package com.mdeonboarding.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mdeonboarding.decide.Estate;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
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
 * {@link LocalHttpApi} over the emulator's sample tenant (the demo world) and Azurite after its first sweep: the cards, the
 * tables, {@code GET /api/posture}, {@code GET /api/machines} and {@code sweep --json} count the same machines; with a function
 * key in the first URL every link keeps it and answers 200; a subscription filter changes every count; the CSV export equals
 * the JSON; a machine onboarded by its event changes the page without a sweep; hostile text from Azure shows as text and runs
 * nothing; no sideways scrolling at 400 px. Screenshots at 1400 and 400 px go to {@code functions/target} (and to
 * {@code docs/} with {@code -Dmde.updateScreenshot=true}: the README's picture).
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
    void afterTheFirstSweepThePageThePostureTheExportAndTheCliCountTheSameMachinesAndFollowTheFilter() throws Exception {
        Browser.requireInstalled();
        try (TestWorld world = TestWorld.builder(Tenant.sample()).prefix("Dash").setting(com.mdeonboarding.config.Settings.PLAN_ENABLEMENT, "P1").build()) {
            // Azure's instance view reports the guest's own OS name (attacker-controlled): it reaches the decision's detail.
            String hostile = world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB)
                    .resourceGroup("rg-hostile").name("vm-hostile-os").osName(HOSTILE).osVersion("1.0")
                    .image("Contoso", "hostile", "x").tag("owner", HOSTILE).tag("MdePassiveMode", HOSTILE).build());
            // The demo world's first sweep (bin/demo runs it with --enforce), as the CLI prints it.
            JsonNode sweep = JSON.readTree(cli(world, Main.ATTENTION, "sweep", "--enforce", "--yes", "--json", "--wait", "120s"));
            JsonNode estate = sweep.path("report").path("estate");
            assertTrue(estate.path("machines").asLong() > 0, sweep.toPrettyString());
            world.takeEvents();

            Logger log = world.logger("serve");
            try (LocalHttpApi api = new LocalHttpApi(world.services, 0, log)) {
                api.start();
                String base = "http://127.0.0.1:" + api.port();
                JsonNode posture = JSON.readTree(get(base + "/api/posture").body());
                HttpResponse<String> raw = get(base + "/api/dashboard");
                assertEquals(200, raw.statusCode(), raw.body());
                String csp = raw.headers().firstValue("Content-Security-Policy").orElse("");
                assertTrue(csp.startsWith("default-src 'none'; style-src 'sha256-") && !csp.contains("unsafe"), csp);
                // Machine for machine: the export lists every machine in scope, with its standing.
                JsonNode all = JSON.readTree(get(base + "/api/machines?limit=5000").body());
                assertEquals(estate.path("machines").asLong(), all.path("machines").size(), "the export lists every machine the sweep counted");
                Map<String, Long> byStanding = new HashMap<>();
                all.path("machines").forEach(m -> byStanding.merge(m.path("standing").asText(), 1L, Long::sum));
                // Each machine the sweep reconciled stands in the export as the sweep decided it.
                for (JsonNode m : sweep.path("machines")) {
                    if (!m.path("decision").isNull()) {
                        JsonNode row = machine(all, m.path("resourceId").asText());
                        assertEquals(m.path("decision").asText(), row.path("decision").asText(), row.toString());
                    }
                }
                assertEquals(estate, posture.path("estate"), "GET /api/posture holds what sweep --json printed");

                ChromeDriver driver = Browser.start(1400, 3000);
                try {
                    String key = "test-function-key";
                    driver.get(base + "/api/dashboard?code=" + key);
                    assertNoAlert(driver);
                    // The page's style sheet applied: the hash in the policy is the right one (else the header is unstyled).
                    assertEquals("rgba(20, 33, 61, 1)", driver.findElement(By.tagName("header")).getCssValue("background-color"));
                    assertEquals(posture.path("sweepId").asText(), driver.findElement(By.id("sweep-id")).getText());

                    // One set of numbers: the cards, the sweep's --json, GET /api/posture and the export, standing for standing.
                    assertEquals(estate.path("machines").asLong(), number(driver, "headline-total"));
                    long standings = 0;
                    for (Estate.Standing s : Estate.Standing.values()) {
                        long n = number(driver, "headline-" + s.name());
                        assertEquals(estate.path("standings").path(s.name()).asLong(), n, s.name());
                        assertEquals(byStanding.getOrDefault(s.name(), 0L), n, s.name() + " in the export");
                        standings += n;
                    }
                    assertEquals(estate.path("machines").asLong(), standings, "every machine in scope is in one headline category");
                    assertTrue(number(driver, "headline-BLOCKED") > 0, "the sample tenant keeps some machines blocked");
                    for (DecisionKind d : DecisionKind.values()) {
                        assertEquals(estate.path("decisions").path(d.name()).asLong(0), number(driver, "decision-" + d.name()), d.name());
                    }
                    List<WebElement> reasonRows = driver.findElements(By.cssSelector("#reasons tbody tr[id^='reason-']"));
                    assertEquals(estate.path("reasons").size(), reasonRows.size());
                    for (WebElement row : reasonRows) {
                        String code = row.getAttribute("id").substring("reason-".length());
                        assertEquals(estate.path("reasons").path(code).asLong(), Long.parseLong(row.findElement(By.className("count")).getText()), code);
                    }
                    for (JsonNode s : posture.path("subscriptions")) {
                        WebElement row = driver.findElement(By.id("sub-" + s.path("subscriptionId").asText()));
                        long machines = 0;
                        for (JsonNode n : s.path("standings")) {
                            machines += n.asLong();
                        }
                        assertEquals(machines, Long.parseLong(row.findElement(By.className("machines")).getText()), s.toString());
                        assertTrue(row.getText().contains(s.path("displayName").asText()), "subscriptions by display name: " + row.getText());
                    }
                    assertEquals(byStanding.getOrDefault("BLOCKED", 0L) + byStanding.getOrDefault("PENDING", 0L),
                            number(driver, "machine-total"), "the list: every machine that needs action");
                    // Fix first: largest first.
                    long previous = Long.MAX_VALUE;
                    for (WebElement row : driver.findElements(By.cssSelector("#act-first tbody tr[id^='act-']"))) {
                        long n = Long.parseLong(row.findElement(By.className("count")).getText());
                        assertTrue(n <= previous, "most machines first");
                        previous = n;
                    }
                    assertTrue(previous < Long.MAX_VALUE, "the sample tenant has something to fix first");

                    // Hostile text: visible as text; no script, image or injected element; nothing ran.
                    WebElement hostileRow = row(driver, "vm-hostile-os");
                    String detail = hostileRow.findElement(By.className("detail")).getText();
                    assertTrue(detail.contains("<script>alert(1)</script>\"><img src=x onerror=\"window.__pwned=1;alert(2)\"></style>"), detail);
                    assertTrue(detail.contains("\\u2028next\\u202egnp.exe"), "invisible characters are shown escaped: " + detail);
                    assertTrue(driver.findElements(By.tagName("script")).isEmpty());
                    assertTrue(driver.findElements(By.tagName("img")).isEmpty());
                    assertTrue(driver.findElements(By.id("injected")).isEmpty());
                    assertTrue(driver.findElements(By.cssSelector("a[href^='javascript']")).isEmpty());
                    assertEquals(Boolean.TRUE, driver.executeScript("return typeof window.__pwned === 'undefined'"));
                    assertTrue(hostileRow.findElement(By.className("azure-portal")).getAttribute("href")
                            .startsWith("https://portal.azure.com/#@/resource/subscriptions/"));
                    assertNoAlert(driver);

                    // Under function keys: every link of the page keeps the key and answers 200.
                    List<String> hrefs = driver.findElements(By.cssSelector("a[href]")).stream().map(a -> a.getAttribute("href")).distinct().toList();
                    int followed = 0;
                    for (String href : hrefs) {
                        if (!href.startsWith(base)) {
                            assertTrue(href.startsWith("https://portal.azure.com/") || href.startsWith("https://security.microsoft.com/"), href);
                            continue;
                        }
                        assertTrue(href.contains("code=" + key), "the link keeps the function key: " + href);
                        HttpResponse<String> r = get(href);
                        assertEquals(200, r.statusCode(), href + ": " + r.body());
                        followed++;
                    }
                    assertTrue(followed > 10, followed + " links followed");
                    screenshot(driver, 1400, "dashboard.png");

                    // CSV export equals the JSON, cell for cell.
                    String exportCsv = driver.findElement(By.id("export-csv")).getAttribute("href");
                    String exportJson = driver.findElement(By.id("export-json")).getAttribute("href");
                    assertCsvEqualsJson(get(exportCsv).body(), JSON.readTree(get(exportJson).body()));

                    // A subscription filter changes every count on the page: each equals the export of that subscription.
                    String sub = posture.path("subscriptions").get(0).path("subscriptionId").asText();
                    new Select(driver.findElement(By.name("subscription"))).selectByValue(sub);
                    driver.findElement(By.id("apply")).click();
                    new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("subscription=" + sub));
                    assertTrue(driver.getCurrentUrl().contains("code=" + key), "the form keeps the key: " + driver.getCurrentUrl());
                    JsonNode only = JSON.readTree(get(base + "/api/machines?limit=5000&subscription=" + sub).body());
                    assertTrue(only.path("total").asLong() < all.path("total").asLong(), "the filter narrows");
                    assertEquals(only.path("total").asLong(), number(driver, "headline-total"));
                    Map<String, Long> subStanding = new HashMap<>();
                    Map<String, Long> subReasons = new HashMap<>();
                    only.path("machines").forEach(m -> {
                        subStanding.merge(m.path("standing").asText(), 1L, Long::sum);
                        m.path("reasons").forEach(r -> subReasons.merge(r.asText(), 1L, Long::sum));
                    });
                    for (Estate.Standing s : Estate.Standing.values()) {
                        assertEquals(subStanding.getOrDefault(s.name(), 0L), number(driver, "headline-" + s.name()), s.name());
                    }
                    for (WebElement row : driver.findElements(By.cssSelector("#reasons tbody tr[id^='reason-']"))) {
                        String code = row.getAttribute("id").substring("reason-".length());
                        assertEquals(subReasons.get(code), Long.valueOf(row.findElement(By.className("count")).getText()), code);
                    }
                    assertEquals(1, driver.findElements(By.cssSelector("#subscriptions tbody tr")).size(), "one subscription");
                    assertEquals(subStanding.getOrDefault("BLOCKED", 0L) + subStanding.getOrDefault("PENDING", 0L), number(driver, "machine-total"));
                    driver.findElements(By.cssSelector("tr.machine")).forEach(r -> assertTrue(r.getText().contains(
                            posture.path("subscriptions").get(0).path("displayName").asText()), r.getText()));
                    assertTrue(driver.findElements(By.cssSelector("#trend circle")).size() >= 1, "the trend follows a subscription filter");

                    // An event-onboarded machine changes the page without another sweep.
                    driver.get(base + "/api/dashboard?code=" + key);
                    long total = number(driver, "headline-total");
                    long healthy = number(driver, "headline-PROTECTED") + number(driver, "headline-UNVERIFIED");
                    world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB).resourceGroup("rg-new")
                            .name("vm-after-the-sweep").build());
                    Path delivery = Files.createTempFile("delivery", ".json");
                    StringBuilder events = new StringBuilder();
                    for (String e : world.takeEvents()) {
                        JSON.readTree(e).forEach(x -> events.append(events.isEmpty() ? "" : ",").append(x));
                    }
                    Files.writeString(delivery, "[" + events + "]");
                    cli(world, Main.OK, "event", delivery.toString(), "--json", "--wait", "60s");
                    driver.navigate().refresh();
                    assertEquals(total + 1, number(driver, "headline-total"), "the new machine counts at once");
                    assertEquals(healthy + 1, number(driver, "headline-PROTECTED") + number(driver, "headline-UNVERIFIED"));

                    // 400 px: no sideways scrolling; a second screenshot.
                    driver.manage().window().setSize(new org.openqa.selenium.Dimension(400, 3000));
                    driver.navigate().refresh();
                    long scrollWidth = ((Number) driver.executeScript("return document.documentElement.scrollWidth")).longValue();
                    long clientWidth = ((Number) driver.executeScript("return document.documentElement.clientWidth")).longValue();
                    assertTrue(scrollWidth <= clientWidth, "no horizontal scroll at 400 px: scrollWidth " + scrollWidth + " > " + clientWidth);
                    screenshot(driver, 400, "dashboard-400.png");

                    // A machine's link shows its state.
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

    /** The whole page in one picture (the window as tall as the document), to functions/target; with -Dmde.updateScreenshot=true also to docs/. */
    private static void screenshot(ChromeDriver driver, int width, String name) throws Exception {
        long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, (int) Math.min(9000, height + 20)));
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Path shot = RepoPaths.repoRoot().resolve("functions/target/" + name);
        Files.createDirectories(shot.getParent());
        Files.write(shot, png);
        if (Boolean.getBoolean("mde.updateScreenshot")) {
            Files.write(RepoPaths.repoRoot().resolve("docs/" + name), png);
        }
    }

    private static JsonNode machine(JsonNode list, String resourceId) {
        for (JsonNode m : list.path("machines")) {
            if (m.path("resourceId").asText().equalsIgnoreCase(resourceId)) {
                return m;
            }
        }
        throw new AssertionError("not in the export: " + resourceId);
    }

    /** Every CSV row equals the JSON row of the same position, column for column (formula-like cells neutralised). */
    static void assertCsvEqualsJson(String csv, JsonNode json) throws Exception {
        List<org.apache.commons.csv.CSVRecord> records = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .get().parse(new java.io.StringReader(csv)).getRecords();
        assertEquals(json.path("machines").size(), records.size());
        assertTrue(records.size() > 0);
        for (int i = 0; i < records.size(); i++) {
            JsonNode m = json.path("machines").get(i);
            for (String column : com.mdeonboarding.api.MachineList.COLUMNS) {
                String expected = column.equals("reasons")
                        ? String.join(" ", java.util.stream.StreamSupport.stream(m.path("reasons").spliterator(), false).map(JsonNode::asText).toList())
                        : m.path(column).isNull() ? "" : m.path(column).asText();
                assertEquals(com.mdeonboarding.api.MachineList.neutralized(expected), records.get(i).get(column), column + " of " + m);
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

    /** Runs the CLI; its exit code must be {@code exit}; returns its stdout. */
    private static String cli(TestWorld world, int exit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new HashMap<>(world.env), new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(exit, code, String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
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
