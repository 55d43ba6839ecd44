package com.mdeonboarding.config;

import com.mdeonboarding.model.Guid;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every app setting the app reads, read once and validated. A bad value fails start-up with a
 * {@link SettingsException} that names the setting and the values it accepts.
 *
 * <p>The names are a public contract (operators script against them); they are listed with their
 * defaults in {@code local.settings.sample.json}, {@code infra/main.json} and the README.
 */
public record Settings(
        StorageSettings storage,
        Names names,
        ScopeSettings scope,
        Remediation remediation,
        Connection connection,
        Timing timing,
        Sensor sensor,
        boolean guestChecksEnabled) {

    /** Where our own data lives: the jobs queue and the tables. */
    public record Names(String jobsQueue, String stateTable, String historyTable, String reportsTable) {
    }

    /** Which subscriptions we act in, and which machines in them (the canary scope). */
    public record ScopeSettings(List<String> subscriptions, Optional<String> managementGroup, List<String> excluded, Canary canary) {
        public ScopeSettings(List<String> subscriptions, Optional<String> managementGroup, List<String> excluded) {
            this(subscriptions, managementGroup, excluded, Canary.everything());
        }
    }

    /** What we may change and how we treat machines. */
    public record Remediation(DesiredPlan desiredPlan, Mode mode, Tags tags, int maxExtensionFailures, Billing billing,
                              boolean reinstallRemoved, List<String> warnings, EventWiringSettings eventWiring) {
        public Remediation {
            warnings = List.copyOf(warnings);
        }
    }

    /** The tag names we read on machines: the exclusion tag (MDE_EXCLUSION_TAG) and the passive-mode tag (MDE_PASSIVE_MODE_TAG). */
    public record Tags(String exclusion, String passiveMode) {
    }

    /** Whether a billed plan may be enabled (MDE_PLAN_ENABLEMENT), and the prices the cost lines use (MDE_PLAN_PRICE_*). */
    public record Billing(PlanEnablement enablement, PlanPrices prices) {
    }

    /** Deprecations and other notes from reading the settings (e.g. MDE_REMEDIATION_MODE still set): logged, shown by doctor. */
    public List<String> warnings() {
        return remediation.warnings();
    }

    /** The Event Grid wiring the sweep keeps (MDE_EVENT_WIRING, MDE_WIRING_*). */
    public EventWiringSettings eventWiring() {
        return remediation.eventWiring();
    }

    /** Which Azure we talk to and as whom. */
    public record Connection(AzureCloud azureCloud, Optional<URI> armEndpoint, Optional<Path> armCaCert,
                             Optional<String> managedIdentityClientId, Optional<URI> defenderApiEndpoint) {
    }

    /** When things happen. */
    public record Timing(String sweepSchedule, Duration verifyDelay, Duration postureCacheTtl) {
    }

    /** Whether, and with what patience, we ask Defender for Endpoint if the sensor reports. */
    public record Sensor(boolean checkEnabled, Duration gracePeriod) {
    }

    public String jobsQueue() {
        return names.jobsQueue();
    }

    public String stateTable() {
        return names.stateTable();
    }

    public String historyTable() {
        return names.historyTable();
    }

    public String reportsTable() {
        return names.reportsTable();
    }

    public List<String> scopeSubscriptions() {
        return scope.subscriptions();
    }

    public Optional<String> scopeManagementGroup() {
        return scope.managementGroup();
    }

    public List<String> excludedSubscriptions() {
        return scope.excluded();
    }

    public DesiredPlan desiredPlan() {
        return remediation.desiredPlan();
    }

    /** MDE_MODE: how far the app may act (observe, onboard, enforce). */
    public Mode mode() {
        return remediation.mode();
    }

    /** MDE_PLAN_ENABLEMENT: whether, and up to which plan, enforce mode may enable a billed plan. */
    public PlanEnablement planEnablement() {
        return remediation.billing().enablement();
    }

    /** MDE_PLAN_PRICE_P1 / _P2: the list prices the cost lines use. */
    public PlanPrices planPrices() {
        return remediation.billing().prices();
    }

    /** MDE_REINSTALL_REMOVED: whether an MDE extension someone else removed is deployed again. */
    public boolean reinstallRemoved() {
        return remediation.reinstallRemoved();
    }

    /** The canary scope: include tag, resource groups, machine list (MDE_SCOPE_*). */
    public Canary canary() {
        return scope.canary();
    }

    public String exclusionTag() {
        return remediation.tags().exclusion();
    }

    public String passiveModeTag() {
        return remediation.tags().passiveMode();
    }

    public int maxExtensionFailures() {
        return remediation.maxExtensionFailures();
    }

    public AzureCloud azureCloud() {
        return connection.azureCloud();
    }

    public Optional<URI> armEndpoint() {
        return connection.armEndpoint();
    }

    public Optional<Path> armCaCert() {
        return connection.armCaCert();
    }

    public Optional<String> managedIdentityClientId() {
        return connection.managedIdentityClientId();
    }

    public Optional<URI> defenderApiEndpoint() {
        return connection.defenderApiEndpoint();
    }

    public String sweepSchedule() {
        return timing.sweepSchedule();
    }

    public Duration verifyDelay() {
        return timing.verifyDelay();
    }

    public Duration postureCacheTtl() {
        return timing.postureCacheTtl();
    }

    public boolean sensorCheckEnabled() {
        return sensor.checkEnabled();
    }

    public Duration sensorGracePeriod() {
        return sensor.gracePeriod();
    }

    public static final String STORAGE = "AzureWebJobsStorage";
    public static final String STORAGE_QUEUE_URI = "AzureWebJobsStorage__queueServiceUri";
    public static final String STORAGE_TABLE_URI = "AzureWebJobsStorage__tableServiceUri";
    public static final String JOBS_QUEUE = "MDE_JOBS_QUEUE";
    public static final String STATE_TABLE = "MDE_STATE_TABLE";
    public static final String HISTORY_TABLE = "MDE_HISTORY_TABLE";
    public static final String REPORTS_TABLE = "MDE_REPORTS_TABLE";
    public static final String SCOPE_SUBSCRIPTIONS = "MDE_SCOPE_SUBSCRIPTIONS";
    public static final String SCOPE_MANAGEMENT_GROUP = "MDE_SCOPE_MANAGEMENT_GROUP";
    public static final String SCOPE_EXCLUDE_SUBSCRIPTIONS = "MDE_SCOPE_EXCLUDE_SUBSCRIPTIONS";
    public static final String DESIRED_PLAN = "MDE_DESIRED_PLAN";
    public static final String MODE = "MDE_MODE";
    /** Deprecated: read for one release when MDE_MODE is not set (audit -> onboard, enforce -> enforce). */
    public static final String REMEDIATION_MODE = "MDE_REMEDIATION_MODE";
    public static final String PLAN_ENABLEMENT = "MDE_PLAN_ENABLEMENT";
    public static final String PLAN_PRICE_P1 = "MDE_PLAN_PRICE_P1";
    public static final String PLAN_PRICE_P2 = "MDE_PLAN_PRICE_P2";
    public static final String REINSTALL_REMOVED = "MDE_REINSTALL_REMOVED";
    public static final String SCOPE_INCLUDE_TAG = "MDE_SCOPE_INCLUDE_TAG";
    public static final String SCOPE_RESOURCE_GROUPS = "MDE_SCOPE_RESOURCE_GROUPS";
    public static final String SCOPE_EXCLUDE_RESOURCE_GROUPS = "MDE_SCOPE_EXCLUDE_RESOURCE_GROUPS";
    public static final String SCOPE_MACHINES = "MDE_SCOPE_MACHINES";
    public static final String EXCLUSION_TAG = "MDE_EXCLUSION_TAG";
    public static final String PASSIVE_MODE_TAG = "MDE_PASSIVE_MODE_TAG";
    public static final String SWEEP_SCHEDULE = "MDE_SWEEP_SCHEDULE";
    public static final String AZURE_CLOUD = "MDE_AZURE_CLOUD";
    public static final String ARM_ENDPOINT = "MDE_ARM_ENDPOINT";
    public static final String ARM_CA_CERT = "MDE_ARM_CA_CERT";
    public static final String MANAGED_IDENTITY_CLIENT_ID = "MDE_MANAGED_IDENTITY_CLIENT_ID";
    public static final String VERIFY_DELAY_SECONDS = "MDE_VERIFY_DELAY_SECONDS";
    public static final String MAX_EXTENSION_FAILURES = "MDE_MAX_EXTENSION_FAILURES";
    public static final String POSTURE_CACHE_SECONDS = "MDE_POSTURE_CACHE_SECONDS";
    public static final String SENSOR_CHECK = "MDE_SENSOR_CHECK";
    public static final String DEFENDER_API_ENDPOINT = "MDE_DEFENDER_API_ENDPOINT";
    public static final String SENSOR_GRACE_MINUTES = "MDE_SENSOR_GRACE_MINUTES";
    public static final String GUEST_CHECKS = "MDE_GUEST_CHECKS";
    public static final String EVENT_WIRING = "MDE_EVENT_WIRING";
    public static final String WIRING_FUNCTION_APP_ID = "MDE_WIRING_FUNCTION_APP_ID";
    public static final String WIRING_LOCATION = "MDE_WIRING_LOCATION";
    public static final String WIRING_DEAD_LETTER_STORAGE_ID = "MDE_WIRING_DEAD_LETTER_STORAGE_ID";
    public static final String WIRING_DEAD_LETTER_CONTAINER = "MDE_WIRING_DEAD_LETTER_CONTAINER";
    public static final String WIRING_IDENTITY_ID = "MDE_WIRING_IDENTITY_ID";

    /** Defaults for every optional setting; the sample settings file and infra template must agree (tested). */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(JOBS_QUEUE, "onboarding-jobs");
        d.put(STATE_TABLE, "MdeMachineState");
        d.put(HISTORY_TABLE, "MdeMachineHistory");
        d.put(REPORTS_TABLE, "MdeSweepReports");
        d.put(SCOPE_SUBSCRIPTIONS, "");
        d.put(SCOPE_MANAGEMENT_GROUP, "");
        d.put(SCOPE_EXCLUDE_SUBSCRIPTIONS, "");
        d.put(DESIRED_PLAN, "P1");
        d.put(MODE, "observe");
        d.put(PLAN_ENABLEMENT, "never");
        d.put(PLAN_PRICE_P1, "5");
        d.put(PLAN_PRICE_P2, "15");
        d.put(REINSTALL_REMOVED, "off");
        d.put(SCOPE_INCLUDE_TAG, "");
        d.put(SCOPE_RESOURCE_GROUPS, "");
        d.put(SCOPE_EXCLUDE_RESOURCE_GROUPS, "");
        d.put(SCOPE_MACHINES, "");
        d.put(EXCLUSION_TAG, "MdeOnboardingExclude");
        d.put(PASSIVE_MODE_TAG, "MdePassiveMode");
        d.put(SWEEP_SCHEDULE, "0 0 */6 * * *");
        d.put(AZURE_CLOUD, "AzureCloud");
        d.put(ARM_ENDPOINT, "");
        d.put(ARM_CA_CERT, "");
        d.put(MANAGED_IDENTITY_CLIENT_ID, "");
        d.put(VERIFY_DELAY_SECONDS, "30");
        d.put(MAX_EXTENSION_FAILURES, "3");
        d.put(POSTURE_CACHE_SECONDS, "300");
        d.put(SENSOR_CHECK, "on");
        d.put(DEFENDER_API_ENDPOINT, "");
        d.put(SENSOR_GRACE_MINUTES, "60");
        d.put(GUEST_CHECKS, "on");
        d.put(EVENT_WIRING, "off");
        d.put(WIRING_FUNCTION_APP_ID, "");
        d.put(WIRING_LOCATION, "");
        d.put(WIRING_DEAD_LETTER_STORAGE_ID, "");
        d.put(WIRING_DEAD_LETTER_CONTAINER, "eventgrid-deadletter");
        d.put(WIRING_IDENTITY_ID, "");
        return Map.copyOf(d);
    }

    /** The Azure CLI's name of Azure China (21Vianet), refused with its own reason. */
    static final String AZURE_CHINA_CLOUD = "AzureChinaCloud";

    private static final Pattern GUID = Pattern.compile("^" + Guid.REGEX + "$");
    /** Storage allows 3-63 characters; 7 are kept for the queues named after the jobs queue ("-poison", "-sweeps"). */
    private static final Pattern QUEUE_NAME = Pattern.compile("^(?=.{3,56}$)[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$");
    private static final Pattern TABLE_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9]{2,62}$");
    private static final Pattern TAG_NAME = Pattern.compile("^[^<>%&\\\\?/]{1,512}$");
    /** Resource group names: 1-90 of letters, digits, underscores, periods, hyphens, parentheses; no trailing period. */
    private static final Pattern RESOURCE_GROUP = Pattern.compile("^[-\\w._()]{0,89}[-\\w_()]$");
    private static final Pattern MANAGEMENT_GROUP = Pattern.compile("^[A-Za-z0-9._()-]{1,90}$");

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads and validates; {@code env} is usually {@link System#getenv()}. */
    public static Settings from(Map<String, String> env) {
        return from(env, false);
    }

    /**
     * As {@link #from}, but Storage may be unset ({@link StorageSettings#none()}): for a preview that only reads Azure
     * ({@code mde-onboarding plan} with nothing but {@code az login}). Every other setting is validated as usual.
     */
    public static Settings forPreview(Map<String, String> env) {
        return from(env, true);
    }

    private static Settings from(Map<String, String> env, boolean storageOptional) {
        Reader r = new Reader(env);
        AzureCloud cloud = r.cloud();
        Optional<Endpoints.Endpoint> arm = r.endpoint(ARM_ENDPOINT, "Resource Manager", cloud, List.of(cloud.resourceManagerHost()));
        Optional<Endpoints.Endpoint> defender = r.endpoint(DEFENDER_API_ENDPOINT, "Defender for Endpoint API", cloud, cloud.defenderApiHosts());
        if (defender.map(Endpoints.Endpoint::loopback).orElse(false) && !arm.map(Endpoints.Endpoint::loopback).orElse(false)) {
            // An emulator's sensor answers must never stand in for a real tenant's machines.
            throw new SettingsException(DEFENDER_API_ENDPOINT, "'" + r.value(DEFENDER_API_ENDPOINT) + "' is the local emulator, but "
                    + ARM_ENDPOINT + " is not: the Defender for Endpoint emulator is only accepted together with the local"
                    + " Resource Manager emulator (set " + ARM_ENDPOINT + " to a loopback URL too, or empty this setting).");
        }
        return new Settings(
                storageOptional && r.storageUnset() ? StorageSettings.none() : r.storage(),
                new Names(
                        r.matching(JOBS_QUEUE, QUEUE_NAME, "a queue name: 3-56 lower-case letters, digits and single hyphens (the -poison and -sweeps queues named after it add 7)"),
                        r.matching(STATE_TABLE, TABLE_NAME, "a table name: a letter, then 2-62 letters or digits"),
                        r.matching(HISTORY_TABLE, TABLE_NAME, "a table name: a letter, then 2-62 letters or digits"),
                        r.matching(REPORTS_TABLE, TABLE_NAME, "a table name: a letter, then 2-62 letters or digits")),
                new ScopeSettings(
                        r.subscriptionList(SCOPE_SUBSCRIPTIONS),
                        r.optional(SCOPE_MANAGEMENT_GROUP).map(v -> r.check(SCOPE_MANAGEMENT_GROUP, v, MANAGEMENT_GROUP,
                                "a management group ID (letters, digits, - _ . ( ), at most 90)")),
                        r.subscriptionList(SCOPE_EXCLUDE_SUBSCRIPTIONS),
                        new Canary(r.includeTag(), r.resourceGroups(SCOPE_RESOURCE_GROUPS), r.resourceGroups(SCOPE_EXCLUDE_RESOURCE_GROUPS),
                                r.machines())),
                new Remediation(
                        r.enumValue(DESIRED_PLAN, DesiredPlan.class),
                        r.mode(),
                        new Tags(
                                r.matching(EXCLUSION_TAG, TAG_NAME, "a tag name (1-512 characters, none of < > % & \\ ? /)"),
                                r.matching(PASSIVE_MODE_TAG, TAG_NAME, "a tag name (1-512 characters, none of < > % & \\ ? /)")),
                        r.integer(MAX_EXTENSION_FAILURES, 1, 20),
                        new Billing(r.planEnablement(), new PlanPrices(r.price(PLAN_PRICE_P1), r.price(PLAN_PRICE_P2))),
                        r.onOff(REINSTALL_REMOVED),
                        r.warnings,
                        EventWiringSettings.from(r::value)),
                new Connection(
                        cloud,
                        arm.map(Endpoints.Endpoint::url),
                        r.caCert(),
                        r.optional(MANAGED_IDENTITY_CLIENT_ID).map(v -> r.check(MANAGED_IDENTITY_CLIENT_ID, v, GUID, "a client ID (GUID)")),
                        defender.map(Endpoints.Endpoint::url)),
                new Timing(
                        r.ncrontab(SWEEP_SCHEDULE),
                        Duration.ofSeconds(r.integer(VERIFY_DELAY_SECONDS, 1, 3600)),
                        Duration.ofSeconds(r.integer(POSTURE_CACHE_SECONDS, 0, 86_400))),
                new Sensor(
                        r.onOff(SENSOR_CHECK),
                        // Microsoft's onboarding script expects a machine in the portal within 5-30 minutes; at most a day.
                        Duration.ofMinutes(r.integer(SENSOR_GRACE_MINUTES, 15, 1440))),
                r.onOff(GUEST_CHECKS));
    }

    /** True when Resource Manager is the local emulator: the fixed development token is used instead of Entra ID. */
    public boolean usesLocalEmulator() {
        return armEndpoint().isPresent() && Endpoints.isLoopback(armEndpoint().get());
    }

    /** The Resource Manager base URL without a trailing slash. */
    public String resourceManagerUrl() {
        return withoutTrailingSlash(armEndpoint().map(URI::toString).orElse(azureCloud().environment().getResourceManagerEndpoint()));
    }

    /** The scope of Resource Manager tokens: the Resource Manager URL + "/.default". */
    public String resourceManagerTokenScope() {
        return resourceManagerUrl() + "/.default";
    }

    /** True when the Defender for Endpoint API is the local emulator: the fixed development token is used for it. */
    public boolean usesLocalDefenderEmulator() {
        return defenderApiEndpoint().isPresent() && Endpoints.isLoopback(defenderApiEndpoint().get());
    }

    /** The Defender for Endpoint API base URL without a trailing slash (requests go to {@code <url>/api/machines}). */
    public String defenderApiUrl() {
        return withoutTrailingSlash(defenderApiEndpoint().map(URI::toString).orElse(azureCloud().defaultDefenderApiUrl()));
    }

    /**
     * The scope of Defender for Endpoint API tokens: the host's audience + "/.default" (commercial hosts:
     * {@code https://api.securitycenter.microsoft.com/.default}). For the local emulator, its URL + "/.default".
     */
    public String defenderApiTokenScope() {
        if (usesLocalDefenderEmulator()) {
            return defenderApiUrl() + "/.default";
        }
        String host = URI.create(defenderApiUrl()).getHost();
        return azureCloud().defenderApiAudience(host).orElseThrow(() -> new SettingsException(DEFENDER_API_ENDPOINT,
                "'" + host + "' is not a Defender for Endpoint API host of " + azureCloud().name())) + "/.default";
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Where our Storage data lives: a connection string, or service URIs for identity-based access. */
    public record StorageSettings(Optional<String> connectionString, Optional<String> queueServiceUri,
                                  Optional<String> tableServiceUri) {
        /** No Storage at all: a preview that reads Azure only ({@link Settings#forPreview}); nothing is remembered. */
        public static StorageSettings none() {
            return new StorageSettings(Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** True for {@link #none()}. */
        public boolean isNone() {
            return connectionString.isEmpty() && queueServiceUri.isEmpty() && tableServiceUri.isEmpty();
        }

        @Override
        public String toString() {
            // The connection string holds an account key; never print it.
            if (isNone()) {
                return "StorageSettings[none]";
            }
            return "StorageSettings[" + (connectionString.isPresent() ? "connection string" : "identity: "
                    + queueServiceUri.orElse("") + ", " + tableServiceUri.orElse("")) + "]";
        }

        /** Which setting says where Storage is, for messages. */
        public String source() {
            if (isNone()) {
                return "no Storage (" + STORAGE + " unset)";
            }
            return connectionString.isPresent() ? STORAGE : STORAGE_QUEUE_URI + " / " + STORAGE_TABLE_URI;
        }

        /** The queue service URL (no secret: a connection string's endpoint, never its key). */
        public String queueEndpoint() {
            return queueServiceUri.orElseGet(() -> endpoint("QueueEndpoint", "queue", "10001"));
        }

        /** The table service URL (no secret). */
        public String tableEndpoint() {
            return tableServiceUri.orElseGet(() -> endpoint("TableEndpoint", "table", "10002"));
        }

        /** From the connection string: its explicit endpoint, or the one its account name and suffix make. */
        private String endpoint(String key, String service, String developmentPort) {
            Map<String, String> parts = new LinkedHashMap<>();
            for (String part : connectionString.orElse("").split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    parts.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
                }
            }
            if ("true".equalsIgnoreCase(parts.get("usedevelopmentstorage"))) {
                return "http://127.0.0.1:" + developmentPort + "/devstoreaccount1";
            }
            String explicit = parts.get(key.toLowerCase(Locale.ROOT));
            if (explicit != null && !explicit.isEmpty()) {
                return explicit;
            }
            return parts.getOrDefault("defaultendpointsprotocol", "https") + "://" + parts.getOrDefault("accountname", "?") + "."
                    + service + "." + parts.getOrDefault("endpointsuffix", "core.windows.net");
        }
    }

    private static final class Reader {
        private final Map<String, String> env;
        final List<String> warnings = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        String value(String name) {
            String v = env.get(name);
            if (v == null || v.isBlank()) {
                v = DEFAULTS.getOrDefault(name, "");
            }
            return v.trim();
        }

        Optional<String> optional(String name) {
            String v = value(name);
            return v.isEmpty() ? Optional.empty() : Optional.of(v);
        }

        String check(String name, String v, Pattern p, String accepted) {
            if (!p.matcher(v).matches()) {
                throw new SettingsException(name, "'" + v + "' is not valid; expected " + accepted + ".");
            }
            return v;
        }

        String matching(String name, Pattern p, String accepted) {
            return check(name, value(name), p, accepted);
        }

        <E extends Enum<E>> E enumValue(String name, Class<E> type) {
            String v = value(name);
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v)) {
                    return e;
                }
            }
            List<String> accepted = Arrays.stream(type.getEnumConstants())
                    .map(Enum::name).toList();
            throw new SettingsException(name, "'" + v + "' is not valid; accepted values: " + String.join(", ", accepted) + ".");
        }

        /** MDE_MODE; else the deprecated MDE_REMEDIATION_MODE (audit -> onboard, enforce -> enforce) with a warning; else observe. */
        Mode mode() {
            String accepted = String.join(", ", Arrays.stream(Mode.values()).map(Mode::settingValue).toList());
            String legacy = Optional.ofNullable(env.get(REMEDIATION_MODE)).map(String::trim).orElse("");
            String explicit = Optional.ofNullable(env.get(MODE)).map(String::trim).orElse("");
            if (!legacy.isEmpty()) {
                Mode old = Mode.fromLegacy(legacy).orElseThrow(() -> new SettingsException(REMEDIATION_MODE, "'" + legacy
                        + "' is not valid; accepted values: audit, enforce. It is deprecated: set " + MODE + " (" + accepted
                        + ") instead and remove it."));
                if (explicit.isEmpty()) {
                    warnings.add(REMEDIATION_MODE + " is deprecated and will be removed in the next release: '" + legacy
                            + "' is read as " + MODE + "=" + old.settingValue() + "; set " + MODE + "=" + old.settingValue()
                            + " and remove " + REMEDIATION_MODE + ".");
                    return old;
                }
                warnings.add(REMEDIATION_MODE + " is deprecated and ignored because " + MODE + " is set; remove it.");
            }
            String v = value(MODE);
            return Mode.parse(v).orElseThrow(() -> new SettingsException(MODE, "'" + v + "' is not valid; accepted values: "
                    + accepted + " (observe writes nothing to Azure; onboard deploys the MDE extension; enforce also fixes posture)."));
        }

        PlanEnablement planEnablement() {
            String v = value(PLAN_ENABLEMENT);
            return PlanEnablement.parse(v).orElseThrow(() -> new SettingsException(PLAN_ENABLEMENT, "'" + v
                    + "' is not valid; accepted values: never, P1, P2 (the highest billed Defender for Servers plan enforce mode may"
                    + " switch a subscription to)."));
        }

        java.math.BigDecimal price(String name) {
            String v = value(name);
            try {
                java.math.BigDecimal d = new java.math.BigDecimal(v);
                if (d.signum() >= 0 && d.compareTo(new java.math.BigDecimal("10000")) <= 0) {
                    return d;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new SettingsException(name, "'" + v + "' is not valid; expected the plan's price per server and month, a"
                    + " number from 0 to 10000 (e.g. 5 or 14.60).");
        }

        Optional<Canary.IncludeTag> includeTag() {
            return optional(SCOPE_INCLUDE_TAG).map(v -> {
                int eq = v.indexOf('=');
                String name = (eq < 0 ? v : v.substring(0, eq)).trim();
                String tagValue = eq < 0 ? "true" : v.substring(eq + 1).trim();
                check(SCOPE_INCLUDE_TAG, name, TAG_NAME, "a tag name (Name, meaning Name=true) or Name=Value");
                if (tagValue.isEmpty() || tagValue.length() > 256) {
                    throw new SettingsException(SCOPE_INCLUDE_TAG, "'" + v + "' is not valid; expected a tag name (Name, meaning"
                            + " Name=true) or Name=Value with a value of 1-256 characters.");
                }
                return new Canary.IncludeTag(name, tagValue);
            });
        }

        java.util.Set<String> resourceGroups(String name) {
            java.util.Set<String> out = new java.util.LinkedHashSet<>();
            for (String part : value(name).split(",")) {
                String rg = part.trim();
                if (!rg.isEmpty()) {
                    out.add(check(name, rg, RESOURCE_GROUP, "comma-separated resource group names (1-90 letters, digits, . _ - ( ),"
                            + " not ending in a period)").toLowerCase(Locale.ROOT));
                }
            }
            return out;
        }

        java.util.Set<String> machines() {
            java.util.Set<String> out = new java.util.LinkedHashSet<>();
            for (String part : value(SCOPE_MACHINES).split(",")) {
                String id = part.trim();
                if (id.isEmpty()) {
                    continue;
                }
                com.mdeonboarding.model.MachineId m = com.mdeonboarding.model.MachineId.tryParse(id).orElseThrow(() ->
                        new SettingsException(SCOPE_MACHINES, "'" + com.mdeonboarding.model.Text.printable(id, 200) + "' is not valid;"
                                + " expected comma-separated machine resource IDs (/subscriptions/.../resourceGroups/.../providers/"
                                + "Microsoft.Compute/virtualMachines/NAME or Microsoft.HybridCompute/machines/NAME)."));
                out.add(m.key());
            }
            return out;
        }

        List<String> subscriptionList(String name) {
            List<String> ids = new ArrayList<>();
            for (String part : value(name).split(",")) {
                String id = part.trim();
                if (id.isEmpty()) {
                    continue;
                }
                check(name, id, GUID, "comma-separated subscription IDs (GUIDs)");
                String lower = id.toLowerCase(Locale.ROOT);
                if (!ids.contains(lower)) {
                    ids.add(lower);
                }
            }
            return List.copyOf(ids);
        }

        int integer(String name, int min, int max) {
            String v = value(name);
            try {
                int i = Integer.parseInt(v);
                if (i >= min && i <= max) {
                    return i;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new SettingsException(name, "'" + v + "' is not valid; expected a whole number from " + min + " to " + max + ".");
        }

        String ncrontab(String name) {
            String v = value(name);
            String[] fields = v.split("\\s+");
            boolean ok = fields.length == 6;
            for (String f : fields) {
                ok &= f.matches("^[0-9*/,\\-A-Za-z]+$");
            }
            if (!ok) {
                throw new SettingsException(name, "'" + v + "' is not valid; expected an NCRONTAB expression with six fields"
                        + " ({second} {minute} {hour} {day} {month} {day-of-week}), e.g. '0 0 */6 * * *'.");
            }
            return v;
        }

        AzureCloud cloud() {
            String v = value(AZURE_CLOUD);
            String accepted = String.join(", ", Arrays.stream(AzureCloud.values()).map(Enum::name).toList());
            for (AzureCloud c : AzureCloud.values()) {
                if (c.name().equalsIgnoreCase(v)) {
                    return c;
                }
            }
            if (v.equalsIgnoreCase(AZURE_CHINA_CLOUD)) {
                throw new SettingsException(AZURE_CLOUD, "'" + v + "' is not supported: the Microsoft Defender for Endpoint integration of"
                        + " Defender for Servers is not available in Microsoft Azure operated by 21Vianet (Azure China), see the Defender"
                        + " for Servers support matrix (learn.microsoft.com/azure/defender-for-cloud/support-matrix-defender-for-servers),"
                        + " so this app cannot onboard machines there. Accepted values: " + accepted + ".");
            }
            throw new SettingsException(AZURE_CLOUD, "'" + v + "' is not valid; accepted values: " + accepted + ".");
        }

        Optional<Endpoints.Endpoint> endpoint(String name, String service, AzureCloud cloud, List<String> cloudHosts) {
            return optional(name).map(v -> Endpoints.parse(name, v, service, cloud, cloudHosts));
        }

        boolean onOff(String name) {
            String v = value(name);
            if (v.equalsIgnoreCase("on")) {
                return true;
            }
            if (v.equalsIgnoreCase("off")) {
                return false;
            }
            throw new SettingsException(name, "'" + v + "' is not valid; accepted values: on, off.");
        }

        Optional<Path> caCert() {
            Optional<String> v = optional(ARM_CA_CERT);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            Path p = Path.of(v.get());
            if (!Files.isReadable(p)) {
                throw new SettingsException(ARM_CA_CERT, "'" + v.get() + "' is not a readable file; expected the path of a PEM certificate.");
            }
            return Optional.of(p);
        }

        /** Neither a connection string nor both service URIs are set. */
        boolean storageUnset() {
            return Optional.ofNullable(env.get(STORAGE)).map(String::trim).filter(s -> !s.isEmpty()).isEmpty()
                    && Optional.ofNullable(env.get(STORAGE_QUEUE_URI)).map(String::trim).filter(s -> !s.isEmpty()).isEmpty()
                    && Optional.ofNullable(env.get(STORAGE_TABLE_URI)).map(String::trim).filter(s -> !s.isEmpty()).isEmpty();
        }

        StorageSettings storage() {
            Optional<String> cs = Optional.ofNullable(env.get(STORAGE)).map(String::trim).filter(s -> !s.isEmpty());
            Optional<String> queueUri = Optional.ofNullable(env.get(STORAGE_QUEUE_URI)).map(String::trim).filter(s -> !s.isEmpty());
            Optional<String> tableUri = Optional.ofNullable(env.get(STORAGE_TABLE_URI)).map(String::trim).filter(s -> !s.isEmpty());
            if (cs.isPresent()) {
                String s = cs.get();
                if (!s.equals("UseDevelopmentStorage=true") && !s.contains("AccountName=") && !s.contains("SharedAccessSignature=")
                        && !s.contains("QueueEndpoint=")) {
                    throw new SettingsException(STORAGE, "is not a Storage connection string; expected 'UseDevelopmentStorage=true'"
                            + " or 'DefaultEndpointsProtocol=https;AccountName=...;...'.");
                }
                return new StorageSettings(cs, Optional.empty(), Optional.empty());
            }
            if (queueUri.isPresent() && tableUri.isPresent()) {
                return new StorageSettings(Optional.empty(), queueUri, tableUri);
            }
            throw new SettingsException(STORAGE, "is not set; set it to a Storage connection string ('UseDevelopmentStorage=true'"
                    + " for Azurite), or set " + STORAGE_QUEUE_URI + " and " + STORAGE_TABLE_URI + " for managed-identity access.");
        }
    }
}
