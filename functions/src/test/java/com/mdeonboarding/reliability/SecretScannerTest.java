package com.mdeonboarding.reliability;

import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.data.tables.models.TableEntity;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The scanner itself: it must find the package in every form and in every kind of source, or a clean run proves
 * nothing. The positive control is the package exactly as the app wrote it into the extension's protected settings.
 */
class SecretScannerTest {

    @Test
    void findsThePackageInEveryFormAndEverySourceAndNothingInACleanRun() {
        try (ReliabilityWorld w = new ReliabilityWorld()) {
            TenantState s = w.emulator.state();
            String vm = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).name("canary").build());
            w.takeEvents().forEach(w.host::deliverEvent);
            assertTrue(w.host.runUntil(() -> "ONBOARDED".equals(ReliabilityWorld.decision(w.stateRows().get(vm.toLowerCase(Locale.ROOT))))
                    && w.queuedJobs() == 0, Duration.ofSeconds(60)));
            assertEquals(List.of(), w.scanner.scan(), "a clean onboarding run has no hit");
            assertTrue(w.scanner.scannedItems() > 10, "and the scan looked at something: " + w.scanner.scannedItems());

            // Positive control: what the app actually sent as the extension's protected setting.
            String extensionId = s.extensionsOf(vm).stream().filter(e -> "MDE.Windows".equals(e.name())).findFirst().orElseThrow().id();
            Map<String, Object> sent = s.protectedSettingsOf(extensionId).orElseThrow();
            assertEquals(1, scannerOf(w).scanText(sent.toString()).size(), "the package as sent is recognised");

            String b64 = s.onboardingPackageWindowsBase64();
            String decoded = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
            String jsonEscaped = decoded.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n");
            Map<String, String> forms = Map.of(
                    "base64", b64,
                    "base64 partial (81 chars, odd offset)", b64.substring(37, 37 + 81),
                    "URL-encoded", URLEncoder.encode(b64, StandardCharsets.UTF_8),
                    "decoded", decoded,
                    "decoded partial", decoded.substring(decoded.length() / 3, decoded.length() / 3 + 90),
                    "JSON-escaped decoded", jsonEscaped.substring(20, 120),
                    "Linux package", s.onboardingPackageLinuxBase64(),
                    "marker", "... marker " + s.onboardingPackageMarker() + " ...");
            forms.forEach((name, text) -> assertEquals(1, scannerOf(w).scanText("prefix " + text + " suffix").size(), name));

            // Every kind of source.
            SecretScanner planted = scannerOf(w);
            String leak = "leaked " + b64;
            Logger hostLogger = w.host.context("canary").getLogger();
            hostLogger.info(leak);
            planted.source("host log", w.host::logLines);
            assertEquals(1, planted.scan().size(), "host log line");

            SecretScanner queue = scannerOf(w).queue("jobs", w.queue(""));
            w.queue("").sendMessage("{\"v\":1,\"note\":\"" + b64 + "\"}");
            assertEquals(1, queue.scan().size(), "queue message");
            w.queue("").clearMessages();

            SecretScanner table = scannerOf(w).table("history", w.table(Settings.HISTORY_TABLE));
            w.table(Settings.HISTORY_TABLE).createEntity(new TableEntity("canary", "row").addProperty("Detail", "x " + decoded.substring(0, 100)));
            assertEquals(1, table.scan().size(), "table row");

            SecretScanner http = scannerOf(w);
            http.add("200 {Content-Type=application/json} {\"script\":\"" + jsonEscaped.substring(0, 200) + "\"}");
            assertEquals(1, http.scan().size(), "HTTP response");

            SecretScanner exception = scannerOf(w);
            exception.add(new IllegalStateException("wrapper", new RuntimeException("cause carries " + s.onboardingPackageMarker())));
            assertEquals(1, exception.scan().size(), "exception cause");

            SecretScanner root = scannerOf(w);
            // The planted record reaches the capture only: the root's own handlers (the console) would print a
            // real fragment of the package into the build log.
            Logger rootLogger = Logger.getLogger("");
            Handler[] console = rootLogger.getHandlers();
            Arrays.stream(console).forEach(rootLogger::removeHandler);
            Handler h = SecretScanner.captureRootLogging(root);
            try {
                Logger.getLogger("com.example.Anywhere").warning("oops " + b64.substring(200, 300));
            } finally {
                SecretScanner.stopCapture(h);
                Arrays.stream(console).forEach(rootLogger::addHandler);
            }
            assertEquals(1, root.scan().size(), "java.util.logging root capture");

            AssertionError e = assertThrows(AssertionError.class, planted::assertClean);
            assertFalse(e.getMessage().contains(b64.substring(0, 40)), "the failure names the place, never the secret");
            assertFalse(e.getMessage().contains(s.onboardingPackageMarker()));
            Figures.set("secrets", "secret forms searched per tenant", w.scanner.secretForms());
        }
    }

    private static SecretScanner scannerOf(ReliabilityWorld w) {
        return SecretScanner.forTenant(w.emulator.state());
    }
}
