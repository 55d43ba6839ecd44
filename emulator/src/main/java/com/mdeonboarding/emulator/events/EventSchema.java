package com.mdeonboarding.emulator.events;

/** How resource events are shaped when delivered. */
public enum EventSchema {
    /** Event Grid schema (eventType, subject, eventTime, data, dataVersion, metadataVersion, topic). */
    EVENT_GRID,
    /** CloudEvents 1.0 (specversion, type, source, subject, time, data). */
    CLOUD_EVENTS;

    public static EventSchema parse(String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "")) {
            case "eventgrid", "eventgridschema" -> EVENT_GRID;
            case "cloudevents", "cloudeventschema", "cloudeventschemav10", "cloudevents10" -> CLOUD_EVENTS;
            default -> throw new IllegalArgumentException("event schema must be eventgrid or cloudevents, not '" + value + "'");
        };
    }
}
