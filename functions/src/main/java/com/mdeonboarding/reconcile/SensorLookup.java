package com.mdeonboarding.reconcile;

import com.mdeonboarding.azure.DefenderApiException;
import com.mdeonboarding.azure.DefenderEndpoint;
import com.mdeonboarding.decide.SensorMatch;
import com.mdeonboarding.model.MachineFacts;
import com.mdeonboarding.model.SensorFacts;
import java.util.Optional;

/**
 * Asks Defender for Endpoint about one machine's sensor: one API call per look (the records named like the machine,
 * joined by its Azure identifiers), or none when the check is off. What the API cannot answer becomes
 * {@link SensorFacts.Unavailable} with the cause, so the extension's verdict stands with SENSOR_UNVERIFIED.
 */
public final class SensorLookup {
    private final Optional<DefenderEndpoint> api;

    private SensorLookup(Optional<DefenderEndpoint> api) {
        this.api = api;
    }

    /** MDE_SENSOR_CHECK=on. */
    public static SensorLookup on(DefenderEndpoint api) {
        return new SensorLookup(Optional.of(api));
    }

    /** MDE_SENSOR_CHECK=off: no call, and every onboarded machine says so. */
    public static SensorLookup off() {
        return new SensorLookup(Optional.empty());
    }

    public SensorFacts lookup(MachineFacts facts) {
        if (api.isEmpty()) {
            return SensorFacts.off();
        }
        Optional<String> host = facts.sensorKeys().hostName().filter(h -> !SensorMatch.shortName(h).isEmpty());
        if (host.isEmpty()) {
            return SensorFacts.unavailable("Azure reports no host name for this machine (the guest agent has not sent it), so its"
                    + " Defender for Endpoint device cannot be looked up", true);
        }
        try {
            return SensorMatch.lookedUp(facts.id(), facts.sensorKeys(), api.get().devicesNamed(host.get()));
        } catch (DefenderApiException e) {
            return SensorFacts.unavailable(e.getMessage(), e.retryable());
        }
    }
}
