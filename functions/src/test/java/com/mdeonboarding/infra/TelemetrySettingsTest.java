package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.testing.RepoPaths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * What decides whether the telemetry reaches Application Insights whole (issue 27, README "Telemetry, workbook and alerts"):
 * the host keeps successful invocations and never samples out requests, exceptions or traces (host.json: the Functions
 * host's "logging" section, MicrosoftDocs/azure-docs articles/azure-functions/functions-host-json.md); the app loads the
 * Application Insights Java agent and lets it sample nothing (infra/main.json app settings:
 * articles/azure-monitor/app/monitor-functions.md, APPLICATIONINSIGHTS_ENABLE_AGENT; java-standalone-config.md, "Sampling",
 * APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE).
 */
class TelemetrySettingsTest {
    private static JsonNode hostJson() {
        return ArmTemplate.readJson(RepoPaths.repoRoot().resolve("host.json"));
    }

    @Test
    void successfulInvocationsAreLoggedSoTheRequestsTableShowsThem() {
        // "Host.Results": "Error" kept only failed invocations out of the requests table's view; the troubleshooting table
        // asks the operator to look at ReconcileMachine invocations, successful ones included.
        assertEquals("Information", hostJson().path("logging").path("logLevel").path("Host.Results").asText());
    }

    @Test
    void adaptiveSamplingNeverDropsRequestsExceptionsOrTraces() {
        JsonNode sampling = hostJson().path("logging").path("applicationInsights").path("samplingSettings");
        List<String> excluded = Arrays.stream(sampling.path("excludedTypes").asText().split(";")).map(String::trim).toList();
        assertTrue(!sampling.path("isEnabled").asBoolean(true) || excluded.containsAll(List.of("Request", "Exception", "Trace")),
                "sampled types would include what a correlation ID search and the alerts need: excluded " + excluded);
    }

    @Test
    void theAgentIsLoadedAndSamplesNothing() {
        ArmTemplate.Resource site = ArmTemplate.load("main.json").resourcesOfType("Microsoft.Web/sites").get(0);
        Map<String, String> settings = StreamSupport.stream(site.properties().path("siteConfig").path("appSettings").spliterator(), false)
                .collect(Collectors.toMap(s -> s.path("name").asText(), s -> s.path("value").asText()));
        assertEquals("true", settings.get("APPLICATIONINSIGHTS_ENABLE_AGENT"), "the Java worker loads the agent");
        assertEquals("100", settings.get("APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE"), "the agent keeps every record");
    }
}
