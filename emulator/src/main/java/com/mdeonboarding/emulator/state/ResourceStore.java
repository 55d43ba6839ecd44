package com.mdeonboarding.emulator.state;

import com.mdeonboarding.emulator.events.EventBus;
import com.mdeonboarding.emulator.operations.Operations;
import com.mdeonboarding.emulator.server.ArmRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The resource model of the emulated tenant (subscriptions, their machines and resource groups),
 * shared by every request, and the one lock that guards it.
 *
 * <p>The collections are private to this class. The only way to them is {@link #read} or
 * {@link #write}, which take the lock and hand the function a {@link View} (or {@link Writes});
 * every method of those checks that the calling thread holds the lock, so a view kept past its
 * function fails instead of racing. Subscriptions, machines and extensions are reachable only
 * through a view; an entity captured by a long-running operation is touched only by the operation's
 * completion, which {@link Operations} runs inside {@link #write}.
 *
 * <p>Events a write produces are collected in its {@link Changes} and published after the lock is
 * released, so listeners may call back into the state.
 */
public final class ResourceStore {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String tenantId;
    /** Lower-case subscription ID to subscription, sorted for stable paging. */
    private final TreeMap<String, EmulatedSubscription> subscriptions = new TreeMap<>();
    /** Lower-case subscription ID to its machines and resource groups. */
    private final Map<String, SubscriptionIndex> indexes = new HashMap<>();
    /** Lower-case machine ID to machine (VMs and Arc machines). */
    private final Map<String, EmulatedMachine> machines = new HashMap<>();
    /** Lower-case management group name to member subscription IDs; from the tenant file, plus subscriptions added later. */
    private final Map<String, List<String>> managementGroups;
    private final View view = new View();
    private volatile EventBus events;
    private final EmulatorClock clock;

    /** A subscription's machines by lower-case ID, sorted so list pages are stable, and its resource groups. */
    private static final class SubscriptionIndex {
        final TreeMap<String, EmulatedMachine> vms = new TreeMap<>();
        final TreeMap<String, EmulatedMachine> arcMachines = new TreeMap<>();
        final Set<String> resourceGroups = new HashSet<>();

        TreeMap<String, EmulatedMachine> of(EmulatedMachine.Kind kind) {
            return kind == EmulatedMachine.Kind.VM ? vms : arcMachines;
        }
    }

    public ResourceStore(String tenantId, Map<String, List<String>> managementGroups, EmulatorClock clock) {
        this.tenantId = tenantId;
        this.clock = clock;
        Map<String, List<String>> mgs = new java.util.concurrent.ConcurrentHashMap<>();
        managementGroups.forEach((k, v) -> mgs.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        this.managementGroups = mgs;
    }

    public String tenantId() {
        return tenantId;
    }

    /** Adds a subscription to a management group (created if new), as moving a subscription under it does. */
    public void addToManagementGroup(String name, String subscriptionId) {
        managementGroups.merge(name.toLowerCase(Locale.ROOT), List.of(subscriptionId), (a, b) -> {
            List<String> out = new java.util.ArrayList<>(a);
            out.addAll(b);
            return List.copyOf(out);
        });
    }

    /** The emulated tenant's clock; what its resources call "now". */
    public EmulatorClock clock() {
        return clock;
    }

    java.time.Instant now() {
        return clock.instant();
    }

    /** The member subscription IDs of a management group of the tenant file, or null when it defines none of that name. */
    public List<String> managementGroup(String name) {
        return managementGroups.get(name.toLowerCase(Locale.ROOT));
    }

    public void attach(EventBus bus) {
        this.events = bus;
    }

    // ------------------------------------------------------------------ locking

    /** Runs {@code fn} under the read lock. */
    public <T> T read(Function<View, T> fn) {
        lock.readLock().lock();
        try {
            return fn.apply(view);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code fn} under the write lock, then publishes the events it recorded. */
    public <T> T write(Function<Writes, T> fn) {
        return write(new Changes(), fn);
    }

    /** As {@link #write(Function)}, with events carrying the request's correlation ID and URL. */
    public <T> T write(Changes changes, Function<Writes, T> fn) {
        T result;
        lock.writeLock().lock();
        try {
            result = fn.apply(new Writes(changes));
        } finally {
            lock.writeLock().unlock();
        }
        EventBus bus = events;
        if (!changes.events.isEmpty() && bus != null) {
            bus.publish(changes.events);
        }
        return result;
    }

    private void checkRead() {
        if (lock.getReadHoldCount() == 0 && !lock.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("The resource model was used outside ResourceStore.read/write");
        }
    }

    private void checkWrite() {
        if (!lock.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException("The resource model was changed outside ResourceStore.write");
        }
    }

    /** The events a change produces; published after the write lock is released. */
    public static final class Changes {
        private final List<EventBus.ResourceEvent> events = new ArrayList<>();
        private String correlationId = UUID.randomUUID().toString();
        private String clientRequestId;
        private String url;

        /** The changes a Resource Manager request makes: events carry its correlation ID and URL. */
        public static Changes of(ArmRequest req) {
            Changes c = new Changes();
            c.correlationId = req.correlationId;
            c.clientRequestId = req.clientRequestId;
            c.url = req.url();
            return c;
        }

        /**
         * Ties the events of an operation's completion to the request that started it.
         *
         * @param url the request URL for updates and deletes (events then carry data.httpRequest), else null
         */
        public void correlate(String correlationId, String url) {
            this.correlationId = correlationId;
            this.url = url;
        }

        /** @param httpMethod set for updates and deletes (Azure includes data.httpRequest only then) */
        void event(String eventType, String resourceUri, String operationName, String httpMethod) {
            events.add(new EventBus.ResourceEvent(eventType, resourceUri, operationName, correlationId,
                    httpMethod, httpMethod == null ? null : (url != null ? url
                            : "https://management.azure.com" + resourceUri), clientRequestId));
        }
    }

    /** The effective VirtualMachines plan of a machine, and whether it is the subscription's. */
    public record EffectivePricing(EmulatedPricing pricing, boolean inherited) {
    }

    // ------------------------------------------------------------------ views

    /** Read access to the model; valid only while the lock is held. */
    public class View {
        /** The emulated tenant's "now" (see {@link EmulatorClock}). */
        public java.time.Instant now() {
            return clock.instant();
        }

        private View() {
        }

        /** Lower-case subscription ID to subscription, sorted. Unmodifiable. */
        public NavigableMap<String, EmulatedSubscription> subscriptions() {
            checkRead();
            return Collections.unmodifiableNavigableMap(subscriptions);
        }

        /** The subscription (case-insensitive ID), or null. */
        public EmulatedSubscription subscription(String subscriptionId) {
            checkRead();
            return subscriptions.get(subscriptionId.toLowerCase(Locale.ROOT));
        }

        /** The machine (case-insensitive ID, trailing slash ignored), or null. */
        public EmulatedMachine machine(String machineId) {
            checkRead();
            return machines.get(ResourceIds.key(machineId));
        }

        public Collection<EmulatedMachine> allMachines() {
            checkRead();
            return Collections.unmodifiableCollection(machines.values());
        }

        /** A subscription's machines of one kind, by lower-case ID, sorted. Unmodifiable. */
        public NavigableMap<String, EmulatedMachine> machines(EmulatedSubscription s, EmulatedMachine.Kind kind) {
            checkRead();
            return Collections.unmodifiableNavigableMap(index(s).of(kind));
        }

        public boolean hasResourceGroup(EmulatedSubscription s, String resourceGroup) {
            checkRead();
            return index(s).resourceGroups.contains(resourceGroup.toLowerCase(Locale.ROOT));
        }

        EmulatedSubscription existingSubscription(String subscriptionId) {
            EmulatedSubscription s = subscription(subscriptionId);
            if (s == null) {
                throw new IllegalArgumentException("The tenant has no subscription " + subscriptionId);
            }
            return s;
        }

        EmulatedMachine existingMachine(String machineId) {
            EmulatedMachine m = machine(machineId);
            if (m == null) {
                throw new IllegalArgumentException("The tenant has no machine " + machineId);
            }
            return m;
        }

        /** The VirtualMachines plan that applies to a machine: the subscription's when enforced or not overridden. */
        public EffectivePricing effectivePricing(EmulatedMachine m) {
            EmulatedPricing sub = subscription(m.subscriptionId).pricing("VirtualMachines");
            if (m.resourcePricing != null && !"True".equalsIgnoreCase(sub.enforce)) {
                return new EffectivePricing(m.resourcePricing, false);
            }
            return new EffectivePricing(sub, true);
        }

        private SubscriptionIndex index(EmulatedSubscription s) {
            return indexes.get(s.id.toLowerCase(Locale.ROOT));
        }
    }

    /** Read and write access to the model, and the events of this change; valid only while the write lock is held. */
    public final class Writes extends View {
        private final Changes changes;

        private Writes(Changes changes) {
            this.changes = changes;
        }

        /** The events of this write (an operation's completion correlates them with its request). */
        public Changes changes() {
            checkWrite();
            return changes;
        }

        /** Records an event, published once the write lock is released. */
        public void event(String eventType, String resourceUri, String operationName, String httpMethod) {
            changes().event(eventType, resourceUri, operationName, httpMethod);
        }

        public void addSubscription(EmulatedSubscription s) {
            checkWrite();
            String key = s.id.toLowerCase(Locale.ROOT);
            if (subscriptions.containsKey(key)) {
                throw new IllegalArgumentException("Subscription " + s.id + " appears twice");
            }
            subscriptions.put(key, s);
            indexes.put(key, new SubscriptionIndex());
        }

        /** Adds a machine to its subscription; a machine with the same ID must not exist. */
        public void addMachine(EmulatedMachine m) {
            checkWrite();
            if (machines.containsKey(m.key)) {
                throw new IllegalArgumentException("Machine " + m.id + " appears twice");
            }
            SubscriptionIndex index = indexes.get(m.subscriptionId.toLowerCase(Locale.ROOT));
            if (index == null) {
                throw new IllegalArgumentException("The tenant has no subscription " + m.subscriptionId);
            }
            index.of(m.kind).put(m.key, m);
            index.resourceGroups.add(m.resourceGroup.toLowerCase(Locale.ROOT));
            machines.put(m.key, m);
        }

        /** Adds a machine, replacing one with the same ID; returns whether one was replaced. */
        boolean replaceMachine(EmulatedMachine m) {
            EmulatedMachine existing = machine(m.id);
            if (existing != null) {
                removeMachine(existing);
            }
            addMachine(m);
            return existing != null;
        }

        /** Removes a machine with its extensions; its resource group stays (as an emptied group does in Azure). */
        public void removeMachine(EmulatedMachine m) {
            checkWrite();
            indexes.get(m.subscriptionId.toLowerCase(Locale.ROOT)).of(m.kind).remove(m.key);
            machines.remove(m.key);
        }
    }
}
