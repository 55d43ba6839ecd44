/**
 * What the app tells Azure Monitor: one record per decision ({@link com.mdeonboarding.telemetry.DecisionRecord}), one per
 * sweep ({@link com.mdeonboarding.telemetry.SweepSummary}), emitted by {@link com.mdeonboarding.telemetry.Telemetry} as Log4j 2
 * {@code MapMessage}s, and the per-job log context ({@link com.mdeonboarding.telemetry.LogContext}) as Log4j 2 ThreadContext
 * entries. The Application Insights Java agent (loaded by the Functions Java worker when {@code APPLICATIONINSIGHTS_ENABLE_AGENT}
 * is true) sends both as {@code customDimensions} of a {@code traces} row: MicrosoftDocs/azure-docs
 * articles/azure-monitor/app/opentelemetry-add-modify.md, "Add log attributes" (Java: "Log4j 2 MapMessage (a MapMessage key of
 * "message" is captured as the log message)", "Log4j 2 Thread Context"). Sits just above {@code model}: no I/O but the log call.
 */
package com.mdeonboarding.telemetry;
