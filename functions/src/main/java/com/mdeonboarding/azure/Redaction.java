package com.mdeonboarding.azure;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes a request's secrets out of any text derived from that request (issue #23 item 5). A service may quote the request
 * in its error ("Request content: '{...}'"): for an extension PUT that is the protected settings, which hold the onboarding
 * package, a credential. The error text would go to the logs and, as a job's failure, to the state and history tables.
 *
 * <p>The secrets are every string under a {@code protectedSettings} member of the request body (the one place the app puts
 * one). A quote may be whole, cut (a service shortens long text) or re-encoded, so every run of at least {@value #WINDOW}
 * characters that also occurs in a secret, in any of the forms a quote takes (as sent, JSON-escaped with or without
 * {@code \/}, URL-encoded, and base64-decoded and its JSON-escaped form), is replaced by {@value #MARK}. What is left of a
 * secret is shorter than {@value #WINDOW} characters at a time, which says nothing of it.
 */
final class Redaction {
    static final int WINDOW = 16;
    static final String MARK = "[redacted]";
    private static final Redaction NONE = new Redaction(Set.of());

    private final Set<String> windows;

    private Redaction(Set<String> windows) {
        this.windows = windows;
    }

    /** The secrets a request body carries; none when it has no protected settings. */
    static Redaction of(JsonNode body) {
        List<String> secrets = new ArrayList<>();
        collect(body, false, secrets);
        if (secrets.isEmpty()) {
            return NONE;
        }
        Set<String> windows = new HashSet<>();
        for (String secret : secrets) {
            for (String form : forms(secret)) {
                for (int i = 0; i + WINDOW <= form.length(); i++) {
                    windows.add(form.substring(i, i + WINDOW));
                }
            }
        }
        return new Redaction(windows);
    }

    boolean carriesSecrets() {
        return !windows.isEmpty();
    }

    /** {@code text} with every run that a secret also holds replaced by {@value #MARK}. */
    String apply(String text) {
        if (windows.isEmpty() || text == null || text.length() < WINDOW) {
            return text;
        }
        boolean[] secret = new boolean[text.length()];
        boolean any = false;
        for (int i = 0; i + WINDOW <= text.length(); i++) {
            if (windows.contains(text.substring(i, i + WINDOW))) {
                java.util.Arrays.fill(secret, i, i + WINDOW, true);
                any = true;
            }
        }
        if (!any) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (!secret[i]) {
                out.append(text.charAt(i));
            } else if (i == 0 || !secret[i - 1]) {
                out.append(MARK);
            }
        }
        return out.toString();
    }

    private static void collect(JsonNode n, boolean protectedValue, List<String> out) {
        if (n == null) {
            return;
        }
        if (n.isTextual() && protectedValue && n.asText().length() >= WINDOW) {
            out.add(n.asText());
        } else if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                collect(e.getValue(), protectedValue || e.getKey().equalsIgnoreCase("protectedSettings"), out);
            }
        } else if (n.isArray()) {
            n.forEach(v -> collect(v, protectedValue, out));
        }
    }

    private static List<String> forms(String secret) {
        List<String> forms = new ArrayList<>();
        addEncodings(forms, secret);
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
        try {
            // The package is base64 of a script, and a quote may be of the decoded text.
            addEncodings(forms, new String(Base64.getDecoder().decode(secret.strip()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notBase64) {
            // only the text as it is
        }
        return forms;
    }

    private static void addEncodings(List<String> forms, String s) {
        String json = new String(JsonStringEncoder.getInstance().quoteAsString(s));
        forms.add(s);
        forms.add(json);
        forms.add(json.replace("/", "\\/"));
    }
}
