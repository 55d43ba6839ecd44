package com.mdeonboarding.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.reliability.SecretScanner;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue #23 item 5: a request's protected settings are taken out of every form an error could quote them in. */
class RedactionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A package like Defender for Cloud's: base64 of a script with quotes, slashes, backslashes and line breaks. */
    static String fakePackage() {
        Random r = new Random(23);
        StringBuilder script = new StringBuilder("# onboarding script\r\n$key = \"");
        for (int i = 0; i < 3_000; i++) {
            script.append((char) ('!' + r.nextInt(90)));
            if (i % 97 == 0) {
                script.append("\\/\"\n");
            }
        }
        return Base64.getEncoder().encodeToString(script.append("\"\r\n").toString().getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode putBody(String pkg) {
        ObjectNode body = JSON.createObjectNode().put("location", "westeurope");
        ObjectNode p = body.putObject("properties");
        p.put("publisher", "Microsoft.Azure.AzureDefenderForServers").put("type", "MDE.Windows");
        p.putObject("settings").put("azureResourceId", "/subscriptions/x");
        p.putObject("protectedSettings").put("defenderForEndpointOnboardingScript", pkg);
        return body;
    }

    @Test
    void everyQuotedFormOfThePackageIsRedactedAndTheRestKept() throws Exception {
        String pkg = fakePackage();
        String sent = putBody(pkg).toString();
        String decoded = new String(Base64.getDecoder().decode(pkg), StandardCharsets.UTF_8);
        Redaction r = Redaction.of(putBody(pkg));
        assertTrue(r.carriesSecrets());
        String prefix = "The request content was invalid. Request content: '";
        List<String> quotes = List.of(
                prefix + sent + "'.",                                              // whole
                prefix + sent.substring(0, 300),                                   // cut by the service
                prefix + sent.substring(180, 1_900),                               // a middle part
                prefix + JSON.writeValueAsString(sent).replace("/", "\\/"),         // JSON-escaped again, with \/
                prefix + URLEncoder.encode(sent, StandardCharsets.UTF_8),           // URL-encoded
                "script failed: " + decoded.substring(40, 2_000),                  // the decoded script
                "script failed: " + JSON.writeValueAsString(decoded.substring(0, 2_000)));
        SecretScanner scanner = SecretScanner.forPackages(pkg);
        for (String q : quotes) {
            assertFalse(scanner.scanText(q).isEmpty(), "the scanner sees the leak before redaction");
            String out = r.apply(q);
            assertEquals(List.of(), scanner.scanText(out), "left in: " + out.substring(0, Math.min(400, out.length())));
            assertTrue(out.startsWith(q.substring(0, 15)), out);
            assertTrue(out.contains(Redaction.MARK), out);
        }
        String redacted = r.apply(prefix + sent + "'.");
        assertTrue(redacted.contains("\"publisher\":\"Microsoft.Azure.AzureDefenderForServers\""), "what is not secret stays: " + redacted);
    }

    @Test
    void aRequestWithoutProtectedSettingsChangesNothing() {
        ObjectNode body = putBody("short");
        String text = "Request content: '" + body + "'";
        assertEquals(text, Redaction.of(body).apply(text), "a value under 16 characters is not a secret one could recognise");
        ObjectNode plain = JSON.createObjectNode().put("query", "Resources | where type =~ 'microsoft.compute/virtualmachines'");
        assertFalse(Redaction.of(plain).carriesSecrets());
        assertEquals("x " + plain, Redaction.of(plain).apply("x " + plain));
        assertFalse(Redaction.of(null).carriesSecrets());
    }
}
