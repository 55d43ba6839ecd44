package com.mdeonboarding.reliability;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mdeonboarding.config.Scope;
import com.mdeonboarding.events.ResourceEvents;
import com.mdeonboarding.host.OnResourceWrite;
import com.mdeonboarding.host.ReconcileMachine;
import com.mdeonboarding.storage.JobCodec;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
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
 * Issue item 4 (events and queue messages): property-based tests over at least 1,000 generated inputs each
 * (jqwik's default tries; 10,000 under -Preliability-full). Malformed and unusual Event Grid deliveries go through
 * the real {@link OnResourceWrite} trigger (and {@link ResourceEvents#parse}); hostile queue messages through the
 * real {@link ReconcileMachine} trigger. No exception may leave a function, exactly the valid in-scope machines may
 * be queued (one job each), nothing else, no Resource Manager call may follow from an invalid or out-of-scope job,
 * and no log line may carry a control character (log forging) or run unbounded.
 */
class HostileEventsTest {
    private static final int MAX_LOG_LINE = 2_000;
    private static ReliabilityWorld world;
    private static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());
    private static Logger logger;
    private static long deliveries;
    private static long events;
    private static long queued;
    private static long refusedEvents;
    private static long jobMessages;
    private static long ids;
    private static long crashes;

    @BeforeContainer
    static void start() {
        world = new ReliabilityWorld();
        logger = Logger.getLogger("hostile-" + UUID.randomUUID());
        logger.setUseParentHandlers(false);
        logger.setLevel(Level.ALL);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                LOG.add(r.getLevel() + " " + r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        world.scanner.source("hostile-input log", () -> {
            synchronized (LOG) {
                return new ArrayList<>(LOG);
            }
        });
    }

    @AfterContainer
    static void stop() {
        try {
            world.scanner.assertClean();
            if (world.stateRows().size() != 0 || world.historyRows().size() != 0) {
                throw new AssertionError("hostile input wrote state: " + world.stateRows().keySet());
            }
            Figures.set("hostile", "event deliveries tried", deliveries);
            Figures.set("hostile", "events in them", events);
            Figures.set("hostile", "events malformed, of another kind, or out of scope (must queue nothing)", refusedEvents);
            Figures.set("hostile", "jobs queued (all for valid in-scope machines)", queued);
            Figures.set("hostile", "queue messages tried", jobMessages);
            Figures.set("hostile", "machine IDs tried", ids);
            Figures.set("hostile", "exceptions that left a function", crashes);
        } finally {
            world.close();
        }
    }

    static ExecutionContext context(String name) {
        return new ExecutionContext() {
            @Override
            public Logger getLogger() {
                return logger;
            }

            @Override
            public String getInvocationId() {
                return UUID.randomUUID().toString();
            }

            @Override
            public String getFunctionName() {
                return name;
            }
        };
    }

    /** Lines logged since {@code from}: no control character (log forging), none unbounded. */
    private static void checkLog(int from, Object input) {
        List<String> lines;
        synchronized (LOG) {
            lines = new ArrayList<>(LOG.subList(from, LOG.size()));
            if (LOG.size() > 10_000) {
                LOG.subList(0, LOG.size() - 1_000).clear(); // keep memory flat; the scanner saw them at the end anyway
            }
        }
        for (String l : lines) {
            for (int i = 0; i < l.length(); i++) {
                char c = l.charAt(i);
                if (forging(c)) {
                    throw new AssertionError("log line with control character U+" + String.format("%04X", (int) c) + " for " + input
                            + ": " + HostileIds.Printable.of(l));
                }
            }
            if (l.length() > MAX_LOG_LINE) {
                throw new AssertionError("log line of " + l.length() + " characters for " + input);
            }
        }
    }

    /** Characters that can end, forge or disguise a log line: controls, line and paragraph separators, format (bidi) characters. */
    static boolean forging(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static int logSize() {
        return LOG.size();
    }

    @Provide
    Arbitrary<HostileEvents.Delivery> deliveries() {
        return HostileEvents.deliveries();
    }

    @Property
    void theTriggerQueuesExactlyTheValidInScopeMachinesAndNeverThrows(@ForAll("deliveries") HostileEvents.Delivery d) {
        deliveries++;
        events += d.labels().size() - 1;
        for (String l : d.labels().subList(1, d.labels().size())) {
            boolean wellFormed = l.contains("event NONE ") || l.contains("event UNUSUAL_BUT_VALID ") || l.startsWith("cloud event CLOUD_DATA_BASE64 ");
            if (!wellFormed || !l.endsWith("id valid in scope")) {
                refusedEvents++;
            }
        }
        Statistics.label("shape").collect(d.labels().get(0));
        Statistics.label("queues").collect(d.expected().isEmpty() ? "nothing" : "jobs");
        List<String> out = new ArrayList<>();
        OutputBinding<List<String>> binding = new OutputBinding<>() {
            @Override
            public List<String> getValue() {
                return out;
            }

            @Override
            public void setValue(List<String> value) {
                out.addAll(value);
            }
        };
        int from = logSize();
        try {
            new OnResourceWrite(world.services).run(d.body(), binding, context(OnResourceWrite.NAME));
        } catch (Throwable t) {
            crashes++;
            throw new AssertionError("an exception left OnResourceWrite for " + d, t);
        }
        Set<String> keys = new HashSet<>();
        for (String message : out) {
            OnboardingJob job = JobCodec.decode(message);
            if (job.attempt() != 1 || !job.source().wire().equals("event")) {
                throw new AssertionError("unexpected job " + message);
            }
            if (!keys.add(job.machine().key())) {
                throw new AssertionError("two jobs for one machine in one delivery: " + out + " for " + d);
            }
        }
        if (!keys.equals(d.expected())) {
            throw new AssertionError("queued " + keys + " but expected " + d.expected() + " for " + d);
        }
        queued += out.size();
        checkLog(from, d);

        // The parser on its own: never throws, and reads at least the machines that were queued.
        ResourceEvents.Batch batch = ResourceEvents.parse(d.body());
        Scope scope = world.services.scope;
        Set<String> inScope = new HashSet<>();
        batch.machines().stream().filter(w -> scope.contains(w.machine().subscriptionId())).forEach(w -> inScope.add(w.machine().key()));
        if (!inScope.equals(d.expected())) {
            throw new AssertionError("parse read " + inScope + " in scope, expected " + d.expected() + " for " + d);
        }
    }

    @Provide
    Arbitrary<HostileIds.IdCase> machineIds() {
        return HostileIds.any();
    }

    @Property
    void theMachineIdGrammarAcceptsExactlyTheValidIds(@ForAll("machineIds") HostileIds.IdCase id) {
        ids++;
        Statistics.label("id").collect(id.label().startsWith("invalid") ? "invalid" : id.label());
        Optional<MachineId> parsed = MachineId.tryParse(id.text());
        if (!parsed.map(MachineId::key).equals(Optional.ofNullable(id.key()))) {
            throw new AssertionError("MachineId.tryParse(" + id + ") = " + parsed + ", expected " + id.key());
        }
    }

    /** A queue message that must never lead to a Resource Manager call: malformed, or naming no machine in scope. */
    record JobMessage(String text, String label) {
        @Override
        public String toString() {
            return label + " " + HostileIds.Printable.of(text);
        }
    }

    @Provide
    Arbitrary<JobMessage> jobMessages() {
        Arbitrary<HostileIds.IdCase> notInScope = Arbitraries.frequencyOf(
                Tuple.of(1, HostileIds.valid().filter(i -> !i.inScope())), Tuple.of(2, HostileIds.invalid()));
        return Arbitraries.frequencyOf(
                Tuple.of(8, Combinators.combine(notInScope, HostileIds.valid(), Arbitraries.integers().between(0, 9), Arbitraries.longs())
                        .as((bad, good, field, seed) -> job(bad, good, field, new Random(seed)))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(300).map(s -> new JobMessage(s, "garbage"))),
                Tuple.of(1, Arbitraries.of("", " ", "null", "[]", "{}", "1", "\"x\"", "{\"v\":1}", "[{\"v\":1}]", "{\"v\":1,\"v\":1}")
                        .map(s -> new JobMessage(s, "not a job"))));
    }

    /**
     * A job whose field {@code field} is hostile. Field 0: the resource ID (invalid or out of scope, everything else
     * fine); otherwise an in-scope machine with one broken field, so that only validation stands between it and Azure.
     */
    private static JobMessage job(HostileIds.IdCase bad, HostileIds.IdCase good, int field, Random r) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("v", 1);
        n.put("resourceId", field == 0 ? bad.text() : good.queues() ? good.text() : bad.text());
        n.put("source", "event");
        n.put("correlationId", UUID.randomUUID().toString());
        n.put("attempt", 1);
        n.put("requestedAt", "2026-11-28T10:00:00Z");
        String label = "job field " + field;
        switch (field) {
            case 0 -> label = "job " + bad.label();
            case 1 -> n.put("v", r.nextBoolean() ? 2 : 0);
            case 2 -> n.put("source", List.of("", "timer", "event ", "EVENT\n", "poison", "\u0000").get(r.nextInt(6)));
            case 3 -> n.put("correlationId", List.of("x".repeat(101), "", "a\nb", "[resourceId=/forged] \r\n", "\u202e", "\u0000")
                    .get(r.nextInt(6)));
            case 4 -> n.put("attempt", List.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 10_001).get(r.nextInt(5)));
            case 5 -> n.put("requestedAt", List.of("yesterday", "", "2026-11-28", "1e9", "\u0000").get(r.nextInt(5)));
            case 6 -> n.remove(List.of("resourceId", "source", "correlationId", "requestedAt", "v").get(r.nextInt(5)));
            case 7 -> n.set(List.of("resourceId", "source", "correlationId", "requestedAt").get(r.nextInt(4)),
                    List.of(JsonNodeFactory.instance.numberNode(1), JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.arrayNode(),
                            JsonNodeFactory.instance.booleanNode(true)).get(r.nextInt(4)));
            case 8 -> n.put("v", "one");
            default -> {
                // Every field fine but the machine: out of scope or not a machine at all.
                n.put("resourceId", bad.text());
                label = "job " + bad.label();
            }
        }
        return new JobMessage(n.toString(), label);
    }

    @Property
    void hostileQueueMessagesNeverReachResourceManagerAndNeverThrow(@ForAll("jobMessages") JobMessage m) {
        jobMessages++;
        Statistics.label("message").collect(m.label().replaceAll(" [^ ]*$", ""));
        long before = world.emulator.requestLog().total();
        int from = logSize();
        try {
            new ReconcileMachine(world.services).run(m.text(), "msg-" + jobMessages, 1, context(ReconcileMachine.NAME));
        } catch (Throwable t) {
            crashes++;
            throw new AssertionError("an exception left ReconcileMachine for " + m, t);
        }
        long calls = world.emulator.requestLog().total() - before;
        if (calls != 0) {
            throw new AssertionError(calls + " Resource Manager call(s) for " + m + ": "
                    + world.emulator.requestLog().snapshot().stream().skip(Math.max(0, world.emulator.requestLog().snapshot().size() - 3)).toList());
        }
        checkLog(from, m);
        if (m.label().contains("valid in scope")) {
            throw new AssertionError("generator produced a job for an in-scope machine: " + m);
        }
    }
}
