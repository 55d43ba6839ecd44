package com.mdeonboarding.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.testing.OperatorWorld;
import com.microsoft.azure.functions.HttpMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A known route with the wrong method answers 405 with Allow, through the real triggers: they take every method (the
 * Functions host would answer 404 to a method a trigger does not list) and each route's Endpoint takes one.
 */
class WrongMethodTest {
    private static OperatorWorld world;

    @BeforeAll
    static void start() {
        world = new OperatorWorld();
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void everyRouteAnswersEveryOtherMethod405WithAllow() {
        Map<String, String> routes = Map.of("onboarding", "POST", "machines/state", "GET", "posture", "GET", "sweeps", "POST",
                "openapi.json", "GET");
        routes.forEach((route, allowed) -> {
            for (HttpMethod m : List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
                    HttpMethod.DELETE, HttpMethod.OPTIONS)) {
                if (m.name().equals(allowed)) {
                    continue;
                }
                Http.Reply r = Http.call(world.services, m, route, Map.of());
                assertEquals(405, r.status(), m + " /api/" + route + ": " + r);
                assertEquals(allowed, r.header("Allow"), m + " /api/" + route);
                assertEquals("urn:mde-onboarding:problem:method-not-allowed", r.json().path("type").asText());
                assertTrue(r.json().path("detail").asText().contains("use " + allowed), r.toString());
                assertTrue(r.header(Endpoint.CORRELATION_HEADER) != null, r.toString());
            }
        });
        world.clearQueue();
        assertEquals(0, world.emulator.requestLog().total(), "a wrong method costs no Resource Manager call");
    }
}
