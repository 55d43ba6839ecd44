package com.mdeonboarding.emulator;

import com.mdeonboarding.emulator.state.TenantState;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestEmulator} managed by JUnit: a fresh one for every test when registered on an
 * instance field, one for the whole class when registered on a static field.
 *
 * <pre>{@code
 * @RegisterExtension
 * final EmulatorExtension emulator = EmulatorExtension.sampleTenant();
 * }</pre>
 */
final class EmulatorExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private final Consumer<ArmEmulator.Builder> config;
    private boolean perClass;
    private TestEmulator current;

    private EmulatorExtension(Consumer<ArmEmulator.Builder> config) {
        this.config = config;
    }

    /** The {@link TestEmulator} defaults (sample tenant, 150 ms operations). */
    static EmulatorExtension sampleTenant() {
        return configured(b -> {
        });
    }

    /** The {@link TestEmulator} defaults, then {@code config}. */
    static EmulatorExtension configured(Consumer<ArmEmulator.Builder> config) {
        return new EmulatorExtension(config);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Called only for an extension on a static field.
        perClass = true;
        current = TestEmulator.start(config);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            current = TestEmulator.start(config);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            close();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    ArmEmulator arm() {
        return started().arm();
    }

    TestClient client() {
        return started().client();
    }

    TenantState state() {
        return started().state();
    }

    private TestEmulator started() {
        if (current == null) {
            throw new IllegalStateException("the emulator runs only while a test runs");
        }
        return current;
    }
}
