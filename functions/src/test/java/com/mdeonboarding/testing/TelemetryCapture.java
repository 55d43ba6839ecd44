package com.mdeonboarding.testing;

import com.mdeonboarding.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.message.MapMessage;

/**
 * The telemetry records as the Application Insights Java agent sees them: a real Log4j 2 appender on the records' logger
 * config receives each event, and a record is what the agent would send as {@code customDimensions}: the MapMessage's
 * entries plus the event's ThreadContext (context data). Not a parse of text.
 */
public final class TelemetryCapture extends AbstractAppender implements AutoCloseable {
    /** One captured record: its message, its map entries and its context data. */
    public record Captured(String message, Map<String, String> dimensions, Map<String, String> context, String thread,
                           java.time.Instant timestamp) {
        public String get(String key) {
            return dimensions.get(key);
        }
    }

    private final List<Captured> records = Collections.synchronizedList(new ArrayList<>());
    private final LoggerConfig config;

    private TelemetryCapture() {
        super("telemetry-capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        config = ctx.getConfiguration().getLoggerConfig(Telemetry.LOGGER);
        start();
        config.addAppender(this, Level.INFO, null);
        ctx.updateLoggers();
    }

    public static TelemetryCapture open() {
        return new TelemetryCapture();
    }

    @Override
    public void append(LogEvent event) {
        if (event.getMessage() instanceof MapMessage<?, ?> m) {
            Map<String, String> d = new LinkedHashMap<>(m.getData().size());
            m.getData().forEach((k, v) -> d.put(k, String.valueOf(v)));
            String message = d.remove("message");
            records.add(new Captured(message, d, event.getContextData().toMap(), event.getThreadName(),
                    java.time.Instant.ofEpochMilli(event.getTimeMillis())));
        }
    }

    public List<Captured> records(String kind) {
        synchronized (records) {
            return records.stream().filter(r -> kind.equals(r.get(Telemetry.RECORD))).toList();
        }
    }

    @Override
    public void close() {
        config.removeAppender(getName());
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        stop();
    }
}
