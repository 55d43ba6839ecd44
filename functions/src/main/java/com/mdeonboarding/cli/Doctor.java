package com.mdeonboarding.cli;

import com.mdeonboarding.azure.ArmException;
import com.mdeonboarding.azure.AzureClients;
import com.mdeonboarding.azure.DefenderApiProbe;
import com.mdeonboarding.azure.SignInException;
import com.mdeonboarding.config.Scope;
import com.mdeonboarding.config.Settings;
import com.mdeonboarding.config.SettingsException;
import com.mdeonboarding.decide.AccessRules;
import com.mdeonboarding.decide.EventWiringRules;
import com.mdeonboarding.sweep.EventWiring;
import com.mdeonboarding.decide.Verdict;
import com.mdeonboarding.storage.StorageClients;
import com.mdeonboarding.storage.StorageUnavailableException;
import com.mdeonboarding.model.IntegrationSetting;
import com.mdeonboarding.model.SubscriptionPosture;
import com.mdeonboarding.model.SystemTopic;
import com.mdeonboarding.model.Text;
import com.mdeonboarding.model.TopicSubscription;
import com.mdeonboarding.sweep.SweepRequestQueue;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The checklist behind {@code mde-onboarding doctor}: settings, Storage, sign-in, scope, and per subscription in scope
 * its posture, the role actions this identity holds there (Resource Manager's permissions API) and its Event Grid
 * wiring; the Defender for Endpoint API when the sensor check is on. Each check is one line: pass, warn or fail, with
 * the fix. Checks read only (Storage's queues and tables are created if missing, as the app does at start).
 */
final class Doctor {
    /** Subscriptions checked one by one at most; more are counted and named in a warning. */
    static final int SUBSCRIPTION_LIMIT = 25;

    /** One line of the checklist. */
    record Line(String check, Verdict verdict) {
    }

    private final Map<String, String> env;
    private final List<String> onlySubscriptions;
    private final Clock clock;
    private final boolean fix;
    private final List<Line> lines = new ArrayList<>();

    Doctor(Map<String, String> env, List<String> onlySubscriptions, Clock clock) {
        this(env, onlySubscriptions, clock, false);
    }

    /** {@code fix}: also write the event wiring that is missing (the sweep's wiring step, as {@code wire --enforce}). */
    Doctor(Map<String, String> env, List<String> onlySubscriptions, Clock clock, boolean fix) {
        this.env = env;
        this.onlySubscriptions = onlySubscriptions;
        this.clock = clock;
        this.fix = fix;
    }

    List<Line> run() {
        Settings settings;
        try {
            settings = Settings.from(env);
        } catch (SettingsException e) {
            add("settings", Verdict.fail(e.getMessage(), "set it as the README's Configuration table says; the other checks need"
                    + " valid settings"));
            return lines;
        }
        add("settings", settings.warnings().isEmpty() ? Verdict.pass(describe(settings))
                : Verdict.warn(describe(settings) + "; " + String.join(" ", settings.warnings()), "set " + Settings.MODE
                        + " and remove " + Settings.REMEDIATION_MODE));
        add("rollout", rollout(settings));
        AzureClients azure = new AzureClients(settings, clock);
        StorageClients storage = new StorageClients(settings.storage(), azure::credential);
        String jobs = settings.jobsQueue();
        check("storage: queues", () -> {
            for (String q : List.of(jobs, jobs + "-poison", jobs + SweepRequestQueue.SUFFIX)) {
                storage.queue(q).getProperties();
            }
            return Verdict.pass(jobs + ", " + jobs + "-poison, " + jobs + SweepRequestQueue.SUFFIX + " at "
                    + settings.storage().queueEndpoint());
        });
        check("storage: tables", () -> {
            for (String t : List.of(settings.stateTable(), settings.historyTable(), settings.reportsTable())) {
                storage.table(t).getTableName();
            }
            return Verdict.pass(settings.stateTable() + ", " + settings.historyTable() + ", " + settings.reportsTable() + " at "
                    + settings.storage().tableEndpoint());
        });

        List<String> visible = new ArrayList<>();
        boolean signedIn = check("sign-in", () -> {
            visible.addAll(azure.subscriptions().enabledSubscriptions());
            return Verdict.pass("signed in to Resource Manager (" + settings.resourceManagerUrl() + ")" + (settings.usesLocalEmulator()
                    ? " with the emulator's development token" : "") + "; " + visible.size() + " enabled subscription(s) visible");
        });
        if (signedIn) {
            List<String> subscriptions = scope(settings, azure, visible);
            boolean wiring = settings.eventWiring().functionAppId().isPresent() && settings.eventWiring().location().isPresent();
            for (String sub : subscriptions.subList(0, Math.min(SUBSCRIPTION_LIMIT, subscriptions.size()))) {
                subscription(settings, azure, sub, !wiring);
            }
            if (wiring && !subscriptions.isEmpty()) {
                eventWiring(settings, azure, subscriptions);
            }
            if (subscriptions.size() > SUBSCRIPTION_LIMIT) {
                add("subscriptions", Verdict.warn((subscriptions.size() - SUBSCRIPTION_LIMIT) + " more subscription(s) in scope were not"
                        + " checked one by one", "check them with 'doctor --subscription ID' (repeatable)"));
            }
        }
        if (settings.sensorCheckEnabled()) {
            check("defender for endpoint api", () -> defenderApi(azure.defenderApi()));
        }
        return lines;
    }

    private List<String> scope(Settings settings, AzureClients azure, List<String> visible) {
        List<String> in = new ArrayList<>();
        check("scope", () -> {
            Supplier<Set<String>> group = () -> azure.managementGroups().subscriptionsUnder(settings.scopeManagementGroup().orElseThrow());
            Scope scope = Scope.from(settings, group);
            Set<String> candidates = new TreeSet<>(scope.isExplicitList() ? scope.explicitSubscriptions()
                    : settings.scopeManagementGroup().isPresent() ? group.get() : Set.copyOf(visible));
            if (!onlySubscriptions.isEmpty()) {
                candidates.retainAll(onlySubscriptions);
            }
            candidates.stream().filter(scope::contains).forEach(in::add);
            String where = scope.isExplicitList() ? Settings.SCOPE_SUBSCRIPTIONS : settings.scopeManagementGroup().isPresent()
                    ? Settings.SCOPE_MANAGEMENT_GROUP + " " + settings.scopeManagementGroup().get() : "every subscription visible";
            if (in.isEmpty()) {
                return Verdict.fail("no subscription in scope (" + where + ", minus " + Settings.SCOPE_EXCLUDE_SUBSCRIPTIONS + ")",
                        "set " + Settings.SCOPE_SUBSCRIPTIONS + " or " + Settings.SCOPE_MANAGEMENT_GROUP + ", and give the identity the"
                        + " reconciler role there");
            }
            List<String> unseen = in.stream().filter(s -> !visible.contains(s)).toList();
            if (!unseen.isEmpty()) {
                return Verdict.fail(unseen.size() + " of " + in.size() + " subscription(s) in scope are not visible to this identity: "
                        + String.join(", ", unseen), "check the IDs and that the subscriptions are enabled; Resource Manager lists only"
                        + " the subscriptions where the identity holds a role (assign the reconciler role there)");
            }
            return Verdict.pass(in.size() + " subscription(s) in scope (" + where + ")");
        });
        return in;
    }

    /**
     * The wiring of every subscription in scope (not only the first {@value #SUBSCRIPTION_LIMIT}) in one line: wired / would
     * wire / cannot, and a line per subscription only where something failed. With {@code --fix}, what is missing is written.
     */
    private void eventWiring(Settings settings, AzureClients azure, List<String> subscriptions) {
        List<EventWiring.Line> failures = new ArrayList<>();
        check("event wiring", () -> {
            Scope scope = Scope.from(settings, () -> azure.managementGroups().subscriptionsUnder(settings.scopeManagementGroup().orElseThrow()));
            EventWiring.Report r = new EventWiring(azure, settings.eventWiring()).run(subscriptions,
                    id -> onlySubscriptions.isEmpty() && !scope.contains(id), fix, java.util.logging.Logger.getLogger(Doctor.class.getName()), "[doctor] ");
            failures.addAll(r.failures());
            int toWire = r.count(EventWiringRules.Step.CREATE_TOPIC) + r.count(EventWiringRules.Step.ADD_SUBSCRIPTION)
                    + r.count(EventWiringRules.Step.UPDATE_SUBSCRIPTION) + r.count(EventWiringRules.Step.UNWIRE);
            if (!r.failures().isEmpty()) {
                return Verdict.fail(r.summary(), "see the lines below; the role: infra/roles-wiring-management-group.json");
            }
            if (toWire > 0 && !fix) {
                return Verdict.warn(r.summary(), "'mde-onboarding doctor --fix' or 'wire --enforce' writes it (the sweep does in enforce"
                        + " mode with " + Settings.EVENT_WIRING + "=on)");
            }
            return r.count(EventWiringRules.Step.PENDING) > 0 ? Verdict.warn(r.summary(), "look again in a few minutes")
                    : Verdict.pass(r.summary());
        });
        for (EventWiring.Line f : failures) {
            add("event wiring " + f.subscriptionId(), Verdict.fail("cannot: " + (f.reason().isEmpty() ? "" : f.reason() + ": ") + f.outcome(),
                    f.outcome().contains("403") || f.outcome().contains("uthoriz") ? "assign the 'MDE Onboarding Event Wiring' role"
                    + " (infra/roles-wiring-management-group.json)" : "see the reason; 'mde-onboarding wire --all' lists every subscription"));
        }
    }

    private void subscription(Settings settings, AzureClients azure, String sub, boolean events) {
        check(sub + ": posture", () -> posture(azure.defender().posture(sub), settings));
        String mode = settings.mode().settingValue();
        check(sub + ": role actions", () -> {
            try {
                return AccessRules.roleActions(AccessRules.required(settings.mode(), settings.guestChecksEnabled()),
                        azure.authorization().permissions(sub), mode, settings.guestChecksEnabled());
            } catch (ArmException e) {
                if (e.status() == 403) {
                    return Verdict.warn("cannot list this identity's permissions (" + e.code() + ")", "grant it"
                            + " Microsoft.Authorization/permissions/read (e.g. Reader), or check its role assignments in the portal");
                }
                throw e;
            }
        });
        if (!events) {
            return;
        }
        check(sub + ": events", () -> {
            try {
                List<SystemTopic> topics = azure.eventGrid().systemTopics(sub);
                Optional<SystemTopic> topic = AccessRules.subscriptionTopic(sub, topics);
                List<TopicSubscription> subscriptions = topic.isEmpty() ? List.of() : azure.eventGrid().eventSubscriptions(topic.get().id());
                return AccessRules.eventWiring(topic, subscriptions);
            } catch (ArmException e) {
                if (e.status() == 403) {
                    return Verdict.warn("cannot read the Event Grid wiring (" + e.code() + ")", "check it as an operator who may read"
                            + " Microsoft.EventGrid/systemTopics (run doctor signed in as such), or in the portal");
                }
                throw e;
            }
        });
    }

    /**
     * The rollout rung and the canary scope, one line: observe is a pass with the next step; a canary scope is named; plan
     * enablement and its list price are said whenever enforce could enable a plan.
     */
    static Verdict rollout(Settings s) {
        String canary = s.canary().describe();
        String plan = s.planEnablement() == com.mdeonboarding.config.PlanEnablement.NEVER
                ? "plan enablement never (no billed plan is switched on)"
                : "plan enablement up to " + s.planEnablement() + " at " + com.mdeonboarding.decide.Billing.money(
                        s.planPrices().of(s.planEnablement().cap(s.desiredPlan()).orElseThrow())) + " per server and month (list price)";
        String detail = s.mode().settingValue() + " mode; machines: " + canary + "; " + plan + "; removed MDE extensions "
                + (s.reinstallRemoved() ? "reinstalled" : "not reinstalled");
        return Verdict.pass(detail);
    }

    static Verdict posture(SubscriptionPosture p) {
        return posture(p, null);
    }

    /**
     * The subscription's posture. The fix never says "enforce" blindly: a Free plan is billed per server once enabled, so
     * the fix names the cost and MDE_PLAN_ENABLEMENT; settings point to 'plan' first, and to a sweep of this subscription only.
     */
    static Verdict posture(SubscriptionPosture p, Settings settings) {
        String plan = p.plan().pricingTier() + p.plan().subPlan().map(s -> " " + s).orElse("");
        List<String> off = new ArrayList<>();
        for (IntegrationSetting s : IntegrationSetting.values()) {
            if (!p.satisfied(s)) {
                off.add(s.settingName());
            }
        }
        String detail = "Defender for Servers " + plan + "; integration settings " + (off.isEmpty() ? "as needed" : "not as needed: "
                + String.join(", ", off));
        String preview = "'mde-onboarding plan --subscription " + p.subscriptionId() + "' shows what would change and what it costs";
        if (!p.standard()) {
            com.mdeonboarding.config.PlanPrices prices = settings == null ? com.mdeonboarding.config.PlanPrices.LIST : settings.planPrices();
            return Verdict.warn(detail + " (machines are BLOCKED until the plan is on)", "Defender for Servers is billed per server"
                    + " (list price " + com.mdeonboarding.decide.Billing.money(prices.p1()) + " P1, "
                    + com.mdeonboarding.decide.Billing.money(prices.p2()) + " P2 per server and month): enable it in Defender for"
                    + " Cloud if that is agreed, or let enforce mode do it with " + Settings.PLAN_ENABLEMENT + "=P1 or P2; first, "
                    + preview);
        }
        if (!off.isEmpty()) {
            return Verdict.warn(detail + " (machines that need them are BLOCKED until they are on)", preview + "; then switch them on in"
                    + " Defender for Cloud, or with 'mde-onboarding sweep --enforce --subscription " + p.subscriptionId() + "' for this"
                    + " subscription only (" + Settings.MODE + "=enforce does it everywhere in scope)");
        }
        return Verdict.pass(detail);
    }

    static Verdict defenderApi(DefenderApiProbe probe) {
        DefenderApiProbe.Outcome o = probe.probe();
        String grant = "grant the identity the Machine.Read.All app role (infra/grant-defender-api-permission.sh), or set"
                + " MDE_SENSOR_CHECK=off";
        if (o.failure().filter(DefenderApiProbe.NOT_PROBED::equals).isPresent()) {
            return Verdict.warn(DefenderApiProbe.NOT_PROBED, "set " + Settings.DEFENDER_API_ENDPOINT + " to the emulator's URL to check it"
                    + " locally, or MDE_SENSOR_CHECK=off");
        }
        if (!o.answered()) {
            return Verdict.warn("not reachable: " + o.failure().orElse("") + " (" + probe.url() + ")", "check "
                    + Settings.DEFENDER_API_ENDPOINT + " and the network; " + grant);
        }
        return switch (o.status()) {
            case 200 -> Verdict.pass("may read machines (" + probe.url() + " answered 200)");
            case 401, 403 -> Verdict.fail("may not read machines (" + probe.url() + " answered " + o.status() + ")", grant);
            // Not the API (a wrong URL, or an emulator without it): nothing is known about the permission.
            case 400, 404 -> Verdict.warn("not reachable: " + probe.url() + " answered " + o.status() + " (not the Defender for Endpoint"
                    + " API)", "check " + Settings.DEFENDER_API_ENDPOINT + " (empty means the cloud's default API)");
            default -> Verdict.warn(probe.url() + " answered " + o.status(), "try again later; " + grant);
        };
    }

    private static String describe(Settings s) {
        return s.azureCloud().name() + (s.usesLocalEmulator() ? " (Resource Manager: the local emulator)" : "") + ", "
                + s.mode().settingValue() + " mode, guest checks " + (s.guestChecksEnabled() ? "on" : "off") + ", sensor check "
                + (s.sensorCheckEnabled() ? "on" : "off");
    }

    /** Runs one check; a failure it did not judge itself is a fail line in words. Returns whether it passed or warned. */
    private boolean check(String name, Supplier<Verdict> check) {
        Verdict v;
        try {
            v = check.get();
        } catch (StorageUnavailableException e) {
            v = Verdict.fail(e.getMessage(), "start Azurite (bin/run-local) locally; in Azure, check the account, its network rules and"
                    + " the identity's Storage Queue Data Contributor and Storage Table Data Contributor roles");
        } catch (SignInException e) {
            String m = e.getMessage();
            int fix = m.indexOf(". To fix: ");
            v = fix < 0 ? Verdict.fail(m, SignInException.ADVICE) : Verdict.fail(m.substring(0, fix), m.substring(fix + ". To fix: ".length()));
        } catch (ArmException e) {
            v = e.status() == 403 ? Verdict.fail("access denied: " + Text.printable(e.getMessage(), 300), "assign 'MDE Onboarding Reconciler'"
                    + " (infra/roles-subscription.json) to the identity at this scope")
                    : e.transientFailure() ? Verdict.warn(Text.printable(e.getMessage(), 300), "try again later")
                    : Verdict.fail(Text.printable(e.getMessage(), 300), "check the subscription ID and the identity's roles");
        } catch (RuntimeException e) {
            v = Verdict.fail("failed: " + Text.printable(String.valueOf(e.getMessage()), 300), "run the command again with"
                    + " AZURE_LOG_LEVEL=verbose for more");
        }
        add(name, v);
        return v.status() != Verdict.Status.FAIL;
    }

    private void add(String name, Verdict v) {
        lines.add(new Line(name, v));
    }
}
