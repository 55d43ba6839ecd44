package com.mdeonboarding.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile values from Azure (tags, names, extension messages, OS names) cannot leave the text they are put in. */
class HtmlTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "'><svg onload=alert(1)>",
            "</style><script>alert(1)</script>",
            "</textarea></title></code>",
            "javascript:alert(document.domain)",
            "&lt;already-escaped&gt; & <b>",
            "line\u2028separator\u2029paragraph",
            "right-to-left \u202Egnp.exe and \u2066isolate\u2069 zero\u200Bwidth \u0000nul \u001b[31m",
    })
    void markupCharactersBecomeEntitiesAndInvisibleOnesVisibleEscapes(String hostile) {
        String out = Html.text(hostile, 1000);
        for (char c : new char[] {'<', '>', '"', '\''}) {
            assertFalse(out.indexOf(c) >= 0, "raw " + c + " in " + out);
        }
        assertFalse(out.replaceAll("&(amp|lt|gt|quot|#39);", "").contains("&"), "every & starts one of our entities: " + out);
        out.chars().forEach(c -> assertTrue(c >= 0x20 && c != 0x7f && Character.getType(c) != Character.FORMAT
                && Character.getType(c) != Character.LINE_SEPARATOR && Character.getType(c) != Character.PARAGRAPH_SEPARATOR,
                "invisible character U+" + Integer.toHexString(c) + " in " + out));
        String back = out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
        assertEquals(com.mdeonboarding.model.Text.printable(hostile, 1000), back, "the text itself is kept, only escaped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "\"><script>", "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/v&a=b#c"})
    void linksCarryValuesOnlyAsEncodedParametersOfOurOwnPath(String value) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("resourceId", value);
        q.put("kind", "vm");
        String href = Html.href("/api/machines/state", q);
        assertTrue(href.startsWith("/api/machines/state?resourceId="), href);
        assertTrue(href.endsWith("&amp;kind=vm"), href);
        String param = href.substring("/api/machines/state?resourceId=".length(), href.indexOf("&amp;kind="));
        assertTrue(param.matches("[A-Za-z0-9%._*+-]*"), "only URL-encoded characters: " + param);
        assertEquals(value, java.net.URLDecoder.decode(param, java.nio.charset.StandardCharsets.UTF_8));
    }
}
