package com.mdeonboarding.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.azure.MachineListing;
import com.mdeonboarding.config.Scope;
import com.mdeonboarding.app.Services;
import com.mdeonboarding.storage.JobQueue;
import com.mdeonboarding.model.Guid;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.support.Parallel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * {@code POST /api/onboarding}: queue one manual job per machine, named by resource IDs or by a
 * subscription (and optionally a resource group). Everything is validated before anything is queued:
 * a request that fails validation queues nothing.
 *
 * <p>Choices: unknown fields are refused (a typo such as {@code resourceID} must not pass silently);
 * a machine named twice (IDs compare case-insensitively) is refused rather than deduplicated, so the
 * answer's jobs match the request one to one; a subscription or group with no machine is 404.
 */
public final class OnboardingEndpoint extends Endpoint {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    public static final int MAX_RESOURCE_IDS = 500;
    /** A subscription or group expanding to more is refused: a sweep covers that many. */
    public static final int MAX_EXPANDED_MACHINES = 2000;
    /** How many individual errors a problem document lists. */
    static final int MAX_ERRORS = 50;
    private static final int PARALLEL_ENQUEUES = 8;
    /**
     * How long queueing a request's jobs may take in all: Azure's front end cuts an HTTP request at 230 s and the
     * host's functionTimeout is 10 minutes; a caller should hear back long before either.
     */
    public static final Duration ENQUEUE_DEADLINE = Duration.ofSeconds(20);
    private static final Set<String> FIELDS = Set.of("resourceIds", "subscriptionId", "resourceGroup");
    /** Azure's rule for resource group names; '.' at the end is refused by Azure too. */
    private static final Pattern RESOURCE_GROUP = Pattern.compile("^[A-Za-z0-9._()\\-]{0,89}[A-Za-z0-9_()\\-]$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Scope scope;
    private final JobQueue queue;
    private final MachineListing listing;
    private final Clock clock;

    public OnboardingEndpoint(Scope scope, JobQueue queue, MachineListing listing, Clock clock) {
        this.scope = scope;
        this.queue = queue;
        this.listing = listing;
        this.clock = clock;
    }

    public static OnboardingEndpoint from(Services s) {
        return new OnboardingEndpoint(s.scope, s.jobQueue, s.azure.machineListing(), s.clock);
    }

    @Override
    protected String method() {
        return "POST";
    }

    @Override
    protected String name() {
        return "POST /api/onboarding";
    }

    @Override
    protected ApiResponse answer(ApiRequest request, String correlationId, Logger log) {
        onlyParameters(request);
        JsonNode root = JsonBody.read(request, MAX_BODY_BYTES);
        if (!root.isObject()) {
            throw Problem.of(Problem.Type.INVALID_REQUEST, "the body must be a JSON object: {\"resourceIds\": [...]} or"
                    + " {\"subscriptionId\": \"...\", \"resourceGroup\": \"...\"}").exception();
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw Problem.of(Problem.Type.INVALID_REQUEST, "unknown field '" + Text.printable(f, 60)
                        + "'; accepted: resourceIds, or subscriptionId with an optional resourceGroup")
                        .at(Text.printable(f, 60), null).exception();
            }
        }
        List<MachineId> machines;
        String target;
        if (root.has("resourceIds")) {
            if (root.has("subscriptionId") || root.has("resourceGroup")) {
                throw Problem.of(Problem.Type.INVALID_REQUEST, "send either resourceIds, or subscriptionId (with an optional"
                        + " resourceGroup), not both").at(root.has("subscriptionId") ? "subscriptionId" : "resourceGroup", null).exception();
            }
            machines = resourceIds(root.get("resourceIds"));
            target = machines.size() + " machine(s) by resource ID";
        } else if (root.has("subscriptionId")) {
            String subscription = subscriptionId(root.get("subscriptionId"));
            Optional<String> group = root.has("resourceGroup") ? Optional.of(resourceGroup(root.get("resourceGroup"))) : Optional.empty();
            machines = expand(subscription, group, log, correlationId);
            target = "subscription " + subscription + group.map(g -> " resource group " + g).orElse("") + ": " + machines.size()
                    + " machine(s)";
        } else if (root.has("resourceGroup")) {
            throw Problem.of(Problem.Type.INVALID_REQUEST, "resourceGroup needs subscriptionId").at("subscriptionId", null).exception();
        } else {
            throw Problem.of(Problem.Type.INVALID_REQUEST, "name the machines: {\"resourceIds\": [...]} or"
                    + " {\"subscriptionId\": \"...\", \"resourceGroup\": \"...\"}").at("resourceIds", null).exception();
        }
        log.info("[correlationId=" + correlationId + "] manual onboarding requested: " + target);
        return enqueue(machines, correlationId, log);
    }

