package com.mdeonboarding.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The event wiring the app keeps in every subscription of its scope (MDE_EVENT_WIRING and the MDE_WIRING_* settings): an
 * event subscription on the subscription's Event Grid system topic that delivers machine writes and MDE extension deletes
 * to the OnResourceWrite function, dead-lettered to a blob container.
 *
 * @param enabled               MDE_EVENT_WIRING=on: the sweep, {@code doctor --fix} and {@code wire} keep the wiring
 * @param functionAppId         the Function App's resource ID (the destination is its {@code /functions/OnResourceWrite})
 * @param location              region of the resource group a created topic goes in (the topic itself is {@code global})
 * @param deadLetterStorageId   the storage account that receives undeliverable events (empty: no dead-lettering)
 * @param deadLetterContainer   its blob container
 * @param identityId            the user-assigned identity that may write there; put on topics the app creates, never on
 *                              existing ones (an existing topic without it gets no dead-lettering: see the README)
 */
public record EventWiringSettings(boolean enabled, Optional<String> functionAppId, Optional<String> location,
                                  Optional<String> deadLetterStorageId, String deadLetterContainer, Optional<String> identityId) {
    /** Our event subscription's name on every topic (the name infra/subscription-events.json always used). */
    public static final String EVENT_SUBSCRIPTION_NAME = "mde-onboarding-machine-writes";
    /** Where a topic the app creates goes (infra/subscription-events.json's defaults). */
    public static final String RESOURCE_GROUP = "rg-mde-onboarding-events";
    public static final String TOPIC_NAME = "evgt-subscription-events";
    /** The tag on topics the app created: only those are deleted when a subscription leaves the scope. */
    public static final String CREATED_BY_TAG = "mde-onboarding";
    public static final String FUNCTION = "OnResourceWrite";
    /**
     * Event types and operations delivered: machine writes (a new or changed VM / Arc machine) and deletes of a machine
     * extension (someone removed MDE: change control). Event Grid's advanced filter on {@code data.operationName} (string
     * comparisons are case-insensitive: MicrosoftDocs/azure-docs articles/event-grid/event-filtering.md).
     */
    public static final List<String> EVENT_TYPES = List.of("Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Resources.ResourceDeleteSuccess");
    public static final List<String> OPERATIONS = List.of("Microsoft.Compute/virtualMachines/write", "Microsoft.HybridCompute/machines/write",
            "Microsoft.Compute/virtualMachines/extensions/delete", "Microsoft.HybridCompute/machines/extensions/delete");

    private static final Pattern SITE = Pattern.compile("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft\\.Web/sites/[^/]+$");
    private static final Pattern STORAGE = Pattern.compile("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft\\.Storage/storageAccounts/[a-z0-9]{3,24}$");
    private static final Pattern IDENTITY = Pattern.compile("(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft\\.ManagedIdentity/userAssignedIdentities/[^/]+$");
    private static final Pattern CONTAINER = Pattern.compile("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$");
    private static final Pattern LOCATION = Pattern.compile("^[a-z0-9]{2,40}$");

    public static EventWiringSettings off() {
        return new EventWiringSettings(false, Optional.empty(), Optional.empty(), Optional.empty(), "eventgrid-deadletter", Optional.empty());
    }

    /** The destination: the OnResourceWrite function of the app. */
    public String functionResourceId() {
        return functionAppId.orElseThrow() + "/functions/" + FUNCTION;
    }

    /** Reads the settings with {@code value} (the setting's value or its default, trimmed). */
    static EventWiringSettings from(Function<String, String> value) {
        String onOff = value.apply(Settings.EVENT_WIRING).toLowerCase(Locale.ROOT);
        if (!onOff.equals("on") && !onOff.equals("off")) {
            throw new SettingsException(Settings.EVENT_WIRING, "'" + onOff + "' is not valid; accepted values: on, off.");
        }
        Optional<String> app = check(value, Settings.WIRING_FUNCTION_APP_ID, SITE, "the Function App's resource ID"
                + " (/subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}; output functionAppResourceId of main.json)");
        Optional<String> location = check(value, Settings.WIRING_LOCATION, LOCATION, "an Azure region name such as westeurope");
        Optional<String> storage = check(value, Settings.WIRING_DEAD_LETTER_STORAGE_ID, STORAGE, "a storage account's resource ID");
        String container = check(value, Settings.WIRING_DEAD_LETTER_CONTAINER, CONTAINER, "a blob container name").orElse("eventgrid-deadletter");
        Optional<String> identity = check(value, Settings.WIRING_IDENTITY_ID, IDENTITY, "a user-assigned identity's resource ID");
        boolean on = onOff.equals("on");
        if (on && app.isEmpty()) {
            throw new SettingsException(Settings.WIRING_FUNCTION_APP_ID, "is required when " + Settings.EVENT_WIRING + "=on: the events"
                    + " go to this Function App's OnResourceWrite function (main.json sets it).");
        }
        if (on && location.isEmpty()) {
            throw new SettingsException(Settings.WIRING_LOCATION, "is required when " + Settings.EVENT_WIRING + "=on: the region of the"
                    + " resource group a created system topic goes in (main.json sets the app's region).");
        }
        return new EventWiringSettings(on, app, location, storage, container, identity);
    }

    private static Optional<String> check(Function<String, String> value, String name, Pattern p, String accepted) {
        String v = value.apply(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!p.matcher(v).matches()) {
            throw new SettingsException(name, "'" + v + "' is not valid; expected " + accepted + ".");
        }
        return Optional.of(v);
    }
}
