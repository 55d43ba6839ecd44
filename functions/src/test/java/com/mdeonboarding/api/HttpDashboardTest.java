package com.mdeonboarding.api;

import static com.mdeonboarding.api.HttpOnboardingTest.assertProblem;
import static com.mdeonboarding.testing.OperatorWorld.SUB_FREE;
import static com.mdeonboarding.testing.OperatorWorld.SUB_IN;
import static com.mdeonboarding.testing.OperatorWorld.SUB_OUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.tenant.ArcMachineSpec;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.MachineRecord;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.sweep.SweepRequest;
import com.mdeonboarding.testing.OperatorWorld;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /api/dashboard through the real trigger, report store and state table (the browser test renders it). */
class HttpDashboardTest {
    private static final Pattern STATE_LINK = Pattern.compile("href=\"/api/machines/state\\?resourceId=([^\"&]+)[^\"]*\"");
    private static final Pattern NEXT = Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"");
    /** One world per test: each counts the machines it wrote. */
    private OperatorWorld world;

    @BeforeEach
    void start() {
        world = new OperatorWorld();
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void aPageSayingHowToRunASweepUntilOneIsStored() {
        Http.Reply r = Http.getDashboard(world.services, Map.of());
        assertEquals(404, r.status(), r.toString());
        assertTrue(r.header("Content-Type").startsWith("text/html"), r.toString());
        assertTrue(r.body().contains("mde-onboarding sweep"), r.body());
        strictHeaders(r);
    }

    @Test
    void machinesNeedingActionComeInPagesOfFiftyWithEveryFilterKeptAndNoMachineTwice() {
        // 60 blocked VMs and 5 blocked Arc machines in scope, 3 onboarded, 2 blocked outside the scope: straight into the table.
        List<String> blocked = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            blocked.add(record(SUB_IN, "Microsoft.Compute/virtualMachines/vm-" + i, DecisionKind.BLOCKED, ReasonCode.VM_NOT_RUNNING));
        }
        for (int i = 0; i < 5; i++) {
            blocked.add(record(SUB_FREE, "Microsoft.HybridCompute/machines/arc-" + i, DecisionKind.BLOCKED, ReasonCode.PLAN_NOT_ENABLED));
        }
        for (int i = 0; i < 3; i++) {
            record(SUB_IN, "Microsoft.Compute/virtualMachines/ok-" + i, DecisionKind.ONBOARDED, ReasonCode.EXTENSION_HEALTHY);
        }
        record(SUB_OUT, "Microsoft.Compute/virtualMachines/elsewhere-1", DecisionKind.BLOCKED, ReasonCode.VM_NOT_RUNNING);
        sweep();

        Http.Reply first = Http.getDashboard(world.services, Map.of("code", "function-key"));
        assertEquals(200, first.status(), first.toString());
        strictHeaders(first);
        List<String> page1 = links(first.body());
        assertEquals(50, page1.size());
        Matcher next = NEXT.matcher(first.body());
        assertTrue(next.find(), "a next page");
        Map<String, String> query = query(next.group(1));
        assertEquals(Set.of("after", "code"), query.keySet(), "the next page keeps the function key");
        assertEquals("function-key", query.get("code"));
        Http.Reply second = Http.getDashboard(world.services, query);
        List<String> page2 = links(second.body());
        assertFalse(NEXT.matcher(second.body()).find(), "the last page");
        Set<String> all = new HashSet<>(page1);
        all.addAll(page2);
        assertEquals(65, page1.size() + page2.size());
        assertEquals(new HashSet<>(blocked), all, "every blocked machine in scope once, none out of scope, none onboarded");

        List<String> arc = links(Http.getDashboard(world.services, Map.of("kind", "arc")).body());
        assertEquals(5, arc.size());
        arc.forEach(id -> assertTrue(id.contains("/Microsoft.HybridCompute/machines/"), id));
        assertEquals(5, links(Http.getDashboard(world.services, Map.of("reason", "PLAN_NOT_ENABLED")).body()).size());
        assertEquals(0, links(Http.getDashboard(world.services, Map.of("reason", "PLAN_NOT_ENABLED", "kind", "vm")).body()).size());
        Http.Reply sub = Http.getDashboard(world.services, Map.of("subscription", SUB_FREE.toUpperCase(), "reason", "", "kind", ""));
        assertEquals(5, links(sub.body()).size(), "empty values are no filter; subscription IDs compare case-insensitively");
        assertEquals(0, links(Http.getDashboard(world.services, Map.of("subscription", SUB_OUT)).body()).size(), "outside the scope");

        // A filtered page's next link keeps the filter.
        Matcher n = NEXT.matcher(Http.getDashboard(world.services, Map.of("kind", "vm")).body());
        assertTrue(n.find());
        assertEquals("vm", query(n.group(1)).get("kind"));
    }

    @Test
    void aPageThatFindsFewMatchesStopsAtItsScanBudgetAndSaysWhereToGoOn() {
        for (int i = 0; i < 30; i++) {
            record(SUB_IN, "Microsoft.Compute/virtualMachines/budget-" + i, DecisionKind.BLOCKED, ReasonCode.VM_AGENT_NOT_READY);
        }
        var store = world.services.stateStore;
        var page = store.page(Optional.of(SUB_IN), Set.of(DecisionKind.BLOCKED), Optional.empty(), r -> false, 50, 10, 3);
        assertEquals(List.of(), page.machines());
        assertEquals(10, page.scanned());
        assertTrue(page.next().isPresent(), "more rows to read");
        var rest = store.page(Optional.of(SUB_IN), Set.of(DecisionKind.BLOCKED), page.next(),
                r -> r.reasons().contains(ReasonCode.VM_AGENT_NOT_READY), 1000, 100_000, 7);
        assertTrue(rest.next().isEmpty());
        long before = store.page(Optional.of(SUB_IN), Set.of(DecisionKind.BLOCKED), Optional.empty(),
                r -> r.reasons().contains(ReasonCode.VM_AGENT_NOT_READY), 1000, 100_000, 1000).machines().size();
        assertEquals(30, before);
        assertTrue(rest.machines().size() <= 30 && rest.machines().size() >= 20, "the rows after the first ten: " + rest.machines().size());
    }

    @Test
    void everyParameterIsValidatedAndAnUnknownOneRefused() {
        sweep();
        assertProblem(Http.getDashboard(world.services, Map.of("subscription", "not-a-guid")), 400, "invalid-request");
        assertProblem(Http.getDashboard(world.services, Map.of("reason", "<script>")), 400, "invalid-request");
        assertProblem(Http.getDashboard(world.services, Map.of("reason", "plan_not_enabled")), 400, "invalid-request");
        assertProblem(Http.getDashboard(world.services, Map.of("kind", "container")), 400, "invalid-request");
        assertProblem(Http.getDashboard(world.services, Map.of("after", "' or PartitionKey ne '")), 400, "invalid-request");
        assertProblem(Http.getDashboard(world.services, Map.of("page", "2")), 400, "invalid-request");
    }

    private static void strictHeaders(Http.Reply r) {
        String csp = r.header("Content-Security-Policy");
        assertTrue(csp.matches("default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]{43}='; img-src 'none'; form-action 'self';"
                + " base-uri 'none'; frame-ancestors 'none'"), csp);
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        assertEquals("no-store", r.header("Cache-Control"));
        assertEquals("no-referrer", r.header("Referrer-Policy"));
        assertEquals("DENY", r.header("X-Frame-Options"));
        assertFalse(r.body().contains("<script"), "no script at all");
        // The key the page was opened with is kept in its own links (so that every click passes the Functions host's key
        // check) and nowhere else: no text shows it, and the referrer policy sends it to no other site.
        String body = r.body();
        int keys = body.split("function-key", -1).length - 1;
        int kept = body.split("code=function-key", -1).length - 1 + body.split("name=\"code\" value=\"function-key\"", -1).length - 1;
        assertEquals(keys, kept, "the function key appears only in the page's own links and form");
        assertFalse(r.body().contains(" style=\""), "no inline style attribute (the policy would refuse it)");
    }

    /** A machine Resource Manager knows (so that sweeps count it) with a recorded decision. */
    private String record(String sub, String provider, DecisionKind kind, ReasonCode reason) {
        MachineId id = MachineId.parse("/subscriptions/" + sub + "/resourceGroups/rg-dash/providers/" + provider);
        if (id.kind() == com.mdeonboarding.model.MachineKind.VM) {
            world.emulator.state().createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(sub).resourceGroup("rg-dash")
                    .name(id.name()).build());
        } else {
            world.emulator.state().createArcMachine(ArcMachineSpec.builder().subscriptionId(sub).resourceGroup("rg-dash")
                    .name(id.name()).build());
        }
        Instant now = Instant.now();
        world.services.stateStore.put(new MachineRecord(id, kind, List.of(reason), Optional.of("detail"), MachineRecord.ExtensionHistory.none(),
                Optional.empty(), new MachineRecord.Provenance(now, now, "corr", "manual", 1), Optional.empty()));
        return id.id();
    }

    private void sweep() {
        Logger log = Logger.getAnonymousLogger();
        log.setUseParentHandlers(false);
        world.services.sweeps.run(new SweepRequest(false, Optional.empty(), List.of(), false), job -> { }, log);
    }

    private static List<String> links(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = STATE_LINK.matcher(html);
        while (m.find()) {
            out.add(URLDecoder.decode(m.group(1).replace("&amp;", "&"), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Map<String, String> query(String href) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        String q = href.replace("&amp;", "&");
        for (String pair : q.substring(q.indexOf('?') + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return out;
    }
}