    /** Every element checked (type, ID, duplicates), then every subscription against the scope. */
    private List<MachineId> resourceIds(JsonNode ids) {
        if (!ids.isArray()) {
            throw Problem.of(Problem.Type.INVALID_REQUEST, "resourceIds must be an array of resource ID strings")
                    .at("resourceIds", null).exception();
        }
        if (ids.isEmpty()) {
            throw Problem.of(Problem.Type.INVALID_REQUEST, "resourceIds is empty; name at least one machine")
                    .at("resourceIds", null).exception();
        }
        if (ids.size() > MAX_RESOURCE_IDS) {
            throw Problem.of(Problem.Type.TOO_LARGE, "resourceIds has " + ids.size() + " entries; at most " + MAX_RESOURCE_IDS
                    + " per request (split the list, or name a subscription or resource group)")
                    .at("resourceIds", null).with("limit", MAX_RESOURCE_IDS).exception();
        }
        List<Problem> errors = new ArrayList<>();
        List<MachineId> machines = new ArrayList<>();
        Map<MachineId, Integer> seen = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode el = ids.get(i);
            if (!el.isTextual()) {
                errors.add(Problem.of(Problem.Type.INVALID_REQUEST, "resourceIds[" + i + "] is " + jsonType(el)
                        + "; expected a resource ID string").at("resourceIds", i));
                continue;
            }
            Optional<MachineId> id = MachineId.tryParse(el.asText());
            if (id.isEmpty()) {
                errors.add(Problem.of(Problem.Type.INVALID_RESOURCE_ID, "resourceIds[" + i + "] '" + Text.printable(el.asText())
                        + "' is not a resource ID of an Azure VM or Arc machine (expected /subscriptions/{guid}/resourceGroups/"
                        + "{group}/providers/Microsoft.Compute/virtualMachines/{name} or .../Microsoft.HybridCompute/machines/{name})")
                        .at("resourceIds", i));
                continue;
            }
            Integer first = seen.putIfAbsent(id.get(), i);
            if (first != null) {
                errors.add(Problem.of(Problem.Type.DUPLICATE_RESOURCE_ID, "resourceIds[" + i + "] names the same machine as resourceIds["
                        + first + "] (resource IDs compare case-insensitively)").at("resourceIds", i).with("duplicateOf", first));
                continue;
            }
            machines.add(id.get());
        }
        throwFirst(errors);
        // No element was refused above, so machines[i] is resourceIds[i].
        for (int i = 0; i < machines.size(); i++) {
            MachineId id = machines.get(i);
            if (!scope.contains(id.subscriptionId())) {
                errors.add(Problem.of(Problem.Type.OUT_OF_SCOPE, "resourceIds[" + i + "] is in subscription " + id.subscriptionId()
                        + ", which is outside the configured scope (MDE_SCOPE_SUBSCRIPTIONS, MDE_SCOPE_MANAGEMENT_GROUP,"
                        + " MDE_SCOPE_EXCLUDE_SUBSCRIPTIONS)").at("resourceIds", i));
            }
        }
        throwFirst(errors);
        return machines;
    }

    private String subscriptionId(JsonNode n) {
        if (!n.isTextual() || !Guid.isGuid(n.asText())) {
            throw Problem.of(Problem.Type.INVALID_REQUEST, "subscriptionId must be a subscription ID (a GUID); got "
                    + describe(n)).at("subscriptionId", null).exception();
        }
        String id = n.asText().toLowerCase(java.util.Locale.ROOT);
        if (!scope.contains(id)) {
            throw Problem.of(Problem.Type.OUT_OF_SCOPE, "subscription " + id + " is outside the configured scope"
                    + " (MDE_SCOPE_SUBSCRIPTIONS, MDE_SCOPE_MANAGEMENT_GROUP, MDE_SCOPE_EXCLUDE_SUBSCRIPTIONS)")
                    .at("subscriptionId", null).exception();
        }
        return id;
    }

    private static String resourceGroup(JsonNode n) {
        if (!n.isTextual() || !RESOURCE_GROUP.matcher(n.asText()).matches()) {
            throw Problem.of(Problem.Type.INVALID_REQUEST, "resourceGroup must be a resource group name (1-90 letters, digits,"
                    + " '.', '_', '-', '(', ')', not ending in '.'); got " + describe(n) + "; omit it to cover the whole subscription")
                    .at("resourceGroup", null).exception();
        }
        return n.asText();
    }

    private List<MachineId> expand(String subscription, Optional<String> group, Logger log, String correlationId) {
        String where = group.map(g -> "resource group '" + g + "' of subscription " + subscription).orElse("subscription " + subscription);
        List<MachineId> machines;
        try {
            machines = listing.list(subscription, group, MAX_EXPANDED_MACHINES, log);
        } catch (MachineListing.TooManyMachinesException e) {
            throw Problem.of(Problem.Type.TOO_LARGE, where + " has more than " + MAX_EXPANDED_MACHINES + " machines; name a resource"
                    + " group, or let the compliance sweep cover it").at(group.isPresent() ? "resourceGroup" : "subscriptionId", null)
                    .with("limit", MAX_EXPANDED_MACHINES).exception();
        } catch (ArmException e) {
            if (e.notFound()) {
                throw Problem.of(Problem.Type.NOT_FOUND, "subscription " + subscription + " was not found, or this app's identity"
                        + " cannot read it (" + Text.printable(e.code(), 60) + ")").at("subscriptionId", null).exception();
            }
            throw e;
        }
        if (machines.isEmpty()) {
            throw Problem.of(Problem.Type.NO_MACHINES, "no VM or Arc machine found in " + where
                    + (group.isPresent() ? " (check the group's name and subscription)" : ""))
                    .at(group.isPresent() ? "resourceGroup" : "subscriptionId", null).exception();
        }
        log.fine("[correlationId=" + correlationId + "] listed " + machines.size() + " machine(s) in " + where);
        return machines;
    }

    /**
     * Queues every job (in parallel when there are many), within {@link #ENQUEUE_DEADLINE}. A Storage failure answers
     * 503 naming what was and was not queued: the queued jobs stand (reconciling is idempotent), the rest can be sent
     * again. After the first failure no further job is tried (the queue is down: each try would cost its retries), and
     * what has not finished by the deadline counts as not queued (a send still under way then may yet arrive, which is
     * harmless: a second job for a machine is coalesced).
     */
    private ApiResponse enqueue(List<MachineId> machines, String correlationId, Logger log) {
        Instant now = clock.instant();
        List<OnboardingJob> jobs = machines.stream().map(m -> OnboardingJob.create(m, JobSource.MANUAL, now)).toList();
        Map<Integer, RuntimeException> failed = new ConcurrentHashMap<>();
        Set<Integer> done = ConcurrentHashMap.newKeySet();
        AtomicBoolean queueDown = new AtomicBoolean();
        List<Integer> indexes = java.util.stream.IntStream.range(0, jobs.size()).boxed().toList();
        List<Integer> late = Parallel.forEach(indexes, PARALLEL_ENQUEUES, ENQUEUE_DEADLINE, index -> {
            if (queueDown.get()) {
                return; // not tried: listed as not queued
            }
            OnboardingJob job = jobs.get(index);
            try {
                queue.enqueue(job);
                done.add(index);
                log.info("[correlationId=" + job.correlationId() + "] [resourceId=" + job.machine().id()
                        + "] manual job queued (request correlationId=" + correlationId + ")");
            } catch (RuntimeException e) {
                failed.put(index, e);
                queueDown.set(true);
            }
        });
        ArrayNode queued = JSON.createArrayNode();
        List<String> notQueued = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (done.contains(i)) {
                queued.add(job(jobs.get(i)));
            } else {
                notQueued.add(jobs.get(i).machine().id());
            }
        }
        if (!notQueued.isEmpty()) {
            RuntimeException first = failed.values().stream().findFirst().orElse(null);
            log.log(java.util.logging.Level.SEVERE, "[correlationId=" + correlationId + "] " + notQueued.size() + " of " + jobs.size()
                    + " job(s) could not be queued" + (late.isEmpty() ? "" : " (" + late.size() + " unfinished at the deadline)"), first);
            throw Problem.of(Problem.Type.UNAVAILABLE, notQueued.size() + " of " + jobs.size() + " job(s) could not be queued (the"
                    + " queue is unavailable" + (late.isEmpty() ? "" : "; the request gave up after " + ENQUEUE_DEADLINE.toSeconds() + " s")
                    + "); 'jobs' lists those that were, 'notQueued' those to send again")
                    .with("jobs", queued).with("notQueued", notQueued).exception();
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("correlationId", correlationId);
        body.set("jobs", queued);
        return ApiResponse.json(202, body);
    }

    private static ObjectNode job(OnboardingJob job) {
        ObjectNode j = JSON.createObjectNode();
        j.put("resourceId", job.machine().id());
        j.put("correlationId", job.correlationId());
        j.put("state", "/api/machines/state?resourceId=" + URLEncoder.encode(job.machine().id(), StandardCharsets.UTF_8));
        return j;
    }

    /** The first error is the document's own; all of them (up to {@link #MAX_ERRORS}) are listed under "errors". */
    private static void throwFirst(List<Problem> errors) {
        if (errors.isEmpty()) {
            return;
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (Problem p : errors.subList(0, Math.min(MAX_ERRORS, errors.size()))) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("type", p.type().uri());
            p.extensions().forEach(e::put);
            e.put("detail", p.detail());
            all.add(e);
        }
        Problem first = errors.get(0);
        Problem p = errors.size() == 1 ? first : new Problem(first.type(), first.detail() + " (and " + (errors.size() - 1)
                + " more; see 'errors')", first.extensions());
        throw p.with("errors", all).with("errorCount", errors.size()).exception();
    }

    private static String jsonType(JsonNode n) {
        if (n.isNull()) {
            return "null";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        return "a string";
    }

    private static String describe(JsonNode n) {
        return n.isTextual() ? "'" + Text.printable(n.asText(), 100) + "'" : jsonType(n);
    }
}
