package com.mdeonboarding.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.mdeonboarding.reliability.HostileHttpTestAccess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A body that is not JSON is answered in our words, never with the parser's (which names its classes and settings). */
class JsonBodyTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1,\"a\":2}                | the member 'a' appears twice in one object",
            "{\"resourceIds\":[]} {}          | there is more after the JSON value (send exactly one JSON document)",
            "{\"resourceIds\":[               | the JSON ends early (an unclosed string, object or array)",
            "{resourceIds:[]}                 | unexpected character 'r' where a member name in double quotes belongs",
            "{\"a\":tru}                      | a word that is not JSON (strings need double quotes; literals are true, false and null)",
            "[1}                              | a closing bracket or brace that does not match what it closes",
            "{\"a\":01}                       | a number that is not valid JSON",
    })
    void notJsonIsSaidInOurWords(String body, String why) {
        ApiException e = assertThrows(ApiException.class, () -> JsonBody.read(ApiRequest.post("application/json", body.strip()), 65536));
        String detail = e.problem().detail();
        assertEquals(true, detail.startsWith("the body is not valid JSON at line 1, column "), detail);
        assertEquals(why, detail.substring(detail.indexOf(": ") + 2));
        assertFalse(HostileHttpTestAccess.internals().matcher(detail).find(), detail);
    }

    @org.junit.jupiter.api.Test
    void nestingDeeperThanSixteenIsSaidInOurWords() {
        String deep = "[".repeat(17) + "]".repeat(17);
        ApiException e = assertThrows(ApiException.class, () -> JsonBody.read(ApiRequest.post("application/json", deep), 65536));
        assertEquals(true, e.problem().detail().endsWith("objects and arrays are nested deeper than 16 levels"), e.problem().detail());
        assertFalse(HostileHttpTestAccess.internals().matcher(e.problem().detail()).find(), e.problem().detail());
    }

    @org.junit.jupiter.api.Test
    void aContentTypeWithControlCharactersIsRefused() {
        // trim() and split() used to drop the control character, and the request passed as JSON.
        for (String ct : new String[] {"application/json;\u0001charset=utf-8", "\u0000application/json", "application/json\r\nX-Forged: 1"}) {
            ApiException e = assertThrows(ApiException.class, () -> JsonBody.read(ApiRequest.post(ct, "{}"), 65536), ct);
            assertEquals(400, e.problem().status());
            assertEquals(true, e.problem().detail().startsWith("the Content-Type header holds control characters"), e.problem().detail());
        }
    }
}
