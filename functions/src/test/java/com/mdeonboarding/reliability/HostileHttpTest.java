package com.mdeonboarding.reliability;

import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_A;
import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_B;
import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_EXCLUDED;
import static com.mdeonboarding.reliability.ReliabilityWorld.SUB_OUT;

import com.azure.storage.queue.models.PeekedMessageItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.emulator.tenant.VirtualMachineSpec;
import com.mdeonboarding.host.HttpDashboard;
import com.mdeonboarding.host.HttpMachineState;
import com.mdeonboarding.host.HttpOnboarding;
import com.mdeonboarding.host.HttpPosture;
import com.mdeonboarding.storage.JobCodec;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.sweep.SweepRequest;
import com.mdeonboarding.testing.CapturingLogger;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue item 4 (HTTP): at least 1,000 generated requests per route through the real HTTP triggers
 * ({@link HttpOnboarding}, {@link HttpMachineState}, {@link HttpPosture}; {@link HttpDashboard}'s parameters too). Each request has one defect (or none)
 * and the oracle's answer. Every rejection is a 4xx RFC 9457 problem document (type, title, status = the HTTP
 * status, detail, correlation ID) and queues nothing; a valid request queues exactly the machines it names; no
 * request causes a Resource Manager write, a 5xx, an escaped exception or a forged log line.
 */
