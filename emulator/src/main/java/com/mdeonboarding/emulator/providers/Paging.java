package com.mdeonboarding.emulator.providers;

import com.mdeonboarding.emulator.server.ArmError;
import com.mdeonboarding.emulator.server.ArmRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.NavigableMap;

/**
 * Keyset paging over sorted maps: the skip token names the last key returned, so pages stay
 * correct while machines are added or removed between calls (as ARM's continuation tokens do).
 */
final class Paging {
    record Page<T>(List<T> items, String nextToken) {
    }

    private Paging() {
    }

    static <T> Page<T> page(NavigableMap<String, T> map, String skipToken, int size) {
        NavigableMap<String, T> tail = map;
        if (skipToken != null && !skipToken.isEmpty()) {
            String after;
            try {
                after = new String(Base64.getUrlDecoder().decode(skipToken), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ArmError.badRequest("InvalidSkipToken", "The continuation token '" + skipToken + "' is invalid.");
            }
            tail = map.tailMap(after, false);
        }
        List<T> items = new ArrayList<>(Math.min(size, tail.size()));
        String last = null;
        for (var e : tail.entrySet()) {
            if (items.size() == size) {
                return new Page<>(items, Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
            }
            items.add(e.getValue());
            last = e.getKey();
        }
        return new Page<>(items, null);
    }

    /** The nextLink for a list request: same path and query, with the continuation token replaced. */
    static String nextLink(ArmRequest req, String token) {
        StringBuilder q = new StringBuilder();
        req.query.forEach((k, v) -> {
            if (!k.equalsIgnoreCase("$skiptoken")) {
                q.append(q.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v));
            }
        });
        q.append(q.length() == 0 ? "" : "&").append("$skiptoken=").append(enc(token));
        return req.baseUrl + req.path + "?" + q;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%24", "$");
    }
}
