package com.mdeonboarding.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mdeonboarding.model.Decision;
import com.mdeonboarding.model.DecisionKind;
import com.mdeonboarding.model.JobSource;
import com.mdeonboarding.model.MachineId;
import com.mdeonboarding.model.OnboardingJob;
import com.mdeonboarding.model.ReasonCode;
import com.mdeonboarding.telemetry.DecisionRecord;
import com.mdeonboarding.telemetry.SweepSummary;
import com.mdeonboarding.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * infra/monitoring.json against what Azure accepts and what the app emits: the alert rules have the shape of the
 * published scheduled query rule (Azure/azure-rest-api-specs specification/monitor/resource-manager/Microsoft.Insights/
 * preview/2023-03-15-preview/scheduledQueryRule_API.json and its example createOrUpdateScheduledQueryRule.json), every
 * {@code customDimensions.X} a query reads is a dimension the telemetry records carry (the Kusto check cannot see inside
 * a dynamic column), and every alert has its runbook line in the README. (KustoQueriesCheckTest parses and binds the
 * queries themselves.)
 */
class MonitoringTemplateTest {
    private static final String FILE = "monitoring.json";
    /** ScheduledQueryRuleProperties in the 2023-03-15-preview spec, read-only ones left out. */
    private static final Set<String> RULE_PROPERTIES = Set.of("description", "displayName", "severity", "enabled",
            "publicNetworkAccess", "scopes", "evaluationFrequency", "windowSize", "overrideQueryTimeRange", "targetResourceTypes",
            "criteria", "muteActionsDuration", "actions", "checkWorkspaceAlertsStorageConfigured", "skipQueryValidation",
            "autoMitigate", "ruleResolveConfiguration");
    /** Condition in the same spec. */
    private static final Set<String> CONDITION_PROPERTIES = Set.of("query", "timeAggregation", "metricMeasureColumn",
            "resourceIdColumn", "dimensions", "operator", "threshold", "failingPeriods", "metricName");
    private static final Set<String> TIME_AGGREGATIONS = Set.of("Count", "Average", "Minimum", "Maximum", "Total");
    private static final Set<String> OPERATORS = Set.of("Equals", "GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual");
    /** ISO 8601 durations the rules use: minutes or hours, or whole days up to the 2 days a log alert may look back. */
    private static final Pattern DURATION = Pattern.compile("^(PT\\d+[MH]|P[12]D)$");
    private static final Pattern DIMENSION = Pattern.compile("customDimensions\\.(\\w+)");
    private static final Pattern KUSTO_BLOCK = Pattern.compile("(?ms)^```kusto\\n(.*?)^```");

    private static List<ArmTemplate.Resource> rules() {
        return ArmTemplate.load(FILE).resourcesOfType("Microsoft.Insights/scheduledQueryRules");
    }

