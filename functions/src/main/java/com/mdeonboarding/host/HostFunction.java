package com.mdeonboarding.host;

import com.mdeonboarding.app.Services;
import com.mdeonboarding.telemetry.Telemetry;
import java.util.function.Supplier;

/**
 * A Functions entry point: the host creates it with the no-argument constructor (the process-wide graph from the app
 * settings); tests and local hosts hand it their own {@link Services}.
 */
abstract class HostFunction {
    private final Supplier<Services> services;

    protected HostFunction(Supplier<Services> services) {
        this.services = services;
        // Log4j (the telemetry records) starts beside the first invocation's own start-up, not inside it.
        Telemetry.startInBackground();
    }

    protected final Services services() {
        return services.get();
    }
}
