package com.mdeonboarding.emulator;

import com.mdeonboarding.emulator.state.TenantState;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The one way the emulator's tests start an emulator: a started {@link ArmEmulator} and the
 * {@link TestClient} that talks to it, closed together. Use it directly for an emulator inside one
 * test ({@code try (TestEmulator e = TestEmulator.start(b -> b.pageSize(5))) {...}}), or through
 * {@link EmulatorExtension} for one per test or per class.
 */
final class TestEmulator implements AutoCloseable {
    private final ArmEmulator arm;
    private final TestClient client;

    private TestEmulator(ArmEmulator arm) {
        this.arm = arm;
        this.client = new TestClient(arm);
    }

    /**
     * The defaults, then {@code config}: the sample tenant, extension operations that take 150 ms,
     * and no Retry-After on long-running operations (clients poll at their own short interval).
     */
    static TestEmulator start(Consumer<ArmEmulator.Builder> config) {
        ArmEmulator.Builder b = ArmEmulator.builder().sampleTenant()
                .extensionProvisioningDelay(Duration.ofMillis(150)).lroRetryAfterSeconds(-1);
        config.accept(b);
        return new TestEmulator(b.build().start());
    }

    static TestEmulator start() {
        return start(b -> {
        });
    }

    ArmEmulator arm() {
        return arm;
    }

    TestClient client() {
        return client;
    }

    TenantState state() {
        return arm.state();
    }

    @Override
    public void close() {
        arm.close();
    }
}