    /** Every query the app ships for Azure Monitor: the workbook's, the alert rules', the README's examples. */
    private static List<String> queries() throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode item : workbook().path("items")) {
            if (item.path("content").has("query")) {
                out.add(item.path("content").path("query").asText());
            }
        }
        for (ArmTemplate.Resource r : rules()) {
            r.properties().path("criteria").path("allOf").forEach(c -> out.add(c.path("query").asText()));
        }
        Matcher m = KUSTO_BLOCK.matcher(Files.readString(RepoPaths.repoRoot().resolve("README.md")));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The workbook as deployed: serializedData is string(variables('workbook')). */
    private static JsonNode workbook() {
        ArmTemplate.Resource wb = ArmTemplate.load(FILE).resourcesOfType("Microsoft.Insights/workbooks").get(0);
        try {
            return ArmTemplate.JSON.readTree(wb.eval(wb.properties().path("serializedData").asText()).asText());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void alertRulesHaveThePublishedShape() {
        List<ArmTemplate.Resource> rules = rules();
        assertEquals(6, rules.size(), "poison, sweep failed, sweep missed, permission, ratio drop, blocked");
        for (ArmTemplate.Resource r : rules) {
            assertEquals("2023-03-15-preview", r.apiVersion(), r.where());
            JsonNode p = r.properties();
            Set<String> keys = new TreeSet<>();
            p.fieldNames().forEachRemaining(keys::add);
            assertTrue(RULE_PROPERTIES.containsAll(keys), r.where() + ": not in the spec: " + keys);
            assertTrue(keys.containsAll(Set.of("enabled", "criteria", "scopes", "severity", "evaluationFrequency", "windowSize")),
                    r.where() + ": required for a log alert: " + keys);
            int severity = p.path("severity").asInt(-1);
            assertTrue(severity >= 0 && severity <= 4, r.where() + ": severity 0..4");
            assertTrue(DURATION.matcher(p.path("evaluationFrequency").asText()).matches(), r.where());
            assertTrue(DURATION.matcher(p.path("windowSize").asText()).matches(), r.where());
            assertEquals("[variables('appInsightsId')]", p.path("scopes").path(0).asText(), r.where() + ": on the app's Application Insights");
            assertTrue(p.path("actions").path("actionGroups").path(0).asText().contains("variables('actionGroupName')"), r.where());
            for (JsonNode c : p.path("criteria").path("allOf")) {
                Set<String> ck = new TreeSet<>();
                c.fieldNames().forEachRemaining(ck::add);
                assertTrue(CONDITION_PROPERTIES.containsAll(ck), r.where() + ": condition keys not in the spec: " + ck);
                assertTrue(TIME_AGGREGATIONS.contains(c.path("timeAggregation").asText()), r.where());
                assertTrue(OPERATORS.contains(c.path("operator").asText()), r.where());
                // threshold is a number in the spec: a literal, or an expression giving one (an int parameter, json()).
                JsonNode t = c.path("threshold");
                assertTrue(t.isNumber() || t.asText().matches("\\[(parameters\\('\\w+'\\)|json\\(parameters\\('\\w+'\\)\\))]"),
                        r.where() + ": threshold " + t);
                if (t.isTextual()) {
                    String param = t.asText().replaceAll(".*parameters\\('(\\w+)'\\).*", "$1");
                    String type = ArmTemplate.load(FILE).root.path("parameters").path(param).path("type").asText();
                    assertTrue(type.equals("int") || t.asText().startsWith("[json("), r.where() + ": " + param + " is " + type);
                }
                if (!"Count".equals(c.path("timeAggregation").asText())) {
                    String column = c.path("metricMeasureColumn").asText();
                    assertFalse(column.isEmpty(), r.where() + ": a measure needs its column");
                    assertTrue(c.path("query").asText().contains(column + " = "), r.where() + ": the query computes " + column);
                }
            }
        }
    }

    @Test
    void everyDimensionAQueryReadsIsOneTheRecordsCarry() throws IOException {
        MachineId id = MachineId.parse("/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/"
                + "Microsoft.Compute/virtualMachines/vm");
        Set<String> emitted = new HashSet<>(new DecisionRecord(OnboardingJob.create(id, JobSource.EVENT, Instant.EPOCH),
                Decision.of(DecisionKind.ONBOARDED, ReasonCode.EXTENSION_HEALTHY), Optional.of("Windows"), Optional.of("Active"),
                Duration.ZERO, 0, false).dimensions().keySet());
        emitted.addAll(new SweepSummary("s", "onboard", false, 0, new SweepSummary.Counts(0, 0, Map.of(), 0, 0, 0, 0, 0),
                new SweepSummary.Sensors(0, 0, true, false), List.of()).dimensions().keySet());
        Set<String> read = new TreeSet<>();
        for (String q : queries()) {
            Matcher m = DIMENSION.matcher(q);
            while (m.find()) {
                read.add(m.group(1));
            }
        }
        assertTrue(read.size() >= 15, "the queries read the records: " + read);
        read.removeAll(emitted);
        assertEquals(Set.of(), read, "dimensions read by a shipped query but carried by no record");
    }

    @Test
    void everyAlertHasItsRunbookLineAndTheWorkbookItsPanels() throws IOException {
        String readme = Files.readString(RepoPaths.repoRoot().resolve("README.md"));
        for (ArmTemplate.Resource r : rules()) {
            String display = r.properties().path("displayName").asText();
            Matcher m = Pattern.compile("format\\('\\{0}: (.*?)', parameters").matcher(display); // [format('{0}: Title', ...)]
            assertTrue(m.find(), display);
            String title = m.group(1);
            assertTrue(readme.contains("| alert **" + title + "**"), "README troubleshooting row for '" + title + "'");
        }
        List<String> panels = new ArrayList<>();
        workbook().path("items").forEach(i -> panels.add(i.path("name").asText()));
        assertEquals(List.of("intro", "state-over-time", "time-to-protected", "blocked-by-reason", "coverage-by-subscription", "drift",
                "throttling-and-errors"), panels);
    }
}
