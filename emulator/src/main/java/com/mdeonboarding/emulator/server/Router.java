package com.mdeonboarding.emulator.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Matches a request path against route templates such as {@code /subscriptions/{subscriptionId}/providers/...}. */
public final class Router {
    public interface Handler {
        ArmResponse handle(ArmRequest request);
    }

    record Route(String method, List<String> template, String operationId, boolean write, EmulatedApiVersions apiVersions,
            Handler handler) {
    }

    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    public void add(String method, String template, String operationId, boolean write, EmulatedApiVersions versions, Handler handler) {
        List<String> segs = new ArrayList<>();
        for (String s : template.split("/")) {
            if (!s.isEmpty()) {
                segs.add(s);
            }
        }
        routes.add(new Route(method, List.copyOf(segs), operationId, write, versions, handler));
    }

    /** The route for this method and path; null when none matches. */
    Match match(String method, List<String> segments) {
        for (Route r : routes) {
            if (r.method.equals(method)) {
                Map<String, String> params = bind(r.template, segments);
                if (params != null) {
                    return new Match(r, params);
                }
            }
        }
        return null;
    }

    /** Whether some route has this path with another method (405 rather than 404). */
    boolean pathExists(List<String> segments) {
        for (Route r : routes) {
            if (bind(r.template, segments) != null) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> bind(List<String> template, List<String> segments) {
        if (template.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            String s = segments.get(i);
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), s);
            } else if (!t.equalsIgnoreCase(s)) {
                return null;
            }
        }
        return params;
    }
}