class HostileHttpTest {
    /** Library internals a problem document must not quote (Jackson's classes and settings, Java exception names). */
    static final java.util.regex.Pattern INTERNALS = java.util.regex.Pattern.compile(
            "com\\.fasterxml|jackson|DeserializationFeature|StreamReadConstraints|JsonNode|[A-Za-z]+Exception|java\\.(lang|net|io)\\.");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String RG = "rg-Reliability";
    private static ReliabilityWorld world;
    private static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());
    private static Logger logger;
    private static final Set<String> GROUP_MACHINES = new HashSet<>();
    private static String recorded;
    private static long requests;
    private static long rejections;
    private static long accepted;
    private static long crashes;

    @BeforeContainer
    static void start() {
        world = new ReliabilityWorld();
        var s = world.emulator.state();
        for (int i = 0; i < 3; i++) {
            String id = s.createVirtualMachine(VirtualMachineSpec.builder().subscriptionId(SUB_A).resourceGroup(RG).name("http-" + i).build());
            GROUP_MACHINES.add(id.toLowerCase(Locale.ROOT));
        }
        logger = CapturingLogger.into(LOG, "hostile-http");
        world.scanner.source("hostile-http log", () -> {
            synchronized (LOG) {
                return new ArrayList<>(LOG);
            }
        });
        // One machine with a recorded decision (GET state answers 200 for it), one stored sweep report (GET posture 200).
        recorded = GROUP_MACHINES.iterator().next();
        world.services.reconciler.reconcile(OnboardingJob.create(MachineId.parse(recorded), JobSource.MANUAL, Instant.now()), logger);
        world.services.sweeps.run(new SweepRequest(false, Optional.empty(), List.of(), false), world.services.jobQueue::enqueue, logger);
        world.queue("").clearMessages();
    }

    @AfterContainer
    static void stop() {
        try {
            world.scanner.assertClean();
            Figures.set("hostile", "HTTP requests tried", requests);
            Figures.set("hostile", "HTTP rejections (all 4xx problem documents, nothing queued)", rejections);
            Figures.set("hostile", "HTTP requests accepted (exactly their machines queued)", accepted);
            Figures.add("hostile", "exceptions that left a function", crashes);
        } finally {
            world.close();
        }
    }

    /** One request and the oracle's answer: the status, and for 202 the machine keys that must be queued. */
    record Request(String label, Map<String, String> headers, Map<String, String> query, String body, int status, Set<String> queues) {
        @Override
        public String toString() {
            return label + " -> " + status + " headers " + headers.keySet() + " query " + HostileIds.Printable.of(query.toString())
                    + " body " + HostileIds.Printable.of(String.valueOf(body));
        }
    }

    private static Map<String, String> json() {
        return Map.of("content-type", "application/json");
    }

    private static String ids(List<String> ids) {
        ArrayNode a = F.arrayNode();
        ids.forEach(a::add);
        return F.objectNode().set("resourceIds", a).toString();
    }

    private static <T> T pick(List<T> l, Random r) {
        return l.get(r.nextInt(l.size()));
    }

    enum Defect {
        NONE_IDS, NONE_SUBSCRIPTION, NONE_GROUP, EMPTY_GROUP, BAD_ID, OUT_OF_SCOPE_ID, NON_STRING_ID, DUPLICATE_ID, NOT_AN_ARRAY, EMPTY_ARRAY,
        TOO_MANY_IDS, UNKNOWN_FIELD, BOTH_FORMS, GROUP_WITHOUT_SUBSCRIPTION, BAD_SUBSCRIPTION, OUT_OF_SCOPE_SUBSCRIPTION, BAD_GROUP,
        NOT_AN_OBJECT, MALFORMED_JSON, TOO_DEEP, EMPTY_BODY, TOO_LARGE, MEDIA_TYPE, UNKNOWN_PARAMETER
    }

    @Provide
    Arbitrary<Request> onboardingRequests() {
        Arbitrary<List<HostileIds.IdCase>> good = HostileIds.valid().filter(HostileIds.IdCase::queues).list().ofMinSize(1).ofMaxSize(6);
        return Combinators.combine(Arbitraries.of(Defect.values()), good, HostileIds.invalid(), HostileIds.valid().filter(i -> !i.inScope()),
                        Arbitraries.strings().all().ofMaxLength(40), Arbitraries.longs())
                .as((defect, ids, bad, outside, junk, seed) -> finish(onboarding(defect, ids, bad, outside,
                        List.of("code", "resourceIds", "subscriptionId", "resourceGroup").stream().anyMatch(junk::equalsIgnoreCase) ? "q" : junk,
                        new Random(seed))));
    }

    /** A JSON request whose body is over 64 KB is refused for its size before anything in it is read. */
    static Request finish(Request r) {
        String ct = r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-type")).map(Map.Entry::getValue)
                .findFirst().orElse("");
        boolean jsonType = r.status() != 415 && !ct.isEmpty();
        boolean queryOk = r.query().keySet().stream().allMatch(k -> k.equalsIgnoreCase("code"));
        if (jsonType && queryOk && r.body() != null && r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64 * 1024) {
            return new Request(r.label() + " (over 64 KB)", r.headers(), r.query(), r.body(), 413, Set.of());
        }
        return r;
    }

    static Request onboarding(Defect defect, List<HostileIds.IdCase> ids, HostileIds.IdCase bad, HostileIds.IdCase outside, String junk, Random r) {
        List<String> texts = new ArrayList<>(ids.stream().map(HostileIds.IdCase::text).toList());
        Set<String> keys = new HashSet<>(ids.stream().map(HostileIds.IdCase::key).toList());
        Map<String, String> h = json();
        Map<String, String> q = Map.of();
        String label = defect.name();
        return switch (defect) {
            case NONE_IDS -> keys.size() == texts.size() ? new Request(label, h, r.nextBoolean() ? q : Map.of("code", "function-key"), ids(texts), 202, keys)
                    : new Request("DUPLICATE_ID (by case)", h, q, ids(texts), 400, Set.of());
            case NONE_SUBSCRIPTION -> new Request(label, pick(List.of(json(), Map.of("content-type", "application/json; charset=UTF-8"),
                    Map.of("Content-Type", "APPLICATION/JSON"), Map.of("content-type", "application/vnd.api+json")), r), q,
                    "{\"subscriptionId\":\"" + (r.nextBoolean() ? SUB_A : SUB_A.toUpperCase(Locale.ROOT)) + "\"}", 202, GROUP_MACHINES);
            case NONE_GROUP -> new Request(label, h, q, "{\"subscriptionId\":\"" + SUB_A + "\",\"resourceGroup\":\""
                    + HostileIds.recase(RG, r) + "\"}", 202, GROUP_MACHINES);
            case EMPTY_GROUP -> new Request(label, h, q, r.nextBoolean() ? "{\"subscriptionId\":\"" + SUB_B + "\"}"
                    : "{\"subscriptionId\":\"" + SUB_A + "\",\"resourceGroup\":\"rg-empty-" + r.nextInt(1000) + "\"}", 404, Set.of());
            case BAD_ID -> {
                texts.add(r.nextInt(texts.size() + 1), bad.text());
                yield new Request(label + " " + bad.label(), h, q, ids(texts), 400, Set.of());
            }
            case OUT_OF_SCOPE_ID -> {
                texts.add(r.nextInt(texts.size() + 1), outside.text());
                // Every element is checked before the scope: a duplicate among them is the first answer.
                yield new Request(label, h, q, ids(texts), keys.size() == ids.size() ? 403 : 400, Set.of());
            }
            case NON_STRING_ID -> {
                ArrayNode a = F.arrayNode();
                texts.forEach(a::add);
                a.insert(r.nextInt(a.size() + 1), pick(List.of(F.numberNode(1), F.nullNode(), F.booleanNode(true), F.arrayNode().add(texts.get(0)),
                        F.objectNode().put("resourceId", texts.get(0))), r));
                yield new Request(label, h, q, F.objectNode().set("resourceIds", a).toString(), 400, Set.of());
            }
            case DUPLICATE_ID -> {
                String again = r.nextBoolean() ? texts.get(0) : texts.get(0).toUpperCase(Locale.ROOT).replace("/SUBSCRIPTIONS/", "/subscriptions/");
                texts.add(again);
                yield new Request(label, h, q, ids(texts), 400, Set.of());
            }
            case NOT_AN_ARRAY -> new Request(label, h, q, "{\"resourceIds\":" + pick(List.of(JSON.valueToTree(texts.get(0)).toString(), "{}", "1",
                    "null", "true", "{\"0\":" + JSON.valueToTree(texts.get(0)) + "}"), r) + "}", 400, Set.of());
            case EMPTY_ARRAY -> new Request(label, h, q, "{\"resourceIds\":[]}", 400, Set.of());
            case TOO_MANY_IDS -> {
                List<String> many = new ArrayList<>();
                for (int i = 0; i < 501; i++) {
                    many.add("/subscriptions/" + SUB_A + "/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/m" + i);
                }
                yield new Request(label, h, q, ids(many), 413, Set.of());
            }
            case UNKNOWN_FIELD -> {
                ObjectNode o = (ObjectNode) parse(ids(texts));
                o.put(pick(List.of("resourceID", "resourceIds ", "ResourceIds", "__proto__", "constructor", "dryRun", "force", "resource\u0000Ids",
                        "\u202eresourceIds", junk.isEmpty() ? "x" : junk), r), pick(List.of("true", "1", "x"), r));
                yield new Request(label, h, q, o.toString(), 400, Set.of());
            }
            case BOTH_FORMS -> {
                ObjectNode o = (ObjectNode) parse(ids(texts));
                o.put("subscriptionId", SUB_A);
                yield new Request(label, h, q, o.toString(), 400, Set.of());
            }
            case GROUP_WITHOUT_SUBSCRIPTION -> new Request(label, h, q, "{\"resourceGroup\":\"" + RG + "\"}", 400, Set.of());
            case BAD_SUBSCRIPTION -> new Request(label, h, q, "{\"subscriptionId\":" + pick(List.of("\"not-a-guid\"", "1", "null", "true", "[]",
                    "\" " + SUB_A + "\"", "\"{" + SUB_A + "}\"", "\"" + SUB_A + "\\n\"", "\"" + SUB_A.replace('1', '\u0661') + "\"",
                    "\"" + SUB_A.replace("-", "") + "\"", "\"../" + SUB_A + "\"", "\"" + SUB_A + "/resourceGroups/x\""), r) + "}", 400, Set.of());
            case OUT_OF_SCOPE_SUBSCRIPTION -> new Request(label, h, q, "{\"subscriptionId\":\"" + pick(List.of(SUB_OUT, SUB_EXCLUDED,
                    SUB_EXCLUDED.toUpperCase(Locale.ROOT), UUID.randomUUID().toString()), r) + "\"" + (r.nextBoolean() ? ",\"resourceGroup\":\"rg\"" : "")
                    + "}", 403, Set.of());
            case BAD_GROUP -> new Request(label, h, q, "{\"subscriptionId\":\"" + SUB_A + "\",\"resourceGroup\":" + pick(List.of("\"\"", "\"rg.\"",
                    "\"..\"", "\"rg/../x\"", "\"rg%2F\"", "\"" + "r".repeat(91) + "\"", "\"r\u00e9\"", "\"rg\\u0000\"", "1", "null", "[\"rg\"]",
                    "\" rg\"", "\"rg\\n\""), r) + "}", 400, Set.of());
            case NOT_AN_OBJECT -> new Request(label, h, q, pick(List.of("[" + ids(texts) + "]", JSON.valueToTree(texts.get(0)).toString(), "1", "null",
                    "true", "[]"), r), 400, Set.of());
            case MALFORMED_JSON -> {
                String valid = ids(texts);
                yield new Request(label, h, q, pick(List.of(valid.substring(0, r.nextInt(valid.length() - 1) + 1), valid + "x", valid + valid,
                        valid.replace("\"", "'"), "{resourceIds:[]}", "{\"resourceIds\":[],\"resourceIds\":[]}",
                        valid.replaceFirst("\\{", "{/* c */"), "{\"resourceIds\":[NaN]}", "\uFEFF" + valid, "{\"resourceIds\":[\"\\uZZZZ\"]}",
                        junk.isEmpty() ? "{" : "{" + junk), r), 400, Set.of());
            }
            case TOO_DEEP -> {
                int depth = 17 + r.nextInt(5000);
                yield new Request(label, h, q, "{\"resourceIds\":" + "[".repeat(depth) + "]".repeat(depth) + "}", 400, Set.of());
            }
            case EMPTY_BODY -> new Request(label, h, q, pick(java.util.Arrays.asList("", " ", "\n\t", null), r), 400, Set.of());
            case TOO_LARGE -> new Request(label, h, q, "{\"resourceIds\":[\"" + "a".repeat(64 * 1024 + r.nextInt(1_000_000)) + "\"]}", 413, Set.of());
            case MEDIA_TYPE -> new Request(label, pick(List.of(Map.of(), Map.of("content-type", "text/plain"), Map.of("content-type", "application/xml"),
                    Map.of("content-type", "application/json; charset=latin1"), Map.of("content-type", "application/jsonx"),
                    Map.of("content-type", "application/x-www-form-urlencoded"), Map.of("content-type", "multipart/form-data; boundary=x"),
                    Map.of("content-type", "application/json; charset=utf-16"), Map.of("content-type", "json")), r), q, ids(texts), 415, Set.of());
            case UNKNOWN_PARAMETER -> new Request(label, h, Map.of(pick(List.of("dryRun", "force", "resourceIds", "api-version", "code ", "\u0000",
                    junk.isEmpty() ? "q" : junk), r), "1"), ids(texts), 400, Set.of());
        };
    }

    private static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Property
    void onboardingRequestsAreAcceptedExactlyOrRefusedWithAProblemAndQueueNothing(@ForAll("onboardingRequests") Request req) throws Exception {
        Statistics.label("defect").collect(req.label().replaceAll(" .*", ""));
        HttpCalls.Reply r = call(req, () -> new HttpOnboarding(world.services).run(HttpCalls.request(HttpMethod.POST, "onboarding", req.headers(), req.query(),
                Optional.ofNullable(req.body())), HttpCalls.context(HttpOnboarding.NAME, logger)));
        if (r.status() == 202) {
            Set<String> queued = new HashSet<>();
            for (PeekedMessageItem m : world.queue("").peekMessages(32, null, null)) {
                queued.add(JobCodec.decode(m.getBody().toString()).machine().key());
            }
            Set<String> answered = new HashSet<>();
            for (JsonNode j : parse(r.body()).path("jobs")) {
                answered.add(j.path("resourceId").asText().toLowerCase(Locale.ROOT));
            }
            world.queue("").clearMessages();
            if (!queued.equals(req.queues()) || !answered.equals(req.queues())) {
                throw new AssertionError("queued " + queued + ", answered " + answered + ", expected " + req.queues() + " for " + req);
            }
            accepted++;
        }
    }

    enum StateDefect {
        RECORDED, NOT_RECORDED, BAD_ID, MISSING_ID, BAD_HISTORY, GOOD_HISTORY, UNKNOWN_PARAMETER
    }

    @Provide
    Arbitrary<Request> stateRequests() {
        return Combinators.combine(Arbitraries.of(StateDefect.values()), HostileIds.any(), Arbitraries.strings().all().ofMaxLength(20), Arbitraries.longs())
                .as((defect, id, rawJunk, seed) -> {
                    String junk = List.of("code", "resourceId", "history").stream().anyMatch(rawJunk::equalsIgnoreCase) ? "z" : rawJunk;
                    Random r = new Random(seed);
                    Map<String, String> q = new LinkedHashMap<>();
                    int status;
                    switch (defect) {
                        case RECORDED -> {
                            q.put(r.nextBoolean() ? "resourceId" : "RESOURCEID", r.nextBoolean() ? recorded : recorded.toUpperCase(Locale.ROOT)
                                    .replace("/SUBSCRIPTIONS/", "/subscriptions/"));
                            status = 200;
                        }
                        case NOT_RECORDED -> {
                            q.put("resourceId", id.valid() ? id.text() : "/subscriptions/" + SUB_B + "/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/none");
                            status = 404;
                        }
                        case BAD_ID -> {
                            q.put("resourceId", id.valid() ? id.text() + "/" : id.text());
                            status = 400;
                        }
                        case MISSING_ID -> {
                            if (r.nextBoolean()) {
                                q.put("history", "5");
                            }
                            status = 400;
                        }
                        case BAD_HISTORY -> {
                            q.put("resourceId", recorded);
                            q.put("history", pick(List.of("101", "-1", "1e2", " 5", "abc", "\uff15", "", "1000", "5 ", "0x10", junk), r));
                            status = q.get("history").matches("^[0-9]{1,3}$") && Integer.parseInt(q.get("history")) <= 100 ? 200 : 400;
                        }
                        case GOOD_HISTORY -> {
                            q.put("resourceId", recorded);
                            q.put("history", String.valueOf(r.nextInt(101)));
                            status = 200;
                        }
                        default -> {
                            q.put("resourceId", recorded);
                            q.put(pick(List.of("limit", "resourceIds", "\u0000", "history ", junk.isEmpty() ? "z" : junk), r), "1");
                            status = q.keySet().stream().allMatch(k -> k.equalsIgnoreCase("resourceId")) ? 200 : 400;
                        }
                    }
                    return new Request("state " + defect, Map.of(), q, null, status, Set.of());
                });
    }

    @Property
    void stateRequestsAnswerOrRefuseWithAProblem(@ForAll("stateRequests") Request req) throws Exception {
        Statistics.label("defect").collect(req.label());
        call(req, () -> new HttpMachineState(world.services).run(HttpCalls.request(HttpMethod.GET, "machines/state", req.headers(), req.query(), Optional.empty()),
                HttpCalls.context(HttpMachineState.NAME, logger)));
    }

    @Provide
    Arbitrary<Request> postureRequests() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(new Request("posture", Map.of(), Map.of(), null, 200, Set.of()))),
                Tuple.of(1, Arbitraries.just(new Request("posture with function key", Map.of(), Map.of("code", "k"), null, 200, Set.of()))),
                Tuple.of(4, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(30).filter(k -> !k.equalsIgnoreCase("code"))
                        .map(k -> new Request("posture unknown parameter", Map.of(), Map.of(k, "1"), null, 400, Set.of()))));
    }

    /** Only query parameters vary here (the route takes none): a few hundred tries cover them. */
    @Property(tries = 300)
    void postureRequestsAnswerOrRefuseWithAProblem(@ForAll("postureRequests") Request req) throws Exception {
        Statistics.label("defect").collect(req.label());
        call(req, () -> new HttpPosture(world.services).run(HttpCalls.request(HttpMethod.GET, "posture", req.headers(), req.query(), Optional.empty()),
                HttpCalls.context(HttpPosture.NAME, logger)));
    }

    @Provide
    Arbitrary<Request> dashboardRequests() {
        Arbitrary<String> junk = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> parameter = Arbitraries.of("subscription", "reason", "kind", "after");
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(new Request("dashboard", Map.of(), Map.of(), null, 200, Set.of()))),
                Tuple.of(1, Arbitraries.of(Map.of("subscription", SUB_A), Map.of("reason", "PLAN_NOT_ENABLED"), Map.of("kind", "ARC"),
                                Map.of("after", recorded), Map.of("subscription", SUB_OUT, "kind", "vm", "reason", ""))
                        .map(q -> new Request("dashboard valid filter", Map.of(), q, null, 200, Set.of()))),
                // A hostile value: refused unless it is blank (no filter) or happens to be valid.
                Tuple.of(6, Combinators.combine(parameter, junk).as((name, value) -> {
                    boolean blank = value.trim().isEmpty();
                    boolean valid = switch (name) {
                        case "subscription" -> com.mdeonboarding.model.Guid.isGuid(value.trim());
                        case "kind" -> value.trim().equalsIgnoreCase("vm") || value.trim().equalsIgnoreCase("arc");
                        case "reason" -> java.util.Arrays.stream(com.mdeonboarding.model.ReasonCode.values()).anyMatch(c -> c.name().equals(value.trim()));
                        default -> MachineId.tryParse(value.trim()).isPresent();
                    };
                    return new Request("dashboard hostile " + name, Map.of(), Map.of(name, value), null, blank || valid ? 200 : 400, Set.of());
                })),
                Tuple.of(2, junk.filter(k -> !k.isEmpty() && java.util.stream.Stream.of("code", "subscription", "reason", "kind", "after")
                                .noneMatch(k::equalsIgnoreCase))
                        .map(k -> new Request("dashboard unknown parameter", Map.of(), Map.of(k, "1"), null, 400, Set.of()))));
    }

    /** The page renders whatever is stored; only its parameters vary here. */
    @Property(tries = 300)
    void dashboardRequestsRenderOrRefuseWithAProblem(@ForAll("dashboardRequests") Request req) throws Exception {
        Statistics.label("defect").collect(req.label());
        HttpCalls.Reply r = call(req, () -> new HttpDashboard(world.services).run(HttpCalls.request(HttpMethod.GET, "dashboard", req.headers(),
                req.query(), Optional.empty()), HttpCalls.context(HttpDashboard.NAME, logger)));
        if (r.status() == 200 && (!r.header("Content-Type").startsWith("text/html") || r.body().contains("<script")
                || !r.header("Content-Security-Policy").startsWith("default-src 'none'"))) {
            throw new AssertionError("not the self-contained page: " + r.header("Content-Type") + " for " + req);
        }
    }

    /** Calls the trigger and checks what holds for every request, whatever the route. */
    private static HttpCalls.Reply call(Request req, java.util.function.Supplier<HttpResponseMessage> trigger) throws Exception {
        requests++;
        int queuedBefore = 0; // every accepted request's jobs are checked and cleared at once
        long writesBefore = world.emulator.requestLog().countWrites();
        int from = LOG.size();
        HttpCalls.Reply r;
        try {
            r = HttpCalls.reply(trigger.get());
        } catch (Throwable t) {
            crashes++;
            throw new AssertionError("an exception left the trigger for " + req, t);
        }
        world.scanner.add(r.toString());
        if (r.status() != req.status()) {
            throw new AssertionError("answered " + r.status() + " " + HostileIds.Printable.of(String.valueOf(r.body())) + " for " + req);
        }
        String correlation = r.header("X-Correlation-Id");
        if (correlation == null || !"no-store".equals(r.header("Cache-Control"))) {
            throw new AssertionError("missing X-Correlation-Id or Cache-Control: " + r);
        }
        if (r.status() >= 400) {
            rejections++;
            if (r.status() >= 500 || !r.header("Content-Type").startsWith("application/problem+json")) {
                throw new AssertionError("not a 4xx problem document: " + r + " for " + req);
            }
            JsonNode p = JSON.readTree(r.body());
            if (!p.isObject() || !p.path("type").asText().startsWith("urn:mde-onboarding:problem:") || p.path("title").asText().isBlank()
                    || p.path("status").asInt() != r.status() || !p.path("detail").isTextual()
                    || !correlation.equals(p.path("correlationId").asText())) {
                throw new AssertionError("incomplete problem document " + r + " for " + req);
            }
            java.util.regex.Matcher internal = INTERNALS.matcher(p.path("detail").asText());
            if (internal.find()) {
                throw new AssertionError("the problem names our internals ('" + internal.group() + "'), not what is wrong: " + r + " for " + req);
            }
            if (world.queuedJobs() != queuedBefore) {
                throw new AssertionError("a refused request queued " + (world.queuedJobs() - queuedBefore) + " job(s): " + req);
            }
        }
        if (world.emulator.requestLog().countWrites() != writesBefore) {
            throw new AssertionError("a Resource Manager write followed " + req);
        }
        List<String> lines;
        synchronized (LOG) {
            lines = new ArrayList<>(LOG.subList(from, LOG.size()));
        }
        for (String l : lines) {
            if (l.chars().anyMatch(HostileEventsTest::forging) || l.length() > 4_000) {
                throw new AssertionError("forged or unbounded log line for " + req + ": " + HostileIds.Printable.of(l));
            }
        }
        return r;
    }
}
