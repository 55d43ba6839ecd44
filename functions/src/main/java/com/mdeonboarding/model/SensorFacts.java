package com.mdeonboarding.model;

import java.util.List;
import java.util.Optional;

/** What Defender for Endpoint says about one machine's sensor now: one more input of the decision. */
public sealed interface SensorFacts permits SensorFacts.Off, SensorFacts.NotLooked, SensorFacts.Unavailable, SensorFacts.Seen {

    /** MDE_SENSOR_CHECK=off. */
    record Off() implements SensorFacts {
    }

    /** Not asked: the extension has not succeeded, so the sensor cannot be judged yet. */
    record NotLooked() implements SensorFacts {
    }

    /**
     * The API could not answer for this machine.
     *
     * @param cause     for the operator (the detail of SENSOR_UNVERIFIED); never a token or a body
     * @param retryable a later look may succeed (throttled, no call to spare, a server error); false for a missing
     *                  permission or a machine that cannot be looked up
     */
    record Unavailable(String cause, boolean retryable) implements SensorFacts {
    }

    /**
     * The API answered: the device records joined to this machine by its Azure identifiers (none: not seen).
     */
    record Seen(List<DeviceRecord> records) implements SensorFacts {
        public Seen {
            records = List.copyOf(records);
        }

        /** The record that speaks for the machine: the one seen last. */
        public Optional<DeviceRecord> latest() {
            return records.stream().max(DeviceRecord.SEEN_LAST);
        }
    }

    static SensorFacts off() {
        return new Off();
    }

    static SensorFacts notLooked() {
        return new NotLooked();
    }

    static SensorFacts unavailable(String cause, boolean retryable) {
        return new Unavailable(cause, retryable);
    }

    static SensorFacts seen(List<DeviceRecord> records) {
        return new Seen(records);
    }
}
