package com.mdeonboarding.telemetry;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.message.StringMapMessage;

/**
 * Emits the records Azure Monitor keeps: each is one Log4j 2 {@link StringMapMessage} at INFO on the logger
 * {@value #LOGGER}, whose entries the Application Insights Java agent sends as the {@code customDimensions} of one
 * {@code traces} row, the {@code "message"} entry as its message (MicrosoftDocs/azure-docs
 * articles/azure-monitor/app/opentelemetry-add-modify.md, "Add log attributes", Java; the agent is loaded by the Functions
 * Java worker when the app setting {@code APPLICATIONINSIGHTS_ENABLE_AGENT} is true: articles/azure-monitor/app/monitor-functions.md).
 * The per-job {@link LogContext} (ThreadContext) is added to each by the agent as well. In the agent's source: its
 * {@code AiConfigCustomizer} (microsoft/ApplicationInsights-Java, agent/agent-tooling) turns on OpenTelemetry's
 * {@code log4j-appender.experimental.capture-map-message-attributes} and {@code capture-context-data-attributes=*}, and
 * that instrumentation (open-telemetry/opentelemetry-java-instrumentation, log4j-appender-2.17) hooks
 * {@code AbstractLogger.log(Level, Marker, String, StackTraceElement, Message, Throwable)}: the record is taken at the Log4j
 * API once the logger's level lets it through, whatever the appenders. No hand-written exporter: without
 * the agent (the CLI, {@code serve}) the records go where functions/src/main/resources/log4j2.xml sends them: nowhere by
 * default, stderr with {@code -Dmde.telemetry.console=info} (README, "Telemetry").
 */
public final class Telemetry {
    /** The logger the records go through: the workbook and alerts select {@code customDimensions.mdeRecord}, not this name. */
    public static final String LOGGER = "com.mdeonboarding.telemetry";
    /** The customDimensions key saying which record a row is: {@value DecisionRecord#KIND} or {@value SweepSummary#KIND}. */
    public static final String RECORD = "mdeRecord";
    private static final AtomicBoolean WARMING = new AtomicBoolean();

    private Telemetry() {
    }

    /** Log4j starts on first use of this holder: about 0.7 s of CPU on a cold JVM (README, "Telemetry, workbook and alerts"). */
    private static final class Holder {
        static final Logger LOG = LogManager.getLogger(LOGGER);
    }

    /**
     * Starts Log4j on a background thread (once per process), so that a Function App's first invocation does not wait for
     * it when it records its first decision: the host's function classes call this when they are created, and Log4j then
     * starts while the app's Azure clients are built and the first machine is read. Safe to call any number of times; a
     * record emitted before the start finishes waits for it (class initialisation), it is never lost.
     */
    public static void startInBackground() {
        if (WARMING.compareAndSet(false, true)) {
            Thread t = new Thread(() -> Holder.LOG.isInfoEnabled(), "telemetry-log4j-start");
            t.setDaemon(true);
            t.start();
        }
    }

    /** One record for one decision (call it once per reconcile that decided). */
    public static void decision(DecisionRecord record) {
        emit(record.message(), record.dimensions());
    }

    /** One record for one finished sweep. */
    public static void sweep(SweepSummary summary) {
        emit(summary.message(), summary.dimensions());
    }

    private static void emit(String message, Map<String, String> dimensions) {
        Logger log = Holder.LOG;
        if (!log.isInfoEnabled()) {
            return;
        }
        StringMapMessage m = new StringMapMessage(dimensions.size() + 1);
        m.with("message", message);
        dimensions.forEach(m::with);
        log.info(m);
    }
}
