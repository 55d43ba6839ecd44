package com.mdeonboarding.api;

import com.mdeonboarding.model.Text;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Text into HTML, safely: every value that reaches a page goes through {@link #text}. Tags, names, extension messages and
 * OS names come from Azure and are attacker-controlled: markup characters become entities (so nothing can open an element,
 * leave an attribute or close a style or script block), and control, line-separator and invisible format characters (bidi
 * overrides, zero-width) become visible {@code \\uXXXX} escapes ({@link Text#printable}), so text cannot disguise itself.
 */
final class Html {
    private Html() {
    }

    /** For element content and double-quoted attribute values alike. */
    static String text(String s, int max) {
        String printable = Text.printable(s == null ? "" : s, max);
        StringBuilder b = new StringBuilder(printable.length() + 16);
        for (int i = 0; i < printable.length(); i++) {
            char c = printable.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String text(String s) {
        return text(s, 300);
    }

    /**
     * A same-origin link: {@code path} is a constant of ours; parameter values are URL-encoded (so no value can choose a
     * scheme such as {@code javascript:}) and the whole is escaped for the attribute.
     */
    static String href(String path, Map<String, String> query) {
        return text(url(path, query), 4000);
    }

    /** The same link, not escaped for HTML (for headers and JSON). */
    static String url(String path, Map<String, String> query) {
        StringJoiner q = new StringJoiner("&");
        query.forEach((k, v) -> q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return query.isEmpty() ? path : path + "?" + q;
    }
}
