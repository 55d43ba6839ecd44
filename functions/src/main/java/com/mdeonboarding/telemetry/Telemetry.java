package com.mdeonboarding.telemetry;

import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.message.StringMapMessage;

/**
 * Emits the records Azure Monitor keeps: each is one Log4j 2 {@link StringMapMessage} at INFO on the logger
 * {@value #LOGGER}, whose entries the Application Insights Java agent sends as the {@code customDimensions} of one
 * {@code traces} row, the {@code "message"} entry as its message (MicrosoftDocs/azure-docs
 * articles/azure-monitor/app/opentelemetry-add-modify.md, "Add log attributes", Java; the agent is loaded by the Functions
 * Java worker when the app setting {@code APPLICATIONINSIGHTS_ENABLE_AGENT} is true: articles/azure-monitor/app/monitor-functions.md).
 * The per-job {@link LogContext} (ThreadContext) is added to each by the agent as well. No hand-written exporter: without
 * the agent (the CLI, {@code serve}) the records go where functions/src/main/resources/log4j2.xml sends them: nowhere by
 * default, stderr with {@code -Dmde.telemetry.console=info} (README, "Telemetry").
 */
public final class Telemetry {
    /** The logger the records go through: the workbook and alerts select {@code customDimensions.mdeRecord}, not this name. */
    public static final String LOGGER = "com.mdeonboarding.telemetry";
    /** The customDimensions key saying which record a row is: {@value DecisionRecord#KIND} or {@value SweepSummary#KIND}. */
    public static final String RECORD = "mdeRecord";
    private static final Logger LOG = LogManager.getLogger(LOGGER);

    private Telemetry() {
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
        if (!LOG.isInfoEnabled()) {
            return;
        }
        StringMapMessage m = new StringMapMessage(dimensions.size() + 1);
        m.with("message", message);
        dimensions.forEach(m::with);
        LOG.info(m);
    }
}
