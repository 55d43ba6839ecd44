package com.mdeonboarding.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;
import java.util.Map;

/**
 * What one sweep found and did: posture per subscription (drift found and fixed), machine coverage by
 * status and by last decision / reason code, jobs queued, duration and Resource Manager calls, and the machines whose
 * extension Succeeded by what their Defender for Endpoint sensor says ({@code sensor}). Its JSON is flat (the
 * parts are unwrapped): that document is what the CLI prints, {@code GET /api/posture} answers and the reports table holds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepReport(
        @JsonUnwrapped Run run,
        @JsonUnwrapped Totals totals,
        Calls calls,
        List<SubscriptionReport> subscriptions,
        List<String> errors,
        List<String> machinesNeedingWork,
        @JsonUnwrapped Sections sections) {

    /** A report without the rollout section and the estate counted at its end (a dry run, or one stored before they existed). */
    public SweepReport(Run run, Totals totals, Calls calls, List<SubscriptionReport> subscriptions, List<String> errors,
                       List<String> machinesNeedingWork, SensorTotals sensor) {
        this(run, totals, calls, subscriptions, errors, machinesNeedingWork, new Sections(sensor, null, null));
    }

    /** A report without the sensor section (a sweep that did not look at sensors, or one stored before they existed). */
    public SweepReport(Run run, Totals totals, Calls calls, List<SubscriptionReport> subscriptions, List<String> errors,
                       List<String> machinesNeedingWork) {
        this(run, totals, calls, subscriptions, errors, machinesNeedingWork, (SensorTotals) null);
    }

    /**
     * The report's optional sections, each absent from the JSON when null.
     *
     * @param sensor  the sensors of machines whose extension Succeeded (null: not looked at)
     * @param rollout the rollout as this sweep sees it (null: a report stored before it existed)
     * @param estate  every machine in scope by standing, counted at its end (null: a dry run, or stored before it existed)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sections(SensorTotals sensor, Rollout rollout, EstateView estate) {
    }

    /**
     * Every machine in scope by where it stands, counted when the sweep ended from the state rows as they were then (its own
     * reconciles included where the command line ran them) and, for machines with no row, from what the sweep saw: the
     * numbers the dashboard, {@code GET /api/machines} and {@code list} count the same way from the rows of now.
     *
     * @param asOf      when they were counted
     * @param machines  machines in scope
     * @param standings by standing (PROTECTED, UNVERIFIED, PENDING, BLOCKED, SKIPPED): they add up to {@code machines}
     * @param decisions machines with a recorded decision, by decision
     * @param reasons   machines with a recorded decision, by reason code (a machine may have several)
     */
    public record EstateView(String asOf, long machines, Map<String, Long> standings, Map<String, Long> decisions,
                             Map<String, Long> reasons) {
        public static EstateView of(java.time.Instant asOf, com.mdeonboarding.decide.Estate.Counts c) {
            Map<String, Long> standings = new java.util.LinkedHashMap<>();
            for (com.mdeonboarding.decide.Estate.Standing st : com.mdeonboarding.decide.Estate.Standing.values()) {
                standings.put(st.name(), c.standing(st));
            }
            Map<String, Long> decisions = new java.util.TreeMap<>();
            c.decisions().forEach((k, v) -> decisions.put(k.name(), v));
            Map<String, Long> reasons = new java.util.TreeMap<>();
            c.reasons().forEach((k, v) -> reasons.put(k.name(), v));
            return new EstateView(asOf.toString(), c.machines(), standings, decisions, reasons);
        }
    }

    /** Which sweep, when, and how it ran. */
    public record Run(String sweepId, String startedAt, String finishedAt, long durationMillis, String mode, boolean dryRun) {
    }

    /**
     * What it counted: machines by coverage in the decision vocabulary (ONBOARDED, PENDING, DEPLOY, BLOCKED, SKIPPED; after
     * the sweep's own fixes, and after its reconciles where the command line ran them inline), by the decision and reason
     * code recorded before this sweep, the jobs it put on the jobs queue,
     * and the machines the command line reconciled itself (its jobs are not queued; only the verify jobs of machines
     * still provisioning when its wait ended are).
     */
    public record Totals(int subscriptionsInScope, long machines, Map<String, Long> coverage, Map<String, Long> lastDecisions,
                         Map<String, Long> lastReasons, long jobsQueued, long reconciledInline) {
    }

    /**
     * The machines whose MDE extension Succeeded, by what their Defender for Endpoint sensor says: the headline is
     * {@code protected} (sensor Active) next to {@code extensionSucceeded}.
     *
     * @param checked            the device list was read (false: {@code cause} says why not; health then counts UNVERIFIED)
     * @param cause              why the sensors were not checked, or null
     * @param extensionSucceeded machines whose MDE extension Succeeded, excluded machines and those given a job for another reason left out
     * @param protectedMachines  of those, the ones whose device is onboarded and Active
     * @param health             of those, by the health of the device record seen last (NOT_ONBOARDED: a record that is
     *                           not onboarded, e.g. CanBeOnboarded; NOT_SEEN: no record names the machine's resource ID)
     * @param jobsQueued         jobs for machines whose sensor health changed since their last look
     * @param jobsDeferred       such machines left for the next sweep (at most 500 jobs per sweep)
     * @param devices            the device list this sweep read
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SensorTotals(boolean checked, String cause, long extensionSucceeded, @JsonProperty("protected") long protectedMachines,
                               Map<String, Long> health, long jobsQueued, long jobsDeferred, DeviceListing devices) {
    }

    /**
     * @param records           device records listed
     * @param withoutResourceId records without {@code vmMetadata.resourceId} (not joined by the sweep)
     * @param notOnboarded      records whose onboardingStatus is not Onboarded
     * @param defenderApiCalls  Defender for Endpoint API requests made (every retry counts)
     */
    public record DeviceListing(long records, long withoutResourceId, long notOnboarded, long defenderApiCalls) {
    }

    /**
     * The rollout as this sweep sees it: how far the app may act, on which machines, what the plan costs now and after,
     * what it would do in a higher mode, and the excluded machines' resource-level pricing.
     *
     * @param canary         the canary scope in words (MDE_SCOPE_*)
     * @param planEnablement MDE_PLAN_ENABLEMENT
     * @param billing        Defender for Servers list cost before and after this sweep
     * @param would          what was held back, as "would ..." sentences (observe, onboard, a dry run, or a plan held by
     *                       MDE_PLAN_ENABLEMENT); empty when nothing was
     * @param exclusions     excluded machines under an enabled integration and their resource-level pricing
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rollout(String canary, String planEnablement, Billing billing, List<String> would, Exclusions exclusions) {
    }

    /**
     * @param serversBefore servers in subscriptions on Standard before this sweep
     * @param monthlyBefore their list cost a month (servers x price per server and month)
     * @param serversAfter  the same after this sweep's changes (in observe, onboard or a dry run: as before)
     * @param monthlyAfter  their list cost a month
     * @param line          the same in one sentence, e.g. "Defender for Servers: 1,200 servers, $6,000 a month before; ..."
     */
    public record Billing(long serversBefore, double monthlyBefore, long serversAfter, double monthlyAfter, String line) {
        /** An estimate in whole cents (a JSON number reads back the same whether it was written or parsed). */
        public Billing(long serversBefore, java.math.BigDecimal monthlyBefore, long serversAfter, java.math.BigDecimal monthlyAfter,
                       String line) {
            this(serversBefore, monthlyBefore.setScale(2, java.math.RoundingMode.HALF_UP).doubleValue(), serversAfter,
                    monthlyAfter.setScale(2, java.math.RoundingMode.HALF_UP).doubleValue(), line);
        }
    }

    /**
     * Machines excluded by tag in subscriptions where the Defender for Endpoint integration is on (there Defender for
     * Cloud's own provisioning would still deploy MDE to them unless they have resource-level pricing Free).
     *
     * @param excluded            such machines seen by this sweep
     * @param freeSet             given resource-level pricing Free by this sweep (enforce mode)
     * @param freeHeld            Free set by this app on an earlier sweep, left as it is
     * @param freeBySomeoneElse   Free at resource level already, set by someone else (left alone, never removed by this app)
     * @param freeRemoved         our own Free removed because the machine is no longer excluded (DELETE: it inherits again)
     * @param stillDeployedByDefenderForCloud excluded machines Defender for Cloud will still deploy MDE to unless they have
     *                                        resource-level pricing Free (not enforce mode, where no pricing is read)
     */
    public record Exclusions(long excluded, long freeSet, long freeHeld, long freeBySomeoneElse, long freeRemoved,
                             long stillDeployedByDefenderForCloud) {
    }

    /** Resource Manager requests made by this sweep (every retry counts), split by kind. */
    public record Calls(long total, long reads, long writes, long resourceGraphRequests, long settingsReads) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SubscriptionReport(
            String subscriptionId,
            @JsonUnwrapped PlanView plan,
            @JsonUnwrapped SettingsView settings,
            List<String> drift,
            List<String> fixed,
            @JsonUnwrapped MachineCounts counts,
            List<String> would,
            @JsonUnwrapped Listing listing) {

        public SubscriptionReport(String subscriptionId, PlanView plan, SettingsView settings, List<String> drift, List<String> fixed,
                                  MachineCounts counts) {
            this(subscriptionId, plan, settings, drift, fixed, counts, null, null);
        }

        /**
         * How the dashboard lists it, as the sweep ended.
         *
         * @param displayName the subscription's display name, as the subscription list answered it
         * @param standings   its machines by standing (see {@link EstateView})
         */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public record Listing(String displayName, Map<String, Long> standings) {
        }

        public String displayName() {
            return listing == null ? null : listing.displayName();
        }

        public Map<String, Long> standings() {
            return listing == null ? null : listing.standings();
        }

        public SubscriptionReport withCounts(MachineCounts c) {
            return new SubscriptionReport(subscriptionId, plan, settings, drift, fixed, c, would, listing);
        }

        /** What it would do in a higher mode ("would ..." sentences). */
        public SubscriptionReport withWould(List<String> w) {
            return new SubscriptionReport(subscriptionId, plan, settings, drift, fixed, counts, w, listing);
        }

        /** Its machines by standing (see {@link EstateView}), counted when the sweep ended. */
        public SubscriptionReport withStandings(Map<String, Long> s) {
            return new SubscriptionReport(subscriptionId, plan, settings, drift, fixed, counts, would, new Listing(displayName(), s));
        }

        /** The subscription's display name, as the subscription list answered it. */
        public SubscriptionReport withDisplayName(String name) {
            return new SubscriptionReport(subscriptionId, plan, settings, drift, fixed, counts, would, new Listing(name, standings()));
        }

        static SubscriptionReport fromJson(JsonNode n) throws JsonProcessingException {
            return new SubscriptionReport(n.path("subscriptionId").asText(), PARTS.treeToValue(n, PlanView.class),
                    PARTS.treeToValue(n, SettingsView.class), PARTS.treeToValue(n.path("drift"), STRINGS),
                    PARTS.treeToValue(n.path("fixed"), STRINGS), PARTS.treeToValue(n, MachineCounts.class),
                    n.has("would") ? PARTS.treeToValue(n.path("would"), STRINGS) : null,
                    n.hasNonNull("displayName") || n.hasNonNull("standings") ? new Listing(
                            n.hasNonNull("displayName") ? n.path("displayName").asText() : null,
                            n.hasNonNull("standings") ? PARTS.treeToValue(n.path("standings"), LONGS) : null) : null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PlanView(String pricingTier, String subPlan, String enforce) {
    }

    /** Empty values: the setting does not exist; all empty with no {@code settingsReadAt}: not read. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SettingsView(Boolean wdatp, Boolean unifiedSolution, Boolean excludeLinux, String settingsReadAt) {
    }

    public record MachineCounts(long machines, long machinesNeedingJob) {
    }

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    /** Reads each part out of the flat document: every part ignores the others' fields. */
    private static final ObjectMapper PARTS = JSON.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final com.fasterxml.jackson.databind.JavaType STRINGS =
            JSON.getTypeFactory().constructCollectionType(List.class, String.class);
    private static final com.fasterxml.jackson.databind.JavaType LONGS =
            JSON.getTypeFactory().constructMapType(java.util.LinkedHashMap.class, String.class, Long.class);

    public String sweepId() {
        return run.sweepId();
    }

    public String mode() {
        return run.mode();
    }

    public boolean dryRun() {
        return run.dryRun();
    }

    public long machines() {
        return totals.machines();
    }

    public Map<String, Long> coverage() {
        return totals.coverage();
    }

    public long jobsQueued() {
        return totals.jobsQueued();
    }

    /** The same report with other subscription rows (a stored summary has none; a read report gets them back). */
    public SweepReport withSubscriptions(List<SubscriptionReport> subs) {
        return new SweepReport(run, totals, calls, subs, errors, machinesNeedingWork, sections);
    }

    public SweepReport withErrors(List<String> e) {
        return new SweepReport(run, totals, calls, subscriptions, e, machinesNeedingWork, sections);
    }

    public SweepReport withoutMachineList() {
        return new SweepReport(run, totals, calls, subscriptions, errors, null, sections);
    }

    /** The same report with the estate counted at its end. */
    public SweepReport withEstate(EstateView e) {
        return new SweepReport(run, totals, calls, subscriptions, errors, machinesNeedingWork, new Sections(sensor(), rollout(), e));
    }

    /** The same report with the rollout section. */
    public SweepReport withRollout(Rollout r) {
        return new SweepReport(run, totals, calls, subscriptions, errors, machinesNeedingWork, new Sections(sensor(), r, estate()));
    }

    /** The sensors of machines whose extension Succeeded, or null. */
    public SensorTotals sensor() {
        return sections == null ? null : sections.sensor();
    }

    /** The rollout section, or null (a report stored before it existed). */
    public Rollout rollout() {
        return sections == null ? null : sections.rollout();
    }

    /** Every machine in scope by standing as the sweep ended, or null. */
    public EstateView estate() {
        return sections == null ? null : sections.estate();
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SweepReport fromJson(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a sweep report: not a JSON object");
            }
            List<SubscriptionReport> subs = new java.util.ArrayList<>();
            for (JsonNode s : n.path("subscriptions")) {
                subs.add(SubscriptionReport.fromJson(s));
            }
            return new SweepReport(PARTS.treeToValue(n, Run.class), PARTS.treeToValue(n, Totals.class),
                    PARTS.treeToValue(n.path("calls"), Calls.class), subs, PARTS.treeToValue(n.path("errors"), STRINGS),
                    n.has("machinesNeedingWork") ? PARTS.treeToValue(n.path("machinesNeedingWork"), STRINGS) : null,
                    new Sections(n.hasNonNull("sensor") ? PARTS.treeToValue(n.path("sensor"), SensorTotals.class) : null,
                            n.hasNonNull("rollout") ? PARTS.treeToValue(n.path("rollout"), Rollout.class) : null,
                            n.hasNonNull("estate") ? PARTS.treeToValue(n.path("estate"), EstateView.class) : null));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a sweep report: " + e.getOriginalMessage());
        }
    }

    static SubscriptionReport subscriptionFromJson(String json) throws JsonProcessingException {
        return SubscriptionReport.fromJson(JSON.readTree(json));
    }

    /** One line for the log. */
    public String summary() {
        return "sweep " + run.sweepId() + " (" + run.mode() + (run.dryRun() ? ", dry run" : "") + "): " + totals.subscriptionsInScope()
                + " subscriptions, " + totals.machines() + " machines " + totals.coverage()
                + (sensor() == null ? "" : ", " + sensor().protectedMachines() + " protected (sensor Active) of " + sensor().extensionSucceeded()
                        + " with the extension Succeeded" + (sensor().checked() ? "" : " (sensors not checked)"))
                + ", " + (totals.reconciledInline() > 0 ? totals.reconciledInline() + " machines reconciled inline, " : "") + totals.jobsQueued()
                + " jobs queued, drift fixed in " + subscriptions.stream().filter(s -> !s.fixed().isEmpty()).count() + " subscriptions, "
                + calls.total() + " Resource Manager calls, " + run.durationMillis() + " ms"
                + (errors.isEmpty() ? "" : ", " + errors.size() + " errors")
                + (rollout() == null || rollout().billing() == null ? "" : "; " + rollout().billing().line());
    }

}
