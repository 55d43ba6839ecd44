package com.mdeonboarding.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mdeonboarding.emulator.events.EventBus;
import com.mdeonboarding.emulator.state.EmulatedMachine;
import com.mdeonboarding.emulator.state.EmulatorClock;
import com.mdeonboarding.emulator.state.ResourceStore;
import com.mdeonboarding.emulator.state.TenantState;
import com.mdeonboarding.emulator.tenant.Tenant;
import com.mdeonboarding.emulator.tenant.TenantSeeder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The resource model is reachable only under its lock: the code enforces it, not a comment. */
class ResourceStoreTest {
    private static final String VM = Sample.vm("rg-prod-web", "vm-prod-win2022-new");

    @Test
    void aViewKeptPastItsReadFailsInsteadOfRacing() {
        ResourceStore store = TenantSeeder.seed(Tenant.sample(), new EmulatorClock());
        ResourceStore.View leaked = store.read(v -> v);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaked.machine(VM));
        assertTrue(e.getMessage().contains("outside ResourceStore.read/write"), e.getMessage());
        assertThrows(IllegalStateException.class, leaked::subscriptions);
        assertEquals("vm-prod-win2022-new", store.read(v -> v.machine(VM).name), "the same call under the lock works");
    }

    @Test
    void writesKeptPastTheirWriteFailAndAReadLockDoesNotAllowWriting() {
        ResourceStore store = TenantSeeder.seed(Tenant.sample(), new EmulatorClock());
        ResourceStore.Writes leaked = store.write(w -> w);
        EmulatedMachine m = store.read(v -> v.machine(VM));
        assertThrows(IllegalStateException.class, () -> leaked.removeMachine(m));
        assertThrows(IllegalStateException.class, () -> leaked.event("x", VM, "Microsoft.Compute/virtualMachines/write", null));
        // Holding only the read lock (a write nested in a read would deadlock, so hand the Writes in).
        assertThrows(IllegalStateException.class, () -> store.read(v -> {
            leaked.removeMachine(m);
            return null;
        }));
        boolean stillThere = store.read(v -> v.machine(VM) != null);
        assertTrue(stillThere, "nothing was removed");
    }

    @Test
    void aViewHandedToAnotherThreadFailsThere() throws Exception {
        ResourceStore store = TenantSeeder.seed(Tenant.sample(), new EmulatorClock());
        CompletableFuture<Object> other = store.read(v -> CompletableFuture.supplyAsync(() -> v.machine(VM)));
        ExecutionException e = assertThrows(ExecutionException.class, () -> other.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalStateException, e.getCause().toString());
    }

    @Test
    void eventsArePublishedAfterTheWriteLockIsReleased() throws Exception {
        TenantState state = new TenantState(Tenant.sample());
        EventBus bus = new EventBus(state.tenantId(), state.clock());
        state.store().attach(bus);
        AtomicReference<String> seenByOtherThread = new AtomicReference<>();
        bus.addListener(event -> {
            // Another thread can read only if this thread no longer holds the write lock.
            CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> state.store().read(v -> v.machine(VM).powerState));
            try {
                seenByOtherThread.set(read.get(5, TimeUnit.SECONDS));
            } catch (Exception ex) {
                seenByOtherThread.set("blocked: " + ex);
            }
        });
        state.setPowerState(VM, "deallocated");
        assertEquals("deallocated", seenByOtherThread.get());
    }
}
